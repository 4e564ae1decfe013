//! Refresh tokens: finding them, their owner, and new tokens from them, with refresh-token
//! rotation where the client enables it (GetTokensFromRefreshToken; REFRESH_TOKEN_AUTH).

use serde_json::Value;

use super::{Issued, Session};
use crate::service::kernel::crypto;
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::tokens::{self as token_store, RefreshTokenRow};
use crate::store::users::UserRecord;

/// How refresh tokens are stored: hashed, never in the clear.
pub fn token_hash(token: &str) -> String {
    crypto::sha256_hex("refresh", token)
}

/// The client's RefreshTokenRotation: `Some(grace seconds)` when rotation is on.
pub fn rotation(client: &ClientRecord) -> Option<i64> {
    let config = client.settings.refresh_token_rotation.as_ref()?;
    (config.get("Feature").and_then(Value::as_str) == Some("ENABLED")).then(|| {
        config
            .get("RetryGracePeriodSeconds")
            .and_then(Value::as_i64)
            .unwrap_or(0)
    })
}

/// Looks up a refresh token and its user, in one round trip; fails with Cognito's error when
/// the token is unknown, expired or revoked, or was issued to another client, or when its
/// user is disabled.
pub async fn find_refresh_token(
    state: &State,
    client: &ClientRecord,
    token: &str,
) -> Result<(RefreshTokenRow, UserRecord)> {
    let found = token_store::find_with_owner(&state.db, &token_hash(token)).await?;
    let Some((row, user)) = found.filter(|(r, _)| r.client_id == client.id) else {
        return fail(Exception::NotAuthorized, "Invalid Refresh Token");
    };
    if row.revoked_at.is_some() {
        return fail(Exception::NotAuthorized, "Refresh Token has been revoked");
    }
    if row.expires_at <= now_ms() {
        return fail(Exception::NotAuthorized, "Refresh Token has expired");
    }
    if !user.enabled {
        return fail(Exception::NotAuthorized, "User is disabled.");
    }
    Ok((row, user))
}

/// New tokens for the session a refresh token belongs to; with rotation on, a new refresh
/// token replaces the old one, which stays valid for the client's grace period.
pub async fn refresh(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    row: RefreshTokenRow,
    user: &UserRecord,
) -> Result<Issued> {
    let none = crate::service::triggers::auth::no_metadata();
    refresh_with(state, pool, client, row, user, none).await
}

/// [`refresh`] with the ClientMetadata of the call, for PreTokenGeneration.
pub async fn refresh_with(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    row: RefreshTokenRow,
    user: &UserRecord,
    client_metadata: &std::collections::HashMap<String, String>,
) -> Result<Issued> {
    let session = Session {
        auth_time: row.auth_time,
        origin_jti: row.origin_jti.clone(),
        device_key: row.device_key.clone(),
    };
    let why = super::customize::TokenContext {
        source: crate::service::triggers::tokens::TokenSource::RefreshTokens,
        client_metadata,
        grant: Default::default(),
    };
    let mut issued = super::issue_with(state, pool, client, user, session, false, &why).await?;
    if let Some(grace) = rotation(client) {
        let token = crypto::random_token(48);
        let now = now_ms();
        let rotated = RefreshTokenRow {
            token_hash: token_hash(&token),
            created_at: now,
            revoked_at: None,
            ..row.clone()
        };
        token_store::rotate(&state.db, &row.token_hash, now + grace * 1000, &rotated).await?;
        issued.refresh_token = Some(token);
    }
    Ok(issued)
}
