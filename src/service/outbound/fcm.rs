//! Firebase Cloud Messaging's HTTP v1 API: an OAuth2 access token obtained with the service
//! account's signed JWT assertion at its `token_uri` (cached until shortly before it
//! expires), then `POST {base}/v1/projects/{project}/messages:send`.

use std::time::Duration;

use serde::Deserialize;

use super::push::{cached, forget, remember_reply, Cached, Outcome, SyncTrigger};

pub const DEFAULT_URL: &str = "https://fcm.googleapis.com";
const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";

/// The parts of a service-account key file (JSON) that sending needs.
#[derive(Clone, Deserialize)]
pub struct ServiceAccount {
    pub project_id: String,
    pub private_key: String,
    #[serde(default)]
    pub private_key_id: Option<String>,
    pub client_email: String,
    pub token_uri: String,
}

impl std::fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("project_id", &self.project_id)
            .field("client_email", &self.client_email)
            .finish_non_exhaustive()
    }
}

impl ServiceAccount {
    /// Reads a key file, refusing one whose private key is not an RSA key.
    pub fn parse(json: &str) -> Result<ServiceAccount, String> {
        let account: ServiceAccount = serde_json::from_str(json)
            .map_err(|e| format!("not an FCM service-account JSON: {e}"))?;
        jsonwebtoken::EncodingKey::from_rsa_pem(account.private_key.as_bytes())
            .map_err(|_| "the service account's private_key is not an RSA key".to_string())?;
        Ok(account)
    }

    fn assertion(&self, now_secs: i64) -> Result<String, String> {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = self.private_key_id.clone();
        let claims = serde_json::json!({
            "iss": self.client_email,
            "scope": SCOPE,
            "aud": self.token_uri,
            "iat": now_secs,
            "exp": now_secs + 3600,
        });
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(self.private_key.as_bytes())
            .map_err(|e| e.to_string())?;
        jsonwebtoken::encode(&header, &claims, &key).map_err(|e| e.to_string())
    }
}

pub struct Fcm {
    http: reqwest::Client,
    base: String,
    tokens: Cached,
}

impl Fcm {
    pub fn new(base: Option<&str>) -> anyhow::Result<Fcm> {
        Ok(Fcm {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()?,
            base: base
                .unwrap_or(DEFAULT_URL)
                .trim_end_matches('/')
                .to_string(),
            tokens: Default::default(),
        })
    }

    async fn access_token(&self, account: &ServiceAccount, now: i64) -> Result<String, String> {
        let key = format!("{}|{}", account.client_email, account.token_uri);
        if let Some(token) = cached(&self.tokens, &key, now) {
            return Ok(token);
        }
        let assertion = account.assertion(now / 1000)?;
        let reply = self
            .http
            .post(&account.token_uri)
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", assertion.as_str()),
            ])
            .send()
            .await;
        remember_reply(&self.tokens, &key, "FCM's token endpoint", reply, now).await
    }

    /// Sends the trigger as a data-only (silent) message to `token`.
    pub async fn send(
        &self,
        account: &ServiceAccount,
        token: &str,
        trigger: &SyncTrigger,
        now: i64,
    ) -> Outcome {
        let access = match self.access_token(account, now).await {
            Ok(access) => access,
            Err(e) => return Outcome::Failed(e),
        };
        let body = serde_json::json!({
            "message": {
                "token": token,
                "data": trigger.string_map(),
                "android": { "priority": "high" },
            }
        });
        let url = format!(
            "{}/v1/projects/{}/messages:send",
            self.base, account.project_id
        );
        let reply = match self
            .http
            .post(url)
            .bearer_auth(access)
            .json(&body)
            .send()
            .await
        {
            Ok(reply) => reply,
            Err(e) => return Outcome::Failed(format!("FCM unreachable: {e}")),
        };
        let status = reply.status();
        let text = reply.text().await.unwrap_or_default();
        if status.is_success() {
            return Outcome::Delivered;
        }
        if status.as_u16() == 401 {
            let key = format!("{}|{}", account.client_email, account.token_uri);
            forget(&self.tokens, &key);
        }
        if status.as_u16() == 404 || text.contains("UNREGISTERED") {
            return Outcome::Dead(format!("FCM: {status} UNREGISTERED"));
        }
        Outcome::Failed(format!("FCM answered {status}"))
    }
}
