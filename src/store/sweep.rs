//! Removal of rows whose deadline has passed: challenge sessions, one-time codes (users' and
//! unknown usernames'), refresh tokens, the hosted UI's codes, sessions and CSRF tokens, and
//! Cognito Sync's sessions (SyncSessionToken), in bounded batches so that no sweep holds a long lock. Each statement starts from an
//! index on the deadline (migrations 0009, 0013 and 0016, and sync_sessions_by_expiry), so a sweep reads only what it
//! deletes.

use super::{Db, Result};

/// Access and ID tokens live at most a day. A refresh token's row answers "was this sign-in
/// session revoked?" for the access tokens issued from it, so a session's rows stay until
/// the last of them has been expired for that long.
const LONGEST_ACCESS_TOKEN_MS: i64 = 86_400_000;

/// How many rows of each kind one sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub codes: u64,
    pub refresh_tokens: u64,
    /// The hosted UI's authorization codes, browser sessions and CSRF tokens.
    pub hosted: u64,
    /// Cognito Sync's sessions: the SyncSessionTokens ListRecords handed out.
    pub sync_sessions: u64,
}

/// Deletes, `batch` rows at a time, sessions and codes whose deadline is before `now`, and
/// sign-in sessions' refresh tokens that expired more than a day before `now`. A code's row
/// also carries the guesses and codes counted in its limit window (`code_window_ms`): it
/// stays until that window has closed too, so that waiting for a code to expire never
/// resets the count.
pub async fn expired(db: &Db, now: i64, batch: i64, code_window_ms: i64) -> Result<Swept> {
    let sessions = in_batches(
        db,
        "DELETE FROM auth_sessions WHERE id IN \
         (SELECT id FROM auth_sessions WHERE expires_at < $1 LIMIT $2)",
        now,
        batch,
    )
    .await?;
    let mut codes = 0;
    for table in ["codes", "unknown_codes"] {
        codes += in_batches(
            db,
            &format!(
                "DELETE FROM {table} WHERE (pool_id, sub, purpose) IN \
                 (SELECT pool_id, sub, purpose FROM {table} WHERE expires_at < $1 \
                 AND window_started_at + {code_window_ms} < $1 LIMIT $2)"
            ),
            now,
            batch,
        )
        .await?;
    }
    let refresh_tokens = in_batches(
        db,
        "DELETE FROM refresh_tokens WHERE origin_jti IN \
         (SELECT t.origin_jti FROM refresh_tokens t WHERE t.expires_at < $1 AND NOT EXISTS \
          (SELECT 1 FROM refresh_tokens l WHERE l.origin_jti = t.origin_jti AND l.expires_at >= $1) \
          LIMIT $2)",
        now - LONGEST_ACCESS_TOKEN_MS,
        batch,
    )
    .await?;
    let mut hosted = 0;
    for (table, key) in [
        ("oauth_codes", "code_hash"),
        ("hosted_sessions", "id"),
        ("hosted_csrf", "id"),
        ("federation_states", "id"),
    ] {
        hosted += in_batches(
            db,
            &format!(
                "DELETE FROM {table} WHERE {key} IN \
                 (SELECT {key} FROM {table} WHERE expires_at < $1 LIMIT $2)"
            ),
            now,
            batch,
        )
        .await?;
    }
    let sync_sessions = in_batches(
        db,
        "DELETE FROM sync_sessions WHERE token_hash IN \
         (SELECT token_hash FROM sync_sessions WHERE expires_at < $1 LIMIT $2)",
        now,
        batch,
    )
    .await?;
    Ok(Swept {
        sessions,
        codes,
        refresh_tokens,
        hosted,
        sync_sessions,
    })
}

/// Runs `statement` (with the deadline and the batch size) until a batch comes back short.
async fn in_batches(db: &Db, statement: &str, deadline: i64, batch: i64) -> Result<u64> {
    let mut total = 0;
    loop {
        let done = sqlx::query(statement)
            .bind(deadline)
            .bind(batch)
            .execute(db.pool())
            .await?
            .rows_affected();
        total += done;
        if done == 0 || (done as i64) < batch {
            return Ok(total);
        }
    }
}
