//! Sign-in challenge sessions: short-lived, single-use, found by the hash of their token.

use sqlx::FromRow;

use super::{Db, Result};

#[derive(Debug, Clone, FromRow)]
pub struct SessionRow {
    pub id: String,
    pub pool_id: String,
    pub client_id: String,
    pub sub: String,
    pub challenge: String,
    pub state: String,
    pub expires_at: i64,
    pub created_at: i64,
}

pub async fn insert(db: &Db, s: &SessionRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO auth_sessions (id, pool_id, client_id, sub, challenge, state, expires_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&s.id)
    .bind(&s.pool_id)
    .bind(&s.client_id)
    .bind(&s.sub)
    .bind(&s.challenge)
    .bind(&s.state)
    .bind(s.expires_at)
    .bind(s.created_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Removes and returns a live session, so that each is answered at most once. Expired ones
/// are not answered; the periodic sweep (`store::sweep`) removes them.
pub async fn take(db: &Db, id: &str, now: i64) -> Result<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "DELETE FROM auth_sessions WHERE id = $1 AND expires_at >= $2 RETURNING id, pool_id, \
         client_id, sub, challenge, state, expires_at, created_at",
    )
    .bind(id)
    .bind(now)
    .fetch_optional(db.pool())
    .await?)
}
