//! Authorization codes: minted after a sign-in, stored hashed, redeemed once within five
//! minutes. A code presented twice revokes the tokens its first redemption issued.

use serde::{Deserialize, Serialize};

use super::request::{Authorization, Pkce};
use super::{oauth, Result, CODE_LIFETIME_MS};
use crate::service::kernel::{crypto, ids};
use crate::service::{now_ms, State};
use crate::store::oauth_flow::{self as flow_store, CodeRow};

/// What a code stands for, stored with it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CodeGrant {
    pub redirect_uri: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub pkce: Option<Pkce>,
    pub auth_time: i64,
}

/// A redeemed code: whom it is for, what it grants, and the session its tokens belong to.
pub struct Redeemed {
    pub sub: String,
    pub grant: CodeGrant,
    pub origin_jti: String,
}

fn code_hash(code: &str) -> String {
    crypto::sha256_hex("oauth-code", code)
}

/// A new code for `sub`, who signed in at `auth_time` (seconds).
pub async fn mint(
    state: &State,
    authz: &Authorization,
    sub: &str,
    auth_time: i64,
) -> Result<String> {
    let code = crypto::random_token(32);
    let grant = CodeGrant {
        redirect_uri: authz.redirect_uri.clone(),
        scope: authz.scopes.join(" "),
        nonce: authz.nonce.clone(),
        pkce: authz.pkce.clone(),
        auth_time,
    };
    let now = now_ms();
    let doc =
        serde_json::to_string(&grant).map_err(|e| crate::service::Error::Internal(e.into()))?;
    flow_store::insert_code(
        &state.db,
        &CodeRow {
            code_hash: code_hash(&code),
            pool_id: authz.pool.id.clone(),
            client_id: authz.client.id.clone(),
            sub: sub.to_string(),
            grant_doc: doc,
            origin_jti: ids::uuid(),
            used_at: None,
            expires_at: now + CODE_LIFETIME_MS,
            created_at: now,
        },
    )
    .await
    .map_err(crate::service::Error::from)?;
    Ok(code)
}

/// Redeems `code` for `client_id`, checking the redirect URI and the PKCE verifier.
pub async fn redeem(
    state: &State,
    client_id: &str,
    code: &str,
    redirect_uri: Option<&str>,
    verifier: Option<&str>,
) -> Result<Redeemed> {
    let now = now_ms();
    let row = flow_store::redeem_code(&state.db, &code_hash(code), now)
        .await
        .map_err(crate::service::Error::from)?;
    let Some(row) = row else {
        return oauth("invalid_grant", "The authorization code is not valid.");
    };
    if row.used_at.is_some() {
        // A replay: whoever holds the first redemption's tokens may be the attacker.
        flow_store::revoke_origin(&state.db, &row.origin_jti, now)
            .await
            .map_err(crate::service::Error::from)?;
        return oauth(
            "invalid_grant",
            "The authorization code has already been used.",
        );
    }
    if row.expires_at < now {
        return oauth("invalid_grant", "The authorization code has expired.");
    }
    if row.client_id != client_id {
        return oauth(
            "invalid_grant",
            "The authorization code was issued to another client.",
        );
    }
    let grant: CodeGrant = serde_json::from_str(&row.grant_doc)
        .map_err(|e| crate::service::Error::Internal(e.into()))?;
    if redirect_uri != Some(grant.redirect_uri.as_str()) {
        return oauth(
            "invalid_grant",
            "redirect_uri does not match the authorization request.",
        );
    }
    check_verifier(grant.pkce.as_ref(), verifier)?;
    Ok(Redeemed {
        sub: row.sub,
        grant,
        origin_jti: row.origin_jti,
    })
}

/// RFC 7636 section 4.6: the verifier must hash (S256) or equal (plain) the challenge.
fn check_verifier(pkce: Option<&Pkce>, verifier: Option<&str>) -> Result<()> {
    let Some(pkce) = pkce else {
        return Ok(());
    };
    let Some(verifier) = verifier.filter(|v| !v.is_empty()) else {
        return oauth("invalid_request", "code_verifier is required.");
    };
    let derived = match pkce.method.as_str() {
        "S256" => {
            use base64::Engine;
            use sha2::Digest;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(sha2::Sha256::digest(verifier.as_bytes()))
        }
        _ => verifier.to_string(),
    };
    if crypto::constant_time_eq(&derived, &pkce.challenge) {
        Ok(())
    } else {
        oauth(
            "invalid_grant",
            "code_verifier does not match the code_challenge.",
        )
    }
}
