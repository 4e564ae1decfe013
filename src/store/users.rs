//! Users of a user pool.

use std::collections::BTreeMap;

use sqlx::FromRow;

use super::mfa::{MfaSummaryRow, MFA_JOIN, MFA_SUMMARY};
use super::{flag, Db, Result, Tx};

/// Cognito's UserStatusType: where a user stands in their life cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserStatus {
    Unconfirmed,
    Confirmed,
    Archived,
    Compromised,
    Unknown,
    ResetRequired,
    ForceChangePassword,
    ExternalProvider,
}

impl UserStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UserStatus::Unconfirmed => "UNCONFIRMED",
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::Archived => "ARCHIVED",
            UserStatus::Compromised => "COMPROMISED",
            UserStatus::Unknown => "UNKNOWN",
            UserStatus::ResetRequired => "RESET_REQUIRED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
            UserStatus::ExternalProvider => "EXTERNAL_PROVIDER",
        }
    }

    /// The status stored as `s`; unknown text reads as UNKNOWN rather than failing the read.
    pub fn parse(s: &str) -> UserStatus {
        [
            UserStatus::Unconfirmed,
            UserStatus::Confirmed,
            UserStatus::Archived,
            UserStatus::Compromised,
            UserStatus::ResetRequired,
            UserStatus::ForceChangePassword,
            UserStatus::ExternalProvider,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
        .unwrap_or(UserStatus::Unknown)
    }
}

impl std::fmt::Display for UserStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub pool_id: String,
    pub sub: String,
    pub username: String,
    /// The username as looked up: lower-cased in case-insensitive pools.
    pub username_key: String,
    pub status: UserStatus,
    pub enabled: bool,
    pub password_hash: Option<String>,
    /// Hex salt and verifier for SRP sign-in, set with every password.
    pub srp_salt: Option<String>,
    pub srp_verifier: Option<String>,
    pub attributes: BTreeMap<String, String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl UserRecord {
    /// A user that is not there, for answers that must look like a real user's (decoy
    /// challenges where the client hides whether users exist). Its sub is empty, so no
    /// stored row ever matches it.
    pub fn phantom(pool_id: &str, username: &str) -> UserRecord {
        UserRecord {
            pool_id: pool_id.to_string(),
            sub: String::new(),
            username: username.to_string(),
            username_key: String::new(),
            status: UserStatus::Confirmed,
            enabled: true,
            password_hash: None,
            srp_salt: None,
            srp_verifier: None,
            attributes: Default::default(),
            created_at: 0,
            updated_at: 0,
        }
    }
}

#[derive(FromRow)]
pub(super) struct UserRow {
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
            status: UserStatus::parse(&r.status),
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

pub(super) const COLUMNS: &str =
    "pool_id, sub, username, username_key, status, enabled, password_hash, \
                       srp_salt, srp_verifier, attributes, created_at, updated_at";

/// Inserts a new user; `StoreError::Conflict` when the username is taken.
pub async fn insert(db: &Db, u: &UserRecord) -> Result<()> {
    let mut tx = db.begin().await?;
    insert_in(&mut tx, u).await?;
    tx.commit().await?;
    Ok(())
}

/// Inserts a new user inside `tx` (with its index rows and alias claims).
pub(super) async fn insert_in(tx: &mut Tx, u: &UserRecord) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO users ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .bind(&u.pool_id)
    .bind(&u.sub)
    .bind(&u.username)
    .bind(&u.username_key)
    .bind(u.status.as_str())
    .bind(flag(u.enabled))
    .bind(&u.password_hash)
    .bind(&u.srp_salt)
    .bind(&u.srp_verifier)
    .bind(serde_json::to_string(&u.attributes)?)
    .bind(u.created_at)
    .bind(u.updated_at)
    .execute(&mut **tx)
    .await?;
    reindex(tx, u).await
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

/// The user an access token names, and whether the sign-in session it came from
/// (`origin_jti`) has been revoked: one round trip for what every bearer call checks.
pub async fn find_by_sub_in_session(
    db: &Db,
    pool_id: &str,
    sub: &str,
    origin_jti: &str,
) -> Result<Option<SessionUser>> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        revoked: i64,
        #[sqlx(flatten)]
        mfa: MfaSummaryRow,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {}, CAST(CASE WHEN EXISTS (SELECT 1 FROM refresh_tokens \
         WHERE origin_jti = $3 AND revoked_at IS NOT NULL) THEN 1 ELSE 0 END AS BIGINT) AS revoked, \
         {MFA_SUMMARY} FROM users u {MFA_JOIN} WHERE u.pool_id = $1 AND u.sub = $2",
        columns_of("u")
    ))
    .bind(pool_id)
    .bind(sub)
    .bind(origin_jti)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| {
        Ok(SessionUser {
            user: UserRecord::try_from(r.user)?,
            revoked: r.revoked != 0,
            mfa: r.mfa,
        })
    })
    .transpose()
}

