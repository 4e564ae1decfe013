//! One-time codes (confirmation, verification, ...), stored hashed, one per user and purpose.

use sqlx::FromRow;

use super::{Db, Result};

#[derive(Debug, Clone, FromRow)]
pub struct CodeRow {
    pub pool_id: String,
    pub sub: String,
    pub purpose: String,
    pub code_hash: String,
    pub expires_at: i64,
    pub attempts: i64,
    pub created_at: i64,
}

/// Whose codes a table holds: users', or (where the client hides whether users exist) those
/// of usernames that name nobody, keyed by the name as looked up, which nobody receives but
/// which are stored, guessed at and limited alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    User,
    Unknown,
}

impl Holder {
    fn table(self) -> &'static str {
        match self {
            Holder::User => "codes",
            Holder::Unknown => "unknown_codes",
        }
    }
}

/// How many codes a user may be sent, and guesses they may make, per purpose and window.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub window_ms: i64,
    pub max_issued: i64,
    pub max_attempts: i64,
}

/// Stores a new code, replacing any earlier one for the same purpose, unless the user was
/// already sent `max_issued` codes in the current window: then nothing changes and this
/// answers false. Failed attempts carry over to the new code until the window closes.
pub async fn issue(db: &Db, holder: Holder, c: &CodeRow, limits: Limits) -> Result<bool> {
    let statement = format!(
        "INSERT INTO {t} (pool_id, sub, purpose, code_hash, expires_at, attempts, created_at, \
         issued, window_started_at) VALUES ($1, $2, $3, $4, $5, 0, $6, 1, $6) \
         ON CONFLICT (pool_id, sub, purpose) DO UPDATE SET code_hash = excluded.code_hash, \
         expires_at = excluded.expires_at, created_at = excluded.created_at, \
         attempts = CASE WHEN {t}.window_started_at + $7 <= excluded.created_at \
             THEN 0 ELSE {t}.attempts END, \
         issued = CASE WHEN {t}.window_started_at + $7 <= excluded.created_at \
             THEN 1 ELSE {t}.issued + 1 END, \
         window_started_at = CASE WHEN {t}.window_started_at + $7 <= excluded.created_at \
             THEN excluded.created_at ELSE {t}.window_started_at END \
         WHERE {t}.window_started_at + $7 <= excluded.created_at OR {t}.issued < $8",
        t = holder.table()
    );
    let done = sqlx::query(&statement)
        .bind(&c.pool_id)
        .bind(&c.sub)
        .bind(&c.purpose)
        .bind(&c.code_hash)
        .bind(c.expires_at)
        .bind(c.created_at)
        .bind(limits.window_ms)
        .bind(limits.max_issued)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Claims one guess at the user's code for `purpose`, atomically: the attempt is counted
/// before the code is compared, so parallel guesses cannot pass the limit. None when there
/// is no code or no guess left.
pub async fn claim_attempt(
    db: &Db,
    holder: Holder,
    pool_id: &str,
    sub: &str,
    purpose: &str,
    max_attempts: i64,
) -> Result<Option<CodeRow>> {
    let statement = format!(
        "UPDATE {} SET attempts = attempts + 1 \
         WHERE pool_id = $1 AND sub = $2 AND purpose = $3 AND attempts < $4 \
         RETURNING pool_id, sub, purpose, code_hash, expires_at, attempts, created_at",
        holder.table()
    );
    Ok(sqlx::query_as(&statement)
        .bind(pool_id)
        .bind(sub)
        .bind(purpose)
        .bind(max_attempts)
        .fetch_optional(db.pool())
        .await?)
}

pub async fn find(
    db: &Db,
    holder: Holder,
    pool_id: &str,
    sub: &str,
    purpose: &str,
) -> Result<Option<CodeRow>> {
    let statement = format!(
        "SELECT pool_id, sub, purpose, code_hash, expires_at, attempts, created_at FROM {} \
         WHERE pool_id = $1 AND sub = $2 AND purpose = $3",
        holder.table()
    );
    Ok(sqlx::query_as(&statement)
        .bind(pool_id)
        .bind(sub)
        .bind(purpose)
        .fetch_optional(db.pool())
        .await?)
}

/// Deletes the code for `purpose`; false when there was none.
pub async fn delete(db: &Db, pool_id: &str, sub: &str, purpose: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM codes WHERE pool_id = $1 AND sub = $2 AND purpose = $3")
        .bind(pool_id)
        .bind(sub)
        .bind(purpose)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}
