//! The password as first factor: USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH, and the
//! password check every flow shares (lockout, and the same cost for unknown users).

use std::collections::HashMap;

use super::params::{device_key, required_param, unknown_user};
use super::step::Outcome;
use crate::service::directory::{clients, credentials, lockout, users};
use crate::service::{fail, Exception, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

pub async fn password(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &HashMap<String, String>,
) -> Result<Outcome> {
    let password = required_param(params, "PASSWORD")?;
    let (_, user) = identify(state, pool, client, params).await?;
    let user = verify_password(state, client, user, password).await?;
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
/// that timing does not tell them apart.
pub async fn verify_password(
    state: &State,
    client: &ClientRecord,
    user: Option<UserRecord>,
    password: &str,
) -> Result<UserRecord> {
    if let Some(user) = &user {
        lockout::check(state, user).await?;
    }
    let hash = user.as_ref().and_then(|u| u.password_hash.as_deref());
    let matches = credentials::verify(state, hash, password).await?;
    let Some(user) = user else {
        return unknown_user(client);
    };
    if !matches || user.password_hash.is_none() {
        lockout::failed(state, &user).await?;
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    }
    lockout::succeeded(state, &user).await?;
    Ok(user)
}
