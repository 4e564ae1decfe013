//! `/oauth2/token` and `/oauth2/revoke`: the client authenticated (HTTP Basic or the form),
//! then the authorization_code, refresh_token or client_credentials grant.

use super::codes;
use super::{oauth, Failure, Result};
use crate::service::directory::{clients, pools, scopes};
use crate::service::kernel::crypto;
use crate::service::tokens::{self, machine, refresh, Grant, Session};
use crate::service::{now_ms, Error, State};
use crate::store::clients::ClientRecord;
use crate::store::oauth_flow as flow_store;
use crate::store::pools::PoolRecord;
use crate::store::users as user_store;

/// The token endpoint's form, read from the request.
#[derive(Debug, Default)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub refresh_token: Option<String>,
    pub scope: Option<String>,
}

/// How the client said who it is: the Basic header's pair, and the form's fields.
#[derive(Debug, Default)]
pub struct ClientCredentials {
    pub basic: Option<(String, String)>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

/// What the token endpoint hands back.
#[derive(Debug)]
pub struct Tokens {
    pub access_token: String,
    pub id_token: Option<String>,
    pub refresh_token: Option<String>,
    pub expires_in: i64,
}

/// The client, authenticated: a confidential client by its secret, a public one by its id.
pub async fn authenticate_client(
    state: &State,
    creds: &ClientCredentials,
) -> Result<(PoolRecord, ClientRecord)> {
    let (id, secret) = match (&creds.basic, &creds.client_id) {
        (Some((id, _)), Some(form)) if id != form => {
            return oauth(
                "invalid_client",
                "client_id does not match the Authorization header.",
            )
        }
        (Some((id, secret)), _) => (id.as_str(), Some(secret.as_str())),
        (None, Some(id)) => (id.as_str(), creds.client_secret.as_deref()),
        (None, None) => return oauth("invalid_client", "The client is not authenticated."),
    };
    let client = match clients::load(state, id).await {
        Ok(c) => c,
        Err(Error::Cognito { .. }) => return oauth("invalid_client", "The client does not exist."),
        Err(e) => return Err(e.into()),
    };
    match (&client.secret, secret.filter(|s| !s.is_empty())) {
        (Some(expected), Some(given)) if crypto::constant_time_eq(expected, given) => {}
        (None, None) => {}
        _ => return oauth("invalid_client", "The client secret is not valid."),
    }
    let pool = pools::load(state, &client.pool_id).await?;
    Ok((pool, client))
}

fn allows_flow(client: &ClientRecord, flow: &str) -> bool {
    let s = &client.settings;
    s.allowed_o_auth_flows_user_pool_client == Some(true)
        && s.allowed_o_auth_flows.iter().flatten().any(|f| f == flow)
}

pub async fn token(state: &State, creds: &ClientCredentials, req: &TokenRequest) -> Result<Tokens> {
    let Some(grant_type) = req.grant_type.as_deref() else {
        return oauth("invalid_request", "grant_type is required.");
    };
    if !matches!(
        grant_type,
        "authorization_code" | "refresh_token" | "client_credentials"
    ) {
        return oauth(
            "unsupported_grant_type",
            format!("{grant_type} is not supported."),
        );
    }
    let (pool, client) = authenticate_client(state, creds).await?;
    match grant_type {
        "authorization_code" => authorization_code(state, &pool, &client, req).await,
        "refresh_token" => refresh_grant(state, &pool, &client, req).await,
        _ => client_credentials(state, &pool, &client, req).await,
    }
}

async fn authorization_code(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    req: &TokenRequest,
) -> Result<Tokens> {
    if !allows_flow(client, "code") {
        return oauth(
            "unauthorized_client",
            "The client may not use the code flow.",
        );
    }
    let Some(code) = req.code.as_deref().filter(|c| !c.is_empty()) else {
        return oauth("invalid_request", "code is required.");
    };
    let redeemed = codes::redeem(
        state,
        &client.id,
        code,
        req.redirect_uri.as_deref(),
        req.code_verifier.as_deref(),
    )
    .await?;
    let user = user_store::find_by_sub(&state.db, &pool.id, &redeemed.sub)
        .await
        .map_err(Error::from)?;
    let Some(user) = user.filter(|u| u.enabled) else {
        return oauth("invalid_grant", "The user can no longer sign in.");
    };
    let scope = redeemed.grant.scope.clone();
    flow_store::insert_grant(
        &state.db,
        &redeemed.origin_jti,
        &pool.id,
        &client.id,
        &scope,
        now_ms(),
    )
    .await
    .map_err(Error::from)?;
    let grant = Grant {
        scope,
        nonce: redeemed.grant.nonce.clone(),
        at_hash: true,
    };
    let session = Session {
        auth_time: redeemed.grant.auth_time,
        origin_jti: redeemed.origin_jti,
        device_key: None,
    };
    let issued = tokens::issue_for_grant(state, pool, client, &user, session, true, &grant).await?;
    Ok(Tokens {
        id_token: has_openid(&grant.scope).then_some(issued.id_token),
        access_token: issued.access_token,
        refresh_token: issued.refresh_token,
        expires_in: issued.expires_in,
    })
}

fn has_openid(scope: &str) -> bool {
    scope.split_whitespace().any(|s| s == scopes::OPENID)
}

async fn refresh_grant(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    req: &TokenRequest,
) -> Result<Tokens> {
    let Some(token) = req.refresh_token.as_deref().filter(|t| !t.is_empty()) else {
        return oauth("invalid_request", "refresh_token is required.");
    };
    let invalid = |e: Error| match e {
        Error::Cognito { message, .. } => Failure::OAuth {
            error: "invalid_grant",
            description: message,
        },
        e => Failure::Service(e),
    };
    let (row, user) = refresh::find_refresh_token(state, client, token)
        .await
        .map_err(invalid)?;
    let scope = flow_store::find_grant_scope(&state.db, &row.origin_jti)
        .await
        .map_err(Error::from)?
        .unwrap_or_else(|| tokens::claims::USER_ADMIN_SCOPE.to_string());
    let grant = Grant {
        scope,
        nonce: None,
        at_hash: true,
    };
    let session = Session {
        auth_time: row.auth_time,
        origin_jti: row.origin_jti.clone(),
        device_key: row.device_key.clone(),
    };
    let issued =
        tokens::issue_for_grant(state, pool, client, &user, session, false, &grant).await?;
    Ok(Tokens {
        id_token: Some(issued.id_token),
        access_token: issued.access_token,
        refresh_token: None,
        expires_in: issued.expires_in,
    })
}

async fn client_credentials(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    req: &TokenRequest,
) -> Result<Tokens> {
    if client.secret.is_none() || !allows_flow(client, "client_credentials") {
        return oauth(
            "unauthorized_client",
            "The client may not use the client_credentials flow.",
        );
    }
    let allowed = client
        .settings
        .allowed_o_auth_scopes
        .as_deref()
        .unwrap_or_default();
    let wanted: Vec<String> = match req.scope.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => s.split_whitespace().map(String::from).collect(),
        None => allowed.to_vec(),
    };
    if wanted.is_empty() {
        return oauth(
            "invalid_scope",
            "The client has no scopes for client_credentials.",
        );
    }
    if let Some(bad) = wanted.iter().find(|s| !allowed.contains(s)) {
        return oauth("invalid_scope", format!("The scope {bad} is not allowed."));
    }
    let (access_token, expires_in) = machine::issue(state, pool, client, &wanted.join(" ")).await?;
    Ok(Tokens {
        access_token,
        id_token: None,
        refresh_token: None,
        expires_in,
    })
}

/// `/oauth2/revoke` (RFC 7009): a refresh token and every token of its session. Unknown
/// tokens are not an error.
pub async fn revoke(state: &State, creds: &ClientCredentials, token: Option<&str>) -> Result<()> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return oauth("invalid_request", "token is required.");
    };
    let (_, client) = authenticate_client(state, creds).await?;
    if client.settings.enable_token_revocation == Some(false) {
        return oauth(
            "unauthorized_client",
            "Token revocation is not enabled for this client.",
        );
    }
    if token.split('.').count() == 3 {
        return oauth(
            "unsupported_token_type",
            "Only refresh tokens can be revoked.",
        );
    }
    let row = crate::store::tokens::find_by_hash(&state.db, &refresh::token_hash(token))
        .await
        .map_err(Error::from)?;
    match row {
        Some(r) if r.client_id != client.id => oauth(
            "unauthorized_client",
            "The token was not issued to this client.",
        ),
        Some(r) => {
            flow_store::revoke_origin(&state.db, &r.origin_jti, now_ms())
                .await
                .map_err(Error::from)?;
            Ok(())
        }
        None => Ok(()),
    }
}
