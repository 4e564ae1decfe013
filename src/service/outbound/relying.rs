//! Cognate as a relying party of an upstream provider: the URL a browser is sent to, and the
//! code it comes back with turned into the user's claims. OpenID Connect providers (OIDC,
//! Google) through the `openidconnect` crate, with the ID token's signature, issuer,
//! audience, expiry and nonce checked; OAuth2 social providers (Facebook, Login with Amazon)
//! by their token and attributes endpoints.

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreJsonWebKeySet};
use openidconnect::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
    TokenUrl,
};
use serde_json::{Map, Value};

use super::upstream::{payload, Result, Upstream, UpstreamError};

/// How a provider is spoken to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// OpenID Connect: an ID token, optionally the userinfo endpoint.
    OpenId,
    /// OAuth2 with an attributes endpoint and no ID token.
    Social,
}

/// Everything a sign-in at one provider needs, from its ProviderDetails.
#[derive(Clone, Debug)]
pub struct Endpoints {
    pub protocol: Protocol,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// `authorize_scopes` as stored (space- or comma-separated).
    pub scopes: String,
    pub issuer: Option<String>,
    pub authorize_url: Option<String>,
    pub token_url: Option<String>,
    pub attributes_url: Option<String>,
    pub jwks_uri: Option<String>,
    /// `GET` or `POST`: how the attributes (userinfo) endpoint is called.
    pub attributes_request_method: String,
    /// `GET` or `POST`: how the token endpoint is called (Facebook's is GET).
    pub token_request_method: String,
    /// Fields appended to `attributes_url` (Facebook's `fields=` list), if any.
    pub attribute_fields: Option<Vec<String>>,
}

/// A sign-in about to leave for the provider: where to, and the PKCE verifier to keep.
pub struct Departure {
    pub url: String,
    pub verifier: Option<String>,
}

fn bad(e: impl std::fmt::Display) -> UpstreamError {
    UpstreamError::new(e.to_string())
}

/// An endpoint from the details, else from the issuer's discovery document.
async fn endpoint(
    up: &Upstream,
    ep: &Endpoints,
    given: &Option<String>,
    key: &str,
) -> Result<Option<String>> {
    if let Some(url) = given {
        return Ok(Some(url.clone()));
    }
    let Some(issuer) = &ep.issuer else {
        return Ok(None);
    };
    let doc = up.discovery(issuer).await?;
    Ok(doc.get(key).and_then(Value::as_str).map(String::from))
}

fn required(url: Option<String>, what: &str) -> Result<String> {
    url.ok_or_else(|| UpstreamError::new(format!("the provider has no {what}")))
}

/// The URL that starts a sign-in at the provider, carrying `state` and `nonce`.
pub async fn departure(
    up: &Upstream,
    ep: &Endpoints,
    redirect_uri: &str,
    state: &str,
    nonce: &str,
) -> Result<Departure> {
    let auth = endpoint(up, ep, &ep.authorize_url, "authorization_endpoint").await?;
    let auth = required(auth, "authorization endpoint")?;
    match ep.protocol {
        Protocol::OpenId => {
            let issuer = required(ep.issuer.clone(), "issuer")?;
            let client = CoreClient::new(
                ClientId::new(ep.client_id.clone()),
                IssuerUrl::new(issuer).map_err(bad)?,
                CoreJsonWebKeySet::default(),
            )
            .set_auth_uri(AuthUrl::new(auth).map_err(bad)?)
            .set_redirect_uri(RedirectUrl::new(redirect_uri.to_string()).map_err(bad)?);
            let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
            let (state, nonce) = (state.to_string(), nonce.to_string());
            let scopes = scope_list(&ep.scopes)
                .into_iter()
                .filter(|s| s != "openid")
                .map(Scope::new);
            let (url, _, _) = client
                .authorize_url(
                    CoreAuthenticationFlow::AuthorizationCode,
                    move || CsrfToken::new(state),
                    move || Nonce::new(nonce),
                )
                .add_scopes(scopes)
                .set_pkce_challenge(challenge)
                .url();
            Ok(Departure {
                url: url.to_string(),
                verifier: Some(verifier.secret().clone()),
            })
        }
        Protocol::Social => {
            let mut url = url::Url::parse(&auth).map_err(bad)?;
            url.query_pairs_mut()
                .append_pair("client_id", &ep.client_id)
                .append_pair("redirect_uri", redirect_uri)
                .append_pair("response_type", "code")
                .append_pair("scope", &ep.scopes)
                .append_pair("state", state);
            Ok(Departure {
                url: url.to_string(),
                verifier: None,
            })
        }
    }
}

