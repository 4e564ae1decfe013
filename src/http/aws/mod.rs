//! The AWS protocols at `POST /` (JSON 1.1, `X-Amz-Target: <Service>.<Operation>`) and under
//! `/identitypools/...` (Cognito Sync's REST-JSON). Every request is authenticated as its
//! operation's principal requires and checked against botocore's service model before any
//! operation runs.

pub mod audit;
pub mod cors;
pub mod error;
pub mod iam;
pub mod iam_oidc;
pub mod identity;
pub mod idp;
pub mod model;
pub mod presigned;
pub mod principal;
pub mod query;
pub mod quotas;
pub mod sigv4;
pub mod sns;
pub mod sts;
pub mod sync;
pub mod sync_ops;

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use tracing::Instrument;

use cors::Cors;
pub use error::AwsError;
use model::{Rejection, Service};
use principal::{Ctx, Principal};
use quotas::RateLimits;
use sigv4::AdminAuth;

use crate::service::State;

pub const IDP_TARGET: &str = "AWSCognitoIdentityProviderService";
pub const IDENTITY_TARGET: &str = "AWSCognitoIdentityService";

pub type Reply<'a> = Pin<Box<dyn Future<Output = Result<HttpResponse, AwsError>> + 'a>>;
pub type Handler = for<'a> fn(Ctx<'a>) -> Reply<'a>;

/// One implemented operation: its name, what it needs, and its handler.
pub struct Operation {
    pub name: &'static str,
    pub kind: principal::Kind,
    pub handler: Handler,
}

