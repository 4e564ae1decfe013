//! The claims of Cognito's tokens, as they are signed and as they are read back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::service::directory::clients;
use crate::store::clients::ClientRecord;
use crate::store::users::UserRecord;

pub const USER_ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

#[derive(Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: String,
    pub iss: String,
    pub client_id: String,
    pub origin_jti: String,
    pub event_id: String,
    pub token_use: String,
    pub scope: String,
    pub auth_time: i64,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    pub username: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
    #[serde(
        rename = "cognito:groups",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub cognito_groups: Option<Vec<String>>,
}

#[derive(Debug, Serialize)]
pub struct IdClaims<'a> {
    pub sub: &'a str,
    pub iss: &'a str,
    #[serde(rename = "cognito:username")]
    pub cognito_username: &'a str,
    pub origin_jti: &'a str,
    pub aud: &'a str,
    pub event_id: &'a str,
    pub token_use: &'static str,
    pub auth_time: i64,
    pub exp: i64,
    pub iat: i64,
    pub jti: String,
    #[serde(flatten)]
    pub attributes: BTreeMap<String, Value>,
}

/// Attributes as the ID token carries them: the `*_verified` flags as booleans, only those
/// the client may read.
pub fn id_token_attributes(client: &ClientRecord, user: &UserRecord) -> BTreeMap<String, Value> {
    user.attributes
        .iter()
        .filter(|(k, _)| *k != "sub" && !k.starts_with("dev:"))
        .filter(|(k, _)| *k == "identities" || clients::can_read(client, k))
        .map(|(k, v)| {
            // A federated user's external identities: a list in the token, as Cognito's.
            if k == "identities" {
                let list = serde_json::from_str(v).unwrap_or(Value::String(v.clone()));
                return (k.clone(), list);
            }
            let value = match (k.ends_with("_verified"), v.as_str()) {
                (true, "true") => Value::Bool(true),
                (true, "false") => Value::Bool(false),
                _ => Value::String(v.clone()),
            };
            (k.clone(), value)
        })
        .collect()
}
