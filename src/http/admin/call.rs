//! How a REST handler runs an action: the AWS-shaped input it builds is checked against the
//! service model exactly as the AWS API checks it, then the same `idp` action runs, and a
//! change is recorded in the audit log with the REST caller as its actor.

use std::future::Future;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::problem::Problem;
use crate::http::aws::audit::Pending;
use crate::http::aws::model::{model, Service};
use crate::service::admin::Actor;
use crate::service::idp::Admin;
use crate::service::State;

/// Runs the cognito-idp action `op` (its service function `f`) with `input`.
pub async fn run<'a, Req, Resp, F, Fut>(
    state: &'a State,
    actor: &Actor,
    op: &'static str,
    input: Value,
    f: F,
) -> Result<Value, Problem>
where
    Req: DeserializeOwned,
    Resp: Serialize,
    F: FnOnce(&'a State, Admin, Req) -> Fut,
    Fut: Future<Output = crate::service::Result<Resp>> + 'a,
{
    run_as(state, actor, "rest", op, input, f).await
}

/// [`run`] for another surface (`template`), recorded in the audit log as that surface's.
pub async fn run_as<'a, Req, Resp, F, Fut>(
    state: &'a State,
    actor: &Actor,
    surface: &'static str,
    op: &'static str,
    input: Value,
    f: F,
) -> Result<Value, Problem>
where
    Req: DeserializeOwned,
    Resp: Serialize,
    F: FnOnce(&'a State, Admin, Req) -> Fut,
    Fut: Future<Output = crate::service::Result<Resp>> + 'a,
{
    run_in(state, actor, (surface, Service::Idp), op, input, f).await
}

/// [`run`] for a cognito-identity action.
pub async fn run_identity<'a, Req, Resp, F, Fut>(
    state: &'a State,
    actor: &Actor,
    op: &'static str,
    input: Value,
    f: F,
) -> Result<Value, Problem>
where
    Req: DeserializeOwned,
    Resp: Serialize,
    F: FnOnce(&'a State, Admin, Req) -> Fut,
    Fut: Future<Output = crate::service::Result<Resp>> + 'a,
{
    run_in(state, actor, ("rest", Service::Identity), op, input, f).await
}

pub(crate) async fn run_in<'a, Req, Resp, F, Fut>(
    state: &'a State,
    actor: &Actor,
    (surface, service): (&'static str, Service),
    op: &'static str,
    input: Value,
    f: F,
) -> Result<Value, Problem>
where
    Req: DeserializeOwned,
    Resp: Serialize,
    F: FnOnce(&'a State, Admin, Req) -> Fut,
    Fut: Future<Output = crate::service::Result<Resp>> + 'a,
{
    model(service)
        .check(op, &input)
        .map_err(|r| Problem::new(r.code, r.message))?;
    let audit = match Pending::by(actor.clone(), surface, op, &input) {
        Some(pending) => Some(pending.resolved(state).await),
        None => None,
    };
    let request: Req = serde_json::from_value(input)
        .map_err(|e| Problem::new("InvalidParameterException", e.to_string()))?;
    let reply = f(state, Admin::verified(), request).await?;
    let value = serde_json::to_value(&reply)
        .map_err(|e| crate::service::Error::Internal(anyhow::Error::new(e)))?;
    if let Some(audit) = audit {
        audit.record(state, &value).await;
    }
    Ok(value)
}

/// `body`'s members merged into `base`, keeping only the members `op`'s input has: a partial
/// update sent as the full update AWS expects.
pub fn merged(op: &str, base: &Value, patch: &Value) -> Result<Value, Problem> {
    merged_in(Service::Idp, op, base, patch)
}

/// [`merged`] for an operation of `service`.
pub fn merged_in(
    service: Service,
    op: &str,
    base: &Value,
    patch: &Value,
) -> Result<Value, Problem> {
    let Some(patch) = patch.as_object() else {
        return Err(Problem::new(
            "SerializationException",
            "A PATCH body is a JSON object of the members to change.",
        ));
    };
    let members = model(service).input_members(op);
    let mut out = serde_json::Map::new();
    for name in members {
        if let Some(v) = patch.get(name).or_else(|| base.get(name)) {
            out.insert(name.to_string(), v.clone());
        }
    }
    Ok(Value::Object(out))
}

/// A body object with the path's identifiers set over whatever it says.
pub fn with(body: Value, ids: &[(&str, &str)]) -> Result<Value, Problem> {
    let Value::Object(mut map) = body else {
        return Err(Problem::new(
            "SerializationException",
            "The body must be a JSON object.",
        ));
    };
    for (name, value) in ids {
        map.insert(name.to_string(), Value::String(value.to_string()));
    }
    Ok(Value::Object(map))
}
