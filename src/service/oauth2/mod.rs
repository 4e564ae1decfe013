//! The OAuth2 / OpenID Connect authorization server behind the hosted UI: authorization
//! requests, codes, the token endpoint's grants, userInfo, revocation, sign-out, and the
//! hosted sign-in, which drives the same sign-in steps (`signin`) as the AWS actions.

pub mod authorize;
pub mod codes;
pub mod domain;
pub mod federation;
pub mod hosted;
pub mod logout;
pub mod look;
pub mod request;
pub mod token;
pub mod userinfo;

use crate::service::Error;

/// How an OAuth2 step fails; each surface shows its own kind.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Shown on the hosted UI's error page, never redirected: the client or its redirect
    /// URI could not be trusted.
    #[error("{0}")]
    Page(String),
    /// Sent back to the app's registered redirect URI (`error`, `error_description`, `state`).
    #[error("redirect with an error")]
    Redirect(String),
    /// RFC 6749 section 5.2 error JSON.
    #[error("{error}: {description}")]
    OAuth {
        error: &'static str,
        description: String,
    },
    /// A Bearer token that does not authorize (RFC 6750): 401 with WWW-Authenticate.
    #[error("invalid_token: {0}")]
    InvalidToken(String),
    #[error(transparent)]
    Service(#[from] Error),
}

pub type Result<T, E = Failure> = std::result::Result<T, E>;

pub fn oauth<T>(error: &'static str, description: impl Into<String>) -> Result<T> {
    Err(Failure::OAuth {
        error,
        description: description.into(),
    })
}

/// How long an authorization code may be redeemed: five minutes, as Cognito's.
pub const CODE_LIFETIME_MS: i64 = 5 * 60 * 1000;
/// How long the hosted UI remembers a signed-in browser: one hour, as Cognito's.
pub const SESSION_LIFETIME_MS: i64 = 60 * 60 * 1000;
/// How long a form's CSRF token is accepted.
pub const CSRF_LIFETIME_MS: i64 = 60 * 60 * 1000;
