//! Answering a challenge (RespondToAuthChallenge and its Admin form): the session taken, its
//! user checked, and the answer handed to the factor that asked.

use std::collections::HashMap;

use super::params::{device_key, required_param};
use super::session::{self, SessionState};
use super::step::{Outcome, Step};
use super::{choice, custom, device, mfa, new_password, pipeline, srp};
use crate::service::directory::clients;
use crate::service::{fail, Exception, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::sessions::SessionRow;
use crate::store::users::{self as user_store, UserRecord};

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

/// Answers challenge `name` of the session `session_token` with `responses`.
pub async fn respond(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    name: &str,
    session_token: Option<&str>,
    responses: &HashMap<String, String>,
) -> Result<Step> {
    let meta = crate::service::triggers::auth::no_metadata();
    respond_with(state, (pool, client), name, session_token, responses, meta).await
}

/// [`respond`] with the call's ClientMetadata, which its triggers receive.
pub async fn respond_with(
    state: &State,
    (pool, client): (&PoolRecord, &ClientRecord),
    name: &str,
    session_token: Option<&str>,
    responses: &HashMap<String, String>,
    meta: &HashMap<String, String>,
) -> Result<Step> {
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
    if let Some(key) = device_key(responses) {
        st.device_key = Some(key);
    }
    let found = user_store::find_by_sub(&state.db, &pool.id, &row.sub).await?;
    // A decoy challenge (an unknown user, where the client hides whether users exist) is
    // answered by a phantom that no answer can prove.
    let decoy = found.is_none();
    let user = found.unwrap_or_else(|| UserRecord::phantom(&pool.id, &st.username));
    if !username.eq_ignore_ascii_case(&user.username) && (decoy || username != user.sub) {
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
    if decoy {
        return match name {
            "PASSWORD_VERIFIER" => srp::answer_decoy_password_verifier(state, answer).await,
            _ => fail(Exception::NotAuthorized, "Incorrect username or password."),
        };
    }
    let outcome = match (name, answer.st.custom.is_some()) {
        (custom::CUSTOM_CHALLENGE, _) => custom::answer(state, answer, meta).await?,
        ("PASSWORD_VERIFIER", true) => {
            custom::answer_password_verifier(state, answer, meta).await?
        }
        _ => dispatch(state, name, answer).await?,
    };
    pipeline::advance_with(state, pool, client, outcome, meta).await
}

async fn dispatch(state: &State, name: &str, answer: Answer<'_>) -> Result<Outcome> {
    match name {
        "PASSWORD_VERIFIER" => srp::answer_password_verifier(state, answer).await,
        "NEW_PASSWORD_REQUIRED" => new_password::answer(state, answer).await,
        mfa::TOTP | mfa::SMS | mfa::EMAIL | mfa::SMS_OTP => {
            mfa::answer_code(state, name, answer).await
        }
        "SELECT_MFA_TYPE" => mfa::answer_selection(state, answer).await,
        "MFA_SETUP" => mfa::answer_setup(answer),
        "SELECT_CHALLENGE" => choice::answer_selection(state, answer).await,
        "DEVICE_SRP_AUTH" => device::answer_srp_auth(state, answer).await,
        "DEVICE_PASSWORD_VERIFIER" => device::answer_password_verifier(state, answer).await,
        other => fail(
            Exception::Unsupported,
            format!("Cognate does not support the {other} challenge yet."),
        ),
    }
}
