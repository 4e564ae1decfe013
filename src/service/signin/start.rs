//! Starting a sign-in (InitiateAuth, AdminInitiateAuth): the flow, checked against the
//! client's ExplicitAuthFlows, picks the first factor.

use std::collections::HashMap;

use super::step::{Caller, Step};
use super::{choice, password, pipeline, refresh, srp};
use crate::service::directory::clients;
use crate::service::{fail, invalid_parameter, Exception, Result, State};
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
    let required = match (flow, caller) {
        ("USER_PASSWORD_AUTH", Caller::Public) => "ALLOW_USER_PASSWORD_AUTH",
        ("ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH", Caller::Admin) => {
            "ALLOW_ADMIN_USER_PASSWORD_AUTH"
        }
        ("REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN", _) => "ALLOW_REFRESH_TOKEN_AUTH",
        ("USER_SRP_AUTH", _) => "ALLOW_USER_SRP_AUTH",
        ("USER_AUTH", _) => "ALLOW_USER_AUTH",
        ("CUSTOM_AUTH", _) => {
            return fail(
                Exception::Unsupported,
                format!("Cognate does not support the {flow} flow yet."),
            );
        }
        ("USER_PASSWORD_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH", _) => {
            return invalid_parameter("Initiate Auth method not supported.");
        }
        // The service model's enum refuses anything else before an AWS call gets here.
        _ => return invalid_parameter(format!("Unknown auth flow {flow}.")),
    };
    if !clients::allows(client, required) {
        return invalid_parameter(format!("{flow} flow not enabled for this client"));
    }
    let outcome = match required {
        "ALLOW_REFRESH_TOKEN_AUTH" => return refresh::refresh(state, pool, client, params).await,
        "ALLOW_USER_SRP_AUTH" => srp::start(state, pool, client, params).await?,
        "ALLOW_USER_AUTH" => choice::start(state, pool, client, params).await?,
        _ => password::password(state, pool, client, params).await?,
    };
    pipeline::advance(state, pool, client, outcome).await
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
    let outcome = password::password(state, pool, client, params).await?;
    pipeline::advance(state, pool, client, outcome).await
}
