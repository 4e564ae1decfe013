//! A minimal HTTP/1.1 keep-alive client for the per-core bench: requests are pre-built bytes,
//! replies are read by Content-Length, so the load generator spends microseconds per request
//! and one core of it can keep a one-core server busy.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

/// A reply: status and body.
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Result<serde_json::Value, String> {
        serde_json::from_slice(&self.body).map_err(|e| format!("reply is not JSON: {e}"))
    }

    /// `Ok` for a 200, the status and body as the error otherwise.
    pub fn ok(self) -> Result<Reply, String> {
        match self.status {
            200 => Ok(self),
            s => Err(format!("HTTP {s}: {}", String::from_utf8_lossy(&self.body))),
        }
    }
}

impl Conn {
    pub async fn open(addr: &str) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buf: Vec::with_capacity(16 * 1024),
        })
    }

    /// Sends one request and reads its reply.
    pub async fn call(&mut self, request: &[u8]) -> Result<Reply, String> {
        self.stream
            .write_all(request)
            .await
            .map_err(|e| format!("write: {e}"))?;
        let head_end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i + 4;
            }
            self.fill().await?;
        };
        let head = std::str::from_utf8(&self.buf[..head_end]).map_err(|e| e.to_string())?;
        let status: u16 = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or("no status line")?;
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .unwrap_or(0);
        while self.buf.len() < head_end + length {
            self.fill().await?;
        }
        let body = self.buf[head_end..head_end + length].to_vec();
        self.buf.drain(..head_end + length);
        Ok(Reply { status, body })
    }

    async fn fill(&mut self) -> Result<(), String> {
        let mut chunk = [0u8; 16 * 1024];
        let n = tokio::time::timeout(Duration::from_secs(60), self.stream.read(&mut chunk))
            .await
            .map_err(|_| "read timed out".to_string())?
            .map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err("connection closed".into());
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Builds the requests of one server.
#[derive(Clone)]
pub struct Requests {
    pub addr: String,
}

impl Requests {
    /// An AWS JSON 1.1 cognito-idp call; `admin` adds a SigV4-shaped Authorization header,
    /// which a local-mode server accepts without knowing the secret.
    pub fn idp(&self, operation: &str, body: &serde_json::Value, admin: bool) -> Vec<u8> {
        let body = body.to_string();
        let auth = if admin {
            "Authorization: AWS4-HMAC-SHA256 Credential=bench/20261202/us-east-1/cognito-idp/\
             aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00\r\n\
             X-Amz-Date: 20261202T000000Z\r\n"
        } else {
            ""
        };
        format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-amz-json-1.1\r\n\
             X-Amz-Target: AWSCognitoIdentityProviderService.{operation}\r\n{auth}\
             Content-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .into_bytes()
    }

    /// An AWS JSON 1.1 cognito-identity call; `admin` as for [`Requests::idp`].
    pub fn identity(&self, operation: &str, body: &serde_json::Value, admin: bool) -> Vec<u8> {
        let body = body.to_string();
        let auth = if admin {
            "Authorization: AWS4-HMAC-SHA256 Credential=bench/20261202/us-east-1/cognito-identity/\
             aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=00\r\n\
             X-Amz-Date: 20261202T000000Z\r\n"
        } else {
            ""
        };
        format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-amz-json-1.1\r\n\
             X-Amz-Target: AWSCognitoIdentityService.{operation}\r\n{auth}\
             Content-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .into_bytes()
    }

    /// An IAM Query-protocol call as the administrator (a local-mode server accepts the
    /// SigV4-shaped header without knowing the secret).
    pub fn iam(&self, form: &[(&str, String)]) -> Vec<u8> {
        let mut all = vec![("Version", "2010-05-08".to_string())];
        all.extend(form.iter().cloned());
        let body: String = all
            .iter()
            .map(|(k, v)| format!("{k}={}", percent(v)))
            .collect::<Vec<_>>()
            .join("&");
        format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential=bench/20261202/us-east-1/iam/aws4_request, \
             SignedHeaders=host;x-amz-date, Signature=00\r\nX-Amz-Date: 20261202T000000Z\r\n\
             Content-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .into_bytes()
    }

    /// A JSON POST to `path`.
    pub fn post_json(&self, path: &str, body: &serde_json::Value) -> Vec<u8> {
        let body = body.to_string();
        format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .into_bytes()
    }

    pub fn get(&self, path: &str) -> Vec<u8> {
        format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr).into_bytes()
    }
}

/// `text` percent-encoded for a form body (RFC 3986 unreserved characters kept).
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
