//! UserMigration (sources Authentication and ForgotPassword): a user this pool does not know
//! is looked up in the app's old system by its function, which answers with the user's
//! attributes (and how they arrive), or with nothing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::events::{null_false, Metadata};
use super::{call, Context, Trigger};
use crate::service::{Result, State};

/// Why the pool looks a user up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MigrationSource {
    /// A sign-in with a password (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH
    /// with PASSWORD): the function sees the password.
    Authentication,
    ForgotPassword,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserMigrationRequest<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    password: Option<&'a str>,
    validation_data: &'a Metadata,
    client_metadata: &'a Metadata,
}

/// The response as Cognito sends it: every member null.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct Blank {
    user_attributes: Option<()>,
    final_user_status: Option<()>,
    message_action: Option<()>,
    desired_delivery_mediums: Option<()>,
    force_alias_creation: Option<()>,
    #[serde(rename = "enableSMSMFA")]
    enable_sms_mfa: Option<()>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(rename_all = "camelCase")]
struct UserMigrationResponse {
    #[serde(default)]
    user_attributes: Option<BTreeMap<String, Value>>,
    #[serde(default)]
    final_user_status: Option<String>,
    #[serde(default)]
    message_action: Option<String>,
    #[serde(default)]
    desired_delivery_mediums: Option<Vec<String>>,
    #[serde(default, deserialize_with = "null_false")]
    force_alias_creation: bool,
    #[serde(default, rename = "enableSMSMFA", deserialize_with = "null_false")]
    enable_sms_mfa: bool,
}

/// A user the function found: attributes as strings, and the rest of its answer.
#[derive(Debug, Default)]
pub struct Migrated {
    pub attributes: Vec<(String, String)>,
    /// CONFIRMED (the default) or RESET_REQUIRED.
    pub reset_required: bool,
    pub message_action: Option<String>,
    pub desired_delivery_mediums: Vec<String>,
    pub force_alias_creation: bool,
    pub enable_sms_mfa: bool,
}

/// Asks the pool's UserMigration function about `ctx.user_name`; `None` when the pool has
/// none, or the function did not find the user (no `userAttributes`).
pub async fn user_migration(
    state: &State,
    ctx: &Context<'_>,
    source: MigrationSource,
    password: Option<&str>,
) -> Result<Option<Migrated>> {
    let (source, password) = match source {
        MigrationSource::Authentication => ("UserMigration_Authentication", password),
        MigrationSource::ForgotPassword => ("UserMigration_ForgotPassword", None),
    };
    let request = UserMigrationRequest {
        password,
        validation_data: ctx.client_metadata,
        client_metadata: ctx.client_metadata,
    };
    let trigger = Trigger::UserMigration;
    let answer: Option<UserMigrationResponse> =
        call(state, trigger, source, ctx, request, Blank::default()).await?;
    let Some(answer) = answer else {
        return Ok(None);
    };
    let Some(found) = answer.user_attributes.filter(|a| !a.is_empty()) else {
        return Ok(None);
    };
    let attributes = found
        .into_iter()
        .filter_map(|(name, value)| {
            let value = match value {
                Value::String(s) => s,
                Value::Null => return None,
                other => other.to_string(),
            };
            Some((name, value))
        })
        .collect();
    Ok(Some(Migrated {
        attributes,
        reset_required: answer.final_user_status.as_deref() == Some("RESET_REQUIRED")
            || source == "UserMigration_ForgotPassword",
        message_action: answer.message_action,
        desired_delivery_mediums: answer.desired_delivery_mediums.unwrap_or_default(),
        force_alias_creation: answer.force_alias_creation,
        enable_sms_mfa: answer.enable_sms_mfa,
    }))
}
