//! The OAuth2 error JSON surface (RFC 6749 section 5.2, RFC 6750 section 3) for the token,
//! userInfo and revocation endpoints.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::service::oauth2::Failure;
use crate::service::Error;

#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct OAuthError(#[from] pub Failure);

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    error_description: &'a str,
}

impl OAuthError {
    fn parts(&self) -> (StatusCode, &str, String) {
        match &self.0 {
            Failure::OAuth { error, description } => {
                let status = match *error {
                    "invalid_client" => StatusCode::UNAUTHORIZED,
                    _ => StatusCode::BAD_REQUEST,
                };
                (status, error, description.clone())
            }
            Failure::InvalidToken(m) => (StatusCode::UNAUTHORIZED, "invalid_token", m.clone()),
            Failure::Page(m) => (StatusCode::BAD_REQUEST, "invalid_request", m.clone()),
            Failure::Redirect(_) => (
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "The request is not valid.".into(),
            ),
            Failure::Service(Error::Cognito { message, .. }) => {
                (StatusCode::BAD_REQUEST, "invalid_request", message.clone())
            }
            Failure::Service(Error::Internal(e)) => {
                tracing::error!(error = %format!("{e:#}"), "oauth2 endpoint failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "server_error",
                    "Something went wrong.".into(),
                )
            }
        }
    }
}

impl ResponseError for OAuthError {
    fn status_code(&self) -> StatusCode {
        self.parts().0
    }

    fn error_response(&self) -> HttpResponse {
        let (status, error, description) = self.parts();
        let mut reply = HttpResponse::build(status);
        if status == StatusCode::UNAUTHORIZED {
            let scheme = match &self.0 {
                Failure::InvalidToken(_) => "Bearer",
                _ => "Basic",
            };
            let value = format!(
                "{scheme} error=\"{error}\", error_description=\"{}\"",
                description.replace('"', "'")
            );
            reply.insert_header(("www-authenticate", value));
        }
        reply.json(Body {
            error,
            error_description: &description,
        })
    }
}
