//! Template resources beyond the user pool: `AWS::Cognito::IdentityPool` and its
//! `IdentityPoolRoleAttachment` (through the cognito-identity actions, checked against that
//! service's model) and `AWS::IAM::Role` with its inline policies (through the IAM domain).
//! CloudFormation's property shapes that differ from the API's are translated here.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::resources::{input_of, Kind, Made};
use crate::http::admin::call::run_in;
use crate::http::admin::problem::Problem;
use crate::http::aws::model::Service;
use crate::service::admin::audit::{self, Change};
use crate::service::admin::Actor;
use crate::service::iam::{self, policy, roles};
use crate::service::identity::{pools, roles as identity_roles};
use crate::service::State;

const PLACEHOLDER_POOL: &str = "us-east-1:00000000-0000-0000-0000-000000000000";

fn text<'v>(v: &'v Value, name: &str) -> &'v str {
    v.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// CloudFormation's tags (`[{Key, Value}]`) as the API's map.
fn tags_map(props: &Value) -> Value {
    let mut props = props.clone();
    if let Some(Value::Array(tags)) = props.get("IdentityPoolTags") {
        let map: serde_json::Map<String, Value> = tags
            .iter()
            .map(|t| (text(t, "Key").to_string(), json!(text(t, "Value"))))
            .collect();
        props["IdentityPoolTags"] = Value::Object(map);
    }
    props
}

/// CloudFormation's RoleMappings (any key, each naming its `IdentityProvider`) as the API's
/// map keyed by identity provider.
fn role_mappings(props: &Value) -> Value {
    let mut props = props.clone();
    if let Some(Value::Object(mappings)) = props.get("RoleMappings") {
        let map: serde_json::Map<String, Value> = mappings
            .iter()
            .map(|(key, m)| {
                let provider = m
                    .get("IdentityProvider")
                    .and_then(Value::as_str)
                    .unwrap_or(key)
                    .to_string();
                let mut m = m.clone();
                if let Some(o) = m.as_object_mut() {
                    o.remove("IdentityProvider");
                }
                (provider, m)
            })
            .collect();
        props["RoleMappings"] = Value::Object(map);
    }
    props
}

/// The request for an identity pool, a role attachment or a role.
pub fn request(
    kind: Kind,
    (create, update): (&'static str, &'static str),
    props: &Value,
    existing: Option<&str>,
) -> (&'static str, Value) {
    match (kind, existing) {
        (Kind::IdentityPool, None) => (
            create,
            input_of(Service::Identity, create, &tags_map(props), &[]),
        ),
        (Kind::IdentityPool, Some(id)) => {
            let ids = [("IdentityPoolId", id)];
            (
                update,
                input_of(Service::Identity, update, &tags_map(props), &ids),
            )
        }
        (Kind::RoleAttachment, _) => (
            create,
            input_of(Service::Identity, create, &role_mappings(props), &[]),
        ),
        (_, None) => (create, props.clone()),
        (_, Some(_)) => (update, props.clone()),
    }
}

/// A policy document as text: CloudFormation gives it as an object (or JSON text).
fn document(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// The role's inline policies as (name, document).
fn inline_policies(props: &Value) -> Vec<(String, String)> {
    props
        .get("Policies")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| {
            (
                text(p, "PolicyName").to_string(),
                document(p.get("PolicyDocument")),
            )
        })
        .collect()
}

