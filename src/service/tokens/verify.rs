//! Checking access tokens: signature with the pool's key, issuer, expiry, use, revocation,
//! and the user it names.

use jsonwebtoken::{Algorithm, Validation};
use serde_json::Value;

use super::claims::AccessClaims;
use crate::service::directory::keys;
use crate::service::{fail, Exception, Result, State};
use crate::store::mfa::MfaSummaryRow;
use crate::store::tokens as token_store;
use crate::store::users::{self as user_store, SessionUser, UserRecord};

/// Whom a valid access token speaks for.
#[derive(Debug)]
pub struct Authenticated {
    pub claims: AccessClaims,
    pub user: UserRecord,
    /// The user's MFA as GetUser shows it, read with the user.
    pub mfa: MfaSummaryRow,
}

/// Checks an access token (signature, issuer, expiry, use, revocation) and loads its user.
pub async fn authenticate_access_token(state: &State, token: &str) -> Result<Authenticated> {
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
    // A revoked session and a user who is gone read the same; both (and the MFA summary
    // GetUser shows) in one round trip.
    let found =
        user_store::find_by_sub_in_session(&state.db, &pool_id, &claims.sub, &claims.origin_jti)
            .await?;
    let Some(SessionUser {
        user,
        revoked: false,
        mfa,
    }) = found
    else {
        return fail(Exception::NotAuthorized, "Access Token has been revoked");
    };
    if !user.enabled {
        return fail(Exception::NotAuthorized, "User is disabled.");
    }
    Ok(Authenticated { claims, user, mfa })
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

/// Checks an ID token of `pool_id` (signature with the pool's ID-token key, issuer, expiry,
/// use) and returns its claims. With `server_side_check`, the token's sign-in must not have
/// been revoked and its user must still exist and be enabled.
pub async fn verify_id_token(
    state: &State,
    pool_id: &str,
    token: &str,
    server_side_check: bool,
) -> Result<serde_json::Map<String, Value>> {
    let invalid = || {
        fail(
            Exception::NotAuthorized,
            "Invalid login token. Not a valid OpenId Connect identity token.",
        )
    };
    let Ok(header) = jsonwebtoken::decode_header(token) else {
        return invalid();
    };
    let Some(kid) = header.kid else {
        return invalid();
    };
    let Some(key) = keys::verifying_key(state, pool_id, &kid).await? else {
        return invalid();
    };
    if key.token_use != keys::ID_TOKEN {
        return invalid();
    }
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_issuer(&[state.issuer(pool_id)]);
    validation.leeway = 0;
    validation.validate_aud = false;
    let claims = match jsonwebtoken::decode::<serde_json::Map<String, Value>>(
        token,
        &key.decoding,
        &validation,
    ) {
        Ok(data) => data.claims,
        Err(e) if matches!(e.kind(), jsonwebtoken::errors::ErrorKind::ExpiredSignature) => {
            return fail(
                Exception::NotAuthorized,
                "Invalid login token. Token expired.",
            );
        }
        Err(_) => return invalid(),
    };
    if claims.get("token_use").and_then(Value::as_str) != Some("id") {
        return invalid();
    }
    if server_side_check {
        let text = |k: &str| claims.get(k).and_then(Value::as_str).unwrap_or_default();
        if token_store::is_origin_revoked(&state.db, text("origin_jti")).await? {
            return fail(
                Exception::NotAuthorized,
                "Invalid login token. Token has been revoked.",
            );
        }
        match user_store::find_by_sub(&state.db, pool_id, text("sub")).await? {
            Some(user) if user.enabled => {}
            _ => {
                return fail(
                    Exception::NotAuthorized,
                    "Invalid login token. User does not exist.",
                )
            }
        }
    }
    Ok(claims)
}
