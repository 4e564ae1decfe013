//! `/admin/api/v1/pools/{pool_id}/resource-servers` and the pool's hosted-UI `/domain`: thin
//! handlers over the cognito-idp resource server and domain actions.

use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::auth::Authed;
use super::call::{merged, run, with};
use super::pools::paging;
use super::problem::{Problem, ProblemBody};
use super::shapes::{created, member, no_content, ok, page, Page, PageQuery};
use crate::service::idp::{oauth_domains, resource_servers, Admin};
use crate::service::State;

type Reply = Result<HttpResponse, Problem>;

#[utoipa::path(get, operation_id = "resource_servers_list", path = "/admin/api/v1/pools/{pool_id}/resource-servers", tag = "resource-servers",
    params(("pool_id" = String, Path, description = "The user pool's id"), PageQuery),
    responses((status = 200, description = "A page of resource servers (ResourceServerType)", body = Page),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn list_resource_servers(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<String>,
    q: web::Query<PageQuery>,
) -> Reply {
    let mut paged = paging(&q, "MaxResults", "NextToken");
    if q.limit.is_none() {
        paged["MaxResults"] = json!(50);
    }
    let input = with(paged, &[("UserPoolId", &path)])?;
    let list = resource_servers::list_resource_servers;
    let reply = run(&state, &a.actor, "ListResourceServers", input, list).await?;
    ok(page(reply, "ResourceServers", "NextToken"))
}

#[utoipa::path(post, operation_id = "resource_servers_create", path = "/admin/api/v1/pools/{pool_id}/resource-servers", tag = "resource-servers",
    params(("pool_id" = String, Path, description = "The user pool's id")),
    request_body(content = Object, description = "CreateResourceServer's request (Identifier, Name, Scopes), without UserPoolId"),
    responses((status = 201, description = "The resource server (ResourceServerType)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn create_resource_server(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<String>,
) -> Reply {
    let input = with(a.json::<Value>()?, &[("UserPoolId", &path)])?;
    let create = resource_servers::create_resource_server;
    let reply = run(&state, &a.actor, "CreateResourceServer", input, create).await?;
    created(member(reply, "ResourceServer"))
}

async fn describe_resource_server(
    state: &State,
    a: &Authed,
    pool_id: &str,
    identifier: &str,
) -> Result<Value, Problem> {
    let input = json!({"UserPoolId": pool_id, "Identifier": identifier});
    let describe = resource_servers::describe_resource_server;
    let reply = run(state, &a.actor, "DescribeResourceServer", input, describe).await?;
    Ok(member(reply, "ResourceServer"))
}

#[utoipa::path(get, operation_id = "resource_servers_get", path = "/admin/api/v1/pools/{pool_id}/resource-servers/{identifier}", tag = "resource-servers",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("identifier" = String, Path, description = "The resource server's identifier (may contain `/`)")),
    responses((status = 200, description = "The resource server (ResourceServerType)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn get_resource_server(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<(String, String)>,
) -> Reply {
    ok(describe_resource_server(&state, &a, &path.0, &path.1).await?)
}

#[utoipa::path(patch, operation_id = "resource_servers_update", path = "/admin/api/v1/pools/{pool_id}/resource-servers/{identifier}", tag = "resource-servers",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("identifier" = String, Path, description = "The resource server's identifier")),
    request_body(content = Object, description = "The UpdateResourceServer members to change (Name, Scopes)"),
    responses((status = 200, description = "The resource server after the change", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn update_resource_server(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<(String, String)>,
) -> Reply {
    let (pool_id, identifier) = (&path.0, &path.1);
    let patch = a.json::<Value>()?;
    let current = describe_resource_server(&state, &a, pool_id, identifier).await?;
    let input = with(
        merged("UpdateResourceServer", &current, &patch)?,
        &[("UserPoolId", pool_id), ("Identifier", identifier)],
    )?;
    let update = resource_servers::update_resource_server;
    let reply = run(&state, &a.actor, "UpdateResourceServer", input, update).await?;
    ok(member(reply, "ResourceServer"))
}

#[utoipa::path(delete, operation_id = "resource_servers_delete", path = "/admin/api/v1/pools/{pool_id}/resource-servers/{identifier}", tag = "resource-servers",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("identifier" = String, Path, description = "The resource server's identifier")),
    responses((status = 204, description = "Deleted"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn delete_resource_server(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<(String, String)>,
) -> Reply {
    let input = json!({"UserPoolId": path.0, "Identifier": path.1});
    let delete = resource_servers::delete_resource_server;
    run(&state, &a.actor, "DeleteResourceServer", input, delete).await?;
    no_content()
}

/// The pool's domain name, or ResourceNotFoundException.
async fn domain_of(state: &State, pool_id: &str) -> Result<String, Problem> {
    match oauth_domains::pool_domain(state, Admin::verified(), pool_id).await? {
        Some(domain) => Ok(domain),
        None => Err(Problem::new(
            "ResourceNotFoundException",
            format!("User pool {pool_id} has no domain."),
        )),
    }
}

#[utoipa::path(get, operation_id = "domain_get", path = "/admin/api/v1/pools/{pool_id}/domain", tag = "domains",
    params(("pool_id" = String, Path, description = "The user pool's id")),
    responses((status = 200, description = "The pool's domain (DomainDescriptionType)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn get_domain(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let domain = domain_of(&state, &path).await?;
    let describe = oauth_domains::describe_user_pool_domain;
    let input = json!({"Domain": domain});
    let reply = run(&state, &a.actor, "DescribeUserPoolDomain", input, describe).await?;
    ok(member(reply, "DomainDescription"))
}

#[utoipa::path(post, operation_id = "domain_create", path = "/admin/api/v1/pools/{pool_id}/domain", tag = "domains",
    params(("pool_id" = String, Path, description = "The user pool's id")),
    request_body(content = Object, description = "CreateUserPoolDomain's request (Domain, ManagedLoginVersion, CustomDomainConfig), without UserPoolId"),
    responses((status = 201, description = "CreateUserPoolDomain's reply", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn create_domain(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let input = with(a.json::<Value>()?, &[("UserPoolId", &path)])?;
    let create = oauth_domains::create_user_pool_domain;
    created(run(&state, &a.actor, "CreateUserPoolDomain", input, create).await?)
}

#[utoipa::path(patch, operation_id = "domain_update", path = "/admin/api/v1/pools/{pool_id}/domain", tag = "domains",
    params(("pool_id" = String, Path, description = "The user pool's id")),
    request_body(content = Object, description = "The UpdateUserPoolDomain members to change (ManagedLoginVersion, CustomDomainConfig)"),
    responses((status = 200, description = "UpdateUserPoolDomain's reply", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn update_domain(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let patch = a.json::<Value>()?;
    let domain = domain_of(&state, &path).await?;
    let input = with(patch, &[("UserPoolId", &path), ("Domain", &domain)])?;
    let update = oauth_domains::update_user_pool_domain;
    ok(run(&state, &a.actor, "UpdateUserPoolDomain", input, update).await?)
}

#[utoipa::path(delete, operation_id = "domain_delete", path = "/admin/api/v1/pools/{pool_id}/domain", tag = "domains",
    params(("pool_id" = String, Path, description = "The user pool's id")),
    responses((status = 204, description = "Deleted"),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn delete_domain(a: Authed, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let domain = domain_of(&state, &path).await?;
    let input = json!({"UserPoolId": *path, "Domain": domain});
    let delete = oauth_domains::delete_user_pool_domain;
    run(&state, &a.actor, "DeleteUserPoolDomain", input, delete).await?;
    no_content()
}
