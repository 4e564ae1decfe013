//! Counts of sign-in attempts, and until when a user is locked out. Attempts are claimed
//! before a password is checked, so that parallel guesses cannot outrun the count.

use super::{Db, Result};

/// Whose attempts are counted: a user, or (where the client hides whether users exist) a
/// username that names nobody, keyed by the name as looked up.
#[derive(Clone, Copy, Debug)]
pub enum Subject<'a> {
    User { pool_id: &'a str, sub: &'a str },
    Unknown { pool_id: &'a str, key: &'a str },
}

impl Subject<'_> {
    fn table(&self) -> &'static str {
        match self {
            Subject::User { .. } => "sign_in_failures",
            Subject::Unknown { .. } => "unknown_sign_in_failures",
        }
    }

    fn keys(&self) -> (&str, &str) {
        match *self {
            Subject::User { pool_id, sub } => (pool_id, sub),
            Subject::Unknown { pool_id, key } => (pool_id, key),
        }
    }
}

/// Counts one attempt unless the subject is locked out at `now`; returns the new count, or
/// None while locked. The attempt that reaches `free` locks the subject for `in_flight_ms`
/// at once, so that no other attempt runs beside it; its outcome then sets the real lock.
pub async fn claim(
    db: &Db,
    who: Subject<'_>,
    now: i64,
    free: i64,
    in_flight_ms: i64,
) -> Result<Option<i64>> {
    let table = who.table();
    let (pool_id, sub) = who.keys();
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "INSERT INTO {table} (pool_id, sub, failures, locked_until) \
         VALUES ($1, $2, 1, CASE WHEN 1 >= $4 THEN $3 + $5 ELSE 0 END) \
         ON CONFLICT (pool_id, sub) DO UPDATE SET failures = {table}.failures + 1, \
         locked_until = CASE WHEN {table}.failures + 1 >= $4 THEN $3 + $5 \
             ELSE {table}.locked_until END \
         WHERE {table}.locked_until <= $3 RETURNING failures"
    ))
    .bind(pool_id)
    .bind(sub)
    .bind(now)
    .bind(free)
    .bind(in_flight_ms)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| r.0))
}

pub async fn lock(db: &Db, who: Subject<'_>, until: i64) -> Result<()> {
    let (pool_id, sub) = who.keys();
    sqlx::query(&format!(
        "UPDATE {} SET locked_until = $1 WHERE pool_id = $2 AND sub = $3",
        who.table()
    ))
    .bind(until)
    .bind(pool_id)
    .bind(sub)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn clear(db: &Db, who: Subject<'_>) -> Result<()> {
    let (pool_id, sub) = who.keys();
    sqlx::query(&format!(
        "DELETE FROM {} WHERE pool_id = $1 AND sub = $2",
        who.table()
    ))
    .bind(pool_id)
    .bind(sub)
    .execute(db.pool())
    .await?;
    Ok(())
}
