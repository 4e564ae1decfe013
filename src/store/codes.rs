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

/// Stores a new code, replacing any earlier one for the same purpose.
pub async fn upsert(db: &Db, c: &CodeRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO codes (pool_id, sub, purpose, code_hash, expires_at, attempts, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (pool_id, sub, purpose) DO UPDATE SET code_hash = excluded.code_hash, \
         expires_at = excluded.expires_at, attempts = excluded.attempts, created_at = excluded.created_at",
    )
    .bind(&c.pool_id)
    .bind(&c.sub)
    .bind(&c.purpose)
    .bind(&c.code_hash)
    .bind(c.expires_at)
    .bind(c.attempts)
    .bind(c.created_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn find(db: &Db, pool_id: &str, sub: &str, purpose: &str) -> Result<Option<CodeRow>> {
    Ok(sqlx::query_as(
        "SELECT pool_id, sub, purpose, code_hash, expires_at, attempts, created_at FROM codes \
         WHERE pool_id = $1 AND sub = $2 AND purpose = $3",
    )
    .bind(pool_id)
    .bind(sub)
    .bind(purpose)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn record_failed_attempt(db: &Db, pool_id: &str, sub: &str, purpose: &str) -> Result<()> {
    sqlx::query(
        "UPDATE codes SET attempts = attempts + 1 WHERE pool_id = $1 AND sub = $2 AND purpose = $3",
    )
    .bind(pool_id)
    .bind(sub)
    .bind(purpose)
    .execute(db.pool())
    .await?;
    Ok(())
}
