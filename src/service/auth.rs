//! Sign-in: InitiateAuth and AdminInitiateAuth (password, SRP and refresh-token flows), and
//! the steps every first factor goes through before tokens are issued.

use std::collections::HashMap;

use super::choice;
use super::refresh;
use super::session::{self, SessionState};
use super::tokens::{self, Session};
use super::users::{self, CONFIRMED, UNCONFIRMED};
use super::{
    blocking, clients, crypto, devices, fail, ids, invalid_parameter, lockout, mfa, now_ms, pools,
    srp, Exception, Result, State,
};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;
use crate::types::auth::*;

pub const FORCE_CHANGE_PASSWORD: &str = "FORCE_CHANGE_PASSWORD";

const FLOWS: &str = "[USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, \
                     ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]";

/// Which caller started the sign-in: the public API or an administrator.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Caller {
    Public,
    Admin,
}

pub async fn initiate_auth(state: &State, req: InitiateAuthRequest) -> Result<AuthResponse> {
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
) -> Result<AuthResponse> {
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
) -> Result<AuthResponse> {
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
    match required {
        "ALLOW_REFRESH_TOKEN_AUTH" => refresh(state, pool, client, params).await,
        "ALLOW_USER_SRP_AUTH" => start_srp(state, pool, client, params).await,
        "ALLOW_USER_AUTH" => choice::start(state, pool, client, params).await,
        _ => password(state, pool, client, params).await,
    }
}

pub fn required_param<'a>(params: &'a HashMap<String, String>, name: &str) -> Result<&'a str> {
    match params.get(name) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => invalid_parameter(format!("Missing required parameter {name}")),
    }
}

/// The error for an unknown user: hidden behind "Incorrect username or password." when the
/// client prevents user-existence errors.
pub fn unknown_user<T>(client: &ClientRecord) -> Result<T> {
    if prevents_user_existence_errors(client) {
        fail(Exception::NotAuthorized, "Incorrect username or password.")
    } else {
        fail(Exception::UserNotFound, "User does not exist.")
    }
}

async fn password(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &HashMap<String, String>,
) -> Result<AuthResponse> {
    let password = required_param(params, "PASSWORD")?.to_string();
    let (_, user) = identify(state, pool, client, params).await?;
    let user = verify_password(state, client, user, password).await?;
    first_factor_passed(state, pool, client, user, device_key(params)).await
}

/// The USERNAME of an InitiateAuth, its SECRET_HASH checked, and the user it names, if any.
pub async fn identify<'p>(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &'p HashMap<String, String>,
) -> Result<(&'p str, Option<UserRecord>)> {
    let username = required_param(params, "USERNAME")?;
    clients::check_secret_hash(
        client,
        params.get("SECRET_HASH").map(String::as_str),
        &[username],
    )?;
    Ok((username, users::find(state, pool, username).await?))
}

/// Checks `password` for `user`, spending an argon2 verification on unknown users too so
/// that timing does not tell them apart.
pub async fn verify_password(
    state: &State,
    client: &ClientRecord,
    user: Option<UserRecord>,
    password: String,
) -> Result<UserRecord> {
    if let Some(user) = &user {
        lockout::check(state, user).await?;
    }
    let hash = user
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| state.dummy_password_hash.clone());
    let matches = blocking(move || crypto::verify_password(&hash, &password)).await?;
    let Some(user) = user else {
        return unknown_user(client);
    };
    if !matches {
        lockout::failed(state, &user).await?;
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    }
    lockout::succeeded(state, &user).await?;
    Ok(user)
}

/// USER_SRP_AUTH, step one: answer SRP_A with the PASSWORD_VERIFIER challenge.
async fn start_srp(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &HashMap<String, String>,
) -> Result<AuthResponse> {
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
async fn decoy_password_verifier(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    username: &str,
    srp_a: &str,
) -> Result<AuthResponse> {
    let secret = crate::store::keys::find_by_pool(&state.db, &pool.id)
        .await?
        .into_iter()
        .next()
        .map(|k| k.private_key_pem)
        .unwrap_or_default();
    let digest = crypto::sha256_hex(&secret, &format!("decoy-salt:{username}"));
    let salt = srp::salt_hex(&hex::decode(&digest[..32]).unwrap_or_default());
    // Any number will do as the verifier: no password can match it.
    let mut random = [0u8; 384];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut random);
    let verifier = hex::encode(random);
    let phantom = UserRecord {
        pool_id: pool.id.clone(),
        sub: String::new(),
        username: username.to_string(),
        username_key: String::new(),
        status: CONFIRMED.into(),
        enabled: true,
        password_hash: None,
        srp_salt: Some(salt),
        srp_verifier: Some(verifier),
        attributes: Default::default(),
        created_at: 0,
        updated_at: 0,
    };
    password_verifier_challenge(state, client, &phantom, srp_a, None).await
}

fn prevents_user_existence_errors(client: &ClientRecord) -> bool {
    client.settings.prevent_user_existence_errors.as_deref() == Some("ENABLED")
}

