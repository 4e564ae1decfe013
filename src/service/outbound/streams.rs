//! Cognito Streams' sink: each stream name maps to an HTTP webhook (`COGNATE_SYNC_STREAM_URLS`)
//! that receives every stream record as the JSON body of a POST, the record Cognito would put
//! on the Kinesis stream of that name.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::Value;

use crate::config::Config;

/// Attempts at one record before it is given up (and logged).
const ATTEMPTS: usize = 3;

pub struct Streams {
    http: reqwest::Client,
    urls: BTreeMap<String, String>,
    timeout: Duration,
}

impl Streams {
    pub fn from_config(config: &Config) -> anyhow::Result<Streams> {
        for url in config.sync_stream_urls.values() {
            reqwest::Url::parse(url).map_err(|e| anyhow::anyhow!("stream URL {url:?}: {e}"))?;
        }
        Ok(Streams {
            http: reqwest::Client::builder().build()?,
            urls: config.sync_stream_urls.clone(),
            timeout: Duration::from_millis(config.trigger_timeout_ms.max(1)),
        })
    }

    /// Whether a stream of this name is configured.
    pub fn knows(&self, stream: &str) -> bool {
        self.urls.contains_key(stream)
    }

    /// Posts one record to the stream's webhook, retrying transient failures; the cause of
    /// the last failure when it was not accepted.
    pub async fn put_record(
        &self,
        stream: &str,
        partition_key: &str,
        record: &Value,
    ) -> Result<(), String> {
        let Some(url) = self.urls.get(stream) else {
            return Err(format!("No sink is configured for the stream {stream:?}."));
        };
        let mut last = String::new();
        for _ in 0..ATTEMPTS {
            let sent = self
                .http
                .post(url)
                .header("x-cognate-stream-name", stream)
                .header("x-cognate-partition-key", partition_key)
                .timeout(self.timeout)
                .json(record)
                .send()
                .await;
            match sent {
                Ok(reply) if reply.status().is_success() => return Ok(()),
                Ok(reply) if reply.status().is_client_error() => {
                    return Err(format!("The stream's sink answered {}", reply.status()))
                }
                Ok(reply) => last = format!("The stream's sink answered {}", reply.status()),
                Err(e) => last = format!("The stream's sink is unreachable: {e}"),
            }
        }
        Err(last)
    }
}
