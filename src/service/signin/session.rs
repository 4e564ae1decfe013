//! Challenge sessions: the state carried between the steps of one sign-in, stored hashed,
//! answered once, and expiring after the client's AuthSessionValidity.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use super::step::Challenge;
use crate::service::kernel::crypto;
use crate::service::triggers::events::ChallengeResult;
use crate::service::{fail, now_ms, Error, Exception, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::sessions::{self as session_store, SessionRow};
use crate::store::users::UserRecord;

/// What a session remembers between steps.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SessionState {
    pub username: String,
    /// Seconds since the epoch at which the first factor passed; 0 before that.
    #[serde(default)]
    pub auth_time: i64,
    /// The server's SRP ephemeral pair (hex).
    #[serde(default)]
    pub srp_b: Option<(String, String)>,
    /// The client's SRP public value (hex).
    #[serde(default)]
    pub srp_a: Option<String>,
    /// Wrong answers so far.
    #[serde(default)]
    pub attempts: i64,
    /// For MFA_SETUP: the software token was verified within this session.
    #[serde(default)]
    pub totp_verified: bool,
    /// The device the app signs in from (DEVICE_KEY), if it sent one.
    #[serde(default)]
    pub device_key: Option<String>,
    /// A custom sign-in (CUSTOM_AUTH): its history and the challenge awaiting an answer.
    #[serde(default)]
    pub custom: Option<CustomFlow>,
}

/// What a custom sign-in carries between its rounds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CustomFlow {
    /// Every challenge so far and whether it was passed, as DefineAuthChallenge sees them.
    pub history: Vec<ChallengeResult>,
    /// CreateAuthChallenge's private parameters for the challenge awaiting an answer.
    #[serde(default)]
    pub private: HashMap<String, String>,
    #[serde(default)]
    pub metadata: Option<String>,
}

/// Wrong answers allowed to one challenge before the sign-in must start again.
pub const MAX_ATTEMPTS: i64 = 3;

/// A new session token: 64 random bytes, base64 (SRP clients decode SECRET_BLOCK as base64).
fn new_token() -> String {
    let mut bytes = [0u8; 64];
    rand::thread_rng().fill_bytes(&mut bytes);
    STANDARD.encode(bytes)
}

pub fn token_id(token: &str) -> String {
    crypto::sha256_hex("session", token)
}

/// Opens a session for `challenge` and returns its token.
pub async fn open(
    state: &State,
    client: &ClientRecord,
    user: &UserRecord,
    challenge: &str,
    st: &SessionState,
) -> Result<String> {
    let token = new_token();
    let minutes = client.settings.auth_session_validity.unwrap_or(3);
    let now = now_ms();
    session_store::insert(
        &state.db,
        &SessionRow {
            id: token_id(&token),
            pool_id: user.pool_id.clone(),
            client_id: client.id.clone(),
            sub: user.sub.clone(),
            challenge: challenge.into(),
            state: serde_json::to_string(st).map_err(|e| Error::Internal(e.into()))?,
            expires_at: now + minutes * 60_000,
            created_at: now,
        },
    )
    .await?;
    Ok(token)
}

/// Takes the session named by `token`, which must belong to `client` and await `challenge`.
pub async fn take(
    state: &State,
    client: &ClientRecord,
    token: Option<&str>,
    challenge: &str,
) -> Result<(SessionRow, SessionState)> {
    let invalid = || {
        fail(
            Exception::NotAuthorized,
            "Invalid session for the user, session is expired.",
        )
    };
    let Some(token) = token.filter(|t| !t.is_empty() && t.len() <= 4096) else {
        return invalid();
    };
    let Some(row) = session_store::take(&state.db, &token_id(token), now_ms()).await? else {
        return invalid();
    };
    if row.client_id != client.id || row.challenge != challenge {
        return invalid();
    }
    let st: SessionState =
        serde_json::from_str(&row.state).map_err(|e| Error::Internal(e.into()))?;
    Ok((row, st))
}

/// Takes an MFA_SETUP session by its token alone (AssociateSoftwareToken and
/// VerifySoftwareToken name no client): the row says whose it is.
pub async fn take_setup(state: &State, token: &str) -> Result<(SessionRow, SessionState)> {
    let Some(row) = session_store::take(&state.db, &token_id(token), now_ms()).await? else {
        return fail(
            Exception::NotAuthorized,
            "Invalid session for the user, session is expired.",
        );
    };
    if row.challenge != "MFA_SETUP" {
        return fail(Exception::NotAuthorized, "Invalid session for the user.");
    }
    let st: SessionState =
        serde_json::from_str(&row.state).map_err(|e| Error::Internal(e.into()))?;
    Ok((row, st))
}

/// Puts a session back after a wrong answer, under the same token, if attempts remain.
pub async fn retry(
    state: &State,
    token: &str,
    mut row: SessionRow,
    mut st: SessionState,
) -> Result<bool> {
    st.attempts += 1;
    if st.attempts >= MAX_ATTEMPTS {
        return Ok(false);
    }
    row.id = token_id(token);
    row.state = serde_json::to_string(&st).map_err(|e| Error::Internal(e.into()))?;
    session_store::insert(&state.db, &row).await?;
    Ok(true)
}

/// A challenge with a fresh session.
pub async fn challenge(
    state: &State,
    client: &ClientRecord,
    user: &UserRecord,
    name: &'static str,
    st: &SessionState,
    mut parameters: HashMap<String, String>,
) -> Result<Challenge> {
    let session = open(state, client, user, name, st).await?;
    parameters
        .entry("USER_ID_FOR_SRP".into())
        .or_insert_with(|| user.username.clone());
    Ok(Challenge {
        name,
        session,
        parameters,
        available: None,
    })
}
