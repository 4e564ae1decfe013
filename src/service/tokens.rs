//! ID, access and refresh tokens: issuing them with Cognito's claims, and checking them.

use std::collections::BTreeMap;

use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    blocking, clients, crypto, fail, groups, ids, keys, now_ms, Error, Exception, Result, State,
};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::tokens::{self as token_store, RefreshTokenRow};
use crate::store::users::{self as user_store, UserRecord};
use crate::types::auth::AuthenticationResult;

pub const USER_ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

#[derive(Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: String,
    pub iss: String,
    pub client_id: String,
    pub origin_jti: String,
    pub event_id: String,
    pub token_use: String,
    pub scope: String,
    pub auth_time: i64,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    #[serde(
        rename = "cognito:groups",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cognito_groups: Option<Vec<String>>,
}

#[derive(Debug, Serialize)]
struct IdClaims<'a> {
    sub: &'a str,
    iss: &'a str,
    #[serde(rename = "cognito:username")]
    cognito_username: &'a str,
    origin_jti: &'a str,
    aud: &'a str,
    event_id: &'a str,
    token_use: &'static str,
    auth_time: i64,
    exp: i64,
    iat: i64,
    jti: String,
    #[serde(flatten)]
    attributes: BTreeMap<String, Value>,
}

/// The session a set of tokens belongs to: when the user authenticated, and the id that ties
/// every token issued from one sign-in together.
pub struct Session {
    pub auth_time: i64,
    pub origin_jti: String,
    /// The remembered device the sign-in came from, if any.
    pub device_key: Option<String>,
}

/// Attributes as the ID token carries them: the `*_verified` flags as booleans.
fn id_token_attributes(client: &ClientRecord, user: &UserRecord) -> BTreeMap<String, Value> {
    user.attributes
        .iter()
        .filter(|(k, _)| *k != "sub" && !k.starts_with("dev:") && clients::can_read(client, k))
        .map(|(k, v)| {
            let value = match (k.ends_with("_verified"), v.as_str()) {
                (true, "true") => Value::Bool(true),
                (true, "false") => Value::Bool(false),
                _ => Value::String(v.clone()),
            };
            (k.clone(), value)
        })
        .collect()
}

/// Signs a fresh ID and access token; with `refresh`, also creates a refresh token.
pub async fn issue(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    session: Session,
    refresh: bool,
) -> Result<AuthenticationResult> {
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
    let mut id_attributes = id_token_attributes(client, user);
    group_claims.add_to(&mut id_attributes);
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
        attributes: id_attributes,
    })
    .map_err(|e| Error::Internal(e.into()))?;
    let pool_keys = keys::for_pool(state, &pool.id).await?;
    let (access_token, id_token) = blocking(
        move || -> Result<(String, String), jsonwebtoken::errors::Error> {
            let header = |kid: &str| Header {
                kid: Some(kid.to_string()),
                ..Header::new(Algorithm::RS256)
            };
            let access = &pool_keys.access;
            let id = &pool_keys.id;
            Ok((
                jsonwebtoken::encode(&header(&access.kid), &access_claims, &access.encoding)?,
                jsonwebtoken::encode(&header(&id.kid), &id_claims, &id.encoding)?,
            ))
        },
    )
    .await?
    .map_err(|e| Error::Internal(e.into()))?;

    let refresh_token = if refresh {
        let token = crypto::random_token(48);
        token_store::insert(
            &state.db,
            &RefreshTokenRow {
                token_hash: crypto::sha256_hex("refresh", &token),
                pool_id: pool.id.clone(),
                client_id: client.id.clone(),
                sub: user.sub.clone(),
                origin_jti: session.origin_jti,
                auth_time: session.auth_time,
                expires_at: now_ms() + refresh_life * 1000,
                revoked_at: None,
                created_at: now_ms(),
                device_key: session.device_key,
            },
        )
        .await?;
        Some(token)
    } else {
        None
    };
    Ok(AuthenticationResult {
        access_token,
        expires_in: access_life,
        token_type: "Bearer",
        refresh_token,
        id_token,
        new_device_metadata: None,
    })
}

/// Looks up a refresh token; fails with Cognito's error when it is unknown, expired or revoked,
/// or was issued to another client.
pub async fn find_refresh_token(
    state: &State,
    client: &ClientRecord,
    token: &str,
) -> Result<RefreshTokenRow> {
    let row = token_store::find_by_hash(&state.db, &crypto::sha256_hex("refresh", token)).await?;
    match row {
        Some(r)
            if r.client_id == client.id && r.revoked_at.is_none() && r.expires_at > now_ms() =>
        {
            Ok(r)
        }
        Some(r) if r.client_id == client.id && r.revoked_at.is_some() => {
            fail(Exception::NotAuthorized, "Refresh Token has been revoked")
        }
        Some(r) if r.client_id == client.id => {
            fail(Exception::NotAuthorized, "Refresh Token has expired")
        }
        _ => fail(Exception::NotAuthorized, "Invalid Refresh Token"),
    }
}

/// Checks an access token (signature, issuer, expiry, use) and loads its user.
pub async fn authenticate_access_token(
    state: &State,
    token: &str,
) -> Result<(AccessClaims, UserRecord)> {
    let invalid = || fail(Exception::NotAuthorized, "Invalid Access Token");
    let Ok(header) = jsonwebtoken::decode_header(token) else {
        return invalid();
    };
    let (Some(kid), Some(pool_id)) = (header.kid, unverified_pool_id(token)) else {
        return invalid();
    };
    let Some(key) = keys::verifying_key(state, &pool_id, &kid).await? else {
        return invalid();
    };
    if key.token_use != keys::ACCESS_TOKEN {
        return invalid();
    }
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[state.issuer(&pool_id)]);
    validation.leeway = 0;
    validation.validate_aud = false;
    let claims = match jsonwebtoken::decode::<AccessClaims>(token, &key.decoding, &validation) {
        Ok(data) => data.claims,
        Err(e) if matches!(e.kind(), jsonwebtoken::errors::ErrorKind::ExpiredSignature) => {
            return fail(Exception::NotAuthorized, "Access Token has expired");
        }
        Err(_) => return invalid(),
    };
    if claims.token_use != "access" {
        return invalid();
    }
    if token_store::is_origin_revoked(&state.db, &claims.origin_jti).await? {
        return fail(Exception::NotAuthorized, "Access Token has been revoked");
    }
    let Some(user) = user_store::find_by_sub(&state.db, &pool_id, &claims.sub).await? else {
        return fail(Exception::NotAuthorized, "Access Token has been revoked");
    };
    if !user.enabled {
        return fail(Exception::NotAuthorized, "User is disabled.");
    }
    Ok((claims, user))
}

/// The pool named by an unverified token's issuer; the signature is checked afterwards with
/// that pool's key.
fn unverified_pool_id(token: &str) -> Option<String> {
    use base64::Engine;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    let iss = claims.get("iss")?.as_str()?;
    Some(iss.rsplit('/').next()?.to_string())
}
