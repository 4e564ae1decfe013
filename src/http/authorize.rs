//! `POST /_cognate/authorize`: a backend asks whether a request its client signed with an
//! identity pool's temporary credentials may perform `action` on `resource`, the way API
//! Gateway's IAM authorizer decides. The signature is verified exactly (so the request's
//! method, URL, headers and body are needed as the client sent them), then the role's
//! policies decide.

use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use base64::Engine;
use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::aws::sigv4::authorize_temporary_credentials;
use super::aws::AwsError;
use crate::service::iam::authorize::Verdict;
use crate::service::State;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizeRequest {
    pub method: String,
    /// The URL the client signed (its path and query are what the signature covers).
    pub url: String,
    pub headers: BTreeMap<String, String>,
    /// The body as text, or `body_base64` for bytes.
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub body_base64: Option<String>,
    /// `service:Action`, e.g. `execute-api:Invoke`.
    pub action: String,
    /// The resource's ARN, or `*`.
    pub resource: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Principal {
    pub arn: String,
    pub user_id: String,
    pub role_arn: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity_pool_id: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizeResponse {
    /// `Allow` or `Deny`.
    pub decision: &'static str,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal: Option<Principal>,
}

fn request_of(r: &AuthorizeRequest) -> Result<http::Request<Bytes>, AwsError> {
    let bad = |m: String| AwsError::new("InvalidParameterException", m);
    let body = match (&r.body, &r.body_base64) {
        (_, Some(b64)) => base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| bad(format!("bodyBase64: {e}")))?,
        (Some(text), None) => text.clone().into_bytes(),
        (None, None) => Vec::new(),
    };
    let uri: http::Uri = r.url.parse().map_err(|e| bad(format!("url: {e}")))?;
    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
    let mut builder = http::Request::builder().method(r.method.as_str()).uri(path);
    for (name, value) in &r.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if !r.headers.keys().any(|k| k.eq_ignore_ascii_case("host")) {
        if let Some(authority) = uri.authority() {
            builder = builder.header("host", authority.as_str());
        }
    }
    builder
        .body(Bytes::from(body))
        .map_err(|e| bad(format!("request: {e}")))
}

pub async fn authorize(state: web::Data<State>, req: web::Json<AuthorizeRequest>) -> HttpResponse {
    let deny = |status: actix_web::http::StatusCode, reason: String| {
        HttpResponse::build(status).json(AuthorizeResponse {
            decision: "Deny",
            reason,
            principal: None,
        })
    };
    let request = match request_of(&req) {
        Ok(r) => r,
        Err(e) => return deny(e.status, e.message),
    };
    let (caller, verdict) =
        match authorize_temporary_credentials(&state, request, &req.action, &req.resource).await {
            Ok(done) => done,
            Err(e) => {
                return deny(
                    actix_web::http::StatusCode::FORBIDDEN,
                    format!("{}: {}", e.code, e.message),
                )
            }
        };
    let (decision, reason) = match verdict {
        Verdict::Allow => (
            "Allow",
            "A statement of the role's policies allows it.".to_string(),
        ),
        Verdict::ExplicitDeny => (
            "Deny",
            "A statement of the role's policies denies it.".to_string(),
        ),
        Verdict::ImplicitDeny => (
            "Deny",
            "No statement of the role's policies allows it.".to_string(),
        ),
    };
    HttpResponse::Ok().json(AuthorizeResponse {
        decision,
        reason,
        principal: Some(Principal {
            arn: caller.assumed_role_arn(&state),
            user_id: caller.user_id(),
            role_arn: caller.role_arn.clone(),
            identity_id: caller.identity_id().map(String::from),
            identity_pool_id: caller.pool_id().map(String::from),
        }),
    })
}
