//! Configuration: defaults, then an optional TOML file, then `COGNATE_*` variables, then flags.

use std::fmt;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};

use serde::Deserialize;

mod layer;
mod limits;
pub use layer::{ConfigError, ConfigLayer};
pub use limits::{QuotaCategory, Quotas};

/// Every `COGNATE_*` variable that is read; any other is warned about.
pub const ENV_VARS: &[&str] = &[
    "COGNATE_LISTEN",
    "COGNATE_DATABASE_URL",
    "COGNATE_PUBLIC_URL",
    "COGNATE_REGION",
    "COGNATE_ACCOUNT_ID",
    "COGNATE_ADMIN_ACCESS_KEY_ID",
    "COGNATE_ADMIN_SECRET_ACCESS_KEY",
    "COGNATE_LOG_FORMAT",
    "COGNATE_SMTP_URL",
    "COGNATE_EMAIL_FROM",
    "COGNATE_SMS_WEBHOOK_URL",
    "COGNATE_ARGON2_MEMORY_KIB",
    "COGNATE_ARGON2_ITERATIONS",
    "COGNATE_HASH_WORKERS",
    "COGNATE_HASH_QUEUE",
    "COGNATE_QUOTAS_ENABLED",
    "COGNATE_QUOTAS",
    "COGNATE_CORS_ORIGINS",
    "COGNATE_MASTER_KEY",
    "COGNATE_SWEEP_INTERVAL_SECS",
    "COGNATE_LAMBDA_ENDPOINT",
    "COGNATE_TRIGGER_URLS",
    "COGNATE_TRIGGER_TIMEOUT_MS",
    "COGNATE_FCM_URL",
    "COGNATE_APNS_URL",
    "COGNATE_ADM_URL",
    "COGNATE_PUSH_WORKER",
    "COGNATE_PUSH_POLL_MS",
    "COGNATE_PUSH_SOCKET_QUEUE",
    "COGNATE_HTTP_SEND_BUFFER",
    "COGNATE_SYNC_STREAM_URLS",
    "COGNATE_ISSUER_STYLE",
    "COGNATE_AUDIT_RETENTION_DAYS",
    "COGNATE_IMPORT",
    "COGNATE_FEDERATION_URLS",
    // Read by `cognate rotate-master-key` only.
    "COGNATE_NEW_MASTER_KEY",
    // Read by the test suite only, so that it can run against PostgreSQL.
    "COGNATE_TEST_DATABASE_URL",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Human,
    Json,
}

/// Whose issuer URL tokens carry: this server's (`{public_url}/{poolId}`), or Cognito's
/// (`https://cognito-idp.{region}.amazonaws.com/{poolId}`), for verifiers that expect it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum IssuerStyle {
    #[default]
    Local,
    Aws,
}

impl std::str::FromStr for IssuerStyle {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "local" => Ok(IssuerStyle::Local),
            "aws" => Ok(IssuerStyle::Aws),
            other => Err(format!("unknown issuer style {other}; use local or aws")),
        }
    }
}

impl std::str::FromStr for LogFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "human" | "text" | "pretty" => Ok(LogFormat::Human),
            "json" => Ok(LogFormat::Json),
            other => Err(format!(
                "unknown log format {other:?} (expected human or json)"
            )),
        }
    }
}

/// A secret string that never shows itself in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Secret)
    }
}

