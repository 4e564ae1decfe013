//! RespondToAuthChallenge and AdminRespondToAuthChallenge: PASSWORD_VERIFIER (SRP),
//! NEW_PASSWORD_REQUIRED, and the MFA challenges.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::auth::{self, required_param};
use super::choice;
use super::session::{self, SessionState};
use super::users::CONFIRMED;
use super::{aliases, attributes};
use super::{
    blocking, clients, devices, fail, invalid_parameter, lockout, mfa, now_ms, password, pools,
    srp, Exception, Result, State,
};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::sessions::SessionRow;
use crate::store::users::{self as user_store, UserRecord};
use crate::types::auth::*;
use crate::types::AttributeType;

const CHALLENGES: &[&str] = &[
    "SMS_MFA",
    "EMAIL_OTP",
    "SOFTWARE_TOKEN_MFA",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "ADMIN_NO_SRP_AUTH",
    "NEW_PASSWORD_REQUIRED",
    "SMS_OTP",
    "PASSWORD",
    "WEB_AUTHN",
    "PASSWORD_SRP",
];

/// How far a client's TIMESTAMP may be from the server's clock.
const TIMESTAMP_WINDOW_SECONDS: i64 = 300;

pub async fn respond_to_auth_challenge(
    state: &State,
    req: RespondToAuthChallengeRequest,
) -> Result<AuthResponse> {
    let client = clients::load(state, &req.client_id).await?;
    let pool = pools::load(state, &client.pool_id).await?;
    respond(
        state,
        &pool,
        &client,
        &req.challenge_name,
        req.session.as_deref(),
        &req.challenge_responses,
    )
    .await
}

pub async fn admin_respond_to_auth_challenge(
    state: &State,
    req: AdminRespondToAuthChallengeRequest,
) -> Result<AuthResponse> {
    let client = clients::load_in_pool(state, &req.user_pool_id, &req.client_id).await?;
    let pool = pools::load(state, &client.pool_id).await?;
    respond(
        state,
        &pool,
        &client,
        &req.challenge_name,
        req.session.as_deref(),
        &req.challenge_responses,
    )
    .await
}

/// One answered challenge, with the session it belonged to and the user it is for.
pub struct Answer<'a> {
    pub pool: &'a PoolRecord,
    pub client: &'a ClientRecord,
    pub token: &'a str,
    pub row: SessionRow,
    pub st: SessionState,
    pub user: UserRecord,
    pub responses: &'a HashMap<String, String>,
}

async fn respond(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    name: &str,
    session_token: Option<&str>,
    responses: &HashMap<String, String>,
) -> Result<AuthResponse> {
    if !CHALLENGES.contains(&name) {
        return invalid_parameter(format!(
            "1 validation error detected: Value '{name}' at 'challengeName' failed to satisfy \
             constraint: Member must satisfy enum value set: [{}]",
            CHALLENGES.join(", ")
        ));
    }
    let username = required_param(responses, "USERNAME")?;
    clients::check_secret_hash(
        client,
        responses.get("SECRET_HASH").map(String::as_str),
        &[username],
    )?;
    // SRP clients send the session back as PASSWORD_CLAIM_SECRET_BLOCK; others as Session.
    let token = match name {
        "PASSWORD_VERIFIER" | "DEVICE_PASSWORD_VERIFIER" => responses
            .get("PASSWORD_CLAIM_SECRET_BLOCK")
            .map(String::as_str)
            .or(session_token),
        _ => session_token,
    }
    .unwrap_or_default();
    let (row, mut st) = session::take(state, client, Some(token), name).await?;
    if let Some(key) = auth::device_key(responses) {
        st.device_key = Some(key);
    }
    let Some(user) = user_store::find_by_sub(&state.db, &pool.id, &row.sub).await? else {
        // A decoy challenge for an unknown user fails as a wrong password would.
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    };
    if !username.eq_ignore_ascii_case(&user.username) && username != user.sub {
        return fail(Exception::NotAuthorized, "Invalid session for the user.");
    }
    let answer = Answer {
        pool,
        client,
        token,
        row,
        st,
        user,
        responses,
    };
    match name {
        "PASSWORD_VERIFIER" => password_verifier(state, answer).await,
        "NEW_PASSWORD_REQUIRED" => new_password(state, answer).await,
        "SOFTWARE_TOKEN_MFA" | "SMS_MFA" | "EMAIL_OTP" | "SMS_OTP" => {
            mfa::answer_code(state, name, answer).await
        }
        "SELECT_MFA_TYPE" => mfa::answer_selection(state, answer).await,
        "MFA_SETUP" => mfa::answer_setup(state, answer).await,
        "SELECT_CHALLENGE" => choice::answer_selection(state, answer).await,
        "DEVICE_SRP_AUTH" => devices::answer_srp_auth(state, answer).await,
        "DEVICE_PASSWORD_VERIFIER" => devices::answer_password_verifier(state, answer).await,
        other => fail(
            Exception::Unsupported,
            format!("Cognate does not support the {other} challenge yet."),
        ),
    }
}