/// A user found for an access token: whether its session was revoked, and the MFA summary
/// GetUser shows, read in the same round trip.
pub struct SessionUser {
    pub user: UserRecord,
    pub revoked: bool,
    pub mfa: MfaSummaryRow,
}

/// [`COLUMNS`] of the users table under the alias `alias`, for joins.
pub(super) fn columns_of(alias: &str) -> String {
    super::qualified(COLUMNS, alias)
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
        if !consume_code(&mut tx, user, purpose).await? {
            return Ok(false);
        }
    }
    sqlx::query(
        "UPDATE users SET status = $1, attributes = $2, updated_at = $3 WHERE pool_id = $4 AND sub = $5",
    )
    .bind(user.status.as_str())
    .bind(serde_json::to_string(&user.attributes)?)
    .bind(user.updated_at)
    .bind(&user.pool_id)
    .bind(&user.sub)
    .execute(&mut *tx)
    .await?;
    reindex(&mut tx, user).await?;
    tx.commit().await?;
    Ok(true)
}

/// Replaces a user's password (argon2 hash and SRP verifier) and sets their status.
pub async fn set_password(db: &Db, user: &UserRecord) -> Result<()> {
    set_password_with_code(db, user, None).await?;
    Ok(())
}

/// As `set_password`, consuming the code of `consumed_code` in the same transaction: nothing
/// changes unless that code was still there. Returns whether the change was made.
pub async fn set_password_with_code(
    db: &Db,
    user: &UserRecord,
    consumed_code: Option<&str>,
) -> Result<bool> {
    let mut tx = db.begin().await?;
    if let Some(purpose) = consumed_code {
        if !consume_code(&mut tx, user, purpose).await? {
            return Ok(false);
        }
    }
    sqlx::query(
        "UPDATE users SET password_hash = $1, srp_salt = $2, srp_verifier = $3, status = $4, \
         updated_at = $5 WHERE pool_id = $6 AND sub = $7",
    )
    .bind(&user.password_hash)
    .bind(&user.srp_salt)
    .bind(&user.srp_verifier)
    .bind(user.status.as_str())
    .bind(user.updated_at)
    .bind(&user.pool_id)
    .bind(&user.sub)
    .execute(&mut *tx)
    .await?;
    reindex(&mut tx, user).await?;
    tx.commit().await?;
    Ok(true)
}

/// Deletes a user's code inside `tx`; false when it was already gone.
async fn consume_code(tx: &mut Tx, user: &UserRecord, purpose: &str) -> Result<bool> {
    let gone = sqlx::query("DELETE FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3")
        .bind(&user.pool_id)
        .bind(&user.sub)
        .bind(purpose)
        .execute(&mut **tx)
        .await?;
    Ok(gone.rows_affected() > 0)
}

/// Enables or disables a user.
pub async fn set_enabled(db: &Db, user: &UserRecord) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE users SET enabled = $1, updated_at = $2 WHERE pool_id = $3 AND sub = $4")
        .bind(flag(user.enabled))
        .bind(user.updated_at)
        .bind(&user.pool_id)
        .bind(&user.sub)
        .execute(&mut *tx)
        .await?;
    reindex(&mut tx, user).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a user; their codes, tokens, group memberships and index rows go with them.
pub async fn delete(db: &Db, pool_id: &str, sub: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM users WHERE pool_id = $1 AND sub = $2")
        .bind(pool_id)
        .bind(sub)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// The user's legacy SMS MFA options, as the JSON list SetUserSettings stored.
pub async fn find_mfa_options(db: &Db, pool_id: &str, sub: &str) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT mfa_options FROM users WHERE pool_id = $1 AND sub = $2")
            .bind(pool_id)
            .bind(sub)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.and_then(|r| r.0))
}

