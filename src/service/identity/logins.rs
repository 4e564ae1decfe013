//! Verifying the logins a request carries against the pool's providers: this server's user
//! pools by their ID tokens (the token's `aud` must be a client the pool lists, and
//! ServerSideTokenCheck is honoured), and this service's own OpenID tokens (the developer
//! flow), and external providers (`external`). Other providers are refused by name.

use serde_json::{Map, Value};

use super::openid;
use crate::service::kernel::ids;
use crate::service::tokens::verify::verify_id_token;
use crate::service::Exception;
use crate::service::{fail, Result, State};
use crate::store::identity::IdentityPoolRecord;
use crate::types::identity::Logins;

/// The Logins key of an identity pool's own OpenID tokens.
pub const COGNITO_IDENTITY: &str = "cognito-identity.amazonaws.com";

/// A login whose token was verified.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The provider as identities record it (a user pool as `cognito-idp.{region}...`).
    pub provider: String,
    /// The user's id at the provider.
    pub subject: String,
    pub claims: Map<String, Value>,
}

impl Verified {
    /// This service's own OpenID token (its subject is the identity id).
    pub fn is_openid_token(&self) -> bool {
        self.provider == COGNITO_IDENTITY
    }
}

pub fn invalid_login<T>(why: &str) -> Result<T> {
    fail(
        Exception::NotAuthorized,
        format!("Invalid login token. {why}"),
    )
}

/// The user pool a provider name names, in either issuer form:
/// `cognito-idp.{region}.amazonaws.com/{poolId}` or this server's `{public_url}/{poolId}`.
pub fn user_pool_of(state: &State, name: &str) -> Option<String> {
    let bare = |s: &str| {
        s.trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string()
    };
    let (host, pool_id) = bare(name)
        .rsplit_once('/')
        .map(|(h, p)| (h.to_string(), p.to_string()))?;
    let aws_host = format!("cognito-idp.{}.amazonaws.com", state.region);
    let ours = host == aws_host || host == bare(&state.public_url);
    (ours && ids::is_user_pool_id(&pool_id)).then_some(pool_id)
}

/// Verifies every login; any that fails refuses the request.
pub async fn verify(
    state: &State,
    pool: &IdentityPoolRecord,
    logins: &Logins,
) -> Result<Vec<Verified>> {
    if logins.len() > 10 {
        return invalid_login("An identity can present at most 10 logins.");
    }
    let mut verified = Vec::with_capacity(logins.len());
    for (provider, token) in logins {
        verified.push(verify_one(state, pool, provider, token).await?);
    }
    Ok(verified)
}

async fn verify_one(
    state: &State,
    pool: &IdentityPoolRecord,
    provider: &str,
    token: &str,
) -> Result<Verified> {
    if provider == COGNITO_IDENTITY {
        let claims = openid::verify(state, token, &pool.id).await?;
        let subject = claims
            .get("sub")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        return Ok(Verified {
            provider: provider.into(),
            subject,
            claims,
        });
    }
    if let Some(user_pool) = user_pool_of(state, provider) {
        return verify_user_pool(state, pool, &user_pool, token).await;
    }
    if let Some(v) = super::external::verify(state, pool, provider, token).await? {
        return Ok(v);
    }
    let settings = &pool.settings.pool;
    let listed = settings
        .supported_login_providers
        .as_ref()
        .is_some_and(|m| m.contains_key(provider))
        || settings
            .open_id_connect_provider_arns
            .iter()
            .flatten()
            .any(|arn| arn.ends_with(provider));
    match listed {
        true => invalid_login(&format!("Cognate does not verify {provider} tokens yet.")),
        false => invalid_login("Token is not from a supported provider of this identity pool."),
    }
}

async fn verify_user_pool(
    state: &State,
    pool: &IdentityPoolRecord,
    user_pool: &str,
    token: &str,
) -> Result<Verified> {
    let entries: Vec<_> = pool
        .settings
        .pool
        .cognito_identity_providers
        .iter()
        .flatten()
        .filter(|p| {
            p.provider_name
                .as_deref()
                .and_then(|n| user_pool_of(state, n))
                .as_deref()
                == Some(user_pool)
        })
        .collect();
    if entries.is_empty() {
        return invalid_login("Token is not from a supported provider of this identity pool.");
    }
    let server_check = entries
        .iter()
        .any(|p| p.server_side_token_check == Some(true));
    let claims = verify_id_token(state, user_pool, token, server_check).await?;
    let aud = claims
        .get("aud")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !entries.iter().any(|p| p.client_id.as_deref() == Some(aud)) {
        return invalid_login("Token is not from a supported provider of this identity pool.");
    }
    let subject = claims
        .get("sub")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    Ok(Verified {
        provider: format!("cognito-idp.{}.amazonaws.com/{user_pool}", state.region),
        subject,
        claims,
    })
}
