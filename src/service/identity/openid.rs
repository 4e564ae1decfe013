//! The OpenID tokens identity pools issue (GetOpenIdToken, the developer flow): RS256 JWTs
//! of issuer `https://cognito-identity.amazonaws.com`, `aud` the pool, `sub` the identity,
//! `amr` how it signed in; signed with one server-wide key kept sealed in the database.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{json, Map, Value};

use crate::service::directory::keys;
use crate::service::{blocking, fail, now_ms, Error, Exception, Result, State};
use crate::store::iam::{self as store, OpenIdKey};

pub const ISSUER: &str = "https://cognito-identity.amazonaws.com";

/// The default lifetime of an OpenID token, and the longest a developer may ask for.
pub const DEFAULT_LIFETIME_S: i64 = 600;
pub const MAX_LIFETIME_S: i64 = 86400;

async fn key(state: &State) -> Result<OpenIdKey> {
    if let Some(key) = store::find_openid_key(&state.db).await? {
        return Ok(key);
    }
    let row = keys::generate("", "openid", now_ms()).await?;
    let key = (row.kid, row.private_key_pem, row.modulus, row.exponent);
    store::insert_openid_key(&state.db, &key, now_ms()).await?;
    // Another instance may have stored one first: use whichever the database keeps.
    store::find_openid_key(&state.db).await?.map_or_else(
        || Err(Error::Internal(anyhow::anyhow!("openid key vanished"))),
        Ok,
    )
}

/// Signs an OpenID token for `identity_id` of `pool_id`.
pub async fn sign(
    state: &State,
    pool_id: &str,
    identity_id: &str,
    amr: Vec<String>,
    lifetime_s: i64,
) -> Result<String> {
    let (kid, pem, _, _) = key(state).await?;
    let now = now_ms() / 1000;
    let claims = json!({
        "iss": ISSUER, "sub": identity_id, "aud": pool_id, "amr": amr,
        "iat": now, "exp": now + lifetime_s, "https://aws.amazon.com/tags": {"principal_tags": {}},
    });
    blocking(move || -> Result<String> {
        let encoding =
            EncodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| Error::Internal(e.into()))?;
        let header = Header {
            kid: Some(kid),
            ..Header::new(Algorithm::RS256)
        };
        jsonwebtoken::encode(&header, &claims, &encoding).map_err(|e| Error::Internal(e.into()))
    })
    .await?
}

/// Checks an OpenID token's signature, issuer and expiry; with `pool_id`, its audience too.
pub async fn verify_claims(
    state: &State,
    token: &str,
    pool_id: Option<&str>,
) -> Result<Map<String, Value>> {
    let (kid, _, n, e) = key(state).await?;
    let invalid = || {
        fail(
            Exception::NotAuthorized,
            "Invalid login token. Not a valid OpenId Connect identity token.",
        )
    };
    let header = match jsonwebtoken::decode_header(token) {
        Ok(h) if h.kid.as_deref() == Some(kid.as_str()) => h,
        _ => return invalid(),
    };
    let decoding =
        DecodingKey::from_rsa_components(&n, &e).map_err(|e| Error::Internal(e.into()))?;
    let mut validation = Validation::new(header.alg);
    validation.set_issuer(&[ISSUER]);
    validation.leeway = 0;
    validation.validate_aud = false;
    if header.alg != Algorithm::RS256 {
        return invalid();
    }
    let claims = match jsonwebtoken::decode::<Map<String, Value>>(token, &decoding, &validation) {
        Ok(data) => data.claims,
        Err(e) if matches!(e.kind(), jsonwebtoken::errors::ErrorKind::ExpiredSignature) => {
            return fail(
                Exception::NotAuthorized,
                "Invalid login token. Token expired.",
            );
        }
        Err(_) => return invalid(),
    };
    if let Some(pool_id) = pool_id {
        if claims.get("aud").and_then(Value::as_str) != Some(pool_id) {
            return invalid();
        }
    }
    Ok(claims)
}

pub async fn verify(state: &State, token: &str, pool_id: &str) -> Result<Map<String, Value>> {
    verify_claims(state, token, Some(pool_id)).await
}

/// The token's `amr` entries.
pub fn amr(claims: &Map<String, Value>) -> Vec<String> {
    claims
        .get("amr")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}
