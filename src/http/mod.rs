//! HTTP surfaces: thin handlers that parse, call one service function and map the result.

pub mod aws;
pub mod dev;
pub mod wellknown;

use actix_web::web;

/// Every route Cognate serves.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::post().to(aws::dispatch))
        .route(
            "/identitypools/{tail:.*}",
            web::route().to(aws::sync::dispatch),
        )
        .route("/health", web::get().to(dev::health))
        .route("/_dev/outbox", web::get().to(dev::outbox))
        .route(
            "/{pool_id}/.well-known/jwks.json",
            web::get().to(wellknown::jwks),
        )
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            web::get().to(wellknown::openid_configuration),
        );
}
