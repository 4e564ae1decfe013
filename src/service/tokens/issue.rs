//! Issuing tokens: an ID and an access token signed with the pool's keys, and, for a new
//! sign-in, a refresh token stored hashed.

use serde_json::{Map, Value};

use super::customize::{customize, TokenContext};
use crate::service::triggers::auth::no_metadata;
use crate::service::triggers::tokens::TokenSource;

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
    let why = TokenContext {
        source: TokenSource::Authentication,
        client_metadata: no_metadata(),
        grant: Grant::default(),
    };
    issue_with(state, pool, client, user, session, refresh, &why).await
}

/// What an OAuth2 authorization granted: the access token's scopes, and the ID token's
/// `nonce` and `at_hash`. The default is an API sign-in's.
#[derive(Debug, Clone)]
pub struct Grant {
    pub scope: String,
    pub nonce: Option<String>,
    pub at_hash: bool,
}

impl Default for Grant {
    fn default() -> Self {
        Grant {
            scope: USER_ADMIN_SCOPE.into(),
            nonce: None,
            at_hash: false,
        }
    }
}

/// [`issue`], with the scopes, nonce and at_hash of an OAuth2 grant (PreTokenGeneration
/// hears of it as a hosted sign-in).
pub async fn issue_for_grant(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    session: Session,
    refresh: bool,
    grant: &Grant,
) -> Result<Issued> {
    let why = TokenContext {
        source: TokenSource::HostedAuth,
        client_metadata: no_metadata(),
        grant: grant.clone(),
    };
    issue_with(state, pool, client, user, session, refresh, &why).await
}

/// [`issue`], for a sign-in or refresh that tells PreTokenGeneration why and with what
/// ClientMetadata (and what an OAuth2 grant adds); the trigger runs before anything is
/// signed or stored.
pub async fn issue_with(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    session: Session,
    refresh: bool,
    why: &TokenContext<'_>,
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
        scope: why.grant.scope.clone(),
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
    if let Some(nonce) = &why.grant.nonce {
        attributes.insert("nonce".into(), Value::String(nonce.clone()));
    }
    let id_claims = IdClaims {
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
    };
    let (mut access_claims, mut id_claims) = (object(access_claims)?, object(id_claims)?);
    let who = (pool, client, user);
    customize(
        state,
        who,
        why,
        &group_claims,
        &mut access_claims,
        &mut id_claims,
    )
    .await?;
    let (access_claims, id_claims) = (Value::Object(access_claims), Value::Object(id_claims));
    let (access_token, id_token) =
        sign(state, &pool.id, access_claims, id_claims, why.grant.at_hash).await?;
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

/// Claims as a JSON object, for PreTokenGeneration to change.
fn object(claims: impl serde::Serialize) -> Result<Map<String, Value>> {
    match serde_json::to_value(claims).map_err(|e| Error::Internal(e.into()))? {
        Value::Object(map) => Ok(map),
        _ => Err(Error::Internal(anyhow::anyhow!("claims are not an object"))),
    }
}

/// The ID token's `at_hash` (OpenID Connect Core 3.1.3.6): the left half of the access
/// token's SHA-256, base64url.
pub fn at_hash(access_token: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha256::digest(access_token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16])
}

/// Signs both tokens with the pool's keys, off the async workers; with `with_at_hash`, the
/// ID token carries the access token's hash.
async fn sign(
    state: &State,
    pool_id: &str,
    access_claims: Value,
    mut id_claims: Value,
    with_at_hash: bool,
) -> Result<(String, String)> {
    let pool_keys = keys::for_pool(state, pool_id).await?;
    blocking(move || -> anyhow::Result<(String, String)> {
        let access_token = pool_keys.access.sign(&access_claims)?;
        if with_at_hash {
            id_claims["at_hash"] = Value::String(at_hash(&access_token));
        }
        Ok((access_token, pool_keys.id.sign(&id_claims)?))
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
