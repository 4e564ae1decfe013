//! Counts of failed sign-ins, and until when a user is locked out.

use super::{Db, Result};

/// Until when (epoch ms) the user is locked out; 0 when not.
pub async fn locked_until(db: &Db, pool_id: &str, sub: &str) -> Result<i64> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT locked_until FROM sign_in_failures WHERE pool_id = $1 AND sub = $2")
            .bind(pool_id)
            .bind(sub)
            .fetch_optional(db.pool())
            .await?;
    Ok(row.map_or(0, |r| r.0))
}

/// Counts one more failure and returns the new count.
pub async fn record_failure(db: &Db, pool_id: &str, sub: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "INSERT INTO sign_in_failures (pool_id, sub, failures, locked_until) VALUES ($1, $2, 1, 0) \
         ON CONFLICT (pool_id, sub) DO UPDATE SET failures = sign_in_failures.failures + 1 \
         RETURNING failures",
    )
    .bind(pool_id)
    .bind(sub)
    .fetch_one(db.pool())
    .await?;
    Ok(n)
}

pub async fn lock(db: &Db, pool_id: &str, sub: &str, until: i64) -> Result<()> {
    sqlx::query("UPDATE sign_in_failures SET locked_until = $1 WHERE pool_id = $2 AND sub = $3")
        .bind(until)
        .bind(pool_id)
        .bind(sub)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn clear(db: &Db, pool_id: &str, sub: &str) -> Result<()> {
    sqlx::query("DELETE FROM sign_in_failures WHERE pool_id = $1 AND sub = $2")
        .bind(pool_id)
        .bind(sub)
        .execute(db.pool())
        .await?;
    Ok(())
}
