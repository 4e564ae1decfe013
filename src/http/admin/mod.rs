//! The REST admin API under `/admin/api/v1`: thin handlers that build the AWS-shaped request
//! and call the same cognito-idp action the AWS API calls; errors as problem+json; the
//! OpenAPI document generated from the handlers' annotations.

pub mod audit;
pub mod auth;
pub mod bulk;
pub mod call;
pub mod groups;
pub mod identity;
pub mod import_jobs;
pub mod oauth;
pub mod openapi;
pub mod pools;
pub mod problem;
pub mod providers;
pub mod shapes;
pub mod users;

use actix_web::web;

/// The API's base path.
pub const BASE: &str = "/admin/api/v1";

/// The largest body a bulk import may send.
const MAX_BODY_BYTES: usize = 32 << 20;

macro_rules! routes {
    ($( $method:ident $path:literal => $handler:path ),* $(,)?) => {
        /// Every route, as (method, path below [`BASE`]): the OpenAPI test checks each.
        pub const ROUTES: &[(&str, &str)] = &[ $( (stringify!($method), $path) ),* ];

        fn add(scope: actix_web::Scope) -> actix_web::Scope {
            scope $( .route($path, web::$method().to($handler)) )*
        }
    };
}

// Fixed segments before the `{...}` they would otherwise match.
routes! {
    get "/openapi.json" => openapi::document,
    get "/audit" => audit::list,
    get "/pools" => pools::list,
    post "/pools" => pools::create,
    get "/pools/{pool_id}" => pools::get,
    patch "/pools/{pool_id}" => pools::update,
    delete "/pools/{pool_id}" => pools::delete,
    get "/pools/{pool_id}/clients" => pools::list_clients,
    post "/pools/{pool_id}/clients" => pools::create_client,
    get "/pools/{pool_id}/clients/{client_id}" => pools::get_client,
    patch "/pools/{pool_id}/clients/{client_id}" => pools::update_client,
    delete "/pools/{pool_id}/clients/{client_id}" => pools::delete_client,
    get "/pools/{pool_id}/user-export" => bulk::export,
    post "/pools/{pool_id}/user-import" => bulk::import,
    get "/pools/{pool_id}/resource-servers" => oauth::list_resource_servers,
    post "/pools/{pool_id}/resource-servers" => oauth::create_resource_server,
    get "/pools/{pool_id}/resource-servers/{identifier:.+}" => oauth::get_resource_server,
    patch "/pools/{pool_id}/resource-servers/{identifier:.+}" => oauth::update_resource_server,
    delete "/pools/{pool_id}/resource-servers/{identifier:.+}" => oauth::delete_resource_server,
    get "/pools/{pool_id}/identity-providers" => providers::list,
    post "/pools/{pool_id}/identity-providers" => providers::create,
    get "/pools/{pool_id}/identity-providers/{provider_name}" => providers::get,
    patch "/pools/{pool_id}/identity-providers/{provider_name}" => providers::update,
    delete "/pools/{pool_id}/identity-providers/{provider_name}" => providers::delete,
    get "/pools/{pool_id}/domain" => oauth::get_domain,
    post "/pools/{pool_id}/domain" => oauth::create_domain,
    patch "/pools/{pool_id}/domain" => oauth::update_domain,
    delete "/pools/{pool_id}/domain" => oauth::delete_domain,
    get "/identity-pools" => identity::list,
    post "/identity-pools" => identity::create,
    get "/identity-pools/{identity_pool_id}" => identity::get,
    patch "/identity-pools/{identity_pool_id}" => identity::update,
    delete "/identity-pools/{identity_pool_id}" => identity::delete,
    get "/identity-pools/{identity_pool_id}/roles" => identity::get_roles,
    put "/identity-pools/{identity_pool_id}/roles" => identity::set_roles,
    get "/identity-pools/{identity_pool_id}/identities" => identity::list_identities,
    get "/identity-pools/{identity_pool_id}/identities/{identity_id}" => identity::get_identity,
    delete "/identity-pools/{identity_pool_id}/identities/{identity_id}" => identity::delete_identity,
    get "/pools/{pool_id}/import-jobs" => import_jobs::list,
    get "/pools/{pool_id}/import-jobs/{job_id}" => import_jobs::get,
    get "/pools/{pool_id}/import-jobs/{job_id}/log" => import_jobs::log,
    get "/pools/{pool_id}/users" => users::list,
    post "/pools/{pool_id}/users" => users::create,
    get "/pools/{pool_id}/users/{username}" => users::get,
    patch "/pools/{pool_id}/users/{username}" => users::update,
    delete "/pools/{pool_id}/users/{username}" => users::delete,
    get "/pools/{pool_id}/users/{username}/groups" => users::groups,
    post "/pools/{pool_id}/users/{username}/disable" => users::disable,
    post "/pools/{pool_id}/users/{username}/enable" => users::enable,
    post "/pools/{pool_id}/users/{username}/reset-password" => users::reset_password,
    post "/pools/{pool_id}/users/{username}/set-password" => users::set_password,
    post "/pools/{pool_id}/users/{username}/global-sign-out" => users::global_sign_out,
    post "/pools/{pool_id}/users/{username}/confirm" => users::confirm,
    get "/pools/{pool_id}/groups" => groups::list,
    post "/pools/{pool_id}/groups" => groups::create,
    get "/pools/{pool_id}/groups/{group_name}" => groups::get,
    patch "/pools/{pool_id}/groups/{group_name}" => groups::update,
    delete "/pools/{pool_id}/groups/{group_name}" => groups::delete,
    get "/pools/{pool_id}/groups/{group_name}/members" => groups::members,
    put "/pools/{pool_id}/groups/{group_name}/members/{username}" => groups::add_member,
    delete "/pools/{pool_id}/groups/{group_name}/members/{username}" => groups::remove_member,
}

/// The API's scope, with its own body limit and query errors as problems.
pub fn scope() -> actix_web::Scope {
    let query = web::QueryConfig::default().error_handler(|e, _| {
        problem::Problem::new("InvalidParameterException", e.to_string()).into()
    });
    let path = web::PathConfig::default().error_handler(|e, _| {
        problem::Problem::new("InvalidParameterException", e.to_string()).into()
    });
    add(web::scope(BASE)
        .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
        .app_data(query)
        .app_data(path))
}
