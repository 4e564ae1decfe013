//! Starting a sign-in (InitiateAuth, AdminInitiateAuth): the flow, checked against the
//! client's ExplicitAuthFlows, picks the first factor.

use std::collections::HashMap;

use super::step::{Caller, Step};
use super::{choice, custom, password, pipeline, refresh, srp};
use crate::service::directory::{clients, users};
use crate::service::triggers;
use crate::service::{invalid_parameter, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;

/// Runs the first step of `flow` with its AuthParameters.
pub async fn start(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    caller: Caller,
    flow: &str,
    params: &HashMap<String, String>,
) -> Result<Step> {
    let meta = triggers::auth::no_metadata();
    start_with(state, pool, client, (caller, flow), params, meta).await
}

/// [`start`] with the call's ClientMetadata, which its triggers receive.
pub async fn start_with(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    (caller, flow): (Caller, &str),
    params: &HashMap<String, String>,
    meta: &HashMap<String, String>,
) -> Result<Step> {
    let required = match (flow, caller) {
        ("USER_PASSWORD_AUTH", Caller::Public) => "ALLOW_USER_PASSWORD_AUTH",
        ("ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH", Caller::Admin) => {
            "ALLOW_ADMIN_USER_PASSWORD_AUTH"
        }
        ("REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN", _) => "ALLOW_REFRESH_TOKEN_AUTH",
        ("USER_SRP_AUTH", _) => "ALLOW_USER_SRP_AUTH",
        ("USER_AUTH", _) => "ALLOW_USER_AUTH",
        ("CUSTOM_AUTH", _) => "ALLOW_CUSTOM_AUTH",
        ("USER_PASSWORD_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH", _) => {
            return invalid_parameter("Initiate Auth method not supported.");
        }
        // The service model's enum refuses anything else before an AWS call gets here.
        _ => return invalid_parameter(format!("Unknown auth flow {flow}.")),
    };
    if !clients::allows(client, required) {
        return invalid_parameter(format!("{flow} flow not enabled for this client"));
    }
    if required == "ALLOW_REFRESH_TOKEN_AUTH" {
        return refresh::refresh(state, pool, client, params, meta).await;
    }
    pre_authentication(state, pool, client, params, meta).await?;
    let outcome = match required {
        "ALLOW_USER_SRP_AUTH" => srp::start(state, pool, client, params).await?,
        "ALLOW_USER_AUTH" => choice::start(state, pool, client, params).await?,
        "ALLOW_CUSTOM_AUTH" => custom::start(state, (pool, client), params, meta).await?,
        _ => password::password(state, (pool, client), params, meta).await?,
    };
    pipeline::advance_with(state, pool, client, outcome, meta).await
}

/// PreAuthentication, before the first factor is checked: for a known user, or for an
/// unknown one where the client hides whether users exist (elsewhere the factor answers
/// UserNotFoundException first, as Cognito does).
async fn pre_authentication(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &HashMap<String, String>,
    meta: &HashMap<String, String>,
) -> Result<()> {
    if !triggers::configured(pool, triggers::Trigger::PreAuthentication) {
        return Ok(());
    }
    let Some(username) = params.get("USERNAME") else {
        return Ok(());
    };
    let user = users::find(state, pool, username).await?;
    if user.is_none() && !client.settings.prevents_user_existence_errors() {
        return Ok(());
    }
    let ctx = triggers::Context {
        pool,
        client_id: Some(&client.id),
        user_name: user
            .as_ref()
            .map_or(username.as_str(), |u| u.username.as_str()),
        client_metadata: meta,
    };
    triggers::auth::pre_authentication(state, &ctx, user.as_ref()).await
}

/// The hosted UI's sign-in: the password first, checked and followed by the same pipeline
/// as InitiateAuth. Cognito's hosted UI signs in whatever the client's ExplicitAuthFlows,
/// which govern only the API; the OAuth settings govern the hosted UI.
pub async fn start_hosted(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &HashMap<String, String>,
) -> Result<Step> {
    let meta = triggers::auth::no_metadata();
    pre_authentication(state, pool, client, params, meta).await?;
    let outcome = password::password(state, (pool, client), params, meta).await?;
    pipeline::advance(state, pool, client, outcome).await
}

/// The hosted UI's choice-based sign-in: the username first, then the factors the pool and
/// the user allow (SELECT_CHALLENGE), through the same pipeline as USER_AUTH.
pub async fn start_hosted_choice(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &HashMap<String, String>,
) -> Result<Step> {
    let meta = triggers::auth::no_metadata();
    pre_authentication(state, pool, client, params, meta).await?;
    let outcome = choice::start(state, pool, client, params).await?;
    pipeline::advance(state, pool, client, outcome).await
}
