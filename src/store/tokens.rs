//! Refresh tokens, stored by their SHA-256 hash.

use sqlx::FromRow;

use super::users::{columns_of, UserRecord, UserRow};
use super::{Db, Result};

#[derive(Debug, Clone, FromRow)]
pub struct RefreshTokenRow {
    pub token_hash: String,
    pub pool_id: String,
    pub client_id: String,
    pub sub: String,
    pub origin_jti: String,
    pub auth_time: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub created_at: i64,
    pub device_key: Option<String>,
}

pub async fn insert(db: &Db, t: &RefreshTokenRow) -> Result<()> {
    insert_with(db.pool(), t).await
}

async fn insert_with<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
    t: &RefreshTokenRow,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, pool_id, client_id, sub, origin_jti, auth_time, \
         expires_at, revoked_at, created_at, device_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&t.token_hash)
    .bind(&t.pool_id)
    .bind(&t.client_id)
    .bind(&t.sub)
    .bind(&t.origin_jti)
    .bind(t.auth_time)
    .bind(t.expires_at)
    .bind(t.revoked_at)
    .bind(t.created_at)
    .bind(&t.device_key)
    .execute(executor)
    .await?;
    Ok(())
}

/// The columns of a [`RefreshTokenRow`].
const COLUMNS: &str = "token_hash, pool_id, client_id, sub, origin_jti, auth_time, expires_at, \
                       revoked_at, created_at, device_key";

pub async fn find_by_hash(db: &Db, token_hash: &str) -> Result<Option<RefreshTokenRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM refresh_tokens WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(db.pool())
    .await?)
}

/// A refresh token and its user, in one round trip (a token's user is never missing: its
/// rows go with the user's).
pub async fn find_with_owner(
    db: &Db,
    token_hash: &str,
) -> Result<Option<(RefreshTokenRow, UserRecord)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        token_hash: String,
        client_id: String,
        origin_jti: String,
        auth_time: i64,
        expires_at: i64,
        revoked_at: Option<i64>,
        token_created_at: i64,
        device_key: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {}, t.token_hash, t.client_id, t.origin_jti, t.auth_time, t.expires_at, \
         t.revoked_at, t.created_at AS token_created_at, t.device_key \
         FROM refresh_tokens t JOIN users u ON u.pool_id = t.pool_id AND u.sub = t.sub \
         WHERE t.token_hash = $1",
        columns_of("u")
    ))
    .bind(token_hash)
    .fetch_optional(db.pool())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let user = UserRecord::try_from(r.user)?;
    let token = RefreshTokenRow {
        token_hash: r.token_hash,
        pool_id: user.pool_id.clone(),
        client_id: r.client_id,
        sub: user.sub.clone(),
        origin_jti: r.origin_jti,
        auth_time: r.auth_time,
        expires_at: r.expires_at,
        revoked_at: r.revoked_at,
        created_at: r.token_created_at,
        device_key: r.device_key,
    };
    Ok(Some((token, user)))
}

/// Revokes every live refresh token of a user (global sign-out).
pub async fn revoke_all_for_user(db: &Db, pool_id: &str, sub: &str, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = $1 \
         WHERE pool_id = $2 AND sub = $3 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(pool_id)
    .bind(sub)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Revokes one refresh token by its hash.
pub async fn revoke(db: &Db, token_hash: &str, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = $1 WHERE token_hash = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(token_hash)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Whether the sign-in session `origin_jti` has a revoked refresh token, so that access
/// tokens issued from it no longer count.
pub async fn is_origin_revoked(db: &Db, origin_jti: &str) -> Result<bool> {
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM refresh_tokens WHERE origin_jti = $1 AND revoked_at IS NOT NULL",
    )
    .bind(origin_jti)
    .fetch_one(db.pool())
    .await?;
    Ok(count > 0)
}

/// Rotates a refresh token: stores `new` and lets the old one live on only until
/// `old_expires_at` (the retry grace period), in one transaction.
pub async fn rotate(
    db: &Db,
    old_hash: &str,
    old_expires_at: i64,
    new: &RefreshTokenRow,
) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE refresh_tokens SET expires_at = $1 WHERE token_hash = $2 AND expires_at > $1",
    )
    .bind(old_expires_at)
    .bind(old_hash)
    .execute(&mut *tx)
    .await?;
    insert_with(&mut *tx, new).await?;
    tx.commit().await?;
    Ok(())
}

/// A user's refresh tokens that are neither revoked nor expired, newest first.
pub async fn live_for_user(
    db: &Db,
    pool_id: &str,
    sub: &str,
    now: i64,
) -> Result<Vec<RefreshTokenRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM refresh_tokens \
             WHERE pool_id = $1 AND sub = $2 AND revoked_at IS NULL AND expires_at > $3 \
             ORDER BY created_at DESC, token_hash"
    ))
    .bind(pool_id)
    .bind(sub)
    .bind(now)
    .fetch_all(db.pool())
    .await?)
}

/// Revokes every refresh token of one sign-in session of a user; how many were live.
pub async fn revoke_origin(
    db: &Db,
    pool_id: &str,
    sub: &str,
    origin_jti: &str,
    now: i64,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = $1 \
         WHERE pool_id = $2 AND sub = $3 AND origin_jti = $4 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(pool_id)
    .bind(sub)
    .bind(origin_jti)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}
