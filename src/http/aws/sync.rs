//! Cognito Sync's REST-JSON surface under `/identitypools/...`: routed by the service
//! model's request URIs, then authorized as the operation needs. Identity operations take the
//! temporary credentials an identity pool issued, checked by signature and by the role's
//! policies (`cognito-sync:<Action>` on the dataset's ARN), or the administrator's; the pool
//! operations take the administrator's only.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use bytes::Bytes;
use serde_json::Value;

use super::audit;
use super::model::{self, Service};
use super::sigv4::{self, AdminAuth};
use super::sync_ops::{Handler, OPERATIONS};
use super::{read_body, AwsError};
use crate::service::iam::authorize::Verdict;
use crate::service::identity::Admin;
use crate::service::sync::{dataset_arn, identity_arn, Caller};
use crate::service::State;

const SERVICE: &str = "cognito-sync";

pub async fn dispatch(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<State>,
    auth: web::Data<AdminAuth>,
) -> HttpResponse {
    match run(&req, payload, &state, &auth).await {
        Ok(value) => HttpResponse::Ok()
            .content_type("application/json")
            .json(value),
        Err(e) => with_sync_status(e).error_response(),
    }
}

async fn run(
    req: &HttpRequest,
    payload: web::Payload,
    state: &State,
    auth: &AdminAuth,
) -> Result<Value, AwsError> {
    let body = read_body(payload).await?;
    let sync = model::model(Service::Sync);
    let routed = sync.route(req.method().as_str(), req.path(), req.query_string(), &body);
    let Some(routed) = routed else {
        return Err(AwsError::new(
            "UnknownOperationException",
            format!(
                "No Cognito Sync operation at {} {}",
                req.method(),
                req.path()
            ),
        ));
    };
    let (op, mut input) = routed?;
    for (member, header) in sync.header_members(&op) {
        if let Some(value) = req.headers().get(header).and_then(|v| v.to_str().ok()) {
            input[member] = value.into();
        }
    }
    let Some(operation) = OPERATIONS.iter().find(|o| o.name == op) else {
        return Err(AwsError::new(
            "UnsupportedOperationException",
            format!("Cognate does not implement {op} yet."),
        ));
    };
    match operation.handler {
        Handler::Admin(handler) => {
            let admin = admin(req, &body, auth).await?;
            sync.check(&op, &input)?;
            let audit = audit::Pending::signed(req, &op, &input);
            let reply = handler(state, admin, input).await?;
            if let Some(audit) = audit {
                audit.record(state, &Value::Null).await;
            }
            Ok(reply)
        }
        Handler::Identity(handler) => {
            let caller = caller(req, &body, state, auth, &op, &input).await?;
            sync.check(&op, &input)?;
            // Only the administrator's changes are audited, not an identity's own syncs.
            let audit = match caller {
                Caller::Developer(_) => audit::Pending::signed(req, &op, &input),
                _ => None,
            };
            let reply = handler(state, caller, input).await?;
            if let Some(audit) = audit {
                audit.record(state, &Value::Null).await;
            }
            Ok(reply)
        }
    }
}

fn is_temporary(req: &HttpRequest) -> bool {
    let headers = http::HeaderMap::from_iter(req.headers().iter().filter_map(|(k, v)| {
        let name = http::HeaderName::from_bytes(k.as_str().as_bytes()).ok()?;
        let value = http::HeaderValue::from_bytes(v.as_bytes()).ok()?;
        Some((name, value))
    }));
    sigv4::credential_of(&headers, req.query_string())
        .is_some_and(|(key, _)| key.starts_with("ASIA"))
}

fn not_authorized(message: &str) -> AwsError {
    AwsError::new("NotAuthorizedException", message)
}

