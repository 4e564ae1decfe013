//! PreTokenGeneration's changes applied to the claims of tokens about to be signed: claims
//! added, overridden and suppressed, groups replaced, access token scopes changed.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::service::directory::groups::GroupClaims;
use crate::service::triggers::events::GroupConfiguration;
use crate::service::triggers::tokens::{self as trigger, TokenSource};
use crate::service::triggers::Context;
use crate::service::{Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

/// Why tokens are issued and the ClientMetadata of the call that asks for them.
pub struct TokenContext<'a> {
    pub source: TokenSource,
    pub client_metadata: &'a HashMap<String, String>,
    /// What an OAuth2 grant adds to the tokens (the default for the API's sign-ins).
    pub grant: super::Grant,
}

/// Runs the pool's PreTokenGeneration (if any) and applies its answer to both tokens' claims.
pub async fn customize(
    state: &State,
    (pool, client, user): (&PoolRecord, &ClientRecord, &UserRecord),
    why: &TokenContext<'_>,
    groups: &GroupClaims,
    access: &mut Map<String, Value>,
    id: &mut Map<String, Value>,
) -> Result<()> {
    if !crate::service::triggers::configured(
        pool,
        crate::service::triggers::Trigger::PreTokenGeneration,
    ) {
        return Ok(());
    }
    let current = GroupConfiguration {
        groups_to_override: Some(groups.groups().unwrap_or_default()),
        iam_roles_to_override: Some(groups.roles()),
        preferred_role: groups.preferred_role(),
    };
    let scopes: Vec<String> = access
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .split_whitespace()
        .map(String::from)
        .collect();
    let ctx = Context {
        pool,
        client_id: Some(&client.id),
        user_name: &user.username,
        client_metadata: why.client_metadata,
    };
    let changes =
        trigger::pre_token_generation(state, &ctx, why.source, user, &current, &scopes).await?;
    trigger::apply(&changes.id, id);
    trigger::apply(&changes.access, access);
    let scopes = trigger::scopes(&changes.access, scopes);
    access.insert("scope".into(), scopes.join(" ").into());
    if let Some(over) = changes.groups {
        override_groups(&over, access, id);
    }
    Ok(())
}

/// Replaces the group claims with those a function chose.
fn override_groups(
    over: &GroupConfiguration,
    access: &mut Map<String, Value>,
    id: &mut Map<String, Value>,
) {
    if let Some(groups) = &over.groups_to_override {
        for claims in [&mut *access, &mut *id] {
            claims.remove("cognito:groups");
            if !groups.is_empty() {
                claims.insert("cognito:groups".into(), groups.clone().into());
            }
        }
    }
    if let Some(roles) = &over.iam_roles_to_override {
        id.remove("cognito:roles");
        if !roles.is_empty() {
            id.insert("cognito:roles".into(), roles.clone().into());
        }
    }
    if let Some(role) = &over.preferred_role {
        id.insert("cognito:preferred_role".into(), role.clone().into());
    }
}
