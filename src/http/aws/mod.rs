//! The AWS JSON 1.1 protocol: `POST /` with `X-Amz-Target: <Service>.<Operation>`, dispatched
//! to typed service functions, with SigV4 where the service model asks for it.

pub mod error;
pub mod idp;
pub mod sigv4;

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, HttpRequest, HttpResponse};
use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use error::AwsError;
use sigv4::AdminAuth;

use crate::service::State;

pub const IDP_TARGET: &str = "AWSCognitoIdentityProviderService";
pub const IDENTITY_TARGET: &str = "AWSCognitoIdentityService";

const IDP_OPERATIONS: &str = include_str!("operations/cognito-idp.txt");
const IDENTITY_OPERATIONS: &str = include_str!("operations/cognito-identity.txt");
const SYNC_OPERATIONS: &str = include_str!("operations/cognito-sync.txt");

pub type Reply<'a> = Pin<Box<dyn Future<Output = Result<HttpResponse, AwsError>> + 'a>>;
pub type Handler = for<'a> fn(&'a State, Bytes) -> Reply<'a>;

/// One implemented operation: its name and its handler.
pub struct Operation {
    pub name: &'static str,
    pub handler: Handler,
}

/// Declares a table entry for `service_fn`, an `async fn(&State, Request) -> Result<Response>`.
#[macro_export]
macro_rules! operation {
    ($name:literal, $service_fn:path) => {{
        fn handler(
            state: &$crate::service::State,
            body: bytes::Bytes,
        ) -> $crate::http::aws::Reply<'_> {
            Box::pin($crate::http::aws::call(state, body, $service_fn))
        }
        $crate::http::aws::Operation {
            name: $name,
            handler,
        }
    }};
}

/// Parses the body, runs the service function, and serialises its reply.
pub async fn call<'a, Req, Resp, F, Fut>(
    state: &'a State,
    body: Bytes,
    f: F,
) -> Result<HttpResponse, AwsError>
where
    Req: DeserializeOwned,
    Resp: Serialize,
    F: FnOnce(&'a State, Req) -> Fut,
    Fut: Future<Output = crate::service::Result<Resp>> + 'a,
{
    let request = parse_body(&body)?;
    let reply = f(state, request).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/x-amz-json-1.1")
        .json(reply))
}

/// Malformed JSON is a SerializationException; a missing required member is Cognito's
/// InvalidParameterException, worded as AWS's validator words it.
fn parse_body<Req: DeserializeOwned>(body: &[u8]) -> Result<Req, AwsError> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        AwsError::new(
            "SerializationException",
            format!("Malformed request body: {e}"),
        )
    })?;
    if !value.is_object() {
        return Err(AwsError::new(
            "SerializationException",
            "The request body must be a JSON object.",
        ));
    }
    serde_json::from_value(value).map_err(|e| {
        let text = e.to_string();
        match text
            .strip_prefix("missing field `")
            .and_then(|r| r.split('`').next())
        {
            Some(field) => AwsError::new(
                "InvalidParameterException",
                format!(
                    "1 validation error detected: Value null at '{}' failed to satisfy constraint: \
                     Member must not be null",
                    lower_first(field)
                ),
            ),
            None => AwsError::new("SerializationException", text),
        }
    })
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

fn is_listed(list: &str, op: &str) -> bool {
    list.lines().any(|l| l.trim() == op)
}

/// `POST /`: routes by `X-Amz-Target`.
pub async fn dispatch(
    req: HttpRequest,
    body: Bytes,
    state: web::Data<State>,
    auth: web::Data<AdminAuth>,
) -> Result<HttpResponse, AwsError> {
    let target = req
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let (service, op) = target.split_once('.').unwrap_or((target, ""));
    match service {
        IDP_TARGET => {
            let Some(operation) = idp::OPERATIONS.iter().find(|o| o.name == op) else {
                return Err(not_here(IDP_OPERATIONS, op));
            };
            if !idp::UNAUTHENTICATED.contains(&op) {
                auth.authenticate(&req, &body, "cognito-idp").await?;
            }
            (operation.handler)(&state, body).await
        }
        IDENTITY_TARGET => Err(not_here(IDENTITY_OPERATIONS, op)),
        _ => Err(AwsError::new(
            "UnknownOperationException",
            format!("Unknown operation target {target:?}"),
        )),
    }
}

fn not_here(known: &str, op: &str) -> AwsError {
    if is_listed(known, op) {
        AwsError::new(
            "UnsupportedOperationException",
            format!("Cognate does not implement {op} yet."),
        )
    } else {
        AwsError::new(
            "UnknownOperationException",
            format!("Unknown operation {op:?}"),
        )
    }
}

/// The compatibility table for the README, from the operation tables themselves.
pub fn operations_markdown() -> String {
    let mut out = String::from("| service | operation | supported |\n|---|---|---|\n");
    let sections = [
        ("cognito-idp", IDP_OPERATIONS, idp::OPERATIONS),
        ("cognito-identity", IDENTITY_OPERATIONS, &[][..]),
        ("cognito-sync", SYNC_OPERATIONS, &[][..]),
    ];
    for (service, list, implemented) in sections {
        for op in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let yes = implemented.iter().any(|o| o.name == op);
            out.push_str(&format!(
                "| {service} | {op} | {} |\n",
                if yes { "yes" } else { "not yet" }
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_implemented_operation_is_a_real_one() {
        for op in idp::OPERATIONS {
            assert!(
                is_listed(IDP_OPERATIONS, op.name),
                "{} is not a cognito-idp operation",
                op.name
            );
        }
        for op in idp::UNAUTHENTICATED {
            assert!(
                is_listed(IDP_OPERATIONS, op),
                "{op} is not a cognito-idp operation"
            );
        }
    }

    #[test]
    fn the_readme_table_is_current() {
        let readme = include_str!("../../../README.md");
        assert!(
            readme.contains(&operations_markdown()),
            "README.md's compatibility table is stale: regenerate it with `cargo run -- operations`"
        );
    }

    #[test]
    fn missing_members_are_invalid_parameters() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(rename_all = "PascalCase")]
        #[allow(dead_code)]
        struct R {
            user_pool_id: String,
        }
        let e = parse_body::<R>(b"{}").unwrap_err();
        assert_eq!(e.code, "InvalidParameterException");
        assert!(e.message.contains("'userPoolId'"), "{}", e.message);
        assert_eq!(
            parse_body::<R>(b"{nope").unwrap_err().code,
            "SerializationException"
        );
        assert_eq!(
            parse_body::<R>(b"[1]").unwrap_err().code,
            "SerializationException"
        );
        assert_eq!(
            parse_body::<R>(br#"{"UserPoolId": 5}"#).unwrap_err().code,
            "SerializationException"
        );
    }
}
