//! Counts of failed sign-ins, of attempts being checked, and until when a user is locked out.
//! Attempts are claimed before a password is checked, so that parallel guesses cannot outrun
//! the count.

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

/// Why an attempt could not be claimed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Locked out until the back-off ends.
    Locked,
    /// As many attempts as may still fail are being checked right now.
    Busy,
}

/// How attempts are limited: `free` failures before the lock-out, and how long an unfinished
/// attempt counts as being checked.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub free: i64,
    pub in_flight_ms: i64,
}

/// Claims an attempt at `now`: refused while locked out, or while as many attempts are being
/// checked as may still fail before the lock-out (one, once it has begun). The count and the
/// check are one statement, so parallel attempts cannot both pass it.
pub async fn claim(
    db: &Db,
    who: Subject<'_>,
    now: i64,
    limits: Limits,
) -> Result<Result<(), Refused>> {
    let table = who.table();
    let (pool_id, sub) = who.keys();
    let live =
        format!("(CASE WHEN {table}.in_flight_at + $4 <= $3 THEN 0 ELSE {table}.in_flight END)");
    let claimed = sqlx::query(&format!(
        "INSERT INTO {table} (pool_id, sub, failures, locked_until, in_flight, in_flight_at) \
         VALUES ($1, $2, 0, 0, 1, $3) \
         ON CONFLICT (pool_id, sub) DO UPDATE SET in_flight = {live} + 1, in_flight_at = $3 \
         WHERE {table}.locked_until <= $3 AND {live} < \
             (CASE WHEN {table}.failures >= $5 THEN 1 ELSE $5 - {table}.failures END)"
    ))
    .bind(pool_id)
    .bind(sub)
    .bind(now)
    .bind(limits.in_flight_ms)
    .bind(limits.free)
    .execute(db.pool())
    .await?;
    if claimed.rows_affected() > 0 {
        return Ok(Ok(()));
    }
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT locked_until FROM {table} WHERE pool_id = $1 AND sub = $2"
    ))
    .bind(pool_id)
    .bind(sub)
    .fetch_optional(db.pool())
    .await?;
    Ok(Err(match row {
        Some((until,)) if until > now => Refused::Locked,
        _ => Refused::Busy,
    }))
}

/// Records a claimed attempt that failed, and in the same statement locks the subject from
/// `now` for `schedule[n - free]` ms once the failures reach `free` (the last entry beyond).
/// Returns the failures counted so far.
pub async fn record_failure(
    db: &Db,
    who: Subject<'_>,
    now: i64,
    free: i64,
    schedule: &[i64],
) -> Result<i64> {
    let table = who.table();
    let (pool_id, sub) = who.keys();
    let n = format!("({table}.failures + 1)");
    let mut lock = format!("CASE WHEN {n} < {free} THEN {table}.locked_until");
    for (i, ms) in schedule.iter().enumerate() {
        let at = free + i as i64;
        let op = if i + 1 == schedule.len() { ">=" } else { "=" };
        lock.push_str(&format!(" WHEN {n} {op} {at} THEN $3 + {ms}"));
    }
    lock.push_str(&format!(" ELSE {table}.locked_until END"));
    let (count,): (i64,) = sqlx::query_as(&format!(
        "INSERT INTO {table} (pool_id, sub, failures, locked_until, in_flight, in_flight_at) \
         VALUES ($1, $2, 1, 0, 0, 0) \
         ON CONFLICT (pool_id, sub) DO UPDATE SET failures = {n}, locked_until = {lock}, \
         in_flight = CASE WHEN {table}.in_flight > 0 THEN {table}.in_flight - 1 ELSE 0 END \
         RETURNING failures"
    ))
    .bind(pool_id)
    .bind(sub)
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    Ok(count)
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
