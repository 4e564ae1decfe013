//! Issuing tokens: an ID and an access token signed with the pool's keys, and, for a new
//! sign-in, a refresh token stored hashed.

use serde_json::Value;

use super::claims::{id_token_attributes, AccessClaims, IdClaims, USER_ADMIN_SCOPE};
use super::{Issued, Session};
use crate::service::directory::{clients, groups, keys};
use crate::service::kernel::{crypto, ids};
use crate::service::{blocking, now_ms, Error, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::tokens::{self as token_store, RefreshTokenRow};
use crate::store::users::UserRecord;

/// Signs a fresh ID and access token; with `refresh`, also creates a refresh token.
pub async fn issue(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    session: Session,
    refresh: bool,
) -> Result<Issued> {
    let (access_life, id_life, refresh_life) = clients::token_lifetimes(&client.settings);
    let now_s = now_ms() / 1000;
    let issuer = state.issuer(&pool.id);
    let event_id = ids::uuid();
    let group_claims = groups::token_claims(state, &pool.id, &user.sub).await?;
    let access_claims = AccessClaims {
        sub: user.sub.clone(),
        iss: issuer.clone(),
        client_id: client.id.clone(),
        origin_jti: session.origin_jti.clone(),
        event_id: event_id.clone(),
        token_use: "access".into(),
        scope: USER_ADMIN_SCOPE.into(),
        auth_time: session.auth_time,
        exp: now_s + access_life,
        iat: now_s,
        jti: ids::uuid(),
        username: user.username.clone(),
        device_key: session.device_key.clone(),
        cognito_groups: group_claims.groups(),
    };
    let mut attributes = id_token_attributes(client, user);
    group_claims.add_to(&mut attributes);
    let id_claims = serde_json::to_value(IdClaims {
        sub: &user.sub,
        iss: &issuer,
        cognito_username: &user.username,
        origin_jti: &session.origin_jti,
        aud: &client.id,
        event_id: &event_id,
        token_use: "id",
        auth_time: session.auth_time,
        exp: now_s + id_life,
        iat: now_s,
        jti: ids::uuid(),
        attributes,
    })
    .map_err(|e| Error::Internal(e.into()))?;
    let (access_token, id_token) = sign(state, &pool.id, access_claims, id_claims).await?;
    let refresh_token = match refresh {
        true => Some(new_refresh_token(state, pool, client, user, session, refresh_life).await?),
        false => None,
    };
    Ok(Issued {
        access_token,
        id_token,
        refresh_token,
        expires_in: access_life,
        new_device: None,
    })
}

/// Signs both tokens with the pool's keys, off the async workers.
async fn sign(
    state: &State,
    pool_id: &str,
    access_claims: AccessClaims,
    id_claims: Value,
) -> Result<(String, String)> {
    let pool_keys = keys::for_pool(state, pool_id).await?;
    blocking(move || -> anyhow::Result<(String, String)> {
        Ok((
            pool_keys.access.sign(&access_claims)?,
            pool_keys.id.sign(&id_claims)?,
        ))
    })
    .await?
    .map_err(Error::Internal)
}

async fn new_refresh_token(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    session: Session,
    lifetime_s: i64,
) -> Result<String> {
    let token = crypto::random_token(48);
    let now = now_ms();
    token_store::insert(
        &state.db,
        &RefreshTokenRow {
            token_hash: super::refresh::token_hash(&token),
            pool_id: pool.id.clone(),
            client_id: client.id.clone(),
            sub: user.sub.clone(),
            origin_jti: session.origin_jti,
            auth_time: session.auth_time,
            expires_at: now + lifetime_s * 1000,
            revoked_at: None,
            created_at: now,
            device_key: session.device_key,
        },
    )
    .await?;
    Ok(token)
}
