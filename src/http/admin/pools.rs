//! `/admin/api/v1/pools` and their `/clients`: thin handlers over the cognito-idp actions.

use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::auth::Authed;
use super::call::{merged, run, with};
use super::problem::{Problem, ProblemBody};
use super::shapes::{created, member, no_content, ok, page, Page, PageQuery};
use crate::service::idp::{clients, pools};
use crate::service::State;

type Reply = Result<HttpResponse, Problem>;

/// `MaxResults`/`NextToken` from `?limit=&cursor=`.
pub fn paging(q: &PageQuery, limit: &str, token: &str) -> Value {
    let mut v = serde_json::Map::new();
    v.insert(limit.into(), json!(q.limit.unwrap_or(60)));
    if let Some(cursor) = &q.cursor {
        v.insert(token.into(), json!(cursor));
    }
    Value::Object(v)
}

#[utoipa::path(get, operation_id = "pools_list", path = "/admin/api/v1/pools", tag = "pools", params(PageQuery),
    responses((status = 200, description = "A page of user pools (UserPoolDescriptionType)", body = Page),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn list(a: Authed, state: web::Data<State>, q: web::Query<PageQuery>) -> Reply {
    let input = paging(&q, "MaxResults", "NextToken");
    let reply = run(
        &state,
        &a.actor,
        "ListUserPools",
        input,
        pools::list_user_pools,
    )
    .await?;
    ok(page(reply, "UserPools", "NextToken"))
}

#[utoipa::path(post, operation_id = "pools_create", path = "/admin/api/v1/pools", tag = "pools",
    request_body(content = Object, description = "CreateUserPool's request"),
    responses((status = 201, description = "The pool (UserPoolType)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn create(a: Authed, state: web::Data<State>) -> Reply {
    let input = a.json::<Value>()?;
    let reply = run(
        &state,
        &a.actor,
        "CreateUserPool",
        input,
        pools::create_user_pool,
    )
    .await?;
    created(member(reply, "UserPool"))
}

async fn describe(state: &State, a: &Authed, pool_id: &str) -> Result<Value, Problem> {
    let input = json!({"UserPoolId": pool_id});
    let reply = run(
        state,
        &a.actor,
        "DescribeUserPool",
        input,
        pools::describe_user_pool,
    )
    .await?;
    Ok(member(reply, "UserPool"))
}

#[utoipa::path(get, operation_id = "pools_get", path = "/admin/api/v1/pools/{pool_id}", tag = "pools",
    params(("pool_id" = String, Path, description = "The user pool's id")),
    responses((status = 200, description = "The pool (UserPoolType)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn get(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    ok(describe(&state, &a, &path).await?)
}

#[utoipa::path(patch, operation_id = "pools_update", path = "/admin/api/v1/pools/{pool_id}", tag = "pools",
    params(("pool_id" = String, Path, description = "The user pool's id")),
    request_body(content = Object, description = "The UpdateUserPool members to change; the others keep their values"),
    responses((status = 200, description = "The pool after the change", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn update(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let patch = a.json::<Value>()?;
    let current = describe(&state, &a, &path).await?;
    let input = with(
        merged("UpdateUserPool", &current, &patch)?,
        &[("UserPoolId", &path)],
    )?;
    run(
        &state,
        &a.actor,
        "UpdateUserPool",
        input,
        pools::update_user_pool,
    )
    .await?;
    ok(describe(&state, &a, &path).await?)
}

#[utoipa::path(delete, operation_id = "pools_delete", path = "/admin/api/v1/pools/{pool_id}", tag = "pools",
    params(("pool_id" = String, Path, description = "The user pool's id")),
    responses((status = 204, description = "Deleted"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn delete(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let input = json!({"UserPoolId": *path});
    run(
        &state,
        &a.actor,
        "DeleteUserPool",
        input,
        pools::delete_user_pool,
    )
    .await?;
    no_content()
}

#[utoipa::path(get, operation_id = "pools_list_clients", path = "/admin/api/v1/pools/{pool_id}/clients", tag = "clients",
    params(("pool_id" = String, Path, description = "The user pool's id"), PageQuery),
    responses((status = 200, description = "A page of app clients (UserPoolClientDescription)", body = Page),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn list_clients(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<String>,
    q: web::Query<PageQuery>,
) -> Reply {
    let input = with(
        paging(&q, "MaxResults", "NextToken"),
        &[("UserPoolId", &path)],
    )?;
    let list = clients::list_user_pool_clients;
    let reply = run(&state, &a.actor, "ListUserPoolClients", input, list).await?;
    ok(page(reply, "UserPoolClients", "NextToken"))
}

#[utoipa::path(post, operation_id = "pools_create_client", path = "/admin/api/v1/pools/{pool_id}/clients", tag = "clients",
    params(("pool_id" = String, Path, description = "The user pool's id")),
    request_body(content = Object, description = "CreateUserPoolClient's request, without UserPoolId"),
    responses((status = 201, description = "The client (UserPoolClientType)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn create_client(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let input = with(a.json::<Value>()?, &[("UserPoolId", &path)])?;
    let create = clients::create_user_pool_client;
    let reply = run(&state, &a.actor, "CreateUserPoolClient", input, create).await?;
    created(member(reply, "UserPoolClient"))
}

async fn describe_client(
    state: &State,
    a: &Authed,
    pool_id: &str,
    client_id: &str,
) -> Result<Value, Problem> {
    let input = json!({"UserPoolId": pool_id, "ClientId": client_id});
    let describe = clients::describe_user_pool_client;
    let reply = run(state, &a.actor, "DescribeUserPoolClient", input, describe).await?;
    Ok(member(reply, "UserPoolClient"))
}

#[utoipa::path(get, operation_id = "pools_get_client", path = "/admin/api/v1/pools/{pool_id}/clients/{client_id}", tag = "clients",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("client_id" = String, Path, description = "The app client's id")),
    responses((status = 200, description = "The client (UserPoolClientType)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn get_client(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<(String, String)>,
) -> Reply {
    ok(describe_client(&state, &a, &path.0, &path.1).await?)
}

#[utoipa::path(patch, operation_id = "pools_update_client", path = "/admin/api/v1/pools/{pool_id}/clients/{client_id}", tag = "clients",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("client_id" = String, Path, description = "The app client's id")),
    request_body(content = Object, description = "The UpdateUserPoolClient members to change"),
    responses((status = 200, description = "The client after the change", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn update_client(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<(String, String)>,
) -> Reply {
    let (pool_id, client_id) = (&path.0, &path.1);
    let patch = a.json::<Value>()?;
    let current = describe_client(&state, &a, pool_id, client_id).await?;
    let input = with(
        merged("UpdateUserPoolClient", &current, &patch)?,
        &[("UserPoolId", pool_id), ("ClientId", client_id)],
    )?;
    let update = clients::update_user_pool_client;
    let reply = run(&state, &a.actor, "UpdateUserPoolClient", input, update).await?;
    ok(member(reply, "UserPoolClient"))
}

#[utoipa::path(delete, operation_id = "pools_delete_client", path = "/admin/api/v1/pools/{pool_id}/clients/{client_id}", tag = "clients",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("client_id" = String, Path, description = "The app client's id")),
    responses((status = 204, description = "Deleted"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn delete_client(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<(String, String)>,
) -> Reply {
    let input = json!({"UserPoolId": path.0, "ClientId": path.1});
    let delete = clients::delete_user_pool_client;
    run(&state, &a.actor, "DeleteUserPoolClient", input, delete).await?;
    no_content()
}
