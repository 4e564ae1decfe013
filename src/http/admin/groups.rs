//! `/admin/api/v1/pools/{pool_id}/groups` and their `/members`.

use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::auth::Authed;
use super::call::{run, with};
use super::problem::{Problem, ProblemBody};
use super::shapes::{created, member, no_content, ok, page, Page, PageQuery};
use crate::service::idp::groups;
use crate::service::State;

type Reply = Result<HttpResponse, Problem>;
type GroupPath = web::Path<(String, String)>;
type MemberPath = web::Path<(String, String, String)>;

fn paged(mut input: Value, q: &PageQuery) -> Value {
    input["Limit"] = json!(q.limit.unwrap_or(60));
    if let Some(cursor) = &q.cursor {
        input["NextToken"] = json!(cursor);
    }
    input
}

#[utoipa::path(get, operation_id = "groups_list", path = "/admin/api/v1/pools/{pool_id}/groups", tag = "groups",
    params(("pool_id" = String, Path, description = "The user pool's id"), PageQuery),
    responses((status = 200, description = "A page of groups (GroupType)", body = Page),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn list(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<String>,
    q: web::Query<PageQuery>,
) -> Reply {
    let input = paged(json!({"UserPoolId": *path}), &q);
    let reply = run(&state, &a.actor, "ListGroups", input, groups::list_groups).await?;
    ok(page(reply, "Groups", "NextToken"))
}

#[utoipa::path(post, operation_id = "groups_create", path = "/admin/api/v1/pools/{pool_id}/groups", tag = "groups",
    params(("pool_id" = String, Path, description = "The user pool's id")),
    request_body(content = Object, description = "CreateGroup's request, without UserPoolId"),
    responses((status = 201, description = "The group (GroupType)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn create(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let input = with(a.json::<Value>()?, &[("UserPoolId", &path)])?;
    let reply = run(&state, &a.actor, "CreateGroup", input, groups::create_group).await?;
    created(member(reply, "Group"))
}

#[utoipa::path(get, operation_id = "groups_get", path = "/admin/api/v1/pools/{pool_id}/groups/{group_name}", tag = "groups",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("group_name" = String, Path, description = "The group's name")),
    responses((status = 200, description = "The group (GroupType)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn get(a: Authed, state: web::Data<State>, path: GroupPath) -> Reply {
    let input = json!({"UserPoolId": path.0, "GroupName": path.1});
    let reply = run(&state, &a.actor, "GetGroup", input, groups::get_group).await?;
    ok(member(reply, "Group"))
}

#[utoipa::path(patch, operation_id = "groups_update", path = "/admin/api/v1/pools/{pool_id}/groups/{group_name}", tag = "groups",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("group_name" = String, Path, description = "The group's name")),
    request_body(content = Object, description = "UpdateGroup's members to change (Description, RoleArn, Precedence)"),
    responses((status = 200, description = "The group after the change", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn update(a: Authed, state: web::Data<State>, path: GroupPath) -> Reply {
    let ids = [
        ("UserPoolId", path.0.as_str()),
        ("GroupName", path.1.as_str()),
    ];
    let input = with(a.json::<Value>()?, &ids)?;
    let reply = run(&state, &a.actor, "UpdateGroup", input, groups::update_group).await?;
    ok(member(reply, "Group"))
}

#[utoipa::path(delete, operation_id = "groups_delete", path = "/admin/api/v1/pools/{pool_id}/groups/{group_name}", tag = "groups",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("group_name" = String, Path, description = "The group's name")),
    responses((status = 204, description = "Deleted"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn delete(a: Authed, state: web::Data<State>, path: GroupPath) -> Reply {
    let input = json!({"UserPoolId": path.0, "GroupName": path.1});
    run(&state, &a.actor, "DeleteGroup", input, groups::delete_group).await?;
    no_content()
}

#[utoipa::path(get, operation_id = "groups_members", path = "/admin/api/v1/pools/{pool_id}/groups/{group_name}/members", tag = "groups",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("group_name" = String, Path, description = "The group's name"), PageQuery),
    responses((status = 200, description = "A page of the group's users (UserType)", body = Page),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn members(
    a: Authed,
    state: web::Data<State>,
    path: GroupPath,
    q: web::Query<PageQuery>,
) -> Reply {
    let input = paged(json!({"UserPoolId": path.0, "GroupName": path.1}), &q);
    let list = groups::list_users_in_group;
    let reply = run(&state, &a.actor, "ListUsersInGroup", input, list).await?;
    ok(page(reply, "Users", "NextToken"))
}

#[utoipa::path(put, operation_id = "groups_add_member", path = "/admin/api/v1/pools/{pool_id}/groups/{group_name}/members/{username}",
    tag = "groups",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("group_name" = String, Path, description = "The group's name"),
        ("username" = String, Path, description = "The username")),
    responses((status = 204, description = "The user is a member"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn add_member(a: Authed, state: web::Data<State>, path: MemberPath) -> Reply {
    let input = json!({"UserPoolId": path.0, "GroupName": path.1, "Username": path.2});
    let add = groups::admin_add_user_to_group;
    run(&state, &a.actor, "AdminAddUserToGroup", input, add).await?;
    no_content()
}

#[utoipa::path(delete, operation_id = "groups_remove_member", path = "/admin/api/v1/pools/{pool_id}/groups/{group_name}/members/{username}",
    tag = "groups",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("group_name" = String, Path, description = "The group's name"),
        ("username" = String, Path, description = "The username")),
    responses((status = 204, description = "The user is no longer a member"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn remove_member(a: Authed, state: web::Data<State>, path: MemberPath) -> Reply {
    let input = json!({"UserPoolId": path.0, "GroupName": path.1, "Username": path.2});
    let remove = groups::admin_remove_user_from_group;
    run(&state, &a.actor, "AdminRemoveUserFromGroup", input, remove).await?;
    no_content()
}
