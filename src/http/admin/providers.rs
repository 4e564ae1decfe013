//! `/admin/api/v1/pools/{pool_id}/identity-providers`: thin handlers over the cognito-idp
//! identity provider actions (CreateIdentityProvider, DescribeIdentityProvider, ...).

use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::auth::Authed;
use super::call::{merged, run, with};
use super::pools::paging;
use super::problem::{Problem, ProblemBody};
use super::shapes::{created, member, no_content, ok, page, Page, PageQuery};
use crate::service::idp::identity_providers as idps;
use crate::service::State;

type Reply = Result<HttpResponse, Problem>;
type ProviderPath = web::Path<(String, String)>;

#[utoipa::path(get, operation_id = "identity_providers_list", path = "/admin/api/v1/pools/{pool_id}/identity-providers", tag = "identity-providers",
    params(("pool_id" = String, Path, description = "The user pool's id"), PageQuery),
    responses((status = 200, description = "A page of providers (ProviderDescription)", body = Page),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn list(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<String>,
    q: web::Query<PageQuery>,
) -> Reply {
    let input = with(
        paging(&q, "MaxResults", "NextToken"),
        &[("UserPoolId", &path)],
    )?;
    let list = idps::list_identity_providers;
    let reply = run(&state, &a.actor, "ListIdentityProviders", input, list).await?;
    ok(page(reply, "Providers", "NextToken"))
}

#[utoipa::path(post, operation_id = "identity_providers_create", path = "/admin/api/v1/pools/{pool_id}/identity-providers", tag = "identity-providers",
    params(("pool_id" = String, Path, description = "The user pool's id")),
    request_body(content = Object, description = "CreateIdentityProvider's request (ProviderName, ProviderType, ProviderDetails, AttributeMapping, IdpIdentifiers), without UserPoolId"),
    responses((status = 201, description = "The provider (IdentityProviderType)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn create(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let input = with(a.json::<Value>()?, &[("UserPoolId", &path)])?;
    let create = idps::create_identity_provider;
    let reply = run(&state, &a.actor, "CreateIdentityProvider", input, create).await?;
    created(member(reply, "IdentityProvider"))
}

async fn describe(state: &State, a: &Authed, pool_id: &str, name: &str) -> Result<Value, Problem> {
    let input = json!({"UserPoolId": pool_id, "ProviderName": name});
    let describe = idps::describe_identity_provider;
    let reply = run(state, &a.actor, "DescribeIdentityProvider", input, describe).await?;
    Ok(member(reply, "IdentityProvider"))
}

#[utoipa::path(get, operation_id = "identity_providers_get", path = "/admin/api/v1/pools/{pool_id}/identity-providers/{provider_name}", tag = "identity-providers",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("provider_name" = String, Path, description = "The provider's name")),
    responses((status = 200, description = "The provider (IdentityProviderType)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn get(a: Authed, state: web::Data<State>, path: ProviderPath) -> Reply {
    ok(describe(&state, &a, &path.0, &path.1).await?)
}

#[utoipa::path(patch, operation_id = "identity_providers_update", path = "/admin/api/v1/pools/{pool_id}/identity-providers/{provider_name}", tag = "identity-providers",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("provider_name" = String, Path, description = "The provider's name")),
    request_body(content = Object, description = "The UpdateIdentityProvider members to change (ProviderDetails, merged over those stored; AttributeMapping; IdpIdentifiers)"),
    responses((status = 200, description = "The provider after the change", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn update(a: Authed, state: web::Data<State>, path: ProviderPath) -> Reply {
    let (pool_id, name) = (&path.0, &path.1);
    let patch = a.json::<Value>()?;
    // Only the members sent: UpdateIdentityProvider merges details and keeps what is absent.
    let input = with(
        merged("UpdateIdentityProvider", &json!({}), &patch)?,
        &[("UserPoolId", pool_id), ("ProviderName", name)],
    )?;
    let update = idps::update_identity_provider;
    let reply = run(&state, &a.actor, "UpdateIdentityProvider", input, update).await?;
    ok(member(reply, "IdentityProvider"))
}

#[utoipa::path(delete, operation_id = "identity_providers_delete", path = "/admin/api/v1/pools/{pool_id}/identity-providers/{provider_name}", tag = "identity-providers",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("provider_name" = String, Path, description = "The provider's name")),
    responses((status = 204, description = "Deleted"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn delete(a: Authed, state: web::Data<State>, path: ProviderPath) -> Reply {
    let input = json!({"UserPoolId": path.0, "ProviderName": path.1});
    let delete = idps::delete_identity_provider;
    run(&state, &a.actor, "DeleteIdentityProvider", input, delete).await?;
    no_content()
}
