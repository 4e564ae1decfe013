//! Tags of user pools (their UserPoolTags): TagResource, UntagResource, ListTagsForResource.

use std::collections::BTreeMap;

use super::Admin;
use crate::service::directory::pools;
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::pools::{self as pool_store, PoolRecord};
use crate::types::tags::*;
use crate::types::Empty;

/// Cognito's limit of tags on one pool.
const MAX_TAGS: usize = 50;

/// Loads the pool an ARN names: `arn:aws:cognito-idp:{region}:{account}:userpool/{id}`.
async fn pool_of(state: &State, arn: &str) -> Result<PoolRecord> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [_, _, service, region, account, resource] = parts[..] else {
        return invalid_parameter(format!("Invalid ARN: {arn}"));
    };
    let pool_id = resource.strip_prefix("userpool/");
    let ours = service == "cognito-idp" && region == state.region && account == state.account_id;
    match pool_id.filter(|_| ours) {
        Some(id) => pools::load(state, id).await,
        None => fail(
            Exception::ResourceNotFound,
            format!("Resource {arn} does not exist."),
        ),
    }
}

fn tags_of(pool: &PoolRecord) -> BTreeMap<String, String> {
    pool.settings.tags()
}

async fn save(state: &State, mut pool: PoolRecord, tags: BTreeMap<String, String>) -> Result<()> {
    pool.settings.set_tags(&tags);
    pool.updated_at = now_ms();
    pool_store::update(&state.db, &pool).await?;
    Ok(())
}

pub async fn tag_resource(state: &State, _: Admin, req: TagResourceRequest) -> Result<Empty> {
    let pool = pool_of(state, &req.resource_arn).await?;
    for (key, value) in &req.tags {
        if !(1..=128).contains(&key.chars().count()) || value.chars().count() > 256 {
            return invalid_parameter(
                "Tag keys must be 1 to 128 characters long and values at most 256.",
            );
        }
    }
    let mut tags = tags_of(&pool);
    tags.extend(req.tags);
    if tags.len() > MAX_TAGS {
        return invalid_parameter(format!("A user pool can have at most {MAX_TAGS} tags."));
    }
    save(state, pool, tags).await?;
    Ok(Empty {})
}

pub async fn untag_resource(state: &State, _: Admin, req: UntagResourceRequest) -> Result<Empty> {
    let pool = pool_of(state, &req.resource_arn).await?;
    let mut tags = tags_of(&pool);
    for key in &req.tag_keys {
        tags.remove(key);
    }
    save(state, pool, tags).await?;
    Ok(Empty {})
}

pub async fn list_tags_for_resource(
    state: &State,
    _: Admin,
    req: ResourceArnRequest,
) -> Result<ListTagsForResourceResponse> {
    let pool = pool_of(state, &req.resource_arn).await?;
    Ok(ListTagsForResourceResponse {
        tags: tags_of(&pool),
    })
}
