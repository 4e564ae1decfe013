//! Apple Push Notification service over HTTP/2: `POST {base}/3/device/{token}` with an ES256
//! provider token (the .p8 key, its key id and the team id), a background push to the app's
//! bundle id; or, for an application created with a TLS certificate, authenticated by that
//! client certificate (a client per certificate, cached). A cleartext base URL (a local mock)
//! is spoken to with HTTP/2 prior knowledge, without client authentication.

use std::time::Duration;

use serde::Deserialize;

use super::push::{cached, forget, remember, Cached, Outcome, SyncTrigger};

pub const PRODUCTION_URL: &str = "https://api.push.apple.com";
pub const SANDBOX_URL: &str = "https://api.sandbox.push.apple.com";

/// Apple refuses provider tokens older than an hour and renewed more often than every 20
/// minutes: each is used for 50.
const TOKEN_LIFE_MS: i64 = 50 * 60 * 1000;

/// A token-based APNs signing key.
#[derive(Clone)]
pub struct SigningKey {
    pub key_pem: String,
    pub key_id: String,
    pub team_id: String,
    pub bundle_id: String,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("key_id", &self.key_id)
            .field("team_id", &self.team_id)
            .field("bundle_id", &self.bundle_id)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Whether `pem` is a P-256 private key (PKCS#8, as Apple's .p8 files are).
    pub fn check_key(pem: &str) -> Result<(), String> {
        jsonwebtoken::EncodingKey::from_ec_pem(pem.as_bytes())
            .map(|_| ())
            .map_err(|_| "the APNs signing key is not a PKCS#8 EC private key".to_string())
    }

    fn provider_token(&self, now_secs: i64) -> Result<String, String> {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256);
        header.kid = Some(self.key_id.clone());
        let claims = serde_json::json!({ "iss": self.team_id, "iat": now_secs });
        let key = jsonwebtoken::EncodingKey::from_ec_pem(self.key_pem.as_bytes())
            .map_err(|e| e.to_string())?;
        jsonwebtoken::encode(&header, &claims, &key).map_err(|e| e.to_string())
    }
}

/// A certificate-based APNs credential: the certificate and its private key (PEM).
#[derive(Clone)]
pub struct Certificate {
    pub cert_pem: String,
    pub key_pem: String,
    /// The topic; without one, APNs takes the certificate's.
    pub bundle_id: Option<String>,
}

impl std::fmt::Debug for Certificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Certificate")
            .field("bundle_id", &self.bundle_id)
            .finish_non_exhaustive()
    }
}

impl Certificate {
    /// Whether `pem` is (starts with) a PEM certificate rather than a signing key id.
    pub fn is_certificate(pem: &str) -> bool {
        pem.trim_start().starts_with("-----BEGIN CERTIFICATE-----")
    }

    /// A TLS client presenting this certificate; refused when the certificate or the key
    /// does not parse, or the key is not the certificate's.
    fn client(&self) -> Result<reqwest::Client, String> {
        let pem = format!("{}\n{}", self.cert_pem.trim(), self.key_pem.trim());
        let identity = reqwest::Identity::from_pem(pem.as_bytes())
            .map_err(|_| "the certificate or its private key is not valid PEM".to_string())?;
        reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .identity(identity)
            .build()
            .map_err(|_| "the private key does not match the certificate".to_string())
    }

    /// Checks the pair as a delivery would use it.
    pub fn check(cert_pem: &str, key_pem: &str) -> Result<(), String> {
        let pair = Certificate {
            cert_pem: cert_pem.to_string(),
            key_pem: key_pem.to_string(),
            bundle_id: None,
        };
        pair.client().map(|_| ())
    }

    fn cache_key(&self) -> String {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(format!("{}|{}", self.cert_pem, self.key_pem));
        hex::encode(digest)
    }
}

pub struct Apns {
    tls: reqwest::Client,
    /// A TLS client per certificate credential, by the digest of the pair.
    certified: std::sync::Mutex<std::collections::HashMap<String, reqwest::Client>>,
    cleartext: reqwest::Client,
    /// Replaces both of Apple's URLs (COGNATE_APNS_URL).
    base: Option<String>,
    tokens: Cached,
}

#[derive(Deserialize)]
struct Reason {
    #[serde(default)]
    reason: String,
}

