//! Identity pools: CreateIdentityPool, DescribeIdentityPool, UpdateIdentityPool,
//! DeleteIdentityPool, ListIdentityPools.

use super::{load_pool, new_id, Admin};
use crate::service::kernel::paging;
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::identity::{self as store, IdentityPoolRecord};
use crate::types::identity::*;
use crate::types::Empty;

/// AWS's limit of identity pools per account.
const MAX_POOLS: i64 = 1000;

/// The checks AWS makes beyond the model's constraints.
fn check(pool: &IdentityPool) -> Result<()> {
    for p in pool.cognito_identity_providers.iter().flatten() {
        if p.provider_name.is_none() || p.client_id.is_none() {
            return invalid_parameter(
                "CognitoIdentityProvider requires ProviderName and ClientId.",
            );
        }
    }
    if pool
        .supported_login_providers
        .as_ref()
        .is_some_and(|m| m.len() > 10)
    {
        return invalid_parameter("An identity pool supports at most 10 login providers.");
    }
    Ok(())
}

pub async fn create_identity_pool(
    state: &State,
    _: Admin,
    mut req: IdentityPool,
) -> Result<IdentityPool> {
    check(&req)?;
    let existing = store::list_pools(&state.db, None, MAX_POOLS + 1).await?;
    if existing.len() as i64 >= MAX_POOLS {
        return fail(
            Exception::LimitExceeded,
            format!("An account can have at most {MAX_POOLS} identity pools."),
        );
    }
    req.identity_pool_id = new_id(state);
    req.allow_classic_flow.get_or_insert(false);
    let now = now_ms();
    let record = IdentityPoolRecord {
        id: req.identity_pool_id.clone(),
        settings: IdentityPoolSettings {
            pool: req.clone(),
            ..Default::default()
        },
        created_at: now,
        updated_at: now,
    };
    store::insert_pool(&state.db, &record).await?;
    Ok(req)
}

pub async fn describe_identity_pool(
    state: &State,
    _: Admin,
    req: PoolIdRequest,
) -> Result<IdentityPool> {
    Ok(load_pool(state, &req.identity_pool_id).await?.settings.pool)
}

/// Replaces the pool's settings; tags stay as they are unless given.
pub async fn update_identity_pool(
    state: &State,
    _: Admin,
    mut req: IdentityPool,
) -> Result<IdentityPool> {
    check(&req)?;
    let mut pool = load_pool(state, &req.identity_pool_id).await?;
    if req.identity_pool_tags.is_none() {
        req.identity_pool_tags = pool.settings.pool.identity_pool_tags.clone();
    }
    req.allow_classic_flow.get_or_insert(false);
    pool.settings.pool = req.clone();
    pool.updated_at = now_ms();
    store::update_pool(&state.db, &pool).await?;
    Ok(req)
}

pub async fn delete_identity_pool(state: &State, _: Admin, req: PoolIdRequest) -> Result<Empty> {
    if !store::delete_pool(&state.db, &req.identity_pool_id).await? {
        return fail(
            Exception::ResourceNotFound,
            format!("IdentityPool '{}' not found.", req.identity_pool_id),
        );
    }
    Ok(Empty {})
}

pub async fn list_identity_pools(
    state: &State,
    _: Admin,
    req: ListIdentityPoolsRequest,
) -> Result<ListIdentityPoolsResponse> {
    let after = req
        .next_token
        .as_deref()
        .map(paging::decode_created)
        .transpose()?;
    let limit = req.max_results.clamp(1, 60);
    let mut pools = store::list_pools(&state.db, after, limit + 1).await?;
    let next_token = (pools.len() as i64 > limit).then(|| {
        pools.truncate(limit as usize);
        let last = pools.last().expect("a full page");
        paging::encode_created(last.created_at, &last.id)
    });
    Ok(ListIdentityPoolsResponse {
        identity_pools: pools
            .into_iter()
            .map(|p| IdentityPoolShortDescription {
                identity_pool_id: p.id,
                identity_pool_name: p.settings.pool.identity_pool_name,
            })
            .collect(),
        next_token,
    })
}
