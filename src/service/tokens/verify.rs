//! Checking the tokens the server signed: an access token's signature with the pool's key,
//! issuer, expiry, use, revocation and the user it names; an ID token's for identity pools.

use serde_json::Value;

use super::claims::AccessClaims;
use crate::service::directory::keys;
use crate::service::kernel::jws::{self, Jws};
use crate::service::{fail, now_ms, Exception, Result, State};
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
    let Some(jws) = jws::parse(token) else {
        return invalid();
    };
    // The pool is named by the unverified issuer; its key then checks the signature.
    let pool_id = jws.iss.as_deref().and_then(|iss| iss.rsplit('/').next());
    let Some(pool_id) = pool_id else {
        return invalid();
    };
    match check(state, pool_id, &jws, keys::ACCESS_TOKEN).await? {
        Ok(()) => {}
        Err(Refused::Expired) => return fail(Exception::NotAuthorized, "Access Token has expired"),
        Err(Refused::Invalid) => return invalid(),
    }
    let Some(claims) = jws.claims::<AccessClaims>() else {
        return invalid();
    };
    if claims.token_use != "access" {
        return invalid();
    }
    // A revoked session and a user who is gone read the same; both (and the MFA summary
    // GetUser shows) in one round trip.
    let found =
        user_store::find_by_sub_in_session(&state.db, pool_id, &claims.sub, &claims.origin_jti)
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
    let Some(jws) = jws::parse(token) else {
        return invalid();
    };
    match check(state, pool_id, &jws, keys::ID_TOKEN).await? {
        Ok(()) => {}
        Err(Refused::Expired) => {
            return fail(
                Exception::NotAuthorized,
                "Invalid login token. Token expired.",
            )
        }
        Err(Refused::Invalid) => return invalid(),
    }
    let Some(claims) = jws.claims::<serde_json::Map<String, Value>>() else {
        return invalid();
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

/// Why a token was not taken: each caller words it as Cognito does for its kind of token.
enum Refused {
    Invalid,
    Expired,
}

/// Checks `jws` as a token of `pool_id` for `token_use`: that use's key of the pool made its
/// signature, it has not expired (signature first, as a forged token must not learn more),
/// and it names the pool's issuer.
async fn check(
    state: &State,
    pool_id: &str,
    jws: &Jws<'_>,
    token_use: &str,
) -> Result<std::result::Result<(), Refused>> {
    let Some(kid) = jws.kid.as_deref() else {
        return Ok(Err(Refused::Invalid));
    };
    let Some(key) = keys::verifying_key(state, pool_id, kid).await? else {
        return Ok(Err(Refused::Invalid));
    };
    if key.token_use != token_use || !key.signed(jws) {
        return Ok(Err(Refused::Invalid));
    }
    if jws.expired(now_ms() / 1000) {
        return Ok(Err(Refused::Expired));
    }
    if jws.iss.as_deref() != Some(state.issuer(pool_id).as_str()) {
        return Ok(Err(Refused::Invalid));
    }
    Ok(Ok(()))
}
