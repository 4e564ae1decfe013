//! Sign-in: InitiateAuth and AdminInitiateAuth with the password and refresh-token flows.

use std::collections::HashMap;

use super::tokens::{self, Session};
use super::users::{self, CONFIRMED, UNCONFIRMED};
use super::{
    blocking, clients, crypto, fail, ids, invalid_parameter, pools, Exception, Result, State,
};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::users::{self as user_store, UserRecord};
use crate::types::auth::*;

const FLOWS: &str = "[USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, \
                     ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]";

/// Which caller started the sign-in: the public API or an administrator.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Caller {
    Public,
    Admin,
}

pub async fn initiate_auth(
    state: &State,
    req: InitiateAuthRequest,
) -> Result<InitiateAuthResponse> {
    let client = clients::load(state, &req.client_id).await?;
    let pool = pools::load(state, &client.pool_id).await?;
    run_flow(
        state,
        &pool,
        &client,
        Caller::Public,
        &req.auth_flow,
        &req.auth_parameters,
    )
    .await
}

pub async fn admin_initiate_auth(
    state: &State,
    req: AdminInitiateAuthRequest,
) -> Result<InitiateAuthResponse> {
    let client = clients::load_in_pool(state, &req.user_pool_id, &req.client_id).await?;
    let pool = pools::load(state, &client.pool_id).await?;
    run_flow(
        state,
        &pool,
        &client,
        Caller::Admin,
        &req.auth_flow,
        &req.auth_parameters,
    )
    .await
}

async fn run_flow(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    caller: Caller,
    flow: &str,
    params: &HashMap<String, String>,
) -> Result<InitiateAuthResponse> {
    let required = match (flow, caller) {
        ("USER_PASSWORD_AUTH", Caller::Public) => "ALLOW_USER_PASSWORD_AUTH",
        ("ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH", Caller::Admin) => {
            "ALLOW_ADMIN_USER_PASSWORD_AUTH"
        }
        ("REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN", _) => "ALLOW_REFRESH_TOKEN_AUTH",
        ("USER_SRP_AUTH" | "CUSTOM_AUTH" | "USER_AUTH", _) => {
            return fail(
                Exception::Unsupported,
                format!("Cognate does not support the {flow} flow yet."),
            );
        }
        ("USER_PASSWORD_AUTH" | "ADMIN_USER_PASSWORD_AUTH" | "ADMIN_NO_SRP_AUTH", _) => {
            return invalid_parameter("Initiate Auth method not supported.");
        }
        _ => {
            return invalid_parameter(format!(
                "1 validation error detected: Value '{flow}' at 'authFlow' failed to satisfy \
                 constraint: Member must satisfy enum value set: {FLOWS}"
            ))
        }
    };
    if !clients::allows(client, required) {
        return invalid_parameter(format!("{flow} flow not enabled for this client"));
    }
    let authentication_result = if required == "ALLOW_REFRESH_TOKEN_AUTH" {
        refresh(state, pool, client, params).await?
    } else {
        password(state, pool, client, params).await?
    };
    Ok(InitiateAuthResponse {
        challenge_parameters: HashMap::new(),
        authentication_result,
    })
}

fn required_param<'a>(params: &'a HashMap<String, String>, name: &str) -> Result<&'a str> {
    match params.get(name) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => invalid_parameter(format!("Missing required parameter {name}")),
    }
}

async fn password(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &HashMap<String, String>,
) -> Result<AuthenticationResult> {
    let username = required_param(params, "USERNAME")?;
    let password = required_param(params, "PASSWORD")?.to_string();
    clients::check_secret_hash(
        client,
        params.get("SECRET_HASH").map(String::as_str),
        &[username],
    )?;
    let user = users::find(state, pool, username).await?;
    // Unknown users cost an argon2 verification too, so timing does not tell them apart.
    let hash = user
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| state.dummy_password_hash.clone());
    let matches = blocking(move || crypto::verify_password(&hash, &password)).await?;
    let prevent = client.settings.prevent_user_existence_errors.as_deref() == Some("ENABLED");
    let Some(user) = user else {
        return if prevent {
            fail(Exception::NotAuthorized, "Incorrect username or password.")
        } else {
            fail(Exception::UserNotFound, "User does not exist.")
        };
    };
    if !matches {
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    }
    check_can_sign_in(&user)?;
    let session = Session {
        auth_time: super::now_ms() / 1000,
        origin_jti: ids::uuid(),
    };
    tokens::issue(state, pool, client, &user, session, true).await
}

fn check_can_sign_in(user: &UserRecord) -> Result<()> {
    if !user.enabled {
        return fail(Exception::NotAuthorized, "User is disabled.");
    }
    match user.status.as_str() {
        CONFIRMED => Ok(()),
        UNCONFIRMED => fail(Exception::UserNotConfirmed, "User is not confirmed."),
        "RESET_REQUIRED" => fail(
            Exception::PasswordResetRequired,
            "Password reset required for the user",
        ),
        other => fail(
            Exception::NotAuthorized,
            format!("User status {other} cannot sign in."),
        ),
    }
}

async fn refresh(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &HashMap<String, String>,
) -> Result<AuthenticationResult> {
    let token = required_param(params, "REFRESH_TOKEN")?;
    let row = tokens::find_refresh_token(state, client, token).await?;
    let Some(user) = user_store::find_by_sub(&state.db, &pool.id, &row.sub).await? else {
        return fail(Exception::NotAuthorized, "Invalid Refresh Token");
    };
    // The hash may be over the username or, for apps that only kept the token, the sub.
    let username = params
        .get("USERNAME")
        .map(String::as_str)
        .unwrap_or(&user.username);
    clients::check_secret_hash(
        client,
        params.get("SECRET_HASH").map(String::as_str),
        &[username, &user.username, &user.sub],
    )?;
    if !user.enabled {
        return fail(Exception::NotAuthorized, "User is disabled.");
    }
    let session = Session {
        auth_time: row.auth_time,
        origin_jti: row.origin_jti,
    };
    tokens::issue(state, pool, client, &user, session, false).await
}
