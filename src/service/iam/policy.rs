//! The IAM policy language, by scratchstack-aspen: parsing documents, a role's trust policy
//! against a web identity, and a role's permission policies against a request.
//!
//! Aspen evaluates Action/NotAction, Resource/NotResource, Principal, the condition operators
//! (String*, Numeric*, Date*, Bool, IpAddress, Arn*, Null, ...IfExists) and policy variables
//! such as `${cognito-identity.amazonaws.com:sub}`. It has no set operators, so
//! `ForAnyValue:` / `ForAllValues:` prefixes are read as the plain operator over the key's
//! single value (the amr is matched by its first entry, `authenticated` or `unauthenticated`).

use std::collections::BTreeMap;
use std::str::FromStr;

use scratchstack_arn::Arn;
use scratchstack_aspen::{Context, Decision, Policy, PolicySet, PolicySource};
use scratchstack_aws_principal::{FederatedUser, Principal, SessionData, SessionValue};
use serde_json::Value;

use crate::service::{fail, Error, Exception, Result};

pub const COGNITO_FEDERATION: &str = "cognito-identity.amazonaws.com";

/// Parses a permission policy document.
pub fn parse(document: &str) -> Result<Policy> {
    parse_as(document, false)
}

/// Parses a trust policy: its statements name no resource (the role is the resource).
pub fn parse_trust(document: &str) -> Result<Policy> {
    parse_as(document, true)
}

fn parse_as(document: &str, trust: bool) -> Result<Policy> {
    let malformed = |why: String| fail(Exception::MalformedPolicyDocument, why);
    let Ok(mut value) = serde_json::from_str::<Value>(document) else {
        return malformed("Syntax errors in policy.".into());
    };
    for statement in statements(&mut value) {
        strip_set_operators(statement);
        let has_resource =
            statement.get("Resource").is_some() || statement.get("NotResource").is_some();
        if trust && !has_resource {
            if let Value::Object(map) = statement {
                map.insert("Resource".into(), "*".into());
            }
        }
    }
    match Policy::from_str(&value.to_string()) {
        Ok(policy) => Ok(policy),
        Err(e) => malformed(format!("The policy is not valid: {e}")),
    }
}

fn statements(policy: &mut Value) -> Vec<&mut Value> {
    match policy.get_mut("Statement") {
        Some(Value::Array(list)) => list.iter_mut().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => vec![],
    }
}

fn strip_set_operators(statement: &mut Value) {
    {
        let Some(Value::Object(conditions)) = statement.get_mut("Condition") else {
            return;
        };
        let renamed: serde_json::Map<String, Value> = std::mem::take(conditions)
            .into_iter()
            .map(|(op, v)| {
                let plain = op
                    .strip_prefix("ForAnyValue:")
                    .or_else(|| op.strip_prefix("ForAllValues:"))
                    .unwrap_or(&op)
                    .to_string();
                (plain, v)
            })
            .collect();
        *conditions = renamed;
    }
}

/// The values policies' conditions and variables read, by key.
pub type Keys = BTreeMap<String, String>;

fn session(keys: &Keys) -> SessionData {
    let mut data = SessionData::new();
    for (k, v) in keys {
        data.insert(k, SessionValue::String(v.clone()));
    }
    data
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(anyhow::anyhow!("policy evaluation: {e}"))
}

/// Whether the trust policy lets Cognito's federation assume the role for a web identity
/// with these keys (`cognito-identity.amazonaws.com:aud`, `:amr`, `:sub`).
pub fn trusts_web_identity(document: &str, account: &str, keys: &Keys) -> Result<bool> {
    let policy = parse_trust(document)?;
    let actor = FederatedUser::new("aws", account, COGNITO_FEDERATION).map_err(internal)?;
    let context = Context::builder()
        .service("sts")
        .api("AssumeRoleWithWebIdentity")
        .actor(Principal::from(actor))
        .session_data(session(keys))
        .build()
        .map_err(internal)?;
    Ok(policy.evaluate(&context).map_err(internal)? == Decision::Allow)
}

/// A policy as one policy per statement: aspen's `Policy::evaluate` stops at the first
/// statement that matches, so a Deny after an Allow in the same document would be missed;
/// a policy set gives every explicit Deny precedence, as IAM does.
fn per_statement(document: &str) -> Result<Vec<Policy>> {
    parse(document)?;
    let mut value: Value = serde_json::from_str(document).map_err(internal)?;
    let version = value.get("Version").cloned();
    statements(&mut value)
        .into_iter()
        .map(|statement| {
            let mut one = serde_json::json!({"Statement": [statement.clone()]});
            if let Some(v) = &version {
                one["Version"] = v.clone();
            }
            parse(&one.to_string())
        })
        .collect()
}

/// What the role's policies decide for `action` (`service:Api`) on `resource` (an ARN, or
/// `*`), for a caller `actor` whose session carries `keys`.
pub fn decide(
    policies: &[(String, String)],
    actor: Principal,
    action: &str,
    resource: &str,
    keys: &Keys,
) -> Result<Decision> {
    let Some((service, api)) = action.split_once(':') else {
        return fail(
            Exception::InvalidParameter,
            format!("Action {action:?} is not service:Action."),
        );
    };
    let resources = match resource {
        "*" => vec![],
        arn => match Arn::from_str(arn) {
            Ok(arn) => vec![arn],
            Err(e) => {
                return fail(
                    Exception::InvalidParameter,
                    format!("Resource {arn:?} is not an ARN: {e}"),
                )
            }
        },
    };
    let mut set = PolicySet::new();
    for (name, document) in policies {
        for policy in per_statement(document)? {
            set.add_policy(
                PolicySource::new_entity_inline("", "", name.as_str()),
                policy,
            );
        }
    }
    let context = Context::builder()
        .service(service)
        .api(api)
        .actor(actor)
        .resources(resources)
        .session_data(session(keys))
        .build()
        .map_err(internal)?;
    Ok(set.evaluate(&context).map_err(internal)?.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "Principal":{"Federated":"cognito-identity.amazonaws.com"},
        "Action":"sts:AssumeRoleWithWebIdentity",
        "Condition":{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:pool"},
        "ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]}"#;

    fn keys(aud: &str, amr: &str) -> Keys {
        [
            (format!("{COGNITO_FEDERATION}:aud"), aud.to_string()),
            (format!("{COGNITO_FEDERATION}:amr"), amr.to_string()),
        ]
        .into()
    }

    #[test]
    fn trust_checks_audience_and_amr() {
        assert!(trusts_web_identity(
            TRUST,
            "123456789012",
            &keys("us-east-1:pool", "authenticated")
        )
        .unwrap());
        assert!(!trusts_web_identity(
            TRUST,
            "123456789012",
            &keys("us-east-1:other", "authenticated")
        )
        .unwrap());
        assert!(!trusts_web_identity(
            TRUST,
            "123456789012",
            &keys("us-east-1:pool", "unauthenticated")
        )
        .unwrap());
    }

    #[test]
    fn malformed_documents_are_refused() {
        assert!(parse("{").is_err());
        assert!(
            parse(r#"{"Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}"#).is_err()
        );
    }
}
