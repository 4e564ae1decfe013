//! The OAuth settings of an app client, checked as Cognito checks them when a client is
//! created or updated: flows, scopes, callback and sign-out URLs, identity providers.

use crate::service::directory::scopes;
use crate::service::{fail, invalid_parameter, Exception, Result, State};
use crate::store::pools::PoolRecord;
use crate::types::clients::ClientSettings;

/// Checks the client's OAuth settings against the pool; `has_secret` for client_credentials.
pub async fn check(
    state: &State,
    pool: &PoolRecord,
    s: &ClientSettings,
    has_secret: bool,
) -> Result<()> {
    let flows = s.allowed_o_auth_flows.as_deref().unwrap_or_default();
    let has = |f: &str| flows.iter().any(|x| x == f);
    let machine = has("client_credentials");
    if machine && (has("code") || has("implicit")) {
        return fail(
            Exception::InvalidOAuthFlow,
            "client_credentials flow can not be selected along with code flow or implicit flow.",
        );
    }
    if machine && !has_secret {
        return fail(
            Exception::InvalidOAuthFlow,
            "client_credentials flow can not be selected if client does not have a client secret.",
        );
    }
    let callbacks = s.callback_urls.as_deref().unwrap_or_default();
    for url in callbacks.iter().chain(s.logout_urls.iter().flatten()) {
        check_url(url)?;
    }
    if let Some(default) = &s.default_redirect_uri {
        check_url(default)?;
        if !callbacks.contains(default) {
            return invalid_parameter("DefaultRedirectURI must be one of the CallbackURLs.");
        }
    }
    if s.allowed_o_auth_flows_user_pool_client == Some(true) {
        if flows.is_empty() {
            return invalid_parameter(
                "AllowedOAuthFlows must be given when AllowedOAuthFlowsUserPoolClient is true.",
            );
        }
        if (has("code") || has("implicit")) && callbacks.is_empty() {
            return invalid_parameter(
                "CallbackURLs must be given for the code and implicit flows.",
            );
        }
    }
    check_scopes(state, pool, s, machine).await?;
    for provider in s.supported_identity_providers.iter().flatten() {
        let known = provider == "COGNITO"
            || crate::store::federation::find_provider(&state.db, &pool.id, provider)
                .await?
                .is_some();
        if !known {
            return invalid_parameter(format!(
                "The provider {provider} does not exist for User Pool {}",
                pool.id
            ));
        }
    }
    Ok(())
}

async fn check_scopes(
    state: &State,
    pool: &PoolRecord,
    s: &ClientSettings,
    machine: bool,
) -> Result<()> {
    let wanted = s.allowed_o_auth_scopes.as_deref().unwrap_or_default();
    if wanted.is_empty() {
        if s.allowed_o_auth_flows_user_pool_client == Some(true) {
            return invalid_parameter(
                "AllowedOAuthScopes must be given when AllowedOAuthFlowsUserPoolClient is true.",
            );
        }
        return Ok(());
    }
    let custom = scopes::custom(state, &pool.id).await?;
    for scope in wanted {
        if scopes::is_standard(scope) {
            if machine {
                return fail(
                    Exception::InvalidOAuthFlow,
                    format!("{scope} scope can not be used with the client_credentials flow."),
                );
            }
        } else if !custom.contains(scope) {
            return fail(
                Exception::ScopeDoesNotExist,
                format!("Invalid scope requested: {scope}"),
            );
        }
    }
    Ok(())
}

/// A redirect URL: absolute, no fragment, HTTPS except on the local machine; an app's own
/// scheme (`myapp://callback`) is allowed as Cognito allows it.
fn check_url(raw: &str) -> Result<()> {
    let bad = || invalid_parameter(format!("Invalid URL: {raw}"));
    let Ok(url) = url::Url::parse(raw) else {
        return bad();
    };
    if url.fragment().is_some() {
        return bad();
    }
    let local = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match url.scheme() {
        "http" if !local => invalid_parameter(format!(
            "{raw}: HTTPS is required over HTTP except for http://localhost"
        )),
        "http" | "https" if url.host_str().is_none() => bad(),
        "javascript" | "data" | "file" => bad(),
        _ => Ok(()),
    }
}