/// Declares a table entry for `service_fn`, an
/// `async fn(&State, Principal, Request) -> Result<Response>`: the principal named here must
/// be the one the function takes, so an operation cannot be served unchecked by accident.
#[macro_export]
macro_rules! operation {
    ($principal:ident, $name:literal, $service_fn:path) => {
        $crate::operation!(Idp, idp, $principal, $name, $service_fn)
    };
    ($service:ident, $area:ident, $principal:ident, $name:literal, $service_fn:path) => {{
        fn handler(ctx: $crate::http::aws::principal::Ctx<'_>) -> $crate::http::aws::Reply<'_> {
            Box::pin($crate::http::aws::call::<
                $crate::service::$area::$principal,
                _,
                _,
                _,
                _,
            >(
                ctx,
                $crate::http::aws::model::Service::$service,
                $name,
                $service_fn,
            ))
        }
        $crate::http::aws::Operation {
            name: $name,
            kind:
                <$crate::service::$area::$principal as $crate::http::aws::principal::Principal>::KIND,
            handler,
        }
    }};
}

impl From<Rejection> for AwsError {
    fn from(r: Rejection) -> Self {
        AwsError::new(r.code, r.message)
    }
}

/// The body checked against `op`'s input in the service model.
pub fn validated(service: Service, op: &str, body: &[u8]) -> Result<Value, AwsError> {
    let input = model::parse_body(body)?;
    model::model(service).check(op, &input)?;
    Ok(input)
}

/// Authenticates, validates the body, establishes the principal, runs the service function,
/// and serialises its reply.
pub async fn call<'a, P, Req, Resp, F, Fut>(
    ctx: Ctx<'a>,
    service: Service,
    name: &'static str,
    f: F,
) -> Result<HttpResponse, AwsError>
where
    P: Principal,
    Req: DeserializeOwned,
    Resp: Serialize,
    F: FnOnce(&'a State, P, Req) -> Fut,
    Fut: Future<Output = crate::service::Result<Resp>> + 'a,
{
    P::authenticate(&ctx).await?;
    let input = validated(service, name, ctx.body)?;
    let principal = P::extract(&ctx, &input).await?;
    let audit = audit::Pending::new(&ctx, P::KIND, name, &input);
    let request = deserialize(input)?;
    let span = tracing::info_span!("operation", name);
    let state = ctx.state;
    let audit = match audit {
        Some(pending) => Some(pending.resolved(state).await),
        None => None,
    };
    let reply = f(state, principal, request).instrument(span).await?;
    if let Some(audit) = audit {
        let value = serde_json::to_value(&reply).unwrap_or_default();
        audit.record(state, &value).await;
    }
    Ok(HttpResponse::Ok()
        .content_type("application/x-amz-json-1.1")
        .json(reply))
}

/// The validated body as the operation's request type. The model check has refused missing
/// members and wrong types already; anything left is worded as AWS's validator words it.
pub(crate) fn deserialize<Req: DeserializeOwned>(mut value: Value) -> Result<Req, AwsError> {
    // AWS reads a null member as an absent one (amazon-cognito-identity-js sends
    // `"ValidationData": null`), and so does the model check before this.
    drop_nulls(&mut value);
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

/// Removes every null member of every object in `value`.
fn drop_nulls(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.retain(|_, v| !v.is_null());
            members.values_mut().for_each(drop_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Reads the body up to [`MAX_BODY_BYTES`]; a larger one gets an AWS-shaped 413.
pub async fn read_body(payload: web::Payload) -> Result<Bytes, AwsError> {
    match payload.to_bytes_limited(MAX_BODY_BYTES).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(e)) => Err(AwsError::new(
            "SerializationException",
            format!("Unreadable request body: {e}"),
        )),
        Err(_) => {
            let mut e = AwsError::new(
                "RequestEntityTooLargeException",
                format!("The request body exceeds the limit of {MAX_BODY_BYTES} bytes."),
            );
            e.status = actix_web::http::StatusCode::PAYLOAD_TOO_LARGE;
            Err(e)
        }
    }
}

/// An operation of the model that Cognate does not serve yet: authenticated and validated
/// like any other, then refused by name.
pub async fn not_yet(ctx: &Ctx<'_>, service: Service, op: &str) -> Result<Value, AwsError> {
    if !model::model(service).is_unsigned(op) {
        ctx.auth
            .authenticate(ctx.req, ctx.body, ctx.service)
            .await?;
    }
    validated(service, op, ctx.body)?;
    Err(AwsError::new(
        "UnsupportedOperationException",
        format!("Cognate does not implement {op} yet."),
    ))
}

/// `POST /`: routes by `X-Amz-Target`, within the operation's request-rate quota. The replies
/// of unsigned operations (errors too, so that a page can read them) carry CORS headers.
pub async fn dispatch(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<State>,
    auth: web::Data<AdminAuth>,
    limits: web::Data<RateLimits>,
    cors: web::Data<Cors>,
) -> HttpResponse {
    if query::is_query(&req) {
        return query::dispatch(req, payload, &state, &auth).await;
    }
    let target = req
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let resolved = resolve(target);
    let unsigned = resolved
        .as_ref()
        .is_ok_and(|(service, _, op)| model::model(*service).is_unsigned(op));
    let result = async {
        let target = resolved?;
        // Cognito's category quotas are the user pools' alone.
        if let Service::Idp = target.0 {
            limits.admit(target.2)?;
        }
        run(&req, payload, &state, &auth, target).await
    }
    .await;
    let mut res = result.unwrap_or_else(|e| e.error_response());
    if unsigned {
        cors.allow(&req, &mut res);
    }
    res
}

/// The service, its signing name and the operation an `X-Amz-Target` names.
fn resolve(target: &str) -> Result<(Service, &'static str, &str), AwsError> {
    let (prefix, op) = target.split_once('.').unwrap_or((target, ""));
    let (service, signing_name) = match prefix {
        IDP_TARGET => (Service::Idp, "cognito-idp"),
        IDENTITY_TARGET => (Service::Identity, "cognito-identity"),
        _ => {
            return Err(AwsError::new(
                "UnknownOperationException",
                format!("Unknown operation target {target:?}"),
            ))
        }
    };
    if !model::model(service).has(op) {
        return Err(AwsError::new(
            "UnknownOperationException",
            format!("Unknown operation {op:?}"),
        ));
    }
    Ok((service, signing_name, op))
}

/// Reads the body and runs the operation.
async fn run(
    req: &HttpRequest,
    payload: web::Payload,
    state: &State,
    auth: &AdminAuth,
    (service, signing_name, op): (Service, &'static str, &str),
) -> Result<HttpResponse, AwsError> {
    let body = read_body(payload).await?;
    let ctx = Ctx {
        state,
        auth,
        req,
        body: &body,
        service: signing_name,
    };
    let implemented = match service {
        Service::Idp => idp::OPERATIONS.iter().find(|o| o.name == op),
        Service::Identity => identity::OPERATIONS.iter().find(|o| o.name == op),
        _ => None,
    };
    match implemented {
        Some(operation) => (operation.handler)(ctx).await,
        None => not_yet(&ctx, service, op)
            .await
            .map(|_| HttpResponse::Ok().finish()),
    }
}

/// The compatibility table for the README, from the service models and the operation table.
pub fn operations_markdown() -> String {
    let mut out = String::from("| service | operation | supported |\n|---|---|---|\n");
    let sections = [
        ("cognito-idp", Service::Idp, idp::OPERATIONS),
        ("cognito-identity", Service::Identity, identity::OPERATIONS),
    ];
    let sync: Vec<&str> = sync_ops::OPERATIONS.iter().map(|o| o.name).collect();
    let sections = sections
        .into_iter()
        .map(|(name, service, ops)| {
            let names: Vec<&str> = ops.iter().map(|o| o.name).collect();
            (name, service, names)
        })
        .chain([("cognito-sync", Service::Sync, sync)]);
    for (name, service, implemented) in sections {
        for op in model::model(service).operations() {
            let yes = implemented.contains(&op);
            out.push_str(&format!(
                "| {name} | {op} | {} |\n",
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
                model::model(Service::Idp).has(op.name),
                "{} is not a cognito-idp operation",
                op.name
            );
        }
        for op in identity::OPERATIONS {
            assert!(
                model::model(Service::Identity).has(op.name),
                "{} is not a cognito-identity operation",
                op.name
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
        let e = deserialize::<R>(serde_json::json!({})).unwrap_err();
        assert_eq!(e.code, "InvalidParameterException");
        assert!(e.message.contains("'userPoolId'"), "{}", e.message);
        let e = deserialize::<R>(serde_json::json!({"UserPoolId": 5})).unwrap_err();
        assert_eq!(e.code, "SerializationException");
    }

    #[test]
    fn null_members_read_as_absent_ones() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(rename_all = "PascalCase")]
        struct R {
            #[serde(default)]
            validation_data: Vec<String>,
            #[serde(default)]
            client_metadata: std::collections::HashMap<String, String>,
        }
        let body = serde_json::json!({"ValidationData": null, "ClientMetadata": {"a": null}});
        let r = deserialize::<R>(body).unwrap();
        assert!(r.validation_data.is_empty() && r.client_metadata.is_empty());
    }
}
