//! Refreshing a session: GetTokensFromRefreshToken, with refresh-token rotation where the
//! client enables it, and the rules REFRESH_TOKEN_AUTH shares with it.

use serde_json::Value;

use super::tokens::{self, Session};
use super::{clients, crypto, fail, now_ms, pools, Exception, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::tokens::{self as token_store, RefreshTokenRow};
use crate::store::users::{self as user_store, UserRecord};
use crate::types::auth::{GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse};

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

/// The refresh token's user, who must still exist and be enabled.
pub async fn owner(state: &State, row: &RefreshTokenRow) -> Result<UserRecord> {
    match user_store::find_by_sub(&state.db, &row.pool_id, &row.sub).await? {
        Some(user) if user.enabled => Ok(user),
        Some(_) => fail(Exception::NotAuthorized, "User is disabled."),
        None => fail(Exception::NotAuthorized, "Invalid Refresh Token"),
    }
}

pub async fn get_tokens_from_refresh_token(
    state: &State,
    req: GetTokensFromRefreshTokenRequest,
) -> Result<GetTokensFromRefreshTokenResponse> {
    let client = clients::load(state, &req.client_id).await?;
    if let Some(secret) = &client.secret {
        let given = req.client_secret.as_deref().unwrap_or_default();
        if !crypto::constant_time_eq(secret, given) {
            return fail(
                Exception::NotAuthorized,
                format!("Client {} is configured with secret but the secret was not received or is wrong", client.id),
            );
        }
    }
    let pool = pools::load(state, &client.pool_id).await?;
    let row = tokens::find_refresh_token(state, &client, &req.refresh_token).await?;
    let user = owner(state, &row).await?;
    let session = Session {
        auth_time: row.auth_time,
        origin_jti: row.origin_jti.clone(),
        device_key: row.device_key.clone(),
    };
    let mut result = tokens::issue(state, &pool, &client, &user, session, false).await?;
    if let Some(grace) = rotation(&client) {
        let token = crypto::random_token(48);
        let now = now_ms();
        let rotated = RefreshTokenRow {
            token_hash: crypto::sha256_hex("refresh", &token),
            created_at: now,
            revoked_at: None,
            ..row.clone()
        };
        token_store::rotate(&state.db, &row.token_hash, now + grace * 1000, &rotated).await?;
        result.refresh_token = Some(token);
    }
    Ok(GetTokensFromRefreshTokenResponse {
        authentication_result: result,
    })
}
