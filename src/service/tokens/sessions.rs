//! A user's sign-in sessions as an administrator sees them: the live refresh tokens grouped by
//! the sign-in they came from (a rotation keeps its session), and revoking one session, which
//! also ends the access tokens issued from it.

use crate::service::directory::{pools, users};
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::tokens as token_store;

/// One sign-in whose refresh token still works.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInSession {
    /// The id shared by every token of the sign-in (its `origin_jti`).
    pub id: String,
    pub client_id: String,
    /// When the user authenticated, milliseconds since the epoch.
    pub auth_time: i64,
    /// When its newest refresh token stops working.
    pub expires_at: i64,
    pub device_key: Option<String>,
}

/// The live sessions of `username` in `pool_id`, newest first.
pub async fn list(state: &State, pool_id: &str, username: &str) -> Result<Vec<SignInSession>> {
    let pool = pools::load(state, pool_id).await?;
    let user = users::find_or_fail(state, &pool, username).await?;
    let rows = token_store::live_for_user(&state.db, &pool.id, &user.sub, now_ms()).await?;
    let mut out: Vec<SignInSession> = Vec::new();
    for row in rows {
        match out.iter_mut().find(|s| s.id == row.origin_jti) {
            Some(s) => s.expires_at = s.expires_at.max(row.expires_at),
            None => out.push(SignInSession {
                id: row.origin_jti,
                client_id: row.client_id,
                auth_time: row.auth_time,
                expires_at: row.expires_at,
                device_key: row.device_key,
            }),
        }
    }
    Ok(out)
}

/// Revokes the session `id` of `username`: its refresh tokens stop working, and so do the
/// access tokens issued from it. ResourceNotFound when it has no live token.
pub async fn revoke(state: &State, pool_id: &str, username: &str, id: &str) -> Result<()> {
    let pool = pools::load(state, pool_id).await?;
    let user = users::find_or_fail(state, &pool, username).await?;
    if token_store::revoke_origin(&state.db, &pool.id, &user.sub, id, now_ms()).await? == 0 {
        return fail(Exception::ResourceNotFound, "That session is not active.");
    }
    Ok(())
}
