//! The REST admin API's error surface: RFC 9457 `application/problem+json`, whose `type` ends
//! with the Cognito exception's name (`.../problems/UserNotFoundException`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::http::aws::AwsError;
use crate::service::{Error, Exception};

/// The prefix of every problem type.
pub const TYPE_BASE: &str = "/admin/api/v1/problems/";

#[derive(Debug, thiserror::Error)]
#[error("{code}: {detail}")]
pub struct Problem {
    pub code: &'static str,
    pub detail: String,
    pub status: StatusCode,
}

/// A problem as it is sent.
#[derive(Serialize, ToSchema)]
pub struct ProblemBody {
    /// `/admin/api/v1/problems/{CognitoExceptionName}`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
}

impl Problem {
    pub fn new(code: &'static str, detail: impl Into<String>) -> Problem {
        Problem {
            code,
            detail: detail.into(),
            status: status_of(code),
        }
    }
}

/// The one table of statuses: what is missing is 404, what exists already 409, a caller
/// without credentials 401, one refused 403, too much 429, our fault 500, the rest 400.
fn status_of(code: &str) -> StatusCode {
    match code {
        "ResourceNotFoundException" | "UserNotFoundException" => StatusCode::NOT_FOUND,
        "UsernameExistsException"
        | "GroupExistsException"
        | "AliasExistsException"
        | "ResourceConflictException" => StatusCode::CONFLICT,
        "MissingAuthenticationTokenException" | "UnauthorizedException" => StatusCode::UNAUTHORIZED,
        "AccessDeniedException"
        | "NotAuthorizedException"
        | "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "IncompleteSignatureException"
        | "ExpiredTokenException" => StatusCode::FORBIDDEN,
        "TooManyRequestsException" | "LimitExceededException" => StatusCode::TOO_MANY_REQUESTS,
        "RequestEntityTooLargeException" => StatusCode::PAYLOAD_TOO_LARGE,
        "InternalErrorException" => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        if self.status == StatusCode::UNAUTHORIZED {
            res.insert_header(("www-authenticate", "Bearer realm=\"cognate-admin\""));
        }
        res.content_type("application/problem+json")
            .json(ProblemBody {
                kind: format!("{TYPE_BASE}{}", self.code),
                title: self.code.trim_end_matches("Exception").to_string(),
                status: self.status.as_u16(),
                detail: self.detail.clone(),
            })
    }
}

impl From<AwsError> for Problem {
    fn from(e: AwsError) -> Self {
        Problem::new(e.code, e.message)
    }
}

impl From<Error> for Problem {
    fn from(e: Error) -> Self {
        AwsError::from(e).into()
    }
}

impl From<Exception> for Problem {
    fn from(kind: Exception) -> Self {
        Problem::new(kind.name(), kind.name())
    }
}
