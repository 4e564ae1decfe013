//! One layer of settings (a TOML file, the `COGNATE_*` variables, the flags), and reading
//! the first two.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{IssuerStyle, LogFormat, QuotaCategory, Quotas, Secret, ENV_VARS};

/// One layer of settings; every layer may leave any setting out.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigLayer {
    pub listen: Option<String>,
    pub database_url: Option<String>,
    pub public_url: Option<String>,
    pub region: Option<String>,
    pub account_id: Option<String>,
    pub admin_access_key_id: Option<String>,
    pub admin_secret_access_key: Option<Secret>,
    pub log_format: Option<LogFormat>,
    pub issuer_style: Option<IssuerStyle>,
    pub smtp_url: Option<Secret>,
    pub email_from: Option<String>,
    pub sms_webhook_url: Option<String>,
    pub argon2_memory_kib: Option<u32>,
    pub argon2_iterations: Option<u32>,
    pub hash_workers: Option<usize>,
    pub hash_queue: Option<usize>,
    pub quotas_enabled: Option<bool>,
    pub quotas: Option<std::collections::BTreeMap<QuotaCategory, u32>>,
    pub cors_origins: Option<Vec<String>>,
    pub master_key: Option<Secret>,
    pub sweep_interval_secs: Option<u64>,
    pub lambda_endpoint: Option<String>,
    pub trigger_urls: Option<std::collections::BTreeMap<String, String>>,
    pub sync_stream_urls: Option<std::collections::BTreeMap<String, String>>,
    pub trigger_timeout_ms: Option<u64>,
    pub fcm_url: Option<String>,
    pub apns_url: Option<String>,
    pub adm_url: Option<String>,
    pub push_worker: Option<bool>,
    pub push_poll_ms: Option<u64>,
    pub push_socket_queue: Option<usize>,
    pub http_send_buffer: Option<usize>,
    pub audit_retention_days: Option<u64>,
    pub import: Option<PathBuf>,
    pub federation_urls: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid config file {path}: {source}")]
    Parse {
        path: String,
        source: Box<toml::de::Error>,
    },
    #[error("invalid value for {name}: {message}")]
    Invalid { name: String, message: String },
}

impl ConfigLayer {
    pub fn from_toml_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| ConfigError::Parse {
            path: path.display().to_string(),
            source: Box::new(source),
        })
    }

    /// Reads the `COGNATE_*` variables from `vars`, returning the layer and the names of
    /// variables that look like ours but are not.
    pub fn from_env(
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(Self, Vec<String>), ConfigError> {
        let mut layer = ConfigLayer::default();
        let mut unknown = Vec::new();
        for (name, value) in vars {
            if !name.starts_with("COGNATE_") {
                continue;
            }
            match name.as_str() {
                "COGNATE_LISTEN" => layer.listen = Some(value),
                "COGNATE_DATABASE_URL" => layer.database_url = Some(value),
                "COGNATE_PUBLIC_URL" => layer.public_url = Some(value),
                "COGNATE_REGION" => layer.region = Some(value),
                "COGNATE_ACCOUNT_ID" => layer.account_id = Some(value),
                "COGNATE_ADMIN_ACCESS_KEY_ID" => layer.admin_access_key_id = Some(value),
                "COGNATE_ADMIN_SECRET_ACCESS_KEY" => {
                    layer.admin_secret_access_key = Some(Secret(value))
                }
                "COGNATE_LOG_FORMAT" => layer.log_format = Some(parse(&name, &value)?),
                "COGNATE_ISSUER_STYLE" => layer.issuer_style = Some(parse(&name, &value)?),
                "COGNATE_SMTP_URL" => layer.smtp_url = Some(Secret(value)),
                "COGNATE_EMAIL_FROM" => layer.email_from = Some(value),
                "COGNATE_SMS_WEBHOOK_URL" => layer.sms_webhook_url = Some(value),
                "COGNATE_ARGON2_MEMORY_KIB" => {
                    layer.argon2_memory_kib = Some(parse(&name, &value)?)
                }
                "COGNATE_ARGON2_ITERATIONS" => {
                    layer.argon2_iterations = Some(parse(&name, &value)?)
                }
                "COGNATE_HASH_WORKERS" => layer.hash_workers = Some(parse(&name, &value)?),
                "COGNATE_HASH_QUEUE" => layer.hash_queue = Some(parse(&name, &value)?),
                "COGNATE_QUOTAS_ENABLED" => layer.quotas_enabled = Some(parse(&name, &value)?),
                "COGNATE_QUOTAS" => {
                    layer.quotas = Some(Quotas::parse_rates(&value).map_err(|message| {
                        ConfigError::Invalid {
                            name: name.clone(),
                            message,
                        }
                    })?)
                }
                "COGNATE_CORS_ORIGINS" => layer.cors_origins = Some(list(&value)),
                "COGNATE_MASTER_KEY" => layer.master_key = Some(Secret(value)),
                "COGNATE_SWEEP_INTERVAL_SECS" => {
                    layer.sweep_interval_secs = Some(parse(&name, &value)?)
                }
                "COGNATE_LAMBDA_ENDPOINT" => layer.lambda_endpoint = Some(value),
                "COGNATE_TRIGGER_URLS" => layer.trigger_urls = Some(pairs(&name, &value)?),
                "COGNATE_SYNC_STREAM_URLS" => layer.sync_stream_urls = Some(pairs(&name, &value)?),
                "COGNATE_TRIGGER_TIMEOUT_MS" => {
                    layer.trigger_timeout_ms = Some(parse(&name, &value)?)
                }
                "COGNATE_FCM_URL" => layer.fcm_url = Some(value),
                "COGNATE_APNS_URL" => layer.apns_url = Some(value),
                "COGNATE_ADM_URL" => layer.adm_url = Some(value),
                "COGNATE_PUSH_WORKER" => layer.push_worker = Some(parse(&name, &value)?),
                "COGNATE_PUSH_POLL_MS" => layer.push_poll_ms = Some(parse(&name, &value)?),
                "COGNATE_HTTP_SEND_BUFFER" => layer.http_send_buffer = Some(parse(&name, &value)?),
                "COGNATE_PUSH_SOCKET_QUEUE" => {
                    layer.push_socket_queue = Some(parse(&name, &value)?)
                }
                "COGNATE_IMPORT" => layer.import = Some(PathBuf::from(value)),
                "COGNATE_FEDERATION_URLS" => layer.federation_urls = Some(pairs(&name, &value)?),
                "COGNATE_AUDIT_RETENTION_DAYS" => {
                    layer.audit_retention_days = Some(parse(&name, &value)?)
                }
                _ if ENV_VARS.contains(&name.as_str()) => {}
                _ => unknown.push(name),
            }
        }
        Ok((layer, unknown))
    }
}

/// A comma-separated list, blanks left out.
fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(String::from)
        .collect()
}

/// `key=value,key=value` (trigger ARNs hold colons, so `=` separates).
fn pairs(
    name: &str,
    value: &str,
) -> Result<std::collections::BTreeMap<String, String>, ConfigError> {
    list(value)
        .into_iter()
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => Ok((k.trim().to_string(), v.trim().to_string())),
            None => Err(ConfigError::Invalid {
                name: name.into(),
                message: format!("{pair:?} is not ARN=URL"),
            }),
        })
        .collect()
}

fn parse<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, ConfigError>
where
    T::Err: fmt::Display,
{
    value.parse().map_err(|e: T::Err| ConfigError::Invalid {
        name: name.into(),
        message: e.to_string(),
    })
}