/// Argon2id cost parameters; the defaults are OWASP's recommendation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Argon2Params {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl Default for Argon2Params {
    fn default() -> Self {
        Argon2Params {
            memory_kib: 19 * 1024,
            iterations: 2,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Config {
    /// `host:port` to listen on; port 0 picks a free one.
    pub listen: String,
    pub database_url: String,
    /// Base URL clients reach this server at; `None` means `http://{bound address}`.
    pub public_url: Option<String>,
    pub region: String,
    pub account_id: String,
    pub admin_access_key_id: Option<String>,
    pub admin_secret_access_key: Option<Secret>,
    pub log_format: LogFormat,
    /// `smtp://user:pass@host:587` (STARTTLS), `smtps://...` (TLS) or
    /// `smtp://host:25?tls=none`; without it email is only logged (and kept in local mode).
    pub smtp_url: Option<Secret>,
    /// Sender address when the pool's EmailConfiguration names none.
    pub email_from: String,
    /// Where SMS messages are POSTed as JSON; without it they are only logged.
    pub sms_webhook_url: Option<String>,
    pub argon2: Argon2Params,
    /// Threads that run argon2 and SRP; 0 means one per core.
    pub hash_workers: usize,
    /// Hashing jobs that may wait for a worker; beyond them requests get
    /// TooManyRequestsException.
    pub hash_queue: usize,
    /// Request-rate quotas per Cognito category (per instance).
    pub quotas: Quotas,
    /// Origins browsers may call the unsigned operations from; `*` is any origin, an empty
    /// list turns CORS off.
    pub cors_origins: Vec<String>,
    /// 32 bytes, base64: seals signing keys, TOTP secrets and client secrets at rest. In
    /// local mode without one, a key file in the data folder (see `master_key_file`).
    pub master_key: Option<Secret>,
    /// Seconds between sweeps of expired sessions, codes and refresh tokens; 0 turns them off.
    pub sweep_interval_secs: u64,
    /// The Lambda Invoke API that trigger ARNs are invoked at (`sam local start-lambda`,
    /// LocalStack, ...); without it, only the ARNs in `trigger_urls` can be called.
    pub lambda_endpoint: Option<String>,
    /// Trigger ARN -> plain webhook URL that receives the same event JSON.
    pub trigger_urls: std::collections::BTreeMap<String, String>,
    /// How long one invocation may take before it counts as failed (Cognito: 5 s).
    pub trigger_timeout_ms: u64,
    /// FCM's base URL (default https://fcm.googleapis.com), for a local mock.
    pub fcm_url: Option<String>,
    /// APNs' base URL for both APNS and APNS_SANDBOX (default Apple's), for a local mock;
    /// an `http://` URL is spoken to with HTTP/2 prior knowledge.
    pub apns_url: Option<String>,
    /// Amazon Device Messaging's base URL (default https://api.amazon.com), for a local
    /// mock: its token endpoint and its send endpoint both live there.
    pub adm_url: Option<String>,
    /// Whether this instance delivers the push outbox (every instance may).
    pub push_worker: bool,
    /// How often (ms) the push worker looks for due deliveries without being woken.
    pub push_poll_ms: u64,
    /// How many changes one sync WebSocket may have waiting; a socket that falls further
    /// behind is closed (1013) so that its client reconnects and pulls.
    pub push_socket_queue: usize,
    /// The kernel send buffer (bytes) of each HTTP connection; unset, the kernel's own
    /// (auto-tuned, up to megabytes). Small, a client that stops reading a sync WebSocket
    /// fills it, and its queue, sooner.
    pub http_send_buffer: Option<usize>,
    /// Cognito Streams: StreamName -> HTTP webhook URL that receives each stream record.
    pub sync_stream_urls: std::collections::BTreeMap<String, String>,
    /// The tokens' issuer: this server's URL, or Cognito's.
    pub issuer_style: IssuerStyle,
    /// Days the audit log keeps an administrative change.
    pub audit_retention_days: u64,
    /// A SAM / CloudFormation template whose Cognito resources are imported at start.
    pub import: Option<PathBuf>,
    /// Identity-pool login provider -> where its tokens are verified (`accounts.google.com`
    /// -> JWKS URL, `graph.facebook.com` -> Graph API base URL, an OIDC provider -> issuer).
    pub federation_urls: std::collections::BTreeMap<String, String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:9229".into(),
            database_url: "sqlite://cognate-data/cognate.db".into(),
            public_url: None,
            region: "us-east-1".into(),
            account_id: "000000000000".into(),
            admin_access_key_id: None,
            admin_secret_access_key: None,
            log_format: LogFormat::Human,
            smtp_url: None,
            email_from: "no-reply@verificationemail.com".into(),
            sms_webhook_url: None,
            argon2: Argon2Params::default(),
            hash_workers: 0,
            hash_queue: 64,
            quotas: Quotas::default(),
            cors_origins: vec!["*".into()],
            master_key: None,
            sweep_interval_secs: 300,
            lambda_endpoint: None,
            trigger_urls: Default::default(),
            trigger_timeout_ms: 5000,
            fcm_url: None,
            apns_url: None,
            adm_url: None,
            push_worker: true,
            push_poll_ms: 1000,
            push_socket_queue: 256,
            http_send_buffer: None,
            sync_stream_urls: Default::default(),
            issuer_style: IssuerStyle::Local,
            audit_retention_days: 90,
            import: None,
            federation_urls: Default::default(),
        }
    }
}

