//! The hosted pages: login, MFA code and new password, rendered with askama. Thin handlers:
//! each checks the form's CSRF token, hands the answer to `service::oauth2::hosted` (which
//! drives the sign-in steps) and renders what comes next.

pub mod challenge;
pub mod cookies;
pub mod federation;
pub mod forgot;
pub mod i18n;
pub mod pages;
pub mod render;
pub mod signup;

use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse, ResponseError};
use askama::Template;
use base64::Engine;

use crate::service::oauth2::look::Look;
use crate::service::oauth2::Failure;
use crate::service::{Error, State};
use i18n::Texts;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(pages::view_login))
        .route("/login", web::post().to(pages::submit_login))
        .route(
            "/login/challenge",
            web::post().to(challenge::submit_challenge),
        )
        .route("/login/continue", web::post().to(pages::continue_session))
        .route("/signup", web::get().to(signup::view_sign_up))
        .route("/signup", web::post().to(signup::submit_sign_up))
        .route("/confirmUser", web::get().to(signup::view_confirm))
        .route("/confirmUser", web::post().to(signup::submit_confirm))
        .route("/forgotPassword", web::get().to(forgot::view_forgot))
        .route("/forgotPassword", web::post().to(forgot::submit_forgot))
        .route(
            "/confirmForgotPassword",
            web::post().to(forgot::submit_reset),
        )
        .route(
            "/_cognate/ui-image/{pool_id}/{client_id}",
            web::get().to(ui_image),
        )
        .route("/static/cognate.css", web::get().to(stylesheet));
}

/// A UI customization's logo, as GetUICustomization's ImageUrl names it.
async fn ui_image(path: web::Path<(String, String)>, state: web::Data<State>) -> HttpResponse {
    let (pool_id, client_id) = path.into_inner();
    let found =
        crate::service::idp::ui_customization::effective(&state, &pool_id, &client_id).await;
    let image = found.ok().flatten().and_then(|r| {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(r.image?)
            .ok()?;
        Some((r.image_type.unwrap_or_else(|| "image/png".into()), bytes))
    });
    match image {
        Some((kind, bytes)) => HttpResponse::Ok()
            .content_type(kind)
            .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
            .body(bytes),
        None => HttpResponse::NotFound().finish(),
    }
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../../static/cognate.css"))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    t: &'a Texts,
    look: &'a Look,
    message: &'a str,
}

/// The HTML error surface: the error page, or the redirect back to the app that an error
/// after the redirect URI was trusted becomes.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct PageError(#[from] pub Failure);

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match &self.0 {
            Failure::Redirect(_) => StatusCode::FOUND,
            Failure::Service(Error::Internal(_)) => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let message = match &self.0 {
            Failure::Redirect(to) => {
                return HttpResponse::Found()
                    .insert_header((header::LOCATION, to.as_str()))
                    .finish()
            }
            Failure::Page(m) | Failure::InvalidToken(m) => m.clone(),
            Failure::OAuth { description, .. } => description.clone(),
            Failure::Service(Error::Cognito { message, .. }) => message.clone(),
            Failure::Service(Error::Internal(e)) => {
                tracing::error!(error = %format!("{e:#}"), "hosted page failed");
                "Something went wrong on our side. Try again later.".into()
            }
        };
        let body = ErrorPage {
            t: &i18n::EN,
            look: &Look::plain(),
            message: &message,
        }
        .render()
        .unwrap_or(message);
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(body)
    }
}

/// Removes cookie `name` from the browser.
pub fn clear_cookie(state: &State, reply: &mut HttpResponse, name: &str) {
    if let Ok(v) = header::HeaderValue::from_str(&cookies::set(&state.public_url, name, "", 0)) {
        reply.headers_mut().append(header::SET_COOKIE, v);
    }
}
