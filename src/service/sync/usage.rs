//! DescribeIdentityPoolUsage and ListIdentityPoolUsage: what each pool's identities store.

use super::Admin;
use crate::service::identity::load_pool;
use crate::service::kernel::paging;
use crate::service::{Result, State};
use crate::store::identity::list_pools;
use crate::store::sync_config::{pool_usage, session_count};
use crate::types::epoch_seconds;
use crate::types::sync::*;

const DEFAULT_POOLS: i64 = 16;
const MAX_POOLS: i64 = 60;

async fn usage_of(state: &State, pool_id: &str) -> Result<IdentityPoolUsage> {
    let usage = pool_usage(&state.db, pool_id).await?;
    Ok(IdentityPoolUsage {
        identity_pool_id: pool_id.to_string(),
        sync_sessions_count: session_count(&state.db, pool_id).await?,
        data_storage: usage.data_storage,
        last_modified_date: usage.last_modified_at.map(epoch_seconds),
    })
}

pub async fn describe_identity_pool_usage(
    state: &State,
    _: Admin,
    req: PoolPath,
) -> Result<DescribeIdentityPoolUsageResponse> {
    load_pool(state, &req.identity_pool_id).await?;
    Ok(DescribeIdentityPoolUsageResponse {
        identity_pool_usage: usage_of(state, &req.identity_pool_id).await?,
    })
}

pub async fn list_identity_pool_usage(
    state: &State,
    _: Admin,
    req: ListIdentityPoolUsageRequest,
) -> Result<ListIdentityPoolUsageResponse> {
    let limit = req.max_results.unwrap_or(DEFAULT_POOLS).clamp(1, MAX_POOLS);
    let after = req
        .next_token
        .as_deref()
        .map(paging::decode_created)
        .transpose()?;
    let mut pools = list_pools(&state.db, after, limit + 1).await?;
    let next_token = paging::next_token(&mut pools, limit, |p| {
        paging::encode_created(p.created_at, &p.id)
    });
    let mut usages = Vec::with_capacity(pools.len());
    for pool in &pools {
        usages.push(usage_of(state, &pool.id).await?);
    }
    Ok(ListIdentityPoolUsageResponse {
        count: usages.len() as i64,
        identity_pool_usages: usages,
        max_results: limit,
        next_token,
    })
}