impl Config {
    /// Applies `layer` on top of `self`: every setting the layer has wins.
    pub fn apply(mut self, layer: ConfigLayer) -> Self {
        macro_rules! take {
            ($($field:ident),*) => { $( if let Some(v) = layer.$field { self.$field = v; } )* };
        }
        take!(
            listen,
            database_url,
            region,
            account_id,
            log_format,
            issuer_style,
            email_from,
            hash_workers,
            hash_queue,
            cors_origins,
            sweep_interval_secs,
            trigger_urls,
            trigger_timeout_ms,
            federation_urls,
            push_worker,
            push_poll_ms,
            push_socket_queue,
            sync_stream_urls
        );
        if layer.fcm_url.is_some() {
            self.fcm_url = layer.fcm_url;
        }
        if layer.http_send_buffer.is_some() {
            self.http_send_buffer = layer.http_send_buffer;
        }
        if layer.adm_url.is_some() {
            self.adm_url = layer.adm_url;
        }
        if layer.apns_url.is_some() {
            self.apns_url = layer.apns_url;
        }
        if layer.lambda_endpoint.is_some() {
            self.lambda_endpoint = layer.lambda_endpoint;
        }
        if layer.master_key.is_some() {
            self.master_key = layer.master_key;
        }
        if let Some(days) = layer.audit_retention_days {
            self.audit_retention_days = days;
        }
        if layer.import.is_some() {
            self.import = layer.import;
        }
        if layer.quotas_enabled.is_some() {
            self.quotas.enabled = layer.quotas_enabled;
        }
        if let Some(rates) = layer.quotas {
            self.quotas.rates.extend(rates);
        }
        if layer.smtp_url.is_some() {
            self.smtp_url = layer.smtp_url;
        }
        if layer.sms_webhook_url.is_some() {
            self.sms_webhook_url = layer.sms_webhook_url;
        }
        if layer.public_url.is_some() {
            self.public_url = layer.public_url;
        }
        if layer.admin_access_key_id.is_some() {
            self.admin_access_key_id = layer.admin_access_key_id;
        }
        if layer.admin_secret_access_key.is_some() {
            self.admin_secret_access_key = layer.admin_secret_access_key;
        }
        if let Some(m) = layer.argon2_memory_kib {
            self.argon2.memory_kib = m;
        }
        if let Some(i) = layer.argon2_iterations {
            self.argon2.iterations = i;
        }
        self
    }

    /// Checks the settings against each other; the server refuses to start on an error.
    /// Both admin credentials or neither; the secret shaped like an AWS secret key.
    fn validate_admin_credentials(&self) -> Result<(), ConfigError> {
        let invalid = |name: &str, message: &str| ConfigError::Invalid {
            name: name.into(),
            message: message.into(),
        };
        if self.admin_access_key_id.is_some() != self.admin_secret_access_key.is_some() {
            return Err(invalid(
                "admin credentials",
                "set both COGNATE_ADMIN_ACCESS_KEY_ID and COGNATE_ADMIN_SECRET_ACCESS_KEY, or neither",
            ));
        }
        if let Some(secret) = &self.admin_secret_access_key {
            // SigV4 keys are derived from AWS-shaped secrets: 40 characters.
            if secret.expose().len() != 40 || !secret.expose().is_ascii() {
                return Err(invalid(
                    "COGNATE_ADMIN_SECRET_ACCESS_KEY",
                    "must be 40 ASCII characters, like an AWS secret access key \
                     (for example the output of `openssl rand -base64 30`)",
                ));
            }
        }
        Ok(())
    }

