//! AWS's Query protocol at `POST /`: form-encoded `Action=...&Version=...` bodies, told apart
//! from JSON 1.1 by their Content-Type and missing `X-Amz-Target`, routed to STS or IAM by
//! the SigV4 credential scope's service (or, unsigned, by the action): STS, IAM or SNS.
//! Replies and errors are XML, as those services write them.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use super::sigv4::{scope_service, AdminAuth};
use super::{iam, iam_oidc, read_body, sns, sts, AwsError};
use crate::service::State;

/// Whether `POST /` carries a Query protocol request.
pub fn is_query(req: &HttpRequest) -> bool {
    let form = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    form && req.headers().get("x-amz-target").is_none()
}

/// The request's form parameters.
pub struct Params(BTreeMap<String, String>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A required parameter, refused as AWS's validator words it when missing.
    pub fn required(&self, name: &str) -> Result<&str, AwsError> {
        self.get(name).ok_or_else(|| {
            let mut member = name.to_string();
            member[..1].make_ascii_lowercase();
            AwsError::new(
                "ValidationError",
                format!("1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"),
            )
        })
    }

    /// A map member (`{name}.entry.N.key` / `{name}.entry.N.value`), as SNS sends them.
    pub fn map(&self, name: &str) -> BTreeMap<String, String> {
        let prefix = format!("{name}.entry.");
        self.0
            .iter()
            .filter_map(|(k, key)| {
                let n = k.strip_prefix(&prefix)?.strip_suffix(".key")?;
                let value = self.get(&format!("{prefix}{n}.value")).unwrap_or_default();
                Some((key.clone(), value.to_string()))
            })
            .collect()
    }

    /// A list member (`{name}.member.N`), in N's order.
    pub fn list(&self, name: &str) -> Vec<String> {
        let prefix = format!("{name}.member.");
        let mut items: Vec<(u32, String)> = self
            .0
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix(&prefix)?.parse().ok()?, v.clone())))
            .collect();
        items.sort_by_key(|(n, _)| *n);
        items.into_iter().map(|(_, v)| v).collect()
    }

    pub fn number(&self, name: &str) -> Result<Option<i64>, AwsError> {
        self.get(name)
            .map(|v| {
                v.parse().map_err(|_| {
                    AwsError::new("ValidationError", format!("{name} must be a number."))
                })
            })
            .transpose()
    }
}

/// What a Query request needs to be served.
pub struct QueryCtx<'a> {
    pub state: &'a State,
    pub auth: &'a AdminAuth,
    pub req: &'a HttpRequest,
    pub body: &'a [u8],
    pub params: Params,
}

pub const STS_NS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
pub const IAM_NS: &str = "https://iam.amazonaws.com/doc/2010-05-08/";
pub const SNS_NS: &str = "http://sns.amazonaws.com/doc/2010-03-31/";

/// Escapes text for an XML element.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// `<name>value</name>`, escaped.
pub fn el(name: &str, value: &str) -> String {
    format!("<{name}>{}</{name}>", esc(value))
}

/// The reply document of `action`, with `result` inside its `<{action}Result>`.
pub fn reply(ns: &str, action: &str, result: Option<String>) -> String {
    let result = result.map_or_else(String::new, |r| {
        format!("<{action}Result>{r}</{action}Result>")
    });
    format!(
        "<{action}Response xmlns=\"{ns}\">{result}<ResponseMetadata>{}</ResponseMetadata></{action}Response>",
        el("RequestId", &uuid::Uuid::new_v4().to_string())
    )
}

/// HTTP statuses of the Query services' errors.
fn status(code: &str) -> StatusCode {
    match code {
        "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "AccessDenied"
        | "MissingAuthenticationToken"
        | "AccessDeniedException" => StatusCode::FORBIDDEN,
        "NoSuchEntity" | "NotFound" => StatusCode::NOT_FOUND,
        "AuthorizationError" => StatusCode::FORBIDDEN,
        "EntityAlreadyExists" | "DeleteConflict" | "LimitExceeded" => StatusCode::CONFLICT,
        "InternalErrorException" | "InternalFailure" => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

fn error_response(ns: &str, e: &AwsError) -> HttpResponse {
    let status = status(e.code);
    let kind = if status.is_server_error() {
        "Receiver"
    } else {
        "Sender"
    };
    let body = format!(
        "<ErrorResponse xmlns=\"{ns}\"><Error>{}{}{}</Error>{}</ErrorResponse>",
        el("Type", kind),
        el("Code", e.code),
        el("Message", &e.message),
        el("RequestId", &uuid::Uuid::new_v4().to_string())
    );
    HttpResponse::build(status)
        .content_type("text/xml")
        .body(body)
}

/// The service a request is for: its signature's scope, or (unsigned) the action's.
fn service_of(req: &HttpRequest, action: &str) -> &'static str {
    match scope_service(req).as_deref() {
        Some("iam") => "iam",
        Some("sns") => "sns",
        Some(_) => "sts",
        None if iam::ACTIONS.contains(&action) || iam_oidc::ACTIONS.contains(&action) => "iam",
        None if sns::ACTIONS.contains(&action) => "sns",
        None => "sts",
    }
}

pub async fn dispatch(
    req: HttpRequest,
    payload: web::Payload,
    state: &State,
    auth: &AdminAuth,
) -> HttpResponse {
    let body = match read_body(payload).await {
        Ok(body) => body,
        Err(e) => return error_response(STS_NS, &e),
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let params = Params(pairs.into_iter().collect());
    let action = params.get("Action").unwrap_or_default().to_string();
    let service = service_of(&req, &action);
    let ns = match service {
        "iam" => IAM_NS,
        "sns" => SNS_NS,
        _ => STS_NS,
    };
    let ctx = QueryCtx {
        state,
        auth,
        req: &req,
        body: &body,
        params,
    };
    let result = match service {
        "iam" => iam::run(&ctx, &action).await,
        "sns" => sns::run(&ctx, &action).await,
        _ => sts::run(&ctx, &action).await,
    };
    match result {
        Ok(xml) => HttpResponse::Ok().content_type("text/xml").body(xml),
        Err(e) => error_response(ns, &e),
    }
}
