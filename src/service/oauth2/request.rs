//! An authorization request (`/oauth2/authorize`, and the hosted pages that carry it):
//! checked against the client's OAuth settings. The client and redirect URI are checked
//! first; until they are, nothing is redirected anywhere.

use serde::{Deserialize, Serialize};

use super::{Failure, Result};
use crate::service::directory::{clients, pools, scopes};
use crate::service::Error;
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;

/// The parameters of an authorization request, as the app sent them.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub struct AuthorizeParams {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub state: Option<String>,
    pub scope: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub identity_provider: Option<String>,
    pub idp_identifier: Option<String>,
    pub prompt: Option<String>,
    pub login_hint: Option<String>,
    pub lang: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseType {
    Code,
    Token,
}

/// PKCE (RFC 7636): the challenge and how it was derived.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pkce {
    pub challenge: String,
    pub method: String,
}

/// A checked authorization request.
#[derive(Clone, Debug)]
pub struct Authorization {
    pub pool: PoolRecord,
    pub client: ClientRecord,
    pub redirect_uri: String,
    pub response_type: ResponseType,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub pkce: Option<Pkce>,
    pub prompt: Option<String>,
}

/// The client, and the redirect URI it registered, or the error page.
pub async fn trusted_client(
    state: &crate::service::State,
    client_id: Option<&str>,
    redirect_uri: Option<&str>,
) -> Result<(PoolRecord, ClientRecord, String)> {
    let Some(client_id) = client_id.filter(|c| !c.is_empty()) else {
        return Err(Failure::Page("The request names no client_id.".into()));
    };
    let client = match clients::load(state, client_id).await {
        Ok(c) => c,
        Err(Error::Cognito { .. }) => {
            return Err(Failure::Page(format!("Client {client_id} does not exist.")))
        }
        Err(e) => return Err(e.into()),
    };
    let pool = pools::load(state, &client.pool_id).await?;
    let callbacks = client.settings.callback_urls.as_deref().unwrap_or_default();
    let redirect = match redirect_uri {
        Some(uri) => uri.to_string(),
        None => match &client.settings.default_redirect_uri {
            Some(d) => d.clone(),
            None => return Err(Failure::Page("The request names no redirect_uri.".into())),
        },
    };
    // Exact match only: no prefixes, no normalisation.
    if !callbacks.contains(&redirect) {
        return Err(Failure::Page(
            "redirect_mismatch: the redirect_uri is not registered for this client.".into(),
        ));
    }
    Ok((pool, client, redirect))
}

/// Checks `p` against the client's settings.
pub async fn check(state: &crate::service::State, p: &AuthorizeParams) -> Result<Authorization> {
    let (pool, client, redirect_uri) =
        trusted_client(state, p.client_id.as_deref(), p.redirect_uri.as_deref()).await?;
    let back = |error: &str, description: &str| {
        Failure::Redirect(error_redirect(
            &redirect_uri,
            error,
            description,
            p.state.as_deref(),
        ))
    };
    let response_type = match p.response_type.as_deref() {
        Some("code") => ResponseType::Code,
        Some("token") => ResponseType::Token,
        Some(_) => {
            return Err(back(
                "unsupported_response_type",
                "response_type must be code or token",
            ))
        }
        None => return Err(back("invalid_request", "response_type is required")),
    };
    let flow = match response_type {
        ResponseType::Code => "code",
        ResponseType::Token => "implicit",
    };
    let s = &client.settings;
    let flows = s.allowed_o_auth_flows.as_deref().unwrap_or_default();
    if s.allowed_o_auth_flows_user_pool_client != Some(true) || !flows.iter().any(|f| f == flow) {
        return Err(back(
            "unauthorized_client",
            "The client may not use this flow.",
        ));
    }
    let allowed = s.allowed_o_auth_scopes.as_deref().unwrap_or_default();
    let scopes: Vec<String> = match p.scope.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(requested) => requested.split_whitespace().map(String::from).collect(),
        None => allowed.to_vec(),
    };
    if let Some(bad) = scopes.iter().find(|s| !allowed.contains(s)) {
        return Err(back(
            "invalid_scope",
            &format!("The scope {bad} is not allowed."),
        ));
    }
    let needs_openid = ["email", "phone", "profile"];
    if scopes.iter().any(|s| needs_openid.contains(&s.as_str()))
        && !scopes.iter().any(|s| s == scopes::OPENID)
    {
        return Err(back(
            "invalid_scope",
            "email, phone and profile require openid.",
        ));
    }
    let pkce = match (&p.code_challenge, p.code_challenge_method.as_deref()) {
        (None, None) => None,
        (None, Some(_)) => return Err(back("invalid_request", "code_challenge is required")),
        (Some(c), m @ (None | Some("S256" | "plain"))) => Some(Pkce {
            challenge: c.clone(),
            method: m.unwrap_or("plain").to_string(),
        }),
        (Some(_), Some(_)) => {
            return Err(back(
                "invalid_request",
                "code_challenge_method must be S256 or plain",
            ))
        }
    };
    if let Some(provider) = &p.identity_provider {
        let supported = s
            .supported_identity_providers
            .as_deref()
            .unwrap_or_default();
        if !supported.contains(provider) {
            return Err(back(
                "invalid_request",
                "The identity provider is not available.",
            ));
        }
    }
    Ok(Authorization {
        pool,
        client,
        redirect_uri,
        response_type,
        scopes,
        state: p.state.clone(),
        nonce: p.nonce.clone(),
        pkce,
        prompt: p.prompt.clone(),
    })
}

/// `uri` with `pairs` added to its query.
pub fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    match url::Url::parse(uri) {
        Ok(mut url) => {
            url.query_pairs_mut().extend_pairs(pairs);
            url.to_string()
        }
        Err(_) => uri.to_string(),
    }
}

/// `uri` with `pairs` as its fragment (the implicit flow's answer).
pub fn with_fragment(uri: &str, pairs: &[(&str, &str)]) -> String {
    let fragment = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{uri}#{fragment}")
}

pub fn error_redirect(uri: &str, error: &str, description: &str, state: Option<&str>) -> String {
    let mut pairs = vec![("error", error), ("error_description", description)];
    if let Some(s) = state {
        pairs.push(("state", s));
    }
    with_query(uri, &pairs)
}
