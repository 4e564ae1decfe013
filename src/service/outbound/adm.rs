//! Amazon Device Messaging: an OAuth2 access token obtained with the application's client id
//! and secret (`POST {base}/auth/o2/token`, client credentials, scope `messaging:push`),
//! cached until shortly before it expires, then `POST {base}/messaging/registrations/
//! {registrationId}/messages` with the trigger as the message's data.

use std::time::Duration;

use serde::Deserialize;

use super::push::{cached, forget, remember_reply, Cached, Outcome, SyncTrigger};

pub const DEFAULT_URL: &str = "https://api.amazon.com";
const SCOPE: &str = "messaging:push";
const MESSAGE_TYPE: &str = "com.amazon.device.messaging.ADMMessage@1.0";
const RESULT_TYPE: &str = "com.amazon.device.messaging.ADMSendResult@1.0";

/// An ADM application's client credentials (SNS: PlatformPrincipal and PlatformCredential).
#[derive(Clone)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

pub struct Adm {
    http: reqwest::Client,
    base: String,
    tokens: Cached,
    /// Held while a token is fetched, so that the deliveries of one round that all find the
    /// cache empty ask ADM once.
    fetching: tokio::sync::Mutex<()>,
}

#[derive(Deserialize, Default)]
struct Reason {
    #[serde(default)]
    reason: String,
}

impl Adm {
    pub fn new(base: Option<&str>) -> anyhow::Result<Adm> {
        Ok(Adm {
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()?,
            base: base
                .unwrap_or(DEFAULT_URL)
                .trim_end_matches('/')
                .to_string(),
            tokens: Default::default(),
            fetching: Default::default(),
        })
    }

    async fn access_token(&self, app: &ClientCredentials, now: i64) -> Result<String, String> {
        if let Some(token) = cached(&self.tokens, &app.client_id, now) {
            return Ok(token);
        }
        let _fetching = self.fetching.lock().await;
        if let Some(token) = cached(&self.tokens, &app.client_id, now) {
            return Ok(token);
        }
        let reply = self
            .http
            .post(format!("{}/auth/o2/token", self.base))
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", SCOPE),
                ("client_id", app.client_id.as_str()),
                ("client_secret", app.client_secret.as_str()),
            ])
            .send()
            .await;
        remember_reply(
            &self.tokens,
            &app.client_id,
            "ADM's token endpoint",
            reply,
            now,
        )
        .await
    }

    /// Sends the trigger as a data message to the app instance `registration_id`.
    pub async fn send(
        &self,
        app: &ClientCredentials,
        registration_id: &str,
        trigger: &SyncTrigger,
        now: i64,
    ) -> Outcome {
        let access = match self.access_token(app, now).await {
            Ok(access) => access,
            Err(e) => return Outcome::Failed(e),
        };
        let url = format!(
            "{}/messaging/registrations/{registration_id}/messages",
            self.base
        );
        let body = serde_json::json!({ "data": trigger.string_map() });
        let reply = self
            .http
            .post(url)
            .bearer_auth(access)
            .header("accept", "application/json")
            .header("x-amzn-type-version", MESSAGE_TYPE)
            .header("x-amzn-accept-type", RESULT_TYPE)
            .json(&body)
            .send()
            .await;
        let reply = match reply {
            Ok(reply) => reply,
            Err(e) => return Outcome::Failed(format!("ADM unreachable: {e}")),
        };
        let status = reply.status().as_u16();
        if status == 200 {
            return Outcome::Delivered;
        }
        let reason = reply.json::<Reason>().await.unwrap_or_default().reason;
        if status == 401 {
            forget(&self.tokens, &app.client_id);
        }
        match reason.as_str() {
            "Unregistered" | "InvalidRegistrationId" => {
                Outcome::Dead(format!("ADM: {status} {reason}"))
            }
            // 401 AccessTokenExpired (a new token next time), 429 MaxRateExceeded, 5xx, and
            // refusals of the message itself: tried again after the back-off.
            _ => Outcome::Failed(format!("ADM answered {status} {reason}")),
        }
    }
}