impl Apns {
    pub fn new(base: Option<&str>) -> anyhow::Result<Apns> {
        let timeout = Duration::from_secs(10);
        Ok(Apns {
            tls: reqwest::Client::builder().timeout(timeout).build()?,
            certified: Default::default(),
            cleartext: reqwest::Client::builder()
                .timeout(timeout)
                .http2_prior_knowledge()
                .build()?,
            base: base.map(|b| b.trim_end_matches('/').to_string()),
            tokens: Default::default(),
        })
    }

    fn token(&self, key: &SigningKey, now: i64) -> Result<String, String> {
        let cache_key = format!("{}|{}", key.team_id, key.key_id);
        if let Some(token) = cached(&self.tokens, &cache_key, now) {
            return Ok(token);
        }
        let token = key.provider_token(now / 1000)?;
        remember(&self.tokens, &cache_key, &token, now + TOKEN_LIFE_MS);
        Ok(token)
    }

    /// Sends the trigger as a background (silent) notification to `device_token`.
    pub async fn send(
        &self,
        key: &SigningKey,
        sandbox: bool,
        device_token: &str,
        trigger: &SyncTrigger,
        now: i64,
    ) -> Outcome {
        let token = match self.token(key, now) {
            Ok(token) => token,
            Err(e) => return Outcome::Failed(e),
        };
        let base = self.base(sandbox);
        let client = if base.starts_with("http://") {
            &self.cleartext
        } else {
            &self.tls
        };
        let request = client
            .post(format!("{base}/3/device/{device_token}"))
            .header("authorization", format!("bearer {token}"))
            .header("apns-topic", &key.bundle_id);
        let (status, reason) = match push(request, trigger).await {
            Ok(answer) => answer,
            Err(outcome) => return outcome,
        };
        if status == 403 && reason == "ExpiredProviderToken" {
            forget(&self.tokens, &format!("{}|{}", key.team_id, key.key_id));
        }
        outcome(status, &reason)
    }

    /// Sends the trigger as `send` does, authenticated by the application's certificate.
    pub async fn send_certified(
        &self,
        certificate: &Certificate,
        sandbox: bool,
        device_token: &str,
        trigger: &SyncTrigger,
    ) -> Outcome {
        let base = self.base(sandbox);
        let client = if base.starts_with("http://") {
            self.cleartext.clone()
        } else {
            match self.certified_client(certificate) {
                Ok(client) => client,
                Err(e) => return Outcome::Failed(e),
            }
        };
        let mut request = client.post(format!("{base}/3/device/{device_token}"));
        if let Some(topic) = &certificate.bundle_id {
            request = request.header("apns-topic", topic);
        }
        match push(request, trigger).await {
            Ok((status, reason)) => outcome(status, &reason),
            Err(outcome) => outcome,
        }
    }

    fn base(&self, sandbox: bool) -> &str {
        self.base
            .as_deref()
            .unwrap_or(if sandbox { SANDBOX_URL } else { PRODUCTION_URL })
    }

    fn certified_client(&self, certificate: &Certificate) -> Result<reqwest::Client, String> {
        let key = certificate.cache_key();
        let mut clients = self.certified.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(client) = clients.get(&key) {
            return Ok(client.clone());
        }
        let client = certificate.client()?;
        clients.insert(key, client.clone());
        Ok(client)
    }
}

/// Posts the background push; APNs' status and reason, or the outcome of not reaching it.
async fn push(
    request: reqwest::RequestBuilder,
    trigger: &SyncTrigger,
) -> Result<(u16, String), Outcome> {
    let body = serde_json::json!({ "aps": { "content-available": 1 }, "data": trigger });
    let reply = request
        .header("apns-push-type", "background")
        .header("apns-priority", "5")
        .json(&body)
        .send()
        .await
        .map_err(|e| Outcome::Failed(format!("APNs unreachable: {e}")))?;
    let status = reply.status().as_u16();
    if status == 200 {
        return Ok((status, String::new()));
    }
    let reason = reply
        .json::<Reason>()
        .await
        .map(|r| r.reason)
        .unwrap_or_default();
    Ok((status, reason))
}

fn outcome(status: u16, reason: &str) -> Outcome {
    match (status, reason) {
        (200, _) => Outcome::Delivered,
        (410, _) | (400, "BadDeviceToken") | (_, "Unregistered") => {
            Outcome::Dead(format!("APNs: {status} {reason}"))
        }
        _ => Outcome::Failed(format!("APNs answered {status} {reason}")),
    }
}
