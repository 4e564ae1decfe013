//! Invoking the app's functions: the AWS Lambda Invoke API (`POST
//! /2015-03-31/functions/{name}/invocations`, SigV4-signed) at the configured endpoint, or a
//! plain webhook for an ARN mapped to one. Synchronous, bounded by a timeout, and retried as
//! Cognito retries: timeouts, unreachable endpoints and the Lambda service's own 5xx and 429.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use serde::Deserialize;
use serde_json::Value;

use crate::config::Config;

/// Attempts at one invocation before it counts as failed, as in Cognito.
const ATTEMPTS: usize = 3;

/// Why an invocation gave no event back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvokeError {
    /// The function ran and failed (threw): its message.
    Function(String),
    /// The function could not be reached or did not answer in time: the cause.
    Unreachable(String),
    /// It answered with something that is not an event.
    Invalid,
}

impl InvokeError {
    /// The outcome metrics count it under.
    pub fn outcome(&self) -> &'static str {
        match self {
            InvokeError::Function(_) => "function_error",
            InvokeError::Unreachable(_) => "unreachable",
            InvokeError::Invalid => "invalid_response",
        }
    }
}

/// What a failed function returns in its body.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FunctionError {
    #[serde(default)]
    error_message: Option<String>,
}

/// How triggers are invoked.
pub struct Invoker {
    http: reqwest::Client,
    endpoint: Option<String>,
    urls: BTreeMap<String, String>,
    timeout: Duration,
    region: String,
}

/// One attempt's result: done (success or final failure), or worth another try.
enum Attempt {
    Done(Result<Value, InvokeError>),
    Retry(String),
}

impl Invoker {
    pub fn from_config(config: &Config) -> anyhow::Result<Invoker> {
        for url in config.trigger_urls.values().chain(&config.lambda_endpoint) {
            reqwest::Url::parse(url).map_err(|e| anyhow::anyhow!("trigger URL {url:?}: {e}"))?;
        }
        Ok(Invoker {
            http: reqwest::Client::builder().build()?,
            endpoint: config
                .lambda_endpoint
                .as_ref()
                .map(|e| e.trim_end_matches('/').to_string()),
            urls: config.trigger_urls.clone(),
            timeout: Duration::from_millis(config.trigger_timeout_ms.max(1)),
            region: config.region.clone(),
        })
    }

    /// Invokes the function `arn` with `event`, returning the event it answers with.
    pub async fn invoke(&self, arn: &str, event: &Value) -> Result<Value, InvokeError> {
        let body = serde_json::to_vec(event).map_err(|_| InvokeError::Invalid)?;
        let mut last = String::new();
        for _ in 0..ATTEMPTS {
            match self.attempt(arn, &body).await {
                Attempt::Done(result) => return result,
                Attempt::Retry(cause) => last = cause,
            }
        }
        tracing::warn!(arn, error = %last, "trigger invocation failed");
        Err(InvokeError::Unreachable(last))
    }

    async fn attempt(&self, arn: &str, body: &[u8]) -> Attempt {
        let request = match self.urls.get(arn) {
            Some(url) => Ok((self.http.post(url), false)),
            None => self.lambda_request(arn, body).map(|r| (r, true)),
        };
        let (request, lambda) = match request {
            Ok(r) => r,
            Err(cause) => return Attempt::Done(Err(InvokeError::Unreachable(cause))),
        };
        let sent = request
            .header("content-type", "application/json")
            .body(body.to_vec())
            .timeout(self.timeout)
            .send()
            .await;
        let reply = match sent {
            Ok(reply) => reply,
            Err(e) if e.is_timeout() => {
                return Attempt::Retry("Socket timeout while invoking Lambda function".into())
            }
            Err(_) => return Attempt::Retry("Unable to reach the Lambda function".into()),
        };
        let status = reply.status();
        let function_error = reply.headers().contains_key("x-amz-function-error");
        let error_type = reply
            .headers()
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(':').next().unwrap_or(v).to_string());
        let Ok(bytes) = reply.bytes().await else {
            return Attempt::Retry("Socket timeout while invoking Lambda function".into());
        };
        if status.is_server_error() || status.as_u16() == 429 {
            return Attempt::Retry(error_type.unwrap_or_else(|| format!("HTTP {status}")));
        }
        if function_error || (!lambda && status.is_client_error()) {
            let message = serde_json::from_slice::<FunctionError>(&bytes)
                .ok()
                .and_then(|e| e.error_message)
                .unwrap_or_else(|| String::from_utf8_lossy(&bytes).into_owned());
            return Attempt::Done(Err(InvokeError::Function(message)));
        }
        if !status.is_success() {
            let cause = error_type.unwrap_or_else(|| format!("HTTP {status}"));
            return Attempt::Done(Err(InvokeError::Unreachable(cause)));
        }
        Attempt::Done(serde_json::from_slice(&bytes).map_err(|_| InvokeError::Invalid))
    }

    /// A signed Invoke API request for the function an ARN names.
    fn lambda_request(&self, arn: &str, body: &[u8]) -> Result<reqwest::RequestBuilder, String> {
        let Some(endpoint) = &self.endpoint else {
            return Err("AccessDeniedException".into());
        };
        let (name, qualifier) = function_name(arn);
        let mut url = format!("{endpoint}/2015-03-31/functions/{name}/invocations");
        if let Some(q) = qualifier {
            url.push_str(&format!("?Qualifier={q}"));
        }
        let headers = [("content-type", "application/json")];
        // Local runtimes accept any credentials; the signature is there for those that check.
        let identity = Credentials::new("cognate", "cognate", None, None, "cognate").into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name("lambda")
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| e.to_string())?
            .into();
        let signable =
            SignableRequest::new("POST", &url, headers.into_iter(), SignableBody::Bytes(body))
                .map_err(|e| e.to_string())?;
        let (instructions, _) = sign(signable, &params)
            .map_err(|e| e.to_string())?
            .into_parts();
        let mut request = self.http.post(&url);
        for (name, value) in instructions.headers() {
            request = request.header(name, value);
        }
        Ok(request.header("x-amz-invocation-type", "RequestResponse"))
    }
}

/// The function name and qualifier of `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`;
/// a bare name is taken as it is.
pub fn function_name(arn: &str) -> (&str, Option<&str>) {
    match arn.split_once(":function:") {
        Some((_, rest)) => match rest.split_once(':') {
            Some((name, q)) => (name, Some(q)),
            None => (rest, None),
        },
        None => (arn, None),
    }
}

#[cfg(test)]
mod tests {
    use super::function_name;

    #[test]
    fn names_come_from_arns() {
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:PreSignUp";
        assert_eq!(function_name(arn), ("PreSignUp", None));
        assert_eq!(
            function_name(&format!("{arn}:live")),
            ("PreSignUp", Some("live"))
        );
        assert_eq!(function_name("Plain"), ("Plain", None));
    }
}
