//! Resource servers and their custom scopes: Create/Describe/Update/Delete/ListResourceServers.
//! A scope `{Identifier}/{ScopeName}` may then be allowed to clients and granted in tokens.

use super::Admin;
use crate::service::directory::pools;
use crate::service::{fail, invalid_parameter, now_ms, Error, Exception, Result, State};
use crate::store::oauth::{self as oauth_store, ResourceServerRow};
use crate::types::oauth::*;
use crate::types::Empty;

fn scopes_text(scopes: &[ResourceServerScopeType]) -> Result<String> {
    let mut names: Vec<&str> = scopes.iter().map(|s| s.scope_name.as_str()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return invalid_parameter("Scope names must be unique within a resource server.");
    }
    serde_json::to_string(scopes).map_err(|e| Error::Internal(e.into()))
}

fn describe(r: ResourceServerRow) -> ResourceServerType {
    ResourceServerType {
        scopes: serde_json::from_str(&r.scopes).unwrap_or_default(),
        user_pool_id: r.pool_id,
        identifier: r.identifier,
        name: r.name,
    }
}

async fn load(state: &State, pool_id: &str, identifier: &str) -> Result<ResourceServerRow> {
    pools::load(state, pool_id).await?;
    match oauth_store::find_resource_server(&state.db, pool_id, identifier).await? {
        Some(r) => Ok(r),
        None => fail(
            Exception::ResourceNotFound,
            format!("Resource server {identifier} does not exist in user pool {pool_id}."),
        ),
    }
}

pub async fn create_resource_server(
    state: &State,
    _: Admin,
    req: ResourceServerRequest,
) -> Result<ResourceServerReply> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let row = ResourceServerRow {
        pool_id: pool.id,
        identifier: req.identifier,
        name: req.name,
        scopes: scopes_text(req.scopes.as_deref().unwrap_or_default())?,
        created_at: now_ms(),
    };
    if !oauth_store::insert_resource_server(&state.db, &row).await? {
        return invalid_parameter(format!(
            "A resource server with identifier {} already exists in this user pool.",
            row.identifier
        ));
    }
    Ok(ResourceServerReply {
        resource_server: describe(row),
    })
}

pub async fn describe_resource_server(
    state: &State,
    _: Admin,
    req: ResourceServerIdRequest,
) -> Result<ResourceServerReply> {
    let row = load(state, &req.user_pool_id, &req.identifier).await?;
    Ok(ResourceServerReply {
        resource_server: describe(row),
    })
}

/// UpdateResourceServer replaces the name and the scopes; scopes left out are removed.
pub async fn update_resource_server(
    state: &State,
    _: Admin,
    req: ResourceServerRequest,
) -> Result<ResourceServerReply> {
    let mut row = load(state, &req.user_pool_id, &req.identifier).await?;
    row.name = req.name;
    row.scopes = scopes_text(req.scopes.as_deref().unwrap_or_default())?;
    oauth_store::update_resource_server(&state.db, &row).await?;
    Ok(ResourceServerReply {
        resource_server: describe(row),
    })
}

pub async fn delete_resource_server(
    state: &State,
    _: Admin,
    req: ResourceServerIdRequest,
) -> Result<Empty> {
    let row = load(state, &req.user_pool_id, &req.identifier).await?;
    oauth_store::delete_resource_server(&state.db, &row.pool_id, &row.identifier).await?;
    Ok(Empty {})
}

pub async fn list_resource_servers(
    state: &State,
    _: Admin,
    req: ListResourceServersRequest,
) -> Result<ListResourceServersResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let limit = req.max_results.unwrap_or(50);
    let after = req.next_token.as_deref();
    let mut page =
        oauth_store::list_resource_servers(&state.db, &pool.id, after, limit + 1).await?;
    let next_token = if page.len() as i64 > limit {
        page.truncate(limit as usize);
        page.last().map(|r| r.identifier.clone())
    } else {
        None
    };
    Ok(ListResourceServersResponse {
        resource_servers: page.into_iter().map(describe).collect(),
        next_token,
    })
}