async fn password_verifier(state: &State, a: Answer<'_>) -> Result<AuthResponse> {
    lockout::check(state, &a.user).await?;
    let Some(verifier) = a.user.srp_verifier.clone() else {
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    };
    let pool_name = srp::pool_name(&a.pool.id).to_string();
    if !verify_srp_claim(&a, pool_name, a.user.username.clone(), verifier).await? {
        lockout::failed(state, &a.user).await?;
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    }
    lockout::succeeded(state, &a.user).await?;
    let device_key = a.st.device_key;
    auth::first_factor_passed(state, a.pool, a.client, a.user, device_key).await
}

/// Checks a PASSWORD_CLAIM_SIGNATURE (PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER) against
/// the session's SRP values and `verifier`, off the async workers. Malformed answers are
/// simply false; a malformed or stale TIMESTAMP is an error.
pub async fn verify_srp_claim(
    a: &Answer<'_>,
    pool_name: String,
    user_id: String,
    verifier: String,
) -> Result<bool> {
    let signature = required_param(a.responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = required_param(a.responses, "TIMESTAMP")?.to_string();
    check_timestamp(&timestamp)?;
    let (Ok(signature), Ok(block)) = (STANDARD.decode(signature), STANDARD.decode(a.token)) else {
        return Ok(false);
    };
    let (Some((b, big_b)), Some(srp_a)) = (a.st.srp_b.clone(), a.st.srp_a.clone()) else {
        return Ok(false);
    };
    blocking(move || {
        srp::verify_claim(&srp::Claim {
            pool_name: &pool_name,
            user_id: &user_id,
            verifier: &verifier,
            b: &b,
            big_b: &big_b,
            srp_a: &srp_a,
            secret_block: &block,
            timestamp: &timestamp,
            signature: &signature,
        })
    })
    .await
}

/// A client's TIMESTAMP must be well-formed and near the server's clock; a stale one is
/// refused like a wrong password.
pub fn check_timestamp(timestamp: &str) -> Result<()> {
    let Some(when) = srp::parse_timestamp(timestamp) else {
        return invalid_parameter("TIMESTAMP must look like 'Tue Nov 5 08:01:02 UTC 2024'.");
    };
    if (when.timestamp() - now_ms() / 1000).abs() > TIMESTAMP_WINDOW_SECONDS {
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    }
    Ok(())
}

async fn new_password(state: &State, a: Answer<'_>) -> Result<AuthResponse> {
    let mut user = a.user.clone();
    let checked = check_new_password(state, &a, &mut user).await;
    let new = match checked {
        Ok(new) => new,
        Err(e) => {
            // A rejected password or attribute may be corrected within the same session.
            session::retry(state, a.token, a.row, a.st).await?;
            return Err(e);
        }
    };
    let hashes = password::hash_new(state, &a.pool.id, &user.username, new).await?;
    user.password_hash = Some(hashes.hash);
    user.srp_salt = Some(hashes.srp_salt);
    user.srp_verifier = Some(hashes.srp_verifier);
    user.status = CONFIRMED.into();
    user.updated_at = now_ms();
    user_store::set_password_and_attributes(&state.db, &user).await?;
    auth::after_password_change(state, a.pool, a.client, user, a.st).await
}

/// Checks NEW_PASSWORD against the policy and applies the `userAttributes.*` answers to
/// `user` with the checks of any attribute update (schema, constraints, unique aliases).
async fn check_new_password<'a>(
    state: &State,
    a: &'a Answer<'_>,
    user: &mut UserRecord,
) -> Result<&'a str> {
    let new = required_param(a.responses, "NEW_PASSWORD")?;
    let policy = a
        .pool
        .settings
        .policies
        .clone()
        .and_then(|p| p.password_policy)
        .unwrap_or_default();
    password::check(&policy, new)?;
    let given: Vec<AttributeType> = a
        .responses
        .iter()
        .filter_map(|(key, value)| {
            key.strip_prefix("userAttributes.")
                .map(|name| AttributeType {
                    name: name.to_string(),
                    value: Some(value.clone()),
                })
        })
        .collect();
    clients::check_writable(a.client, given.iter().map(|g| g.name.as_str()))?;
    attributes::check_updates(a.pool, &given)?;
    for attr in given {
        user.attributes
            .insert(attr.name, attr.value.unwrap_or_default());
    }
    aliases::check_unique(state, a.pool, user, false).await?;
    Ok(new)
}