    /// A well-formed master key; outside local mode, a master key at all, since a key file
    /// beside the server is no protection for a database that lives elsewhere.
    fn validate_master_key(&self) -> Result<(), ConfigError> {
        let invalid = |message: &str| ConfigError::Invalid {
            name: "COGNATE_MASTER_KEY".into(),
            message: message.into(),
        };
        match &self.master_key {
            Some(key) => crate::sealing::Sealer::from_base64(key.expose())
                .map(|_| ())
                .map_err(|_| {
                    invalid(
                        "must be 32 random bytes, base64 (for example `openssl rand -base64 32`)",
                    )
                }),
            None if !self.local_mode() => Err(invalid(
                "is required outside local mode (admin credentials are configured): it seals \
                 signing keys, TOTP secrets and client secrets in the database; generate one \
                 with `openssl rand -base64 32`",
            )),
            None => Ok(()),
        }
    }

    /// Where local mode keeps its master key when none is configured: beside the SQLite
    /// file, or in `cognate-data/` for other databases.
    pub fn master_key_file(&self) -> PathBuf {
        let sqlite_path = self
            .database_url
            .strip_prefix("sqlite://")
            .or_else(|| self.database_url.strip_prefix("sqlite:"))
            .map(|rest| rest.split('?').next().unwrap_or_default())
            .filter(|path| !path.is_empty() && *path != ":memory:");
        let dir = match sqlite_path.and_then(|p| Path::new(p).parent()) {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            Some(_) => PathBuf::from("."),
            None => PathBuf::from("cognate-data"),
        };
        dir.join("master.key")
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |name: &str, message: String| ConfigError::Invalid {
            name: name.into(),
            message,
        };
        self.listen_addr()?;
        if !(self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://"))
        {
            return Err(invalid(
                "database_url",
                "expected a sqlite:// or postgres:// URL".into(),
            ));
        }
        self.validate_admin_credentials()?;
        self.validate_master_key()?;
        if self.admin_access_key_id.is_none() && !self.listen_is_loopback()? {
            return Err(invalid(
                "listen",
                format!(
                    "{} is not a loopback address; listening beyond loopback requires admin \
                     credentials (COGNATE_ADMIN_ACCESS_KEY_ID and COGNATE_ADMIN_SECRET_ACCESS_KEY) \
                     so that admin calls are authenticated",
                    self.listen
                ),
            ));
        }
        if self.region.is_empty()
            || !self
                .region
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(invalid(
                "region",
                format!("{:?} is not a region name", self.region),
            ));
        }
        if self.argon2.memory_kib < 8 || self.argon2.iterations < 1 {
            return Err(invalid(
                "argon2",
                "memory must be at least 8 KiB and iterations at least 1".into(),
            ));
        }
        Ok(())
    }

    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.listen
            .to_socket_addrs()
            .ok()
            .and_then(|mut addrs| addrs.next())
            .ok_or_else(|| ConfigError::Invalid {
                name: "listen".into(),
                message: format!("{:?} is not a host:port address", self.listen),
            })
    }

    fn listen_is_loopback(&self) -> Result<bool, ConfigError> {
        let ip: IpAddr = self.listen_addr()?.ip();
        Ok(ip.is_loopback())
    }

    /// Local mode: no admin credentials and a loopback listener. Admin calls then accept any
    /// well-formed signature, and the dev outbox is on.
    pub fn local_mode(&self) -> bool {
        self.admin_access_key_id.is_none()
    }
}

#[cfg(test)]
mod tests;
