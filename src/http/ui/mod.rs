//! The hosted pages: login, MFA code and new password, rendered with askama. Thin handlers:
//! each checks the form's CSRF token, hands the answer to `service::oauth2::hosted` (which
//! drives the sign-in steps) and renders what comes next.

pub mod cookies;
pub mod federation;
pub mod i18n;
pub mod pages;

use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse, ResponseError};
use askama::Template;

use crate::service::oauth2::Failure;
use crate::service::{Error, State};
use i18n::Texts;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/login", web::get().to(pages::view_login))
        .route("/login", web::post().to(pages::submit_login))
        .route("/login/challenge", web::post().to(pages::submit_challenge))
        .route("/static/cognate.css", web::get().to(stylesheet));
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
    brand: &'a str,
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
            brand: "Cognate",
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
