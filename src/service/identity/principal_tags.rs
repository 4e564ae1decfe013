//! Attributes for access control: a pool's PrincipalTagAttributeMap turns claims of the
//! login tokens into session tags on the enhanced flow's credentials, which policies read as
//! `aws:PrincipalTag/{tag}` (in conditions and as `${aws:PrincipalTag/...}` variables).
//!
//! A provider with no map gets no tags. With `UseDefaults` (and no tags of its own) it gets
//! Cognito's default pair, `username` from `sub` and `client` from `aud`; otherwise each
//! `PrincipalTags` entry maps a tag to the claim it takes its value from. Claims that are
//! missing, not scalars, or longer than a session tag may be (256 characters) give no tag.

use std::collections::BTreeMap;

use serde_json::Value;

use super::logins::Verified;
use crate::store::identity::IdentityPoolRecord;

/// STS's limits on session tags.
const MAX_TAGS: usize = 50;
const MAX_VALUE: usize = 256;

/// The session tags for credentials proven by `verified` logins.
pub fn tags(pool: &IdentityPoolRecord, verified: &[Verified]) -> BTreeMap<String, String> {
    let mut tags = BTreeMap::new();
    for login in verified.iter().filter(|v| !v.is_openid_token()) {
        let Some(map) = pool.settings.principal_tags.get(&login.provider) else {
            continue;
        };
        let own = map.principal_tags.clone().unwrap_or_default();
        let mapping = if own.is_empty() && map.use_defaults.unwrap_or(true) {
            BTreeMap::from([
                ("username".to_string(), "sub".to_string()),
                ("client".to_string(), "aud".to_string()),
            ])
        } else {
            own
        };
        for (tag, claim) in mapping {
            let value = match login.claims.get(&claim) {
                Some(Value::String(s)) => s.clone(),
                Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
                _ => continue,
            };
            if value.chars().count() <= MAX_VALUE && tags.len() < MAX_TAGS {
                tags.entry(tag).or_insert(value);
            }
        }
    }
    tags
}
