//! The dev outbox: every message that would have been sent, kept in local mode.

use sqlx::FromRow;

use super::{Db, Result};

#[derive(Debug, Clone, FromRow)]
pub struct OutboxRow {
    pub pool_id: String,
    pub username: String,
    pub medium: String,
    pub destination: String,
    pub purpose: String,
    pub code: Option<String>,
    pub subject: Option<String>,
    pub body: String,
    pub sent_at: i64,
}

pub async fn insert(db: &Db, m: &OutboxRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox (pool_id, username, medium, destination, purpose, code, subject, body, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&m.pool_id)
    .bind(&m.username)
    .bind(&m.medium)
    .bind(&m.destination)
    .bind(&m.purpose)
    .bind(&m.code)
    .bind(&m.subject)
    .bind(&m.body)
    .bind(m.sent_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Messages newest first, optionally for one pool and one user.
pub async fn list(
    db: &Db,
    pool_id: Option<&str>,
    username: Option<&str>,
    limit: i64,
) -> Result<Vec<OutboxRow>> {
    Ok(sqlx::query_as(
        "SELECT pool_id, username, medium, destination, purpose, code, subject, body, sent_at FROM outbox \
         WHERE ($1 IS NULL OR pool_id = $1) AND ($2 IS NULL OR username = $2) ORDER BY id DESC LIMIT $3",
    )
    .bind(pool_id)
    .bind(username)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}
