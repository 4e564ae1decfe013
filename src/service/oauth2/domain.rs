//! Which pool a request's host belongs to: a custom domain by its whole name, a prefix
//! domain (`{prefix}.auth.{region}.amazoncognito.com`, or `{prefix}.localhost`) by its
//! first label.

use crate::service::{Result, State};
use crate::store::oauth as oauth_store;

/// The pool whose hosted-UI domain `host` (a Host header, port and all) names.
pub async fn pool_for_host(state: &State, host: &str) -> Result<Option<String>> {
    let name = host.rsplit_once(':').map_or(host, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    let name = name.to_ascii_lowercase();
    if let Some(d) = oauth_store::find_domain(&state.db, &name).await? {
        return Ok(Some(d.pool_id));
    }
    let Some((prefix, _)) = name.split_once('.') else {
        return Ok(None);
    };
    Ok(oauth_store::find_domain(&state.db, prefix)
        .await?
        .map(|d| d.pool_id))
}
