//! The state of OAuth2 logins: authorization codes (single-use), the grants tokens were
//! issued under, signed-in browser sessions and CSRF tokens, all found by hashes.

use sqlx::FromRow;

use super::{Db, Result};

#[derive(Debug, Clone, FromRow)]
pub struct CodeRow {
    pub code_hash: String,
    pub pool_id: String,
    pub client_id: String,
    pub sub: String,
    /// The authorization request the code answers (JSON).
    pub grant_doc: String,
    pub origin_jti: String,
    pub used_at: Option<i64>,
    pub expires_at: i64,
    pub created_at: i64,
}

pub async fn insert_code(db: &Db, c: &CodeRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO oauth_codes (code_hash, pool_id, client_id, sub, grant_doc, origin_jti, \
         used_at, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&c.code_hash)
    .bind(&c.pool_id)
    .bind(&c.client_id)
    .bind(&c.sub)
    .bind(&c.grant_doc)
    .bind(&c.origin_jti)
    .bind(c.used_at)
    .bind(c.expires_at)
    .bind(c.created_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Marks a code used and returns it as it was: `used_at` set on the returned row means it
/// had been redeemed before (a replay). Only one caller ever sees it unused.
pub async fn redeem_code(db: &Db, code_hash: &str, now: i64) -> Result<Option<CodeRow>> {
    let fresh: Option<CodeRow> = sqlx::query_as(
        "UPDATE oauth_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL \
         RETURNING code_hash, pool_id, client_id, sub, grant_doc, origin_jti, used_at, \
         expires_at, created_at",
    )
    .bind(code_hash)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    if let Some(mut row) = fresh {
        row.used_at = None;
        return Ok(Some(row));
    }
    Ok(sqlx::query_as(
        "SELECT code_hash, pool_id, client_id, sub, grant_doc, origin_jti, used_at, expires_at, \
         created_at FROM oauth_codes WHERE code_hash = $1",
    )
    .bind(code_hash)
    .fetch_optional(db.pool())
    .await?)
}

/// Records the scope a sign-in session's tokens were granted, for refreshes of them.
pub async fn insert_grant(
    db: &Db,
    origin_jti: &str,
    pool_id: &str,
    client_id: &str,
    scope: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO oauth_grants (origin_jti, pool_id, client_id, scope, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (origin_jti) DO NOTHING",
    )
    .bind(origin_jti)
    .bind(pool_id)
    .bind(client_id)
    .bind(scope)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn find_grant_scope(db: &Db, origin_jti: &str) -> Result<Option<String>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT scope FROM oauth_grants WHERE origin_jti = $1")
            .bind(origin_jti)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map(|r| r.0))
}

#[derive(Debug, Clone, FromRow)]
pub struct HostedSessionRow {
    pub id: String,
    pub pool_id: String,
    pub sub: String,
    pub auth_time: i64,
    pub expires_at: i64,
    pub created_at: i64,
}

pub async fn insert_session(db: &Db, s: &HostedSessionRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO hosted_sessions (id, pool_id, sub, auth_time, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&s.id)
    .bind(&s.pool_id)
    .bind(&s.sub)
    .bind(s.auth_time)
    .bind(s.expires_at)
    .bind(s.created_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn find_session(db: &Db, id: &str, now: i64) -> Result<Option<HostedSessionRow>> {
    Ok(sqlx::query_as(
        "SELECT id, pool_id, sub, auth_time, expires_at, created_at FROM hosted_sessions \
         WHERE id = $1 AND expires_at >= $2",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn delete_session(db: &Db, id: &str) -> Result<()> {
    sqlx::query("DELETE FROM hosted_sessions WHERE id = $1")
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn insert_csrf(db: &Db, id: &str, expires_at: i64, now: i64) -> Result<()> {
    sqlx::query("INSERT INTO hosted_csrf (id, expires_at, created_at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(expires_at)
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn csrf_exists(db: &Db, id: &str, now: i64) -> Result<bool> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM hosted_csrf WHERE id = $1 AND expires_at >= $2")
            .bind(id)
            .bind(now)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.is_some())
}

/// Revokes every refresh token of the sign-in session `origin_jti`, and so the access
/// tokens issued with them.
pub async fn revoke_origin(db: &Db, origin_jti: &str, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = $2 WHERE origin_jti = $1 AND revoked_at IS NULL",
    )
    .bind(origin_jti)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}
