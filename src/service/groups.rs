//! Groups: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups, memberships, and the
//! group claims of tokens.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{fail, invalid_parameter, now_ms, paging, pools, users, Exception, Result, State};
use crate::store::groups::{self as group_store, GroupRow};
use crate::store::user_search;
use crate::store::StoreError;
use crate::types::epoch_seconds;
use crate::types::groups::*;
use crate::types::Empty;

fn group_type(g: GroupRow) -> GroupType {
    GroupType {
        group_name: g.name,
        user_pool_id: g.pool_id,
        description: g.description,
        role_arn: g.role_arn,
        precedence: g.precedence,
        last_modified_date: epoch_seconds(g.updated_at),
        creation_date: epoch_seconds(g.created_at),
    }
}

fn validate(req: &GroupRequest) -> Result<()> {
    let n = req.group_name.chars().count();
    if n == 0
        || n > 128
        || req
            .group_name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        return invalid_parameter(format!(
            "1 validation error detected: Value '{}' at 'groupName' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [\\p{{L}}\\p{{M}}\\p{{S}}\\p{{N}}\\p{{P}}]+",
            req.group_name
        ));
    }
    if req.precedence.is_some_and(|p| p < 0) {
        return invalid_parameter(
            "1 validation error detected: Value at 'precedence' failed to satisfy constraint: \
             Member must have value greater than or equal to 0",
        );
    }
    if req
        .description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 2048)
    {
        return invalid_parameter(
            "1 validation error detected: Value at 'description' failed to satisfy constraint: \
             Member must have length less than or equal to 2048",
        );
    }
    if req
        .role_arn
        .as_ref()
        .is_some_and(|a| !a.starts_with("arn:"))
    {
        return invalid_parameter(
            "1 validation error detected: Value at 'roleArn' failed to \
             satisfy constraint: Member must satisfy regular expression pattern: arn:...",
        );
    }
    Ok(())
}

/// Loads a group or fails with ResourceNotFoundException.
async fn load(state: &State, pool_id: &str, name: &str) -> Result<GroupRow> {
    match group_store::find(&state.db, pool_id, name).await? {
        Some(g) => Ok(g),
        None => fail(Exception::ResourceNotFound, "Group not found."),
    }
}

pub async fn create_group(state: &State, req: GroupRequest) -> Result<GroupReply> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    validate(&req)?;
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

pub async fn get_group(state: &State, req: GroupNameRequest) -> Result<GroupReply> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let group = load(state, &pool.id, &req.group_name).await?;
    Ok(GroupReply {
        group: group_type(group),
    })
}

/// UpdateGroup changes only the members given.
pub async fn update_group(state: &State, req: GroupRequest) -> Result<GroupReply> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    validate(&req)?;
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

pub async fn delete_group(state: &State, req: GroupNameRequest) -> Result<Empty> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    if !group_store::delete(&state.db, &pool.id, &req.group_name).await? {
        return fail(Exception::ResourceNotFound, "Group not found.");
    }
    Ok(Empty {})
}

/// A page size from `Limit` (0..=60; absent or 0 means 60) and the opaque token.
pub fn page_args(limit: Option<i64>, token: Option<&str>) -> Result<(i64, Option<String>)> {
    let limit = match limit {
        None | Some(0) => 60,
        Some(n @ 1..=60) => n,
        Some(n) => {
            return invalid_parameter(format!(
                "1 validation error detected: Value '{n}' at 'limit' failed to satisfy \
                 constraint: Member must have value between 0 and 60"
            ))
        }
    };
    let after = token.map(paging::decode).transpose()?;
    Ok((limit, after))
}

pub async fn list_groups(state: &State, req: ListGroupsRequest) -> Result<ListGroupsResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let (limit, after) = page_args(req.limit, req.next_token.as_deref())?;
    let rows = group_store::list(&state.db, &pool.id, after.as_deref(), limit + 1).await?;
    let mut rows = rows;
    let next_token = paging::next_token(&mut rows, limit, |g| paging::encode(&g.name));
    Ok(ListGroupsResponse {
        groups: rows.into_iter().map(group_type).collect(),
        next_token,
    })
}

pub async fn admin_add_user_to_group(state: &State, req: GroupMemberRequest) -> Result<Empty> {
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

pub async fn admin_remove_user_from_group(state: &State, req: GroupMemberRequest) -> Result<Empty> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let user = users::find_or_fail(state, &pool, &req.username).await?;
    let group = load(state, &pool.id, &req.group_name).await?;
    group_store::remove_member(&state.db, &pool.id, &group.name, &user.sub).await?;
    Ok(Empty {})
}

pub async fn admin_list_groups_for_user(
    state: &State,
    req: AdminListGroupsForUserRequest,
) -> Result<ListGroupsResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let user = users::find_or_fail(state, &pool, &req.username).await?;
    let (limit, after) = page_args(req.limit, req.next_token.as_deref())?;
    let rows =
        group_store::list_for_user(&state.db, &pool.id, &user.sub, after.as_deref(), limit + 1)
            .await?;
    let mut rows = rows;
    let next_token = paging::next_token(&mut rows, limit, |g| paging::encode(&g.name));
    Ok(ListGroupsResponse {
        groups: rows.into_iter().map(group_type).collect(),
        next_token,
    })
}

pub async fn list_users_in_group(
    state: &State,
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
        users: rows.iter().map(|u| users::user_type(u, None)).collect(),
        next_token,
    })
}

/// The group claims of a user's tokens.
pub struct GroupClaims {
    groups: Vec<GroupRow>,
}

/// Reads the user's groups for their tokens.
pub async fn token_claims(state: &State, pool_id: &str, sub: &str) -> Result<GroupClaims> {
    let groups = group_store::list_for_user(&state.db, pool_id, sub, None, 10_000).await?;
    Ok(GroupClaims { groups })
}

impl GroupClaims {
    /// `cognito:groups`, absent when the user is in no group, as in Cognito.
    pub fn groups(&self) -> Option<Vec<String>> {
        (!self.groups.is_empty()).then(|| self.groups.iter().map(|g| g.name.clone()).collect())
    }

    /// The role the lowest precedence picks; none when equally ranked groups disagree.
    fn preferred_role(&self) -> Option<String> {
        let with_roles = self.groups.iter().filter(|g| g.role_arn.is_some());
        let best = with_roles
            .clone()
            .map(|g| g.precedence.unwrap_or(i64::MAX))
            .min()?;
        let mut roles = with_roles
            .filter(|g| g.precedence.unwrap_or(i64::MAX) == best)
            .filter_map(|g| g.role_arn.clone());
        let first = roles.next()?;
        roles.all(|r| r == first).then_some(first)
    }

    /// Adds `cognito:groups`, `cognito:roles` and `cognito:preferred_role` to ID token claims.
    pub fn add_to(&self, claims: &mut BTreeMap<String, Value>) {
        let Some(names) = self.groups() else { return };
        claims.insert("cognito:groups".into(), names.into());
        let mut roles: Vec<String> = self
            .groups
            .iter()
            .filter_map(|g| g.role_arn.clone())
            .collect();
        roles.sort();
        roles.dedup();
        if !roles.is_empty() {
            claims.insert("cognito:roles".into(), roles.into());
        }
        if let Some(role) = self.preferred_role() {
            claims.insert("cognito:preferred_role".into(), role.into());
        }
    }
}
