//! Federated sign-in through the authorization server: `/oauth2/authorize` with
//! `identity_provider` (or `idp_identifier`) sends the browser to the upstream provider with
//! a state, a nonce and a PKCE verifier kept in the database (so any instance completes
//! it); `/oauth2/idpresponse` redeems the provider's code, signs the user in as the
//! provider's AttributeMapping and the pool's links say, and hands the app its code.
//! Upstream failures and an unknown state end on the error page and change nothing.

use serde::Deserialize;

use super::request::{self, Authorization, AuthorizeParams};
use super::{authorize, Failure, Result};
use crate::service::directory::{federated, providers};
use crate::service::kernel::crypto;
use crate::service::outbound::relying;
use crate::service::{now_ms, Error, State};
use crate::store::federation::{self as store, ProviderRecord, StateRecord};
use crate::store::users::UserRecord;

/// How long a sign-in may wait at the upstream provider.
const STATE_LIFETIME_MS: i64 = 10 * 60 * 1000;

/// The redirect URI registered at every upstream provider, as Cognito's.
pub fn redirect_uri(state: &State) -> String {
    format!("{}/oauth2/idpresponse", state.public_url)
}

fn state_id(token: &str) -> String {
    crypto::sha256_hex("federation-state", token)
}

fn unavailable(authz: &Authorization) -> Failure {
    Failure::Redirect(request::error_redirect(
        &authz.redirect_uri,
        "invalid_request",
        "The identity provider is not available.",
        authz.state.as_deref(),
    ))
}

/// The upstream provider the request asks for, if any (COGNITO is this pool itself); only
/// those the client's SupportedIdentityProviders lists.
pub async fn requested(
    state: &State,
    authz: &Authorization,
    p: &AuthorizeParams,
) -> Result<Option<ProviderRecord>> {
    let pool_id = &authz.pool.id;
    let provider = match (&p.identity_provider, &p.idp_identifier) {
        (Some(name), _) if name == "COGNITO" => return Ok(None),
        (Some(name), _) => store::find_provider(&state.db, pool_id, name).await,
        (None, Some(id)) => store::find_by_identifier(&state.db, pool_id, id).await,
        (None, None) => return Ok(None),
    };
    let provider = provider.map_err(Error::from)?;
    let supported = authz
        .client
        .settings
        .supported_identity_providers
        .as_deref()
        .unwrap_or_default();
    match provider {
        Some(p) if supported.contains(&p.name) => Ok(Some(p)),
        _ => Err(unavailable(authz)),
    }
}

/// The upstream URL that starts the sign-in, its state stored.
pub async fn depart(
    state: &State,
    params: &AuthorizeParams,
    provider: &ProviderRecord,
) -> Result<String> {
    let endpoints = providers::endpoints(provider)?;
    let token = crypto::random_token(32);
    let nonce = crypto::random_token(32);
    let redirect = redirect_uri(state);
    let departure = relying::departure(&state.upstream, &endpoints, &redirect, &token, &nonce)
        .await
        .map_err(|e| {
            tracing::warn!(provider = %provider.name, error = %e, "upstream provider unusable");
            Failure::Page("The identity provider cannot be reached. Try again later.".into())
        })?;
    let mut params = params.clone();
    params.identity_provider = None;
    params.idp_identifier = None;
    let now = now_ms();
    let doc = serde_json::to_string(&params).map_err(|e| Error::Internal(e.into()))?;
    store::insert_state(
        &state.db,
        &StateRecord {
            id: state_id(&token),
            pool_id: provider.pool_id.clone(),
            provider_name: provider.name.clone(),
            request_doc: doc,
            nonce,
            verifier: departure.verifier,
            expires_at: now + STATE_LIFETIME_MS,
            created_at: now,
        },
    )
    .await
    .map_err(Error::from)?;
    Ok(departure.url)
}

/// What the upstream provider sends the browser back with.
#[derive(Debug, Default, Deserialize)]
pub struct IdpResponse {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// A completed federated sign-in: the app's redirect, and who signed in when (seconds).
pub struct Arrived {
    pub redirect: String,
    pub user: UserRecord,
    pub auth_time: i64,
}

fn page<T>(message: &str) -> Result<T> {
    Err(Failure::Page(message.into()))
}

/// `/oauth2/idpresponse`: the sign-in the state names, completed.
pub async fn arrive(state: &State, answer: &IdpResponse) -> Result<Arrived> {
    let Some(token) = answer.state.as_deref().filter(|s| !s.is_empty()) else {
        return page("The sign-in request is not valid: it carries no state.");
    };
    let Some(pending) = store::take_state(&state.db, &state_id(token), now_ms())
        .await
        .map_err(Error::from)?
    else {
        return page("The sign-in has expired or was already completed. Start again.");
    };
    let params: AuthorizeParams =
        serde_json::from_str(&pending.request_doc).map_err(|e| Error::Internal(e.into()))?;
    let authz = request::check(state, &params).await?;
    if let Some(error) = &answer.error {
        tracing::info!(provider = %pending.provider_name, %error, "upstream sign-in refused");
        let why = answer.error_description.as_deref().unwrap_or(error);
        return page(&format!("The identity provider did not sign you in: {why}"));
    }
    let Some(code) = answer.code.as_deref().filter(|c| !c.is_empty()) else {
        return page("The identity provider returned no authorization code.");
    };
    let Some(provider) = store::find_provider(&state.db, &authz.pool.id, &pending.provider_name)
        .await
        .map_err(Error::from)?
    else {
        return page("The identity provider no longer exists.");
    };
    let endpoints = providers::endpoints(&provider)?;
    let claims = relying::arrival(
        &state.upstream,
        &endpoints,
        &redirect_uri(state),
        code,
        &pending.nonce,
        pending.verifier.as_deref(),
    )
    .await
    .map_err(|e| {
        tracing::warn!(provider = %provider.name, error = %e, "upstream sign-in failed");
        Failure::Page("The identity provider's answer could not be verified.".into())
    })?;
    let user = federated::sign_in(state, &authz.pool, &authz.client.id, &provider, &claims)
        .await
        .map_err(|e| match e {
            Error::Cognito { message, .. } => Failure::Page(message),
            e => Failure::Service(e),
        })?;
    let auth_time = now_ms() / 1000;
    let redirect = authorize::complete(state, &authz, &user, auth_time).await?;
    Ok(Arrived {
        redirect,
        user,
        auth_time,
    })
}

/// The upstream providers the login page offers for `client_id`: those its
/// SupportedIdentityProviders lists that the pool has, as (name, type).
pub async fn choices(state: &State, client_id: Option<&str>) -> Result<Vec<(String, String)>> {
    let Some(client_id) = client_id else {
        return Ok(Vec::new());
    };
    let client = crate::service::directory::clients::load(state, client_id).await?;
    let supported = client
        .settings
        .supported_identity_providers
        .unwrap_or_default();
    let mut out = Vec::new();
    for name in supported.iter().filter(|n| *n != "COGNITO") {
        if let Some(p) = store::find_provider(&state.db, &client.pool_id, name)
            .await
            .map_err(Error::from)?
        {
            out.push((p.name, p.provider_type));
        }
    }
    Ok(out)
}
