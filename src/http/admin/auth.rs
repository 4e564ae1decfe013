//! Who may call the REST admin API: a bearer admin token, a SigV4 signature of the admin
//! credentials, or (local mode, loopback peer and Host) anyone. Same-origin only: a request
//! a browser sends from another origin is refused, so no page can drive the API.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::problem::Problem;
use crate::http::aws::audit::peer;
use crate::http::aws::sigv4::AdminAuth;
use crate::http::guard::LocalHosts;
use crate::service::admin::{tokens, Actor};
use crate::service::State;

/// An authenticated caller and the request's body.
pub struct Authed {
    pub actor: Actor,
    pub body: Bytes,
}

impl Authed {
    /// The body as JSON; an empty body is `{}`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Problem> {
        let body: &[u8] = if self.body.is_empty() {
            b"{}"
        } else {
            &self.body
        };
        serde_json::from_slice(body).map_err(|e| {
            Problem::new(
                "SerializationException",
                format!("The body is not the JSON expected: {e}"),
            )
        })
    }
}

impl FromRequest for Authed {
    type Error = Problem;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Problem>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body
                .await
                .map_err(|e| Problem::new("SerializationException", e.to_string()))?;
            let actor = authorize(&req, &body).await?;
            Ok(Authed { actor, body })
        })
    }
}

async fn authorize(req: &HttpRequest, body: &Bytes) -> Result<Actor, Problem> {
    let (Some(state), Some(auth), Some(hosts)) = (
        req.app_data::<web::Data<State>>(),
        req.app_data::<web::Data<AdminAuth>>(),
        req.app_data::<web::Data<LocalHosts>>(),
    ) else {
        return Err(Problem::new("InternalErrorException", "Internal error"));
    };
    same_origin(req)?;
    let source = peer(req);
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Some(token) = authorization.strip_prefix("Bearer ") {
        return match tokens::authenticate(&state.db, token.trim()).await? {
            Some(name) => Ok(Actor {
                kind: "token",
                name,
                source,
            }),
            None => Err(Problem::new(
                "NotAuthorizedException",
                "The admin token is not valid (unknown or revoked).",
            )),
        };
    }
    if authorization.starts_with("AWS4-HMAC-SHA256 ") {
        auth.authenticate(req, body, "cognito-idp").await?;
        let key = authorization
            .split_once("Credential=")
            .and_then(|(_, rest)| rest.split('/').next())
            .unwrap_or_default();
        return Ok(Actor {
            kind: "sigv4",
            name: key.chars().filter(char::is_ascii_alphanumeric).collect(),
            source,
        });
    }
    let loopback = req.peer_addr().is_some_and(|a| a.ip().is_loopback());
    if authorization.is_empty() && state.local_mode && loopback && hosts.allows(req) {
        return Ok(Actor {
            kind: "local",
            name: "local".into(),
            source,
        });
    }
    Err(Problem::new(
        "MissingAuthenticationTokenException",
        "The admin API needs `Authorization: Bearer <admin token>` (cognate admin-token create) \
         or a SigV4 signature of the admin credentials.",
    ))
}

/// Refuses a request a browser made from a page of another origin.
fn same_origin(req: &HttpRequest) -> Result<(), Problem> {
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().unwrap_or_default();
    let origin_host = origin.split_once("://").map_or("", |(_, h)| h);
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if !origin_host.is_empty() && origin_host.eq_ignore_ascii_case(host) {
        return Ok(());
    }
    Err(Problem::new(
        "AccessDeniedException",
        "The admin API serves its own origin only (no CORS).",
    ))
}