/// Answers a client's SRP_A with the PASSWORD_VERIFIER challenge: SRP_B, the salt, and a
/// SECRET_BLOCK that is also the session.
pub async fn password_verifier_challenge(
    state: &State,
    client: &ClientRecord,
    user: &UserRecord,
    srp_a: &str,
    device_key: Option<String>,
) -> Result<AuthResponse> {
    if !srp::is_valid_public(srp_a) {
        return invalid_parameter(
            "Invalid SRP_A: it must be a hex number that is not a multiple of N.",
        );
    }
    let (Some(salt), Some(verifier)) = (user.srp_salt.clone(), user.srp_verifier.clone()) else {
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    };
    let (b, big_b) = blocking(move || srp::server_ephemeral(&verifier))
        .await?
        .ok_or_else(|| super::Error::Internal(anyhow::anyhow!("stored SRP verifier is not hex")))?;
    let st = SessionState {
        username: user.username.clone(),
        srp_b: Some((b, big_b.clone())),
        srp_a: Some(srp_a.to_string()),
        device_key,
        ..SessionState::default()
    };
    let token = session::open(state, client, user, "PASSWORD_VERIFIER", &st).await?;
    let parameters = HashMap::from([
        ("SALT".to_string(), salt),
        ("SECRET_BLOCK".to_string(), token.clone()),
        ("SRP_B".to_string(), big_b),
        ("USERNAME".to_string(), user.username.clone()),
        ("USER_ID_FOR_SRP".to_string(), user.username.clone()),
    ]);
    Ok(AuthResponse {
        challenge_name: Some("PASSWORD_VERIFIER".into()),
        session: Some(token),
        challenge_parameters: parameters,
        authentication_result: None,
        ..AuthResponse::default()
    })
}

/// The DEVICE_KEY an app sent, if any.
pub fn device_key(params: &HashMap<String, String>) -> Option<String> {
    params.get("DEVICE_KEY").filter(|k| !k.is_empty()).cloned()
}

pub fn check_can_sign_in(user: &UserRecord) -> Result<()> {
    if !user.enabled {
        return fail(Exception::NotAuthorized, "User is disabled.");
    }
    match user.status.as_str() {
        CONFIRMED | FORCE_CHANGE_PASSWORD => Ok(()),
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

/// After the password (plain or SRP) was proven: a new password if one is owed, then MFA,
/// then tokens.
pub async fn first_factor_passed(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: UserRecord,
    device_key: Option<String>,
) -> Result<AuthResponse> {
    check_can_sign_in(&user)?;
    let st = SessionState {
        username: user.username.clone(),
        auth_time: now_ms() / 1000,
        device_key,
        ..SessionState::default()
    };
    if user.status == FORCE_CHANGE_PASSWORD {
        check_temporary_password_age(pool, &user)?;
        let shown: HashMap<&String, &String> = user
            .attributes
            .iter()
            .filter(|(k, _)| *k != "sub")
            .collect();
        let parameters = HashMap::from([
            (
                "userAttributes".to_string(),
                serde_json::to_string(&shown).unwrap_or_default(),
            ),
            ("requiredAttributes".to_string(), "[]".to_string()),
        ]);
        return session::challenge(
            state,
            client,
            &user,
            "NEW_PASSWORD_REQUIRED",
            &st,
            parameters,
        )
        .await;
    }
    after_password_change(state, pool, client, user, st).await
}

/// After a one-time code was the first factor (choice-based sign-in): tokens.
pub async fn passwordless_first_factor_passed(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: UserRecord,
    mut st: SessionState,
) -> Result<AuthResponse> {
    check_can_sign_in(&user)?;
    st.auth_time = now_ms() / 1000;
    finish(state, pool, client, &user, &st).await
}

/// A temporary password lasts the pool's TemporaryPasswordValidityDays from when it was set
/// (the user's last change, which is when an administrator set it).
fn check_temporary_password_age(pool: &PoolRecord, user: &UserRecord) -> Result<()> {
    let days = pool
        .settings
        .policies
        .as_ref()
        .and_then(|p| p.password_policy.as_ref())
        .and_then(|p| p.temporary_password_validity_days)
        .unwrap_or(7);
    if now_ms() > user.updated_at + days * 86_400_000 {
        return fail(
            Exception::NotAuthorized,
            "Temporary password has expired and must be reset by an administrator.",
        );
    }
    Ok(())
}

/// A remembered device's proof instead of MFA, else MFA if the pool and user call for it,
/// else tokens.
pub async fn after_password_change(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: UserRecord,
    st: SessionState,
) -> Result<AuthResponse> {
    if devices::remembered(state, pool, &user, st.device_key.as_deref())
        .await?
        .is_some()
    {
        return devices::challenge(state, client, &user, &st).await;
    }
    if let Some(challenge) = mfa::next_challenge(state, pool, client, &user, &st).await? {
        return Ok(challenge);
    }
    finish(state, pool, client, &user, &st).await
}

/// Issues the tokens that end a sign-in.
pub async fn finish(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    st: &SessionState,
) -> Result<AuthResponse> {
    let (device_key, new_device) =
        devices::for_tokens(state, pool, user, st.device_key.as_deref()).await?;
    let session = Session {
        auth_time: st.auth_time,
        origin_jti: ids::uuid(),
        device_key,
    };
    let mut result = tokens::issue(state, pool, client, user, session, true).await?;
    result.new_device_metadata = new_device;
    Ok(AuthResponse {
        authentication_result: Some(result),
        ..AuthResponse::default()
    })
}

async fn refresh(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &HashMap<String, String>,
) -> Result<AuthResponse> {
    let token = required_param(params, "REFRESH_TOKEN")?;
    if refresh::rotation(client).is_some() {
        return invalid_parameter(
            "Refresh token rotation is enabled for this client: refresh with GetTokensFromRefreshToken.",
        );
    }
    let row = tokens::find_refresh_token(state, client, token).await?;
    let user = refresh::owner(state, &row).await?;
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
    let session = Session {
        auth_time: row.auth_time,
        origin_jti: row.origin_jti,
        device_key: row.device_key,
    };
    let result = tokens::issue(state, pool, client, &user, session, false).await?;
    Ok(AuthResponse {
        authentication_result: Some(result),
        ..AuthResponse::default()
    })
}
