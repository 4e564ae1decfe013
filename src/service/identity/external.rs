//! Identity-pool logins from external providers: Google (`accounts.google.com`) and OpenID
//! Connect providers (the pool's OpenIdConnectProviderARNs, naming IAM OIDC providers whose
//! client ids the token's `aud` must be among) by their signed ID tokens and JWKS, Facebook
//! (`graph.facebook.com`) by asking its Graph API whose token it is. Where each is reached
//! comes from `COGNATE_FEDERATION_URLS`, defaulting to the real endpoints.

use serde_json::Value;

use super::logins::{invalid_login, Verified};
use crate::service::iam::oidc_providers;
use crate::service::{Result, State};
use crate::store::identity::IdentityPoolRecord;

pub const GOOGLE: &str = "accounts.google.com";
pub const FACEBOOK: &str = "graph.facebook.com";
const GOOGLE_JWKS: &str = "https://www.googleapis.com/oauth2/v3/certs";
const FACEBOOK_GRAPH: &str = "https://graph.facebook.com";

/// The login verified, or `None` when the pool has no such external provider.
pub async fn verify(
    state: &State,
    pool: &IdentityPoolRecord,
    provider: &str,
    token: &str,
) -> Result<Option<Verified>> {
    let settings = &pool.settings.pool;
    let app = settings
        .supported_login_providers
        .as_ref()
        .and_then(|m| m.get(provider));
    let subject = match (provider, app) {
        (GOOGLE, Some(app)) => google(state, app, token).await?,
        (FACEBOOK, Some(app)) => facebook(state, app, token).await?,
        (_, Some(_)) => return Ok(None),
        (_, None) => {
            let suffix = format!(":oidc-provider/{provider}");
            let listed = settings
                .open_id_connect_provider_arns
                .iter()
                .flatten()
                .find(|arn| arn.ends_with(&suffix));
            let Some(arn) = listed else {
                return Ok(None);
            };
            let audiences = oidc_providers::audiences_for_login(state, arn).await?;
            oidc(state, provider, token, audiences.as_deref()).await?
        }
    };
    Ok(Some(Verified {
        provider: provider.to_string(),
        subject,
        claims: Default::default(),
    }))
}

fn configured<'a>(state: &'a State, provider: &str, default: &'a str) -> &'a str {
    state
        .upstream
        .endpoints
        .get(provider)
        .map(String::as_str)
        .unwrap_or(default)
}

fn subject_of(claims: &serde_json::Map<String, Value>, key: &str) -> Result<String> {
    match claims
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        Some(s) => Ok(s.to_string()),
        None => invalid_login("The token names no user."),
    }
}

/// A Google ID token for one of the app's client ids (comma-separated in the pool).
async fn google(state: &State, app: &str, token: &str) -> Result<String> {
    let audiences: Vec<String> = app.split(',').map(|s| s.trim().to_string()).collect();
    let issuers = ["https://accounts.google.com".into(), GOOGLE.into()];
    let jwks = configured(state, GOOGLE, GOOGLE_JWKS);
    match state
        .upstream
        .verify_jwt(jwks, token, &issuers, Some(&audiences))
        .await
    {
        Ok(claims) => subject_of(&claims, "sub"),
        Err(e) => invalid_login(&e.0),
    }
}

/// An ID token of the OpenID Connect provider `provider` (its issuer `https://{provider}`
/// unless configured), verified with the JWKS its discovery document names, for one of
/// `audiences` (the IAM provider's client ids; any in local mode when IAM lacks it).
async fn oidc(
    state: &State,
    provider: &str,
    token: &str,
    audiences: Option<&[String]>,
) -> Result<String> {
    if audiences.is_some_and(<[String]>::is_empty) {
        return invalid_login("The OpenID Connect provider lists no client ids.");
    }
    let default = format!("https://{provider}");
    let issuer = configured(state, provider, &default)
        .trim_end_matches('/')
        .to_string();
    let discovered = match state.upstream.discovery(&issuer).await {
        Ok(doc) => doc,
        Err(e) => return invalid_login(&e.0),
    };
    let Some(jwks) = discovered.get("jwks_uri").and_then(Value::as_str) else {
        return invalid_login("The provider publishes no JWKS.");
    };
    match state
        .upstream
        .verify_jwt(jwks, token, std::slice::from_ref(&issuer), audiences)
        .await
    {
        Ok(claims) => subject_of(&claims, "sub"),
        Err(e) => invalid_login(&e.0),
    }
}

/// A Facebook access token issued to the app `app`: the Graph API names its app and user.
async fn facebook(state: &State, app: &str, token: &str) -> Result<String> {
    let graph = configured(state, FACEBOOK, FACEBOOK_GRAPH).trim_end_matches('/');
    let ask = |path: &str, fields: &str| {
        let mut url = url::Url::parse(&format!("{graph}/{path}")).ok()?;
        url.query_pairs_mut()
            .append_pair("fields", fields)
            .append_pair("access_token", token);
        Some(url.to_string())
    };
    let (Some(app_url), Some(me_url)) = (ask("app", "id"), ask("me", "id")) else {
        return invalid_login("The Graph API URL is not valid.");
    };
    let owner = match state.upstream.get_json(&app_url, None).await {
        Ok(Value::Object(m)) => subject_of(&m, "id")?,
        _ => return invalid_login("Facebook did not accept the token."),
    };
    if owner != app.trim() {
        return invalid_login("The token was issued to another Facebook app.");
    }
    match state.upstream.get_json(&me_url, None).await {
        Ok(Value::Object(m)) => subject_of(&m, "id"),
        _ => invalid_login("Facebook did not accept the token."),
    }
}
