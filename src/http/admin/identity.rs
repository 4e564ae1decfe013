//! `/admin/api/v1/identity-pools`, their `/roles` and `/identities`: thin handlers over the
//! cognito-identity actions, checked against that service's model.

use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::auth::Authed;
use super::call::{merged_in, run_identity as run, with};
use super::pools::paging;
use super::problem::{Problem, ProblemBody};
use super::shapes::{created, no_content, ok, page, Page, PageQuery};
use crate::http::aws::model::Service;
use crate::service::identity::{identities, pools, roles, Admin};
use crate::service::State;

type Reply = Result<HttpResponse, Problem>;

#[utoipa::path(get, operation_id = "identity_pools_list", path = "/admin/api/v1/identity-pools", tag = "identity-pools", params(PageQuery),
    responses((status = 200, description = "A page of identity pools (IdentityPoolShortDescription)", body = Page),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn list(a: Authed, state: web::Data<State>, q: web::Query<PageQuery>) -> Reply {
    let input = paging(&q, "MaxResults", "NextToken");
    let list = pools::list_identity_pools;
    let reply = run(&state, &a.actor, "ListIdentityPools", input, list).await?;
    ok(page(reply, "IdentityPools", "NextToken"))
}

#[utoipa::path(post, operation_id = "identity_pools_create", path = "/admin/api/v1/identity-pools", tag = "identity-pools",
    request_body(content = Object, description = "CreateIdentityPool's request"),
    responses((status = 201, description = "The identity pool (IdentityPool)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn create(a: Authed, state: web::Data<State>) -> Reply {
    let input = a.json::<Value>()?;
    let create = pools::create_identity_pool;
    created(run(&state, &a.actor, "CreateIdentityPool", input, create).await?)
}

async fn describe(state: &State, a: &Authed, id: &str) -> Result<Value, Problem> {
    let input = json!({"IdentityPoolId": id});
    let describe = pools::describe_identity_pool;
    run(state, &a.actor, "DescribeIdentityPool", input, describe).await
}

#[utoipa::path(get, operation_id = "identity_pools_get", path = "/admin/api/v1/identity-pools/{identity_pool_id}", tag = "identity-pools",
    params(("identity_pool_id" = String, Path, description = "The identity pool's id (region:uuid)")),
    responses((status = 200, description = "The identity pool (IdentityPool)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn get(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    ok(describe(&state, &a, &path).await?)
}

#[utoipa::path(patch, operation_id = "identity_pools_update", path = "/admin/api/v1/identity-pools/{identity_pool_id}", tag = "identity-pools",
    params(("identity_pool_id" = String, Path, description = "The identity pool's id")),
    request_body(content = Object, description = "The UpdateIdentityPool members to change; the others keep their values"),
    responses((status = 200, description = "The identity pool after the change", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn update(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let patch = a.json::<Value>()?;
    let current = describe(&state, &a, &path).await?;
    let input = with(
        merged_in(Service::Identity, "UpdateIdentityPool", &current, &patch)?,
        &[("IdentityPoolId", &path)],
    )?;
    let update = pools::update_identity_pool;
    ok(run(&state, &a.actor, "UpdateIdentityPool", input, update).await?)
}

#[utoipa::path(delete, operation_id = "identity_pools_delete", path = "/admin/api/v1/identity-pools/{identity_pool_id}", tag = "identity-pools",
    params(("identity_pool_id" = String, Path, description = "The identity pool's id")),
    responses((status = 204, description = "Deleted"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn delete(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let input = json!({"IdentityPoolId": *path});
    let delete = pools::delete_identity_pool;
    run(&state, &a.actor, "DeleteIdentityPool", input, delete).await?;
    no_content()
}

async fn get_roles_of(state: &State, a: &Authed, id: &str) -> Result<Value, Problem> {
    let input = json!({"IdentityPoolId": id});
    let get = roles::get_identity_pool_roles;
    run(state, &a.actor, "GetIdentityPoolRoles", input, get).await
}

#[utoipa::path(get, operation_id = "identity_pools_get_roles", path = "/admin/api/v1/identity-pools/{identity_pool_id}/roles", tag = "identity-pools",
    params(("identity_pool_id" = String, Path, description = "The identity pool's id")),
    responses((status = 200, description = "GetIdentityPoolRoles' reply (Roles, RoleMappings)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn get_roles(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    ok(get_roles_of(&state, &a, &path).await?)
}

#[utoipa::path(put, operation_id = "identity_pools_set_roles", path = "/admin/api/v1/identity-pools/{identity_pool_id}/roles", tag = "identity-pools",
    params(("identity_pool_id" = String, Path, description = "The identity pool's id")),
    request_body(content = Object, description = "SetIdentityPoolRoles' request (Roles, RoleMappings), without IdentityPoolId"),
    responses((status = 200, description = "The roles after the change", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn set_roles(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let input = with(a.json::<Value>()?, &[("IdentityPoolId", &path)])?;
    let set = roles::set_identity_pool_roles;
    run(&state, &a.actor, "SetIdentityPoolRoles", input, set).await?;
    ok(get_roles_of(&state, &a, &path).await?)
}

#[utoipa::path(get, operation_id = "identities_list", path = "/admin/api/v1/identity-pools/{identity_pool_id}/identities", tag = "identities",
    params(("identity_pool_id" = String, Path, description = "The identity pool's id"), PageQuery),
    responses((status = 200, description = "A page of identities (IdentityDescription)", body = Page),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn list_identities(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<String>,
    q: web::Query<PageQuery>,
) -> Reply {
    let input = with(
        paging(&q, "MaxResults", "NextToken"),
        &[("IdentityPoolId", &path)],
    )?;
    let list = identities::list_identities;
    let reply = run(&state, &a.actor, "ListIdentities", input, list).await?;
    ok(page(reply, "Identities", "NextToken"))
}

/// The identity, which must be one of the pool named.
async fn identity_of(state: &State, a: &Authed, pool: &str, id: &str) -> Result<Value, Problem> {
    let input = json!({"IdentityId": id});
    let describe = identities::describe_identity;
    let identity = run(state, &a.actor, "DescribeIdentity", input, describe).await?;
    if identities::identity_pool_of(state, Admin::verified(), id).await? != pool {
        return Err(Problem::new(
            "ResourceNotFoundException",
            format!("Identity '{id}' not found in identity pool '{pool}'."),
        ));
    }
    Ok(identity)
}

#[utoipa::path(get, operation_id = "identities_get", path = "/admin/api/v1/identity-pools/{identity_pool_id}/identities/{identity_id}", tag = "identities",
    params(("identity_pool_id" = String, Path, description = "The identity pool's id"),
        ("identity_id" = String, Path, description = "The identity's id (region:uuid)")),
    responses((status = 200, description = "The identity (IdentityDescription)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn get_identity(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<(String, String)>,
) -> Reply {
    ok(identity_of(&state, &a, &path.0, &path.1).await?)
}

#[utoipa::path(delete, operation_id = "identities_delete", path = "/admin/api/v1/identity-pools/{identity_pool_id}/identities/{identity_id}", tag = "identities",
    params(("identity_pool_id" = String, Path, description = "The identity pool's id"),
        ("identity_id" = String, Path, description = "The identity's id")),
    responses((status = 204, description = "Deleted"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn delete_identity(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<(String, String)>,
) -> Reply {
    identity_of(&state, &a, &path.0, &path.1).await?;
    let input = json!({"IdentityIdsToDelete": [path.1]});
    let delete = identities::delete_identities;
    run(&state, &a.actor, "DeleteIdentities", input, delete).await?;
    no_content()
}
