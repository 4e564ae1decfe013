//! The REST admin API's bearer tokens, stored as their SHA-256 only.

use super::{Db, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: i64,
}

pub async fn insert(db: &Db, id: &str, name: &str, token_hash: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO admin_tokens (id, name, token_hash, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(name)
    .bind(token_hash)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The token's name, marking it used at `now`.
pub async fn find_by_hash(db: &Db, token_hash: &str, now: i64) -> Result<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE admin_tokens SET last_used_at = $2 WHERE token_hash = $1 RETURNING name",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(name,)| name))
}

pub async fn list(db: &Db) -> Result<Vec<TokenRow>> {
    let rows: Vec<(String, String, i64, i64)> =
        sqlx::query_as("SELECT id, name, created_at, last_used_at FROM admin_tokens ORDER BY name")
            .fetch_all(db.pool())
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, created_at, last_used_at)| TokenRow {
            id,
            name,
            created_at,
            last_used_at,
        })
        .collect())
}

/// Whether a token of that name existed.
pub async fn delete_by_name(db: &Db, name: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM admin_tokens WHERE name = $1")
        .bind(name)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}
