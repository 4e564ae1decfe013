//! Apple Push Notification service over HTTP/2: `POST {base}/3/device/{token}` with an ES256
//! provider token (the .p8 key, its key id and the team id), a background push to the app's
//! bundle id. A cleartext base URL (a local mock) is spoken to with HTTP/2 prior knowledge.

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

pub struct Apns {
    tls: reqwest::Client,
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
        let base =
            self.base
                .as_deref()
                .unwrap_or(if sandbox { SANDBOX_URL } else { PRODUCTION_URL });
        let client = if base.starts_with("http://") {
            &self.cleartext
        } else {
            &self.tls
        };
        let body = serde_json::json!({ "aps": { "content-available": 1 }, "data": trigger });
        let reply = client
            .post(format!("{base}/3/device/{device_token}"))
            .header("authorization", format!("bearer {token}"))
            .header("apns-push-type", "background")
            .header("apns-priority", "5")
            .header("apns-topic", &key.bundle_id)
            .json(&body)
            .send()
            .await;
        let reply = match reply {
            Ok(reply) => reply,
            Err(e) => return Outcome::Failed(format!("APNs unreachable: {e}")),
        };
        let status = reply.status().as_u16();
        if status == 200 {
            return Outcome::Delivered;
        }
        let reason = reply
            .json::<Reason>()
            .await
            .map(|r| r.reason)
            .unwrap_or_default();
        if status == 403 && reason == "ExpiredProviderToken" {
            forget(&self.tokens, &format!("{}|{}", key.team_id, key.key_id));
        }
        match (status, reason.as_str()) {
            (410, _) | (400, "BadDeviceToken") | (_, "Unregistered") => {
                Outcome::Dead(format!("APNs: {status} {reason}"))
            }
            _ => Outcome::Failed(format!("APNs answered {status} {reason}")),
        }
    }
}