/// `authorize_scopes` split on spaces and commas.
pub fn scope_list(scopes: &str) -> Vec<String> {
    scopes
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// The user's claims once the provider's `code` is redeemed.
pub async fn arrival(
    up: &Upstream,
    ep: &Endpoints,
    redirect_uri: &str,
    code: &str,
    nonce: &str,
    verifier: Option<&str>,
) -> Result<Map<String, Value>> {
    match ep.protocol {
        Protocol::OpenId => openid_arrival(up, ep, redirect_uri, code, nonce, verifier).await,
        Protocol::Social => social_arrival(up, ep, redirect_uri, code).await,
    }
}

async fn openid_arrival(
    up: &Upstream,
    ep: &Endpoints,
    redirect_uri: &str,
    code: &str,
    nonce: &str,
    verifier: Option<&str>,
) -> Result<Map<String, Value>> {
    let issuer = required(ep.issuer.clone(), "issuer")?;
    let token_url = endpoint(up, ep, &ep.token_url, "token_endpoint").await?;
    let jwks_url = endpoint(up, ep, &ep.jwks_uri, "jwks_uri").await?;
    let jwks_url = required(jwks_url, "JWKS")?;
    let (access_token, id_token) = {
        let jwks: CoreJsonWebKeySet = serde_json::from_value(up.cached_json(&jwks_url).await?)
            .map_err(|e| bad(format!("bad JWKS: {e}")))?;
        let mut client = CoreClient::new(
            ClientId::new(ep.client_id.clone()),
            IssuerUrl::new(issuer.clone()).map_err(bad)?,
            jwks,
        )
        .set_token_uri(TokenUrl::new(required(token_url.clone(), "token endpoint")?).map_err(bad)?)
        .set_redirect_uri(RedirectUrl::new(redirect_uri.to_string()).map_err(bad)?);
        if let Some(secret) = &ep.client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.clone()));
        }
        let mut request = client.exchange_code(AuthorizationCode::new(code.to_string()));
        if let Some(v) = verifier {
            request = request.set_pkce_verifier(PkceCodeVerifier::new(v.to_string()));
        }
        let token = request
            .request_async(&up.http)
            .await
            .map_err(|e| bad(format!("token endpoint: {e}")))?;
        let id_token = token
            .id_token()
            .ok_or_else(|| UpstreamError::new("the provider returned no ID token"))?;
        let verified = id_token.claims(&client.id_token_verifier(), &Nonce::new(nonce.to_string()));
        if let Err(e) = verified {
            // Perhaps signed with a key rotated in since the JWKS was cached.
            up.refetch(&jwks_url).await?;
            return Err(bad(format!("ID token rejected: {e}")));
        }
        (token.access_token().secret().clone(), id_token.to_string())
    };
    let mut claims = payload(&id_token)?;
    let info = endpoint(up, ep, &ep.attributes_url, "userinfo_endpoint").await?;
    if let Some(info) = info {
        let extra = attributes(up, ep, &info, &access_token).await?;
        let same = extra.get("sub").is_none() || extra.get("sub") == claims.get("sub");
        if !same {
            return Err(UpstreamError::new("userinfo names another subject"));
        }
        claims.extend(extra);
    }
    Ok(claims)
}

/// The attributes endpoint's answer, called as the provider's details say.
async fn attributes(
    up: &Upstream,
    ep: &Endpoints,
    url: &str,
    access_token: &str,
) -> Result<Map<String, Value>> {
    let mut url = url.to_string();
    if let Some(fields) = &ep.attribute_fields {
        url.push_str(&fields.join(","));
    }
    let answer = match ep.attributes_request_method.as_str() {
        "POST" => {
            let sent = up
                .http
                .post(&url)
                .bearer_auth(access_token)
                .header("accept", "application/json")
                .send()
                .await
                .map_err(|e| bad(format!("attributes endpoint unreachable: {e}")))?;
            sent.json::<Value>().await.map_err(bad)?
        }
        _ => up.get_json(&url, Some(access_token)).await?,
    };
    match answer {
        Value::Object(map) => Ok(map),
        _ => Err(UpstreamError::new(
            "the attributes endpoint answered no object",
        )),
    }
}

async fn social_arrival(
    up: &Upstream,
    ep: &Endpoints,
    redirect_uri: &str,
    code: &str,
) -> Result<Map<String, Value>> {
    let token_url = required(ep.token_url.clone(), "token endpoint")?;
    let secret = ep.client_secret.clone().unwrap_or_default();
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", ep.client_id.as_str()),
        ("client_secret", secret.as_str()),
        ("redirect_uri", redirect_uri),
        ("code", code),
    ];
    let token = match ep.token_request_method.as_str() {
        "GET" => {
            let mut url = url::Url::parse(&token_url).map_err(bad)?;
            url.query_pairs_mut().extend_pairs(&form[1..]);
            up.get_json(url.as_str(), None).await?
        }
        _ => up.post_form(&token_url, &form).await?,
    };
    let access_token = token
        .get("access_token")
        .and_then(Value::as_str)
        .ok_or_else(|| UpstreamError::new("the token endpoint returned no access token"))?;
    let info = required(ep.attributes_url.clone(), "attributes endpoint")?;
    attributes(up, ep, &info, access_token).await
}
