//! `/admin/api/v1/pools/{pool_id}/users`: list (with ListUsers' filter language), create,
//! read, partial update of attributes, delete, the user's groups, and the actions as
//! sub-resources. Each calls the cognito-idp action the AWS API calls.

use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::auth::Authed;
use super::call::{run, with};
use super::problem::{Problem, ProblemBody};
use super::shapes::{
    created, member, no_content, ok, page, Page, PageQuery, SetPassword, UserPatch, UserQuery,
};
use crate::service::idp::{admin_users, groups, list_users, signup, users};
use crate::service::State;

type Reply = Result<HttpResponse, Problem>;
type UserPath = web::Path<(String, String)>;

#[utoipa::path(get, operation_id = "users_list", path = "/admin/api/v1/pools/{pool_id}/users", tag = "users",
    params(("pool_id" = String, Path, description = "The user pool's id"), UserQuery),
    responses((status = 200, description = "A page of users (UserType)", body = Page),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn list(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<String>,
    q: web::Query<UserQuery>,
) -> Reply {
    let mut input = json!({"UserPoolId": *path, "Limit": q.limit.unwrap_or(60)});
    if let Some(filter) = &q.filter {
        input["Filter"] = json!(filter);
    }
    if let Some(cursor) = &q.cursor {
        input["PaginationToken"] = json!(cursor);
    }
    let reply = run(&state, &a.actor, "ListUsers", input, list_users::list_users).await?;
    ok(page(reply, "Users", "PaginationToken"))
}

#[utoipa::path(post, operation_id = "users_create", path = "/admin/api/v1/pools/{pool_id}/users", tag = "users",
    params(("pool_id" = String, Path, description = "The user pool's id")),
    request_body(content = Object, description = "AdminCreateUser's request, without UserPoolId"),
    responses((status = 201, description = "The user (UserType)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn create(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let input = with(a.json::<Value>()?, &[("UserPoolId", &path)])?;
    let create = admin_users::admin_create_user;
    let reply = run(&state, &a.actor, "AdminCreateUser", input, create).await?;
    created(member(reply, "User"))
}

async fn get_user(state: &State, a: &Authed, pool_id: &str, username: &str) -> Reply {
    let input = json!({"UserPoolId": pool_id, "Username": username});
    ok(run(
        state,
        &a.actor,
        "AdminGetUser",
        input,
        users::admin_get_user,
    )
    .await?)
}

#[utoipa::path(get, operation_id = "users_get", path = "/admin/api/v1/pools/{pool_id}/users/{username}", tag = "users",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("username" = String, Path, description = "The username (or an alias)")),
    responses((status = 200, description = "AdminGetUser's reply", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn get(a: Authed, state: web::Data<State>, path: UserPath) -> Reply {
    get_user(&state, &a, &path.0, &path.1).await
}

#[utoipa::path(patch, operation_id = "users_update", path = "/admin/api/v1/pools/{pool_id}/users/{username}", tag = "users",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("username" = String, Path, description = "The username")),
    request_body(content = UserPatch, description = "Attributes to set (a value) or delete (null)"),
    responses((status = 200, description = "The user after the change (AdminGetUser's reply)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn update(a: Authed, state: web::Data<State>, path: UserPath) -> Reply {
    let patch: UserPatch = a.json()?;
    let ids = json!({"UserPoolId": path.0, "Username": path.1});
    let (set, unset): (Vec<_>, Vec<_>) =
        patch.attributes.into_iter().partition(|(_, v)| v.is_some());
    if !set.is_empty() {
        let attrs: Vec<Value> = set
            .into_iter()
            .map(|(name, value)| json!({"Name": name, "Value": value}))
            .collect();
        let mut input = ids.clone();
        input["UserAttributes"] = json!(attrs);
        let update = admin_users::admin_update_user_attributes;
        run(&state, &a.actor, "AdminUpdateUserAttributes", input, update).await?;
    }
    if !unset.is_empty() {
        let mut input = ids.clone();
        let names: Vec<String> = unset.into_iter().map(|(name, _)| name).collect();
        input["UserAttributeNames"] = json!(names);
        let delete = admin_users::admin_delete_user_attributes;
        run(&state, &a.actor, "AdminDeleteUserAttributes", input, delete).await?;
    }
    get_user(&state, &a, &path.0, &path.1).await
}

#[utoipa::path(delete, operation_id = "users_delete", path = "/admin/api/v1/pools/{pool_id}/users/{username}", tag = "users",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("username" = String, Path, description = "The username")),
    responses((status = 204, description = "Deleted"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn delete(a: Authed, state: web::Data<State>, path: UserPath) -> Reply {
    let input = json!({"UserPoolId": path.0, "Username": path.1});
    let delete = admin_users::admin_delete_user;
    run(&state, &a.actor, "AdminDeleteUser", input, delete).await?;
    no_content()
}

#[utoipa::path(get, operation_id = "users_groups", path = "/admin/api/v1/pools/{pool_id}/users/{username}/groups", tag = "users",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("username" = String, Path, description = "The username"), PageQuery),
    responses((status = 200, description = "A page of the user's groups (GroupType)", body = Page),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn groups(
    a: Authed,
    state: web::Data<State>,
    path: UserPath,
    q: web::Query<PageQuery>,
) -> Reply {
    let mut input =
        json!({"UserPoolId": path.0, "Username": path.1, "Limit": q.limit.unwrap_or(60)});
    if let Some(cursor) = &q.cursor {
        input["NextToken"] = json!(cursor);
    }
    let list = groups::admin_list_groups_for_user;
    let reply = run(&state, &a.actor, "AdminListGroupsForUser", input, list).await?;
    ok(page(reply, "Groups", "NextToken"))
}

/// Disables the user (AdminDisableUser): they can no longer sign in.
#[utoipa::path(post, operation_id = "users_disable", path = "/admin/api/v1/pools/{pool_id}/users/{username}/disable",
    tag = "user actions",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("username" = String, Path, description = "The username")),
    responses((status = 204, description = "Done"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn disable(a: Authed, state: web::Data<State>, path: UserPath) -> Reply {
    let input = json!({"UserPoolId": path.0, "Username": path.1});
    run(
        &state,
        &a.actor,
        "AdminDisableUser",
        input,
        admin_users::admin_disable_user,
    )
    .await?;
    no_content()
}

/// Enables the user again (AdminEnableUser).
#[utoipa::path(post, operation_id = "users_enable", path = "/admin/api/v1/pools/{pool_id}/users/{username}/enable",
    tag = "user actions",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("username" = String, Path, description = "The username")),
    responses((status = 204, description = "Done"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn enable(a: Authed, state: web::Data<State>, path: UserPath) -> Reply {
    let input = json!({"UserPoolId": path.0, "Username": path.1});
    run(
        &state,
        &a.actor,
        "AdminEnableUser",
        input,
        admin_users::admin_enable_user,
    )
    .await?;
    no_content()
}

/// Resets the password (AdminResetUserPassword): the user sets a new one with a code.
#[utoipa::path(post, operation_id = "users_reset_password", path = "/admin/api/v1/pools/{pool_id}/users/{username}/reset-password",
    tag = "user actions",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("username" = String, Path, description = "The username")),
    responses((status = 204, description = "Done"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn reset_password(a: Authed, state: web::Data<State>, path: UserPath) -> Reply {
    let input = json!({"UserPoolId": path.0, "Username": path.1});
    run(
        &state,
        &a.actor,
        "AdminResetUserPassword",
        input,
        admin_users::admin_reset_user_password,
    )
    .await?;
    no_content()
}

/// Revokes every refresh token of the user (AdminUserGlobalSignOut).
#[utoipa::path(post, operation_id = "users_global_sign_out", path = "/admin/api/v1/pools/{pool_id}/users/{username}/global-sign-out",
    tag = "user actions",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("username" = String, Path, description = "The username")),
    responses((status = 204, description = "Done"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn global_sign_out(a: Authed, state: web::Data<State>, path: UserPath) -> Reply {
    let input = json!({"UserPoolId": path.0, "Username": path.1});
    run(
        &state,
        &a.actor,
        "AdminUserGlobalSignOut",
        input,
        admin_users::admin_user_global_sign_out,
    )
    .await?;
    no_content()
}

/// Confirms a signed-up user without a code (AdminConfirmSignUp).
#[utoipa::path(post, operation_id = "users_confirm", path = "/admin/api/v1/pools/{pool_id}/users/{username}/confirm",
    tag = "user actions",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("username" = String, Path, description = "The username")),
    responses((status = 204, description = "Done"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn confirm(a: Authed, state: web::Data<State>, path: UserPath) -> Reply {
    let input = json!({"UserPoolId": path.0, "Username": path.1});
    run(
        &state,
        &a.actor,
        "AdminConfirmSignUp",
        input,
        signup::admin_confirm_sign_up,
    )
    .await?;
    no_content()
}

#[utoipa::path(post, operation_id = "users_set_password", path = "/admin/api/v1/pools/{pool_id}/users/{username}/set-password",
    tag = "user actions",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("username" = String, Path, description = "The username")),
    request_body = SetPassword,
    responses((status = 204, description = "Done"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn set_password(a: Authed, state: web::Data<State>, path: UserPath) -> Reply {
    let body: SetPassword = a.json()?;
    let input = json!({
        "UserPoolId": path.0, "Username": path.1,
        "Password": body.password, "Permanent": body.permanent
    });
    let set = admin_users::admin_set_user_password;
    run(&state, &a.actor, "AdminSetUserPassword", input, set).await?;
    no_content()
}