/// The pool operations: the administrator's signature, never an identity's credentials.
async fn admin(req: &HttpRequest, body: &Bytes, auth: &AdminAuth) -> Result<Admin, AwsError> {
    if is_temporary(req) {
        return Err(not_authorized(
            "This operation takes developer credentials, not an identity's.",
        ));
    }
    let request = double_encoded(sigv4::to_verifiable(req, body)?)?;
    auth.authenticate_as(req, request, SERVICE).await?;
    Ok(Admin::verified())
}

/// The identity operations: an identity's credentials, allowed by its role's policies on
/// the resource and for its own identity only; or the administrator's.
async fn caller(
    req: &HttpRequest,
    body: &Bytes,
    state: &State,
    auth: &AdminAuth,
    op: &str,
    input: &Value,
) -> Result<Caller, AwsError> {
    let request = double_encoded(sigv4::to_verifiable(req, body)?)?;
    if !is_temporary(req) {
        auth.authenticate_as(req, request, SERVICE).await?;
        return Ok(Caller::Developer(Admin::verified()));
    }
    let label = |name: &str| input.get(name).and_then(Value::as_str).unwrap_or_default();
    let (pool, identity) = (label("IdentityPoolId"), label("IdentityId"));
    let resource = match input.get("DatasetName").and_then(Value::as_str) {
        Some(name) => dataset_arn(state, pool, identity, name),
        None => identity_arn(state, pool, identity),
    };
    let action = format!("cognito-sync:{op}");
    let (who, verdict) = sigv4::authorize_temporary_credentials(state, request, &action, &resource)
        .await
        .map_err(json_codes)?;
    if verdict != Verdict::Allow {
        return Err(not_authorized(&format!(
            "The role's policies do not allow {action} on {resource}."
        )));
    }
    match (who.identity_id(), who.pool_id()) {
        (Some(own), Some(own_pool)) if own == identity && own_pool == pool => {
            Ok(Caller::identity(own, own_pool))
        }
        _ => Err(not_authorized(
            "Access to the requested identity is not authorized.",
        )),
    }
}

/// SigV4 outside S3 encodes each path segment twice: the client signed its already-encoded
/// path (`us-east-1%3A...`) encoded again (`us-east-1%253A...`). The verifier canonicalizes
/// the path it is given once, so it is given the path encoded once more.
fn double_encoded(request: http::Request<Bytes>) -> Result<http::Request<Bytes>, AwsError> {
    let (mut parts, body) = request.into_parts();
    let path = parts.uri.path();
    let mut encoded = String::with_capacity(path.len() * 2);
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    if let Some(query) = parts.uri.query() {
        encoded.push('?');
        encoded.push_str(query);
    }
    parts.uri = encoded
        .parse()
        .map_err(|_| AwsError::new("IncompleteSignatureException", "Malformed request path."))?;
    Ok(http::Request::from_parts(parts, body))
}

/// Signature failures as the JSON services name them (the verifier speaks the Query
/// protocol's names).
fn json_codes(e: AwsError) -> AwsError {
    let code = match e.code {
        "InvalidClientTokenId" => "UnrecognizedClientException",
        "SignatureDoesNotMatch" => "InvalidSignatureException",
        "MissingAuthenticationToken" => "MissingAuthenticationTokenException",
        "IncompleteSignature" => "IncompleteSignatureException",
        "ExpiredToken" => "ExpiredTokenException",
        other => other,
    };
    AwsError::new(code, e.message)
}

/// Cognito Sync's HTTP statuses, as its service model gives them.
fn with_sync_status(mut e: AwsError) -> AwsError {
    e.status = match e.code {
        "NotAuthorizedException"
        | "AccessDeniedException"
        | "MissingAuthenticationTokenException"
        | "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "ExpiredTokenException" => StatusCode::FORBIDDEN,
        "ResourceNotFoundException" => StatusCode::NOT_FOUND,
        "ResourceConflictException" => StatusCode::CONFLICT,
        "TooManyRequestsException" | "LambdaThrottledException" => StatusCode::TOO_MANY_REQUESTS,
        _ => e.status,
    };
    e
}
