//! Cognito Sync's silent push message, and what a push service answered.

use serde::Serialize;

/// The `data` of Cognito Sync's push: which dataset of which identity changed, and to what
/// sync count. Android's SDK reads these keys from the message's data; iOS's from `data`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SyncTrigger {
    pub source: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub identity_pool_id: String,
    pub identity_id: String,
    pub dataset_name: String,
    pub sync_count: i64,
}

impl SyncTrigger {
    pub fn new(pool: &str, identity: &str, dataset: &str, sync_count: i64) -> SyncTrigger {
        SyncTrigger {
            source: "cognito-sync",
            kind: "SyncTrigger",
            identity_pool_id: pool.to_string(),
            identity_id: identity.to_string(),
            dataset_name: dataset.to_string(),
            sync_count,
        }
    }

    /// The message a WebSocket client receives: `{"data": {...}}`, as iOS reads it.
    pub fn message(&self) -> String {
        serde_json::json!({ "data": self }).to_string()
    }

    /// FCM's data values are strings.
    pub fn string_map(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut map = serde_json::Map::new();
        for (k, v) in [
            ("source", self.source.to_string()),
            ("type", self.kind.to_string()),
            ("identityPoolId", self.identity_pool_id.clone()),
            ("identityId", self.identity_id.clone()),
            ("datasetName", self.dataset_name.clone()),
            ("syncCount", self.sync_count.to_string()),
        ] {
            map.insert(k.into(), v.into());
        }
        map
    }
}

/// How one delivery went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// The service says the token is dead (unregistered, malformed): SNS disables the endpoint.
    Dead(String),
    /// Anything else: try again later.
    Failed(String),
}

/// A token cache entry: the token and when it stops being used (epoch ms).
pub(crate) type Cached = std::sync::Mutex<std::collections::HashMap<String, (String, i64)>>;

pub(crate) fn cached(cache: &Cached, key: &str, now: i64) -> Option<String> {
    let map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.get(key)
        .filter(|(_, until)| *until > now)
        .map(|(t, _)| t.clone())
}

pub(crate) fn remember(cache: &Cached, key: &str, token: &str, until: i64) {
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.insert(key.to_string(), (token.to_string(), until));
}

/// Reads an OAuth2 token endpoint's reply (`who` names the endpoint in errors) and caches
/// its access token under `key`, renewed a minute early so that a token never expires in
/// flight.
pub(crate) async fn remember_reply(
    cache: &Cached,
    key: &str,
    who: &str,
    sent: reqwest::Result<reqwest::Response>,
    now: i64,
) -> Result<String, String> {
    #[derive(serde::Deserialize)]
    struct TokenReply {
        access_token: String,
        #[serde(default = "an_hour")]
        expires_in: i64,
    }
    fn an_hour() -> i64 {
        3600
    }
    let reply = sent.map_err(|e| format!("{who}: request failed: {e}"))?;
    if !reply.status().is_success() {
        return Err(format!("{who} answered {}", reply.status()));
    }
    let token: TokenReply = reply
        .json()
        .await
        .map_err(|e| format!("{who}: unreadable reply: {e}"))?;
    let until = now + (token.expires_in - 60).max(0) * 1000;
    remember(cache, key, &token.access_token, until);
    Ok(token.access_token)
}

pub(crate) fn forget(cache: &Cached, key: &str) {
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    map.remove(key);
}
