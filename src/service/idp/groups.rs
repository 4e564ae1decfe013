//! Groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, and memberships.

use super::Admin;
use crate::service::directory::{pools, users};
use crate::service::kernel::paging;
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::groups::{self as group_store, GroupRow};
use crate::store::user_search;
use crate::store::StoreError;
use crate::types::epoch_seconds;
use crate::types::groups::*;
use crate::types::Empty;

fn group_type(g: GroupRow) -> GroupType {
    GroupType {
        group_name: g.name,
        user_pool_id: g.pool_id.into(),
        description: g.description,
        role_arn: g.role_arn,
        precedence: g.precedence,
        last_modified_date: epoch_seconds(g.updated_at),
        creation_date: epoch_seconds(g.created_at),
    }
}

/// Loads a group or fails with ResourceNotFoundException.
async fn load(state: &State, pool_id: &str, name: &str) -> Result<GroupRow> {
    match group_store::find(&state.db, pool_id, name).await? {
        Some(g) => Ok(g),
        None => fail(Exception::ResourceNotFound, "Group not found."),
    }
}

pub async fn create_group(state: &State, _: Admin, req: GroupRequest) -> Result<GroupReply> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let now = now_ms();
    let group = GroupRow {
        pool_id: pool.id,
        name: req.group_name,
        description: req.description,
        role_arn: req.role_arn,
        precedence: req.precedence,
        created_at: now,
        updated_at: now,
    };
    match group_store::insert(&state.db, &group).await {
        Err(StoreError::Conflict(_)) => {
            return fail(
                Exception::GroupExists,
                format!("A group with the name {} already exists.", group.name),
            )
        }
        other => other?,
    }
    Ok(GroupReply {
        group: group_type(group),
    })
}

pub async fn get_group(state: &State, _: Admin, req: GroupNameRequest) -> Result<GroupReply> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let group = load(state, &pool.id, &req.group_name).await?;
    Ok(GroupReply {
        group: group_type(group),
    })
}

/// UpdateGroup changes only the members given.
pub async fn update_group(state: &State, _: Admin, req: GroupRequest) -> Result<GroupReply> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let mut group = load(state, &pool.id, &req.group_name).await?;
    if req.description.is_some() {
        group.description = req.description;
    }
    if req.role_arn.is_some() {
        group.role_arn = req.role_arn;
    }
    if req.precedence.is_some() {
        group.precedence = req.precedence;
    }
    group.updated_at = now_ms();
    group_store::update(&state.db, &group).await?;
    Ok(GroupReply {
        group: group_type(group),
    })
}

pub async fn delete_group(state: &State, _: Admin, req: GroupNameRequest) -> Result<Empty> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    if !group_store::delete(&state.db, &pool.id, &req.group_name).await? {
        return fail(Exception::ResourceNotFound, "Group not found.");
    }
    Ok(Empty {})
}

/// A page size from `Limit` (0 to 60 by the service model; absent or 0 means 60) and the
/// opaque token.
pub fn page_args(limit: Option<i64>, token: Option<&str>) -> Result<(i64, Option<String>)> {
    let limit = match limit {
        None | Some(0) => 60,
        Some(n) => n,
    };
    let after = token.map(paging::decode).transpose()?;
    Ok((limit, after))
}

pub async fn list_groups(
    state: &State,
    _: Admin,
    req: ListGroupsRequest,
) -> Result<ListGroupsResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let (limit, after) = page_args(req.limit, req.next_token.as_deref())?;
    let rows = group_store::list(&state.db, &pool.id, after.as_deref(), limit + 1).await?;
    Ok(page_of(rows, limit))
}

pub async fn admin_add_user_to_group(
    state: &State,
    _: Admin,
    req: GroupMemberRequest,
) -> Result<Empty> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let user = users::find_or_fail(state, &pool, &req.username).await?;
    let group = load(state, &pool.id, &req.group_name).await?;
    group_store::add_member(
        &state.db,
        &pool.id,
        &group.name,
        &user.sub,
        &user.username_key,
        now_ms(),
    )
    .await?;
    Ok(Empty {})
}

pub async fn admin_remove_user_from_group(
    state: &State,
    _: Admin,
    req: GroupMemberRequest,
) -> Result<Empty> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let user = users::find_or_fail(state, &pool, &req.username).await?;
    let group = load(state, &pool.id, &req.group_name).await?;
    group_store::remove_member(&state.db, &pool.id, &group.name, &user.sub).await?;
    Ok(Empty {})
}

pub async fn admin_list_groups_for_user(
    state: &State,
    _: Admin,
    req: AdminListGroupsForUserRequest,
) -> Result<ListGroupsResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let user = users::find_or_fail(state, &pool, &req.username).await?;
    let (limit, after) = page_args(req.limit, req.next_token.as_deref())?;
    let rows =
        group_store::list_for_user(&state.db, &pool.id, &user.sub, after.as_deref(), limit + 1)
            .await?;
    Ok(page_of(rows, limit))
}

pub async fn list_users_in_group(
    state: &State,
    _: Admin,
    req: ListUsersInGroupRequest,
) -> Result<ListUsersInGroupResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let group = load(state, &pool.id, &req.group_name).await?;
    let (limit, after) = page_args(req.limit, req.next_token.as_deref())?;
    let rows = user_search::group_members(
        &state.db,
        &pool.id,
        &group.name,
        after.as_deref(),
        limit + 1,
    )
    .await?;
    let mut rows = rows;
    let next_token = paging::next_token(&mut rows, limit, |u| paging::encode(&u.username_key));
    Ok(ListUsersInGroupResponse {
        users: rows
            .iter()
            .map(|u| super::users::user_type(u, None))
            .collect(),
        next_token,
    })
}

/// A page of groups from `limit + 1` rows: the extra row, if any, makes the next token.
fn page_of(mut rows: Vec<GroupRow>, limit: i64) -> ListGroupsResponse {
    let next_token = paging::next_token(&mut rows, limit, |g| paging::encode(&g.name));
    ListGroupsResponse {
        groups: rows.into_iter().map(group_type).collect(),
        next_token,
    }
}
