//! The AWS JSON error surface: `{"__type", "message"}`, `x-amzn-ErrorType`, and the status.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::service::{Error, Exception};

#[derive(Debug, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AwsError {
    pub code: &'static str,
    pub message: String,
    pub status: StatusCode,
}

impl AwsError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        let status = match code {
            "MissingAuthenticationTokenException" | "AccessDeniedException" => {
                StatusCode::FORBIDDEN
            }
            "InternalErrorException" => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::BAD_REQUEST,
        };
        AwsError {
            code,
            message: message.into(),
            status,
        }
    }
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "__type")]
    kind: &'a str,
    message: &'a str,
}

impl ResponseError for AwsError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status)
            .insert_header(("x-amzn-ErrorType", self.code))
            .content_type("application/x-amz-json-1.1")
            .json(Body {
                kind: self.code,
                message: &self.message,
            })
    }
}

impl From<Error> for AwsError {
    fn from(e: Error) -> Self {
        match e {
            Error::Cognito { kind, message } => AwsError::new(kind.name(), message),
            Error::Internal(cause) => {
                tracing::error!(error = format!("{cause:#}"), "internal error");
                AwsError::new("InternalErrorException", "Internal error")
            }
        }
    }
}

impl From<Exception> for AwsError {
    fn from(kind: Exception) -> Self {
        AwsError::new(kind.name(), kind.name())
    }
}
