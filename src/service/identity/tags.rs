//! Tags of identity pools: TagResource, UntagResource, ListTagsForResource, on the ARN
//! `arn:aws:cognito-identity:{region}:{account}:identitypool/{id}`.

use super::{load_pool, Admin};
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::identity::{self as store, IdentityPoolRecord};
use crate::types::tags::*;
use crate::types::Empty;

const MAX_TAGS: usize = 50;

async fn pool_of(state: &State, arn: &str) -> Result<IdentityPoolRecord> {
    let prefix = format!(
        "arn:aws:cognito-identity:{}:{}:identitypool/",
        state.region, state.account_id
    );
    match arn.strip_prefix(&prefix) {
        Some(id) => load_pool(state, id).await,
        None => fail(
            Exception::ResourceNotFound,
            format!("Resource {arn} does not exist."),
        ),
    }
}

async fn save(state: &State, mut pool: IdentityPoolRecord) -> Result<()> {
    pool.updated_at = now_ms();
    store::update_pool(&state.db, &pool).await?;
    Ok(())
}

pub async fn tag_resource(state: &State, _: Admin, req: TagResourceRequest) -> Result<Empty> {
    let mut pool = pool_of(state, &req.resource_arn).await?;
    let tags = pool
        .settings
        .pool
        .identity_pool_tags
        .get_or_insert_with(Default::default);
    tags.extend(req.tags);
    if tags.len() > MAX_TAGS {
        return invalid_parameter(format!(
            "An identity pool can have at most {MAX_TAGS} tags."
        ));
    }
    save(state, pool).await?;
    Ok(Empty {})
}

pub async fn untag_resource(state: &State, _: Admin, req: UntagResourceRequest) -> Result<Empty> {
    let mut pool = pool_of(state, &req.resource_arn).await?;
    if let Some(tags) = pool.settings.pool.identity_pool_tags.as_mut() {
        for key in &req.tag_keys {
            tags.remove(key);
        }
    }
    save(state, pool).await?;
    Ok(Empty {})
}

pub async fn list_tags_for_resource(
    state: &State,
    _: Admin,
    req: ResourceArnRequest,
) -> Result<ListTagsForResourceResponse> {
    let pool = pool_of(state, &req.resource_arn).await?;
    Ok(ListTagsForResourceResponse {
        tags: pool.settings.pool.identity_pool_tags.unwrap_or_default(),
    })
}
