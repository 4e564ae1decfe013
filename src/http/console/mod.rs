//! The admin web console at `/admin/`: server-rendered pages over the same actions as the
//! REST API (recorded in the audit log as surface `console`). Sign-in with an admin API token
//! kept in an HttpOnly, SameSite=Strict cookie; in local mode, loopback callers need none.
//! Every form carries a CSRF token; what destroys asks first.

pub mod actions;
pub mod groups;
pub mod pages;
pub mod records;
pub mod users;
pub mod view;

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

use crate::http::aws::audit::peer;
use crate::http::guard::LocalHosts;
use crate::service::admin::{tokens, Actor};
use crate::service::kernel::crypto;
use crate::service::State;

/// The cookie that holds the signed-in admin token.
pub const COOKIE: &str = "cognate_admin";

/// A signed-in console user and the CSRF token their forms carry.
pub struct Session {
    pub actor: Actor,
    pub csrf: String,
    pub local: bool,
}

/// What a page request ends in when it cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    #[error("not signed in")]
    SignIn,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("internal: {0}")]
    Internal(String),
}

impl ResponseError for ConsoleError {
    fn status_code(&self) -> StatusCode {
        match self {
            ConsoleError::SignIn => StatusCode::SEE_OTHER,
            ConsoleError::Forbidden(_) => StatusCode::FORBIDDEN,
            ConsoleError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ConsoleError::SignIn => redirect("/admin/sign-in"),
            ConsoleError::Forbidden(why) => HttpResponse::Forbidden()
                .content_type("text/plain; charset=utf-8")
                .body(*why),
            ConsoleError::Internal(_) => HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("Something went wrong."),
        }
    }
}

pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

/// The CSRF token of a session: bound to its admin token, or in local mode to this process
/// (the dummy hash is random per start and never leaves the server).
fn csrf_of(state: &State, token: Option<&str>) -> String {
    match token {
        Some(t) => crypto::sha256_hex("cognate-console-csrf", t),
        None => crypto::sha256_hex("cognate-console-csrf-local", &state.dummy_password_hash),
    }
}

/// The cookie's token, if the browser sent one.
pub fn cookie_token(req: &HttpRequest) -> Option<String> {
    crate::http::ui::cookies::get(req, COOKIE)
}

/// A Set-Cookie for the token (`max_age` 0 removes it): HttpOnly, SameSite=Strict, console only.
pub fn set_cookie(public_url: &str, token: &str, max_age: i64) -> String {
    let secure = if public_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    format!("{COOKIE}={token}; Path=/admin/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}")
}

async fn session(req: &HttpRequest) -> Result<Session, ConsoleError> {
    let (Some(state), Some(hosts)) = (
        req.app_data::<web::Data<State>>(),
        req.app_data::<web::Data<LocalHosts>>(),
    ) else {
        return Err(ConsoleError::Internal("no state".into()));
    };
    let source = peer(req);
    if let Some(token) = cookie_token(req) {
        let name = tokens::authenticate(&state.db, &token)
            .await
            .map_err(|e| ConsoleError::Internal(e.to_string()))?
            .ok_or(ConsoleError::SignIn)?;
        return Ok(Session {
            actor: Actor {
                kind: "token",
                name,
                source,
            },
            csrf: csrf_of(state, Some(&token)),
            local: state.local_mode,
        });
    }
    let loopback = req.peer_addr().is_some_and(|a| a.ip().is_loopback());
    if state.local_mode && loopback {
        if !hosts.allows(req) {
            return Err(ConsoleError::Forbidden(
                "The console serves a loopback Host only.",
            ));
        }
        return Ok(Session {
            actor: Actor {
                kind: "local",
                name: "local".into(),
                source,
            },
            csrf: csrf_of(state, None),
            local: true,
        });
    }
    Err(ConsoleError::SignIn)
}

impl FromRequest for Session {
    type Error = ConsoleError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ConsoleError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { session(&req).await })
    }
}

impl Session {
    /// Refuses a form whose CSRF token is not this session's.
    pub fn check(&self, sent: &str) -> Result<(), ConsoleError> {
        if crypto::constant_time_eq(sent, &self.csrf) {
            return Ok(());
        }
        Err(ConsoleError::Forbidden(
            "The form has expired; reload the page and try again.",
        ))
    }
}

/// A rendered page, never cached or framed.
pub fn html(page: Result<String, askama::Error>) -> Result<HttpResponse, ConsoleError> {
    let body = page.map_err(|e| ConsoleError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("x-frame-options", "DENY"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'",
        ))
        .body(body))
}

#[derive(Template)]
#[template(path = "console/signin.html")]
pub struct SignInPage {
    pub error: Option<String>,
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .body(include_str!("../../../static/console.css"))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(|| async { redirect("/admin/") }))
        .route("/admin/", web::get().to(pages::pools))
        .route("/admin/console.css", web::get().to(stylesheet))
        .route("/admin/sign-in", web::get().to(pages::sign_in))
        .route("/admin/sign-in", web::post().to(actions::sign_in))
        .route("/admin/sign-out", web::post().to(actions::sign_out))
        .route(
            "/admin/identity-pools",
            web::get().to(records::identity_pools),
        )
        .route(
            "/admin/identity-pools/{identity_pool_id}",
            web::get().to(records::identity_pool),
        )
        .route("/admin/audit", web::get().to(records::audit_log))
        .route("/admin/outbox", web::get().to(records::outbox))
        .route("/admin/pools/{pool_id}", web::get().to(pages::pool))
        .route(
            "/admin/pools/{pool_id}/clients/{client_id}",
            web::get().to(pages::client),
        )
        .route(
            "/admin/pools/{pool_id}/clients/{client_id}/reveal",
            web::post().to(actions::reveal_secret),
        )
        .route("/admin/pools/{pool_id}/users", web::get().to(users::users))
        .route(
            "/admin/pools/{pool_id}/users/{username}",
            web::get().to(users::user),
        )
        .route(
            "/admin/pools/{pool_id}/users/{username}/devices/{key}/forget",
            web::post().to(actions::forget_device),
        )
        .route(
            "/admin/pools/{pool_id}/users/{username}/sessions/{id}/revoke",
            web::post().to(actions::revoke_session),
        )
        .route(
            "/admin/pools/{pool_id}/groups",
            web::get().to(groups::groups),
        )
        .route(
            "/admin/pools/{pool_id}/groups/{group}",
            web::get().to(groups::group),
        )
        .route(
            "/admin/pools/{pool_id}/providers",
            web::get().to(groups::providers),
        )
        .route(
            "/admin/pools/{pool_id}/providers/{name}",
            web::get().to(groups::provider),
        )
        .route(
            "/admin/pools/{pool_id}/users/{username}/{action}",
            web::post().to(actions::user_action),
        );
}
