//! Cognito Streams' sink: each stream name maps to an HTTP webhook (`COGNATE_SYNC_STREAM_URLS`)
//! that receives every stream record as the JSON body of a POST, the record Cognito would put
//! on the Kinesis stream of that name.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::config::Config;

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

    /// Posts one record to the stream's webhook, once: the stream outbox retries what
    /// failed for a reason that may pass.
    pub async fn put_record(
        &self,
        stream: &str,
        partition_key: &str,
        record: &str,
    ) -> Result<(), SinkError> {
        let Some(url) = self.urls.get(stream) else {
            return Err(SinkError::Refused(format!(
                "No sink is configured for the stream {stream:?}."
            )));
        };
        let sent = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .header("x-cognate-stream-name", stream)
            .header("x-cognate-partition-key", partition_key)
            .timeout(self.timeout)
            .body(record.to_string())
            .send()
            .await;
        match sent {
            Ok(reply) if reply.status().is_success() => Ok(()),
            Ok(reply) if reply.status().is_client_error() && reply.status() != 429 => Err(
                SinkError::Refused(format!("The stream's sink answered {}", reply.status())),
            ),
            Ok(reply) => Err(SinkError::Failed(format!(
                "The stream's sink answered {}",
                reply.status()
            ))),
            Err(e) => Err(SinkError::Failed(format!(
                "The stream's sink is unreachable: {e}"
            ))),
        }
    }
}

/// Why a record was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SinkError {
    /// Worth another try later (a 5xx, a 429, a timeout, a refused connection).
    Failed(String),
    /// Never accepted as it is (a 4xx, no sink for the stream): given up at once.
    Refused(String),
}

impl SinkError {
    pub fn message(&self) -> &str {
        match self {
            SinkError::Failed(m) | SinkError::Refused(m) => m,
        }
    }
}
