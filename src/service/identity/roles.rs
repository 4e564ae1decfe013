//! The pool's roles and role mappings (Get/SetIdentityPoolRoles), choosing the role for a
//! set of logins (Token and Rules mappings, AmbiguousRoleResolution), and the principal tag
//! attribute maps (Get/SetPrincipalTagAttributeMap).

use serde_json::Value;

use super::credentials::Proven;
use super::logins::{user_pool_of, Verified};
use super::{load_pool, Admin};
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::identity as store;
use crate::types::identity::*;
use crate::types::Empty;

/// AWS's limit of rules in one role mapping.
const MAX_RULES: usize = 25;

pub async fn get_identity_pool_roles(
    state: &State,
    _: Admin,
    req: PoolIdRequest,
) -> Result<IdentityPoolRoles> {
    let pool = load_pool(state, &req.identity_pool_id).await?;
    Ok(IdentityPoolRoles {
        identity_pool_id: pool.id,
        roles: pool.settings.roles,
        role_mappings: pool.settings.role_mappings,
    })
}

fn check_mapping(key: &str, m: &RoleMapping) -> Result<()> {
    match m.kind.as_str() {
        "Token" => {}
        "Rules" => {
            let rules = m.rules_configuration.as_ref().map_or(0, |r| r.rules.len());
            if rules == 0 || rules > MAX_RULES {
                return invalid_parameter(format!(
                    "Rules role mapping for {key} needs 1 to {MAX_RULES} rules."
                ));
            }
        }
        other => return invalid_parameter(format!("Unknown role mapping type {other}.")),
    }
    if m.ambiguous_role_resolution.is_none() {
        return invalid_parameter(format!(
            "AmbiguousRoleResolution is required for the role mapping of {key}."
        ));
    }
    Ok(())
}

pub async fn set_identity_pool_roles(
    state: &State,
    _: Admin,
    req: IdentityPoolRoles,
) -> Result<Empty> {
    let mut pool = load_pool(state, &req.identity_pool_id).await?;
    for key in req.roles.keys() {
        if key != "authenticated" && key != "unauthenticated" {
            return invalid_parameter(format!(
                "Unknown role type {key}; the roles are authenticated and unauthenticated."
            ));
        }
    }
    for (key, m) in &req.role_mappings {
        check_mapping(key, m)?;
    }
    pool.settings.roles = req.roles;
    pool.settings.role_mappings = req.role_mappings;
    pool.updated_at = now_ms();
    store::update_pool(&state.db, &pool).await?;
    Ok(Empty {})
}

/// The role mapping that applies to a login, if the pool has one for its provider.
fn mapping_for<'a>(
    state: &State,
    settings: &'a IdentityPoolSettings,
    v: &Verified,
) -> Option<&'a RoleMapping> {
    let aud = v
        .claims
        .get("aud")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let pool = user_pool_of(state, &v.provider);
    settings.role_mappings.iter().find_map(|(key, m)| {
        let hit = match (&pool, key.rsplit_once(':')) {
            (Some(pool), Some((name, client))) => {
                user_pool_of(state, name).as_ref() == Some(pool) && client == aud
            }
            _ => key == &v.provider,
        };
        hit.then_some(m)
    })
}

fn claim_strings(v: &Verified, claim: &str) -> Vec<String> {
    match v.claims.get(claim) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
        Some(other) => vec![other.to_string()],
        None => vec![],
    }
}

fn rule_matches(rule: &MappingRule, values: &[String]) -> bool {
    match rule.match_type.as_str() {
        "Equals" => values.contains(&rule.value),
        "Contains" => values.iter().any(|v| v.contains(&rule.value)),
        "StartsWith" => values.iter().any(|v| v.starts_with(&rule.value)),
        "NotEqual" => !values.is_empty() && values.iter().all(|v| *v != rule.value),
        _ => false,
    }
}

/// The role a mapping picks for a login, `None` when it is ambiguous.
fn mapped(m: &RoleMapping, v: &Verified, custom: Option<&str>) -> Option<String> {
    match m.kind.as_str() {
        "Token" => {
            let roles = claim_strings(v, "cognito:roles");
            match custom {
                Some(c) => roles.iter().find(|r| *r == c).cloned(),
                None => claim_strings(v, "cognito:preferred_role")
                    .into_iter()
                    .next(),
            }
        }
        _ => {
            m.rules_configuration.as_ref()?.rules.iter().find_map(|r| {
                rule_matches(r, &claim_strings(v, &r.claim)).then(|| r.role_arn.clone())
            })
        }
    }
}

/// The role for a proven identity: its login's role mapping where the pool has one,
/// otherwise the pool's authenticated or unauthenticated role.
pub fn choose(state: &State, proven: &Proven, custom: Option<&str>) -> Result<String> {
    let settings = &proven.pool.settings;
    let default = |kind: &str| match settings.roles.get(kind) {
        Some(arn) => Ok(arn.clone()),
        None => fail(
            Exception::InvalidIdentityPoolConfiguration,
            "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
        ),
    };
    if !proven.authenticated {
        return default("unauthenticated");
    }
    let with_mapping = proven
        .verified
        .iter()
        .find_map(|v| mapping_for(state, settings, v).map(|m| (m, v)));
    let Some((m, v)) = with_mapping else {
        if custom.is_some() {
            return invalid_parameter(
                "CustomRoleArn needs a Token role mapping for the login's provider.",
            );
        }
        return default("authenticated");
    };
    if let Some(role) = mapped(m, v, custom) {
        return Ok(role);
    }
    match m.ambiguous_role_resolution.as_deref() {
        Some("Deny") => fail(
            Exception::InvalidIdentityPoolConfiguration,
            "No role mapping matched the login and AmbiguousRoleResolution is Deny.",
        ),
        _ => default("authenticated"),
    }
}

pub async fn get_principal_tag_attribute_map(
    state: &State,
    _: Admin,
    req: PrincipalTagMapRequest,
) -> Result<PrincipalTagMapResponse> {
    let pool = load_pool(state, &req.identity_pool_id).await?;
    let map = pool
        .settings
        .principal_tags
        .get(&req.identity_provider_name)
        .cloned()
        .unwrap_or_default();
    Ok(PrincipalTagMapResponse {
        identity_pool_id: pool.id,
        identity_provider_name: req.identity_provider_name,
        use_defaults: map.use_defaults.unwrap_or(true),
        principal_tags: map.principal_tags.unwrap_or_default(),
    })
}

pub async fn set_principal_tag_attribute_map(
    state: &State,
    _: Admin,
    req: PrincipalTagMapRequest,
) -> Result<PrincipalTagMapResponse> {
    let mut pool = load_pool(state, &req.identity_pool_id).await?;
    let map = PrincipalTagMap {
        use_defaults: req.use_defaults,
        principal_tags: req.principal_tags,
    };
    pool.settings
        .principal_tags
        .insert(req.identity_provider_name.clone(), map.clone());
    pool.updated_at = now_ms();
    store::update_pool(&state.db, &pool).await?;
    Ok(PrincipalTagMapResponse {
        identity_pool_id: pool.id,
        identity_provider_name: req.identity_provider_name,
        use_defaults: map.use_defaults.unwrap_or(true),
        principal_tags: map.principal_tags.unwrap_or_default(),
    })
}