pub async fn update_mfa_options(db: &Db, user: &UserRecord, options: &str) -> Result<()> {
    sqlx::query(
        "UPDATE users SET mfa_options = $1, updated_at = $2 WHERE pool_id = $3 AND sub = $4",
    )
    .bind(options)
    .bind(user.updated_at)
    .bind(&user.pool_id)
    .bind(&user.sub)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Sets a new password together with attributes and status (NEW_PASSWORD_REQUIRED).
pub async fn set_password_and_attributes(db: &Db, user: &UserRecord) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE users SET password_hash = $1, srp_salt = $2, srp_verifier = $3, status = $4, \
         attributes = $5, updated_at = $6 WHERE pool_id = $7 AND sub = $8",
    )
    .bind(&user.password_hash)
    .bind(&user.srp_salt)
    .bind(&user.srp_verifier)
    .bind(user.status.as_str())
    .bind(serde_json::to_string(&user.attributes)?)
    .bind(user.updated_at)
    .bind(&user.pool_id)
    .bind(&user.sub)
    .execute(&mut *tx)
    .await?;
    reindex(&mut tx, user).await?;
    tx.commit().await?;
    Ok(())
}

/// Attributes ListUsers can filter on, besides the pseudo-attributes of `index_entries`.
pub const SEARCHABLE_ATTRIBUTES: &[&str] = &[
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
];

/// The rows `user_attribute_index` holds for a user: its searchable attributes, and the
/// username (as looked up), sub, status and enabled flag under the names filters use.
pub fn index_entries(u: &UserRecord) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = [
        ("username", u.username_key.as_str()),
        ("sub", u.sub.as_str()),
        ("cognito:user_status", u.status.as_str()),
        ("status", if u.enabled { "Enabled" } else { "Disabled" }),
    ]
    .into_iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect();
    for name in SEARCHABLE_ATTRIBUTES {
        if let Some(v) = u.attributes.get(*name) {
            out.push((name.to_string(), v.clone()));
        }
    }
    // Possible sign-in aliases again, lower-cased, so that pools with case-insensitive
    // usernames find them whatever case is typed.
    for name in ALIAS_ATTRIBUTES {
        if let Some(v) = u.attributes.get(*name) {
            out.push((alias_key(name), v.to_lowercase()));
        }
    }
    out
}

/// Attributes that may serve as sign-in aliases.
pub const ALIAS_ATTRIBUTES: &[&str] = &["email", "phone_number", "preferred_username"];

/// The index name under which an alias attribute's lower-cased value is kept.
pub fn alias_key(name: &str) -> String {
    format!("alias:{name}")
}

/// Rewrites the user's search index rows and alias claims; called inside every transaction
/// that writes a user. `StoreError::AliasTaken` when another user holds one of its aliases.
pub(super) async fn reindex(tx: &mut Tx, u: &UserRecord) -> Result<()> {
    sqlx::query("DELETE FROM user_attribute_index WHERE pool_id = $1 AND sub = $2")
        .bind(&u.pool_id)
        .bind(&u.sub)
        .execute(&mut **tx)
        .await?;
    for (name, value) in index_entries(u) {
        sqlx::query(
            "INSERT INTO user_attribute_index (pool_id, sub, name, value) VALUES ($1, $2, $3, $4)",
        )
        .bind(&u.pool_id)
        .bind(&u.sub)
        .bind(&name)
        .bind(&value)
        .execute(&mut **tx)
        .await?;
    }
    super::aliases::rewrite(tx, u).await
}

/// Up to `limit` of a pool's users with a sub after `after`, in sub order.
pub(super) async fn page_by_sub(
    db: &Db,
    pool_id: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<UserRecord>> {
    let rows: Vec<UserRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM users WHERE pool_id = $1 AND sub > $2 ORDER BY sub LIMIT $3"
    ))
    .bind(pool_id)
    .bind(after)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(UserRecord::try_from).collect()
}

/// Attribute values waiting for verification, as the JSON map `update_pending_attributes` stored.
pub async fn find_pending_attributes(db: &Db, pool_id: &str, sub: &str) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT pending_attributes FROM users WHERE pool_id = $1 AND sub = $2")
            .bind(pool_id)
            .bind(sub)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.and_then(|r| r.0))
}

pub async fn update_pending_attributes(db: &Db, user: &UserRecord, pending: &str) -> Result<()> {
    sqlx::query("UPDATE users SET pending_attributes = $1 WHERE pool_id = $2 AND sub = $3")
        .bind(pending)
        .bind(&user.pool_id)
        .bind(&user.sub)
        .execute(db.pool())
        .await?;
    Ok(())
}
