//! USER_SRP_AUTH: SRP_A answered with PASSWORD_VERIFIER, and the PASSWORD_CLAIM_SIGNATURE
//! checked exactly as Cognito's clients compute it. Device SRP shares the claim check.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::params::{device_key, prevents_user_existence_errors, required_param, unknown_user};
use super::password::identify;
use super::respond::Answer;
use super::session::{self, SessionState};
use super::step::{Challenge, Outcome};
use crate::service::directory::{aliases, keys, lockout, users};
use crate::service::kernel::{crypto, srp};
use crate::service::{fail, hashing, invalid_parameter, now_ms, Error, Exception, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

/// How far a client's TIMESTAMP may be from the server's clock.
const TIMESTAMP_WINDOW_SECONDS: i64 = 300;

/// Step one: answer SRP_A with the PASSWORD_VERIFIER challenge.
pub async fn start(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &HashMap<String, String>,
) -> Result<Outcome> {
    let srp_a = required_param(params, "SRP_A")?;
    let (username, user) = identify(state, pool, client, params).await?;
    let Some(user) = user else {
        if prevents_user_existence_errors(client) {
            return decoy_password_verifier(state, pool, client, username, srp_a).await;
        }
        return unknown_user(client);
    };
    password_verifier_challenge(state, client, &user, srp_a, device_key(params)).await
}

/// For an unknown user, when the client hides whether users exist: a PASSWORD_VERIFIER
/// challenge like a real one (its salt stable per username, as a real salt is), which no
/// answer can pass.
pub async fn decoy_password_verifier(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    username: &str,
    srp_a: &str,
) -> Result<Outcome> {
    let secret = keys::decoy_secret(state, &pool.id).await?;
    // Stable per name as looked up, as a real user's salt and id are: the same in any letter
    // case where the pool ignores case.
    let key = users::username_key(pool, username);
    let digest = crypto::sha256_hex(&secret, &format!("decoy-salt:{key}"));
    let salt = srp::salt_hex(&hex::decode(&digest[..32]).map_err(|e| Error::Internal(e.into()))?);
    // Where users sign in with an email or phone, their stored username is a UUID.
    let shown = if aliases::uses_username_attributes(pool) {
        let id = crypto::sha256_hex(&secret, &format!("decoy-id:{key}"));
        uuid_from_hex(&id)
    } else {
        username.to_string()
    };
    let phantom = UserRecord {
        srp_salt: Some(salt),
        srp_verifier: Some(random_verifier()),
        ..UserRecord::phantom(&pool.id, &shown)
    };
    password_verifier_challenge(state, client, &phantom, srp_a, None).await
}

/// A version-4-shaped UUID made of the first 32 hex digits of `hex`.
fn uuid_from_hex(hex: &str) -> String {
    let h = &hex[..32];
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// Answers a client's SRP_A with the PASSWORD_VERIFIER challenge: SRP_B, the salt, and a
/// SECRET_BLOCK that is also the session.
pub async fn password_verifier_challenge(
    state: &State,
    client: &ClientRecord,
    user: &UserRecord,
    srp_a: &str,
    device_key: Option<String>,
) -> Result<Outcome> {
    let base = SessionState {
        device_key,
        ..SessionState::default()
    };
    password_verifier_challenge_in(state, client, user, srp_a, base).await
}

/// [`password_verifier_challenge`] in a session that already holds `base` (a custom
/// sign-in's history).
pub async fn password_verifier_challenge_in(
    state: &State,
    client: &ClientRecord,
    user: &UserRecord,
    srp_a: &str,
    base: SessionState,
) -> Result<Outcome> {
    if !srp::is_valid_public(srp_a) {
        return invalid_parameter(
            "Invalid SRP_A: it must be a hex number that is not a multiple of N.",
        );
    }
    let (Some(salt), Some(verifier)) = (user.srp_salt.clone(), user.srp_verifier.clone()) else {
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    };
    let (b, big_b) = server_ephemeral(state, verifier, "stored SRP verifier is not hex").await?;
    let st = SessionState {
        username: user.username.clone(),
        srp_b: Some((b, big_b.clone())),
        srp_a: Some(srp_a.to_string()),
        ..base
    };
    let token = session::open(state, client, user, "PASSWORD_VERIFIER", &st).await?;
    let parameters = HashMap::from([
        ("SALT".to_string(), salt),
        ("SECRET_BLOCK".to_string(), token.clone()),
        ("SRP_B".to_string(), big_b),
        ("USERNAME".to_string(), user.username.clone()),
        ("USER_ID_FOR_SRP".to_string(), user.username.clone()),
    ]);
    Ok(Outcome::Challenge(Challenge {
        name: "PASSWORD_VERIFIER",
        session: token,
        parameters,
        available: None,
    }))
}

/// The server's ephemeral pair (b, B) for `verifier`, on the hashing workers.
pub async fn server_ephemeral(
    state: &State,
    verifier: String,
    fault: &'static str,
) -> Result<(String, String)> {
    hashing(state, move |_| srp::server_ephemeral(&verifier))
        .await?
        .ok_or_else(|| Error::Internal(anyhow::anyhow!(fault)))
}

/// PASSWORD_VERIFIER answered: the password is proven when the claim holds.
pub async fn answer_password_verifier(state: &State, a: Answer<'_>) -> Result<Outcome> {
    let attempt = lockout::claim(state, &a.user).await?;
    let Some(verifier) = a.user.srp_verifier.clone() else {
        attempt.failed(state).await?;
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    };
    let pool_name = srp::pool_name(&a.pool.id).to_string();
    if !verify_claim(state, &a, pool_name, a.user.username.clone(), verifier).await? {
        attempt.failed(state).await?;
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    }
    attempt.succeeded(state).await?;
    Ok(Outcome::PasswordProven {
        user: a.user,
        device_key: a.st.device_key,
    })
}

/// A decoy PASSWORD_VERIFIER answered: the lockout claim and the SRP arithmetic a real
/// user's answer costs, against a verifier no password matches, then a wrong password's
/// refusal. Unknown names are locked out as the name typed, as at USER_PASSWORD_AUTH.
pub async fn answer_decoy_password_verifier<T>(state: &State, a: Answer<'_>) -> Result<T> {
    let key = users::username_key(a.pool, &a.user.username);
    let attempt = lockout::claim_unknown(state, &a.pool.id, &key).await?;
    let pool_name = srp::pool_name(&a.pool.id).to_string();
    let user_id = a.user.username.clone();
    verify_claim(state, &a, pool_name, user_id, random_verifier()).await?;
    attempt.failed(state).await?;
    fail(Exception::NotAuthorized, "Incorrect username or password.")
}

/// A verifier-sized random number: no password matches it.
fn random_verifier() -> String {
    let mut random = [0u8; 384];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut random);
    hex::encode(random)
}

/// Checks a PASSWORD_CLAIM_SIGNATURE (PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER) against
/// the session's SRP values and `verifier`, on the hashing workers. Malformed answers are
/// simply false; a malformed or stale TIMESTAMP is an error.
pub async fn verify_claim(
    state: &State,
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
    hashing(state, move |_| {
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
fn check_timestamp(timestamp: &str) -> Result<()> {
    let Some(when) = srp::parse_timestamp(timestamp) else {
        return invalid_parameter("TIMESTAMP must look like 'Tue Nov 5 08:01:02 UTC 2024'.");
    };
    if (when.timestamp() - now_ms() / 1000).abs() > TIMESTAMP_WINDOW_SECONDS {
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    }
    Ok(())
}
