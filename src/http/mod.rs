//! HTTP surfaces: thin handlers that parse, call one service function and map the result.

pub mod admin;
pub mod authorize;
pub mod aws;
pub mod console;
pub mod dev;
pub mod guard;
pub mod metrics;
pub mod oauth2;
pub mod push;
pub mod ui;
pub mod upload;
pub mod wellknown;

use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::web;

/// Every route Cognate serves.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::post().to(aws::dispatch))
        .route(
            "/",
            web::method(actix_web::http::Method::OPTIONS).to(aws::cors::preflight),
        )
        .route("/identitypools", web::get().to(aws::sync::dispatch))
        .route(
            "/identitypools/{tail:.*}",
            web::route().to(aws::sync::dispatch),
        )
        .route("/_cognate/authorize", web::post().to(authorize::authorize))
        .route("/_cognate/sync/ws", web::get().to(push::sync_ws))
        .configure(upload::routes)
        .route("/health", web::get().to(dev::health))
        .route("/health/live", web::get().to(metrics::live))
        .route("/health/ready", web::get().to(metrics::ready))
        .route("/metrics", web::get().to(metrics::metrics))
        .service(admin::scope())
        .configure(console::routes)
        .route("/_dev/outbox", web::get().to(dev::outbox))
        .route("/_dev/sender-key/{pool_id}", web::get().to(dev::sender_key))
        .route(
            "/{pool_id}/.well-known/jwks.json",
            web::get().to(wellknown::jwks),
        )
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            web::get().to(wellknown::openid_configuration),
        )
        .route(
            "/.well-known/openid-configuration",
            web::get().to(wellknown::domain_openid_configuration),
        )
        .configure(oauth2::routes)
        .configure(ui::routes);
}

/// Headers every reply carries: `nosniff`, and `no-store` on whatever may carry tokens or
/// codes (every AWS reply and the dev outbox), so that no cache keeps them.
pub fn security_headers(path: &str, headers: &mut HeaderMap) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if path == "/"
        || path.starts_with("/_dev/")
        || path.starts_with("/identitypools/")
        || path.starts_with("/oauth2/")
        || path.starts_with("/login")
        || path.starts_with("/signup")
        || path.starts_with("/confirm")
        || path.starts_with("/forgotPassword")
        || path == "/logout"
        || path.starts_with("/admin/")
    {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}
