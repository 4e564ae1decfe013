//! OAuth2 scopes a pool knows: the standard ones and `{Identifier}/{ScopeName}` of each of
//! its resource servers.

use serde::Deserialize;

use crate::service::{Result, State};
use crate::store::oauth as oauth_store;

pub const OPENID: &str = "openid";
pub const STANDARD: &[&str] = &[
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct StoredScope {
    scope_name: String,
}

/// The custom scopes of the pool's resource servers, as `{Identifier}/{ScopeName}`.
pub async fn custom(state: &State, pool_id: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page =
            oauth_store::list_resource_servers(&state.db, pool_id, after.as_deref(), 100).await?;
        let done = page.len() < 100;
        for server in &page {
            let scopes: Vec<StoredScope> = serde_json::from_str(&server.scopes).unwrap_or_default();
            out.extend(
                scopes
                    .into_iter()
                    .map(|s| format!("{}/{}", server.identifier, s.scope_name)),
            );
        }
        after = page.last().map(|s| s.identifier.clone());
        if done {
            return Ok(out);
        }
    }
}

pub fn is_standard(scope: &str) -> bool {
    STANDARD.contains(&scope)
}
