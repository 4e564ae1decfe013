//! Users of a user pool.

use std::collections::BTreeMap;

use sqlx::FromRow;

use super::{flag, Db, Result};

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub pool_id: String,
    pub sub: String,
    pub username: String,
    /// The username as looked up: lower-cased in case-insensitive pools.
    pub username_key: String,
    pub status: String,
    pub enabled: bool,
    pub password_hash: Option<String>,
    /// Hex salt and verifier for SRP sign-in, set with every password.
    pub srp_salt: Option<String>,
    pub srp_verifier: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(FromRow)]
struct UserRow {
    pool_id: String,
    sub: String,
    username: String,
    username_key: String,
    status: String,
    enabled: i64,
    password_hash: Option<String>,
    srp_salt: Option<String>,
    srp_verifier: Option<String>,
    attributes: String,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<UserRow> for UserRecord {
    type Error = super::StoreError;
    fn try_from(r: UserRow) -> Result<Self> {
        Ok(UserRecord {
            pool_id: r.pool_id,
            sub: r.sub,
            username: r.username,
            username_key: r.username_key,
            status: r.status,
            enabled: r.enabled != 0,
            password_hash: r.password_hash,
            srp_salt: r.srp_salt,
            srp_verifier: r.srp_verifier,
            attributes: serde_json::from_str(&r.attributes)?,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const COLUMNS: &str = "pool_id, sub, username, username_key, status, enabled, password_hash, \
                       srp_salt, srp_verifier, attributes, created_at, updated_at";

/// Inserts a new user; `StoreError::Conflict` when the username is taken.
pub async fn insert(db: &Db, u: &UserRecord) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO users ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .bind(&u.pool_id)
    .bind(&u.sub)
    .bind(&u.username)
    .bind(&u.username_key)
    .bind(&u.status)
    .bind(flag(u.enabled))
    .bind(&u.password_hash)
    .bind(&u.srp_salt)
    .bind(&u.srp_verifier)
    .bind(serde_json::to_string(&u.attributes)?)
    .bind(u.created_at)
    .bind(u.updated_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn find_by_username_key(db: &Db, pool_id: &str, key: &str) -> Result<Option<UserRecord>> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users WHERE pool_id = $1 AND username_key = $2"
    ))
    .bind(pool_id)
    .bind(key)
    .fetch_optional(db.pool())
    .await?;
    row.map(UserRecord::try_from).transpose()
}

pub async fn find_by_sub(db: &Db, pool_id: &str, sub: &str) -> Result<Option<UserRecord>> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users WHERE pool_id = $1 AND sub = $2"
    ))
    .bind(pool_id)
    .bind(sub)
    .fetch_optional(db.pool())
    .await?;
    row.map(UserRecord::try_from).transpose()
}

/// Sets a user's status and attributes, and removes the code of `consumed_code` in the same
/// transaction. With a code to consume, nothing changes unless that code was still there,
/// so one code confirms at most once. Returns whether the change was made.
pub async fn update_status(
    db: &Db,
    user: &UserRecord,
    consumed_code: Option<&str>,
) -> Result<bool> {
    let mut tx = db.begin().await?;
    if let Some(purpose) = consumed_code {
        let gone =
            sqlx::query("DELETE FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3")
                .bind(&user.pool_id)
                .bind(&user.sub)
                .bind(purpose)
                .execute(&mut *tx)
                .await?;
        if gone.rows_affected() == 0 {
            return Ok(false);
        }
    }
    sqlx::query(
        "UPDATE users SET status = $1, attributes = $2, updated_at = $3 WHERE pool_id = $4 AND sub = $5",
    )
    .bind(&user.status)
    .bind(serde_json::to_string(&user.attributes)?)
    .bind(user.updated_at)
    .bind(&user.pool_id)
    .bind(&user.sub)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Replaces a user's password (argon2 hash and SRP verifier) and sets their status.
pub async fn set_password(db: &Db, user: &UserRecord) -> Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, srp_salt = $2, srp_verifier = $3, status = $4, \
         updated_at = $5 WHERE pool_id = $6 AND sub = $7",
    )
    .bind(&user.password_hash)
    .bind(&user.srp_salt)
    .bind(&user.srp_verifier)
    .bind(&user.status)
    .bind(user.updated_at)
    .bind(&user.pool_id)
    .bind(&user.sub)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Sets a new password together with attributes and status (NEW_PASSWORD_REQUIRED).
pub async fn set_password_and_attributes(db: &Db, user: &UserRecord) -> Result<()> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, srp_salt = $2, srp_verifier = $3, status = $4, \
         attributes = $5, updated_at = $6 WHERE pool_id = $7 AND sub = $8",
    )
    .bind(&user.password_hash)
    .bind(&user.srp_salt)
    .bind(&user.srp_verifier)
    .bind(&user.status)
    .bind(serde_json::to_string(&user.attributes)?)
    .bind(user.updated_at)
    .bind(&user.pool_id)
    .bind(&user.sub)
    .execute(db.pool())
    .await?;
    Ok(())
}
