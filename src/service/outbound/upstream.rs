//! Upstream identity providers, as both federation paths reach them: one HTTP client (no
//! redirects followed, bounded time), discovery documents and JWKS fetched once and cached,
//! and JWT verification against a JWKS (refetched once when a token names an unknown key).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation};
use serde_json::{Map, Value};

/// How long a discovery document or JWKS is reused before it is fetched again.
const CACHE_TTL: Duration = Duration::from_secs(3600);
/// How long one upstream call may take.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Why an upstream provider gave no usable answer.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UpstreamError(pub String);

impl UpstreamError {
    pub fn new(what: impl Into<String>) -> UpstreamError {
        UpstreamError(what.into())
    }
}

pub type Result<T> = std::result::Result<T, UpstreamError>;

/// The client and caches every upstream call goes through.
pub struct Upstream {
    pub http: reqwest::Client,
    /// Where the login providers identity pools accept are verified, by provider name
    /// (`accounts.google.com` → JWKS URL, `graph.facebook.com` → Graph API base, an OIDC
    /// provider → its issuer URL); configured so that tests reach local mocks.
    pub endpoints: BTreeMap<String, String>,
    cache: Mutex<HashMap<String, (Instant, Value)>>,
}

impl Upstream {
    pub fn new(endpoints: BTreeMap<String, String>) -> anyhow::Result<Upstream> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(TIMEOUT)
            .build()?;
        Ok(Upstream {
            http,
            endpoints,
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// The JSON document at `url`, from the cache while it is fresh.
    pub async fn cached_json(&self, url: &str) -> Result<Value> {
        let hit = self
            .cache
            .lock()
            .map_err(|_| UpstreamError::new("cache poisoned"))?
            .get(url)
            .filter(|(at, _)| at.elapsed() < CACHE_TTL)
            .map(|(_, v)| v.clone());
        match hit {
            Some(v) => Ok(v),
            None => self.refetch(url).await,
        }
    }

    /// The JSON document at `url`, fetched now and cached.
    pub async fn refetch(&self, url: &str) -> Result<Value> {
        let value = self.get_json(url, None).await?;
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(url.to_string(), (Instant::now(), value.clone()));
        }
        Ok(value)
    }

    /// A GET answered with JSON, with a Bearer token where given.
    pub async fn get_json(&self, url: &str, bearer: Option<&str>) -> Result<Value> {
        let mut req = self.http.get(url).header("accept", "application/json");
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        read_json(req.send().await, url).await
    }

    /// A form POST answered with JSON.
    pub async fn post_form(&self, url: &str, form: &[(&str, &str)]) -> Result<Value> {
        let req = self
            .http
            .post(url)
            .header("accept", "application/json")
            .form(form);
        read_json(req.send().await, url).await
    }

    /// The discovery document of `issuer`.
    pub async fn discovery(&self, issuer: &str) -> Result<Value> {
        let url = format!(
            "{}/.well-known/openid-configuration",
            issuer.trim_end_matches('/')
        );
        self.cached_json(&url).await
    }

    /// Verifies a JWT's signature with the JWKS at `jwks_url`, its expiry, its issuer (one
    /// of `issuers`) and, where given, its audience (one of `audiences`); the claims.
    pub async fn verify_jwt(
        &self,
        jwks_url: &str,
        token: &str,
        issuers: &[String],
        audiences: Option<&[String]>,
    ) -> Result<Map<String, Value>> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|e| UpstreamError::new(format!("not a JWT: {e}")))?;
        let kid = header.kid.clone().unwrap_or_default();
        let mut keys = self.jwks(jwks_url, false).await?;
        if keys.find(&kid).is_none() {
            // The provider may have rotated its keys since they were cached.
            keys = self.jwks(jwks_url, true).await?;
        }
        let jwk = keys
            .find(&kid)
            .ok_or_else(|| UpstreamError::new("the token's key is not in the provider's JWKS"))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| UpstreamError::new(e.to_string()))?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(issuers);
        match audiences {
            Some(aud) => validation.set_audience(aud),
            None => validation.validate_aud = false,
        }
        let data = jsonwebtoken::decode::<Map<String, Value>>(token, &key, &validation)
            .map_err(|e| UpstreamError::new(format!("token rejected: {e}")))?;
        Ok(data.claims)
    }

    /// The JWKS at `url` (cached unless `fresh`), in both forms the verifiers read.
    pub async fn jwks(&self, url: &str, fresh: bool) -> Result<JwkSet> {
        let doc = match fresh {
            true => self.refetch(url).await?,
            false => self.cached_json(url).await?,
        };
        serde_json::from_value(doc).map_err(|e| UpstreamError::new(format!("bad JWKS: {e}")))
    }
}

async fn read_json(
    sent: std::result::Result<reqwest::Response, reqwest::Error>,
    url: &str,
) -> Result<Value> {
    let reply = sent.map_err(|e| UpstreamError::new(format!("{url} unreachable: {e}")))?;
    let status = reply.status();
    let body: Value = reply
        .json()
        .await
        .map_err(|e| UpstreamError::new(format!("{url} answered no JSON: {e}")))?;
    if !status.is_success() {
        return Err(UpstreamError::new(format!(
            "{url} answered {status}: {body}"
        )));
    }
    Ok(body)
}

/// The claims of a JWT whose signature someone has already checked.
pub fn payload(token: &str) -> Result<Map<String, Value>> {
    use base64::Engine;
    let part = token
        .split('.')
        .nth(1)
        .ok_or_else(|| UpstreamError::new("not a JWT"))?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|_| UpstreamError::new("not a JWT"))?;
    serde_json::from_slice(&bytes).map_err(|_| UpstreamError::new("not a JWT"))
}
