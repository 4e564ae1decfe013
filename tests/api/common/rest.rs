//! The REST admin API, called as curl would: JSON in, JSON (or problem+json) out.

use reqwest::Method;
use serde_json::Value;

use super::{TestApp, ADMIN_BASE};

pub struct Rest {
    pub status: u16,
    pub content_type: String,
    pub body: Value,
}

impl Rest {
    /// The Cognito exception a problem names: the last segment of its `type`.
    pub fn problem(&self) -> &str {
        assert_eq!(
            self.content_type, "application/problem+json",
            "{:?}",
            self.body
        );
        self.body["type"]
            .as_str()
            .and_then(|t| t.rsplit('/').next())
            .unwrap_or_default()
    }
}

impl TestApp {
    /// `method` on `path` below /admin/api/v1, with `bearer` if given.
    pub async fn rest_as(
        &self,
        bearer: Option<&str>,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Rest {
        let mut req = self
            .http
            .request(method, format!("{}{ADMIN_BASE}{path}", self.base));
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let content_type = res
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let text = res.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Rest {
            status,
            content_type,
            body,
        }
    }

    /// A local-mode (loopback, no credentials) call.
    pub async fn rest(&self, method: Method, path: &str, body: Option<Value>) -> Rest {
        self.rest_as(None, method, path, body).await
    }
}
