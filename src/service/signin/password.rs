//! The password as first factor: USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH, and the
//! password check every flow shares (lockout, and the same cost for unknown users).

use std::collections::HashMap;

use super::migration;
use super::params::{device_key, prevents_user_existence_errors, required_param, unknown_user};
use super::step::Outcome;
use crate::service::directory::{clients, credentials, lockout, users};
use crate::service::{fail, Exception, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

pub async fn password(
    state: &State,
    (pool, client): (&PoolRecord, &ClientRecord),
    params: &HashMap<String, String>,
    meta: &HashMap<String, String>,
) -> Result<Outcome> {
    let password = required_param(params, "PASSWORD")?;
    let (username, user) = identify(state, pool, client, params).await?;
    let user = match user {
        Some(user) => Some(user),
        None => migration::migrate(state, (pool, client), username, Some(password), meta).await?,
    };
    let user = verify_password(state, pool, client, username, user, password).await?;
    Ok(Outcome::PasswordProven {
        user,
        device_key: device_key(params),
    })
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
/// that timing does not tell them apart, and counting the attempt before it is checked.
/// Where the client hides whether users exist, unknown usernames are locked out alike.
pub async fn verify_password(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    username: &str,
    user: Option<UserRecord>,
    password: &str,
) -> Result<UserRecord> {
    let attempt = match &user {
        Some(user) => Some(lockout::claim(state, user).await?),
        None if prevents_user_existence_errors(client) => {
            let key = users::username_key(pool, username);
            Some(lockout::claim_unknown(state, &pool.id, &key).await?)
        }
        None => None,
    };
    let hash = user.as_ref().and_then(|u| u.password_hash.as_deref());
    let matches = credentials::verify(state, hash, password).await?;
    let (user, attempt) = match (user, attempt) {
        (Some(user), Some(attempt)) => (user, attempt),
        (_, attempt) => {
            if let Some(attempt) = attempt {
                attempt.failed(state).await?;
            }
            return unknown_user(client);
        }
    };
    if !matches || user.password_hash.is_none() {
        attempt.failed(state).await?;
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    }
    attempt.succeeded(state).await?;
    Ok(user)
}