/// What IAM would refuse of a role, checked before anything is made.
pub fn check_role(props: &Value) -> Result<(), String> {
    let name = text(props, "RoleName");
    let valid_name = (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if !valid_name {
        return Err(format!("ValidationError: RoleName {name:?} is invalid"));
    }
    let reason = |e: crate::service::Error| e.to_string();
    policy::parse_trust(&document(props.get("AssumeRolePolicyDocument"))).map_err(reason)?;
    for (name, doc) in inline_policies(props) {
        if name.is_empty() {
            return Err("ValidationError: a policy has no PolicyName".into());
        }
        policy::parse(&doc).map_err(|e| format!("policy {name}: {e}"))?;
    }
    Ok(())
}

/// Stand-in ids for checking a template before anything is made.
pub fn placeholder(kind: Kind, logical_id: &str, props: &Value) -> Made {
    match kind {
        Kind::IdentityPool => (
            PLACEHOLDER_POOL.into(),
            BTreeMap::from([
                ("Id".to_string(), PLACEHOLDER_POOL.to_string()),
                (
                    "Name".to_string(),
                    text(props, "IdentityPoolName").to_string(),
                ),
            ]),
        ),
        Kind::RoleAttachment => (
            PLACEHOLDER_POOL.into(),
            BTreeMap::from([("Id".to_string(), PLACEHOLDER_POOL.to_string())]),
        ),
        _ => {
            let name = props
                .get("RoleName")
                .and_then(Value::as_str)
                .unwrap_or(logical_id);
            let arn = format!("arn:aws:iam::000000000000:role/{name}");
            let attrs = BTreeMap::from([
                ("Arn".to_string(), arn),
                ("RoleId".to_string(), "AROAPLACEHOLDER0000000".to_string()),
            ]);
            (name.to_string(), attrs)
        }
    }
}

/// Runs the request; what the resource is now.
pub async fn apply(
    state: &State,
    actor: &Actor,
    kind: Kind,
    op: &'static str,
    input: Value,
    existing: Option<&Made>,
) -> Result<Made, Problem> {
    let on = ("template", Service::Identity);
    match (kind, existing) {
        (Kind::IdentityPool, None) => {
            let reply = run_in(state, actor, on, op, input, pools::create_identity_pool).await?;
            Ok(identity_pool_made(&reply))
        }
        (Kind::IdentityPool, Some(_)) => {
            let reply = run_in(state, actor, on, op, input, pools::update_identity_pool).await?;
            Ok(identity_pool_made(&reply))
        }
        (Kind::RoleAttachment, _) => {
            let id = text(&input, "IdentityPoolId").to_string();
            let set = identity_roles::set_identity_pool_roles;
            run_in(state, actor, on, op, input, set).await?;
            Ok((id.clone(), BTreeMap::from([("Id".to_string(), id)])))
        }
        _ => role(state, actor, &input, existing).await,
    }
}

fn identity_pool_made(reply: &Value) -> Made {
    let id = text(reply, "IdentityPoolId").to_string();
    let attrs = BTreeMap::from([
        ("Id".to_string(), id.clone()),
        (
            "Name".to_string(),
            text(reply, "IdentityPoolName").to_string(),
        ),
    ]);
    (id, attrs)
}

/// Creates the role (or updates its trust policy) and makes its inline policies those listed.
async fn role(
    state: &State,
    actor: &Actor,
    props: &Value,
    existing: Option<&Made>,
) -> Result<Made, Problem> {
    let name = text(props, "RoleName").to_string();
    let trust = document(props.get("AssumeRolePolicyDocument"));
    let creating = existing.is_none_or(|(id, _)| *id != name);
    if creating {
        let new = roles::NewRole {
            name: name.clone(),
            path: props.get("Path").and_then(Value::as_str).map(String::from),
            trust_policy: trust,
            description: props
                .get("Description")
                .and_then(Value::as_str)
                .map(String::from),
            max_session_duration: props.get("MaxSessionDuration").and_then(Value::as_i64),
        };
        roles::create_role(state, new).await?;
    } else {
        roles::update_assume_role_policy(state, &name, &trust).await?;
    }
    let wanted = inline_policies(props);
    for (policy, doc) in &wanted {
        roles::put_role_policy(state, &name, policy, doc).await?;
    }
    for old in roles::list_role_policies(state, &name).await? {
        if !wanted.iter().any(|(n, _)| *n == old) {
            roles::delete_role_policy(state, &name, &old).await?;
        }
    }
    let record = roles::get_role(state, &name).await?;
    let fields = props
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let change = Change {
        surface: "template",
        operation: if creating { "CreateRole" } else { "UpdateRole" }.into(),
        resource: format!("role/{name}"),
        fields,
    };
    audit::record(state, actor, change).await;
    let attrs = BTreeMap::from([
        ("Arn".to_string(), iam::role_arn(state, &record.path, &name)),
        ("RoleId".to_string(), record.role_id),
    ]);
    Ok((name, attrs))
}
