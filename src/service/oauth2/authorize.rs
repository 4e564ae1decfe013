//! `/oauth2/authorize`: the checked request answered from the browser's session when it has
//! one, else sent to the login page; and the redirect that completes a sign-in (a code, or
//! the implicit flow's tokens).

use super::request::{self, Authorization, AuthorizeParams, ResponseType};
use super::{codes, federation, hosted, Result};
use crate::service::directory::scopes;
use crate::service::kernel::ids;
use crate::service::tokens::{self, Grant, Session};
use crate::service::State;
use crate::store::users::UserRecord;

/// What the browser is sent to next.
#[derive(Debug)]
pub enum Next {
    /// Back to the app (a code, tokens, or an error for it).
    Redirect(String),
    /// To the login page, with the same request.
    Login,
}

pub async fn authorize(state: &State, p: &AuthorizeParams, session: Option<&str>) -> Result<Next> {
    let authz = request::check(state, p).await?;
    if let Some(provider) = federation::requested(state, &authz, p).await? {
        return Ok(Next::Redirect(
            federation::depart(state, p, &provider).await?,
        ));
    }
    let prompt = authz.prompt.as_deref().unwrap_or_default();
    // `login` asks for the password again; `select_account` lets the signed-in user go on
    // or pick another account, on the login page.
    if prompt
        .split_whitespace()
        .any(|v| v == "login" || v == "select_account")
    {
        return Ok(Next::Login);
    }
    match hosted::session_user(state, &authz.pool.id, session).await? {
        Some((user, auth_time)) => Ok(Next::Redirect(
            complete(state, &authz, &user, auth_time).await?,
        )),
        None if prompt.split_whitespace().any(|v| v == "none") => {
            Ok(Next::Redirect(request::error_redirect(
                &authz.redirect_uri,
                "login_required",
                "The user is not signed in.",
                authz.state.as_deref(),
            )))
        }
        None => Ok(Next::Login),
    }
}

/// The redirect that hands the app what it asked for, `user` having signed in at
/// `auth_time` (seconds).
pub async fn complete(
    state: &State,
    authz: &Authorization,
    user: &UserRecord,
    auth_time: i64,
) -> Result<String> {
    let app_state = authz.state.as_deref();
    match authz.response_type {
        ResponseType::Code => {
            let code = codes::mint(state, authz, &user.sub, auth_time).await?;
            let mut pairs = vec![("code", code.as_str())];
            pairs.extend(app_state.map(|s| ("state", s)));
            Ok(request::with_query(&authz.redirect_uri, &pairs))
        }
        ResponseType::Token => {
            let grant = Grant {
                scope: authz.scopes.join(" "),
                nonce: authz.nonce.clone(),
                at_hash: true,
            };
            let session = Session {
                auth_time,
                origin_jti: ids::uuid(),
                device_key: None,
            };
            let issued = tokens::issue_for_grant(
                state,
                &authz.pool,
                &authz.client,
                user,
                session,
                false,
                &grant,
            )
            .await?;
            let expires = issued.expires_in.to_string();
            let mut pairs = vec![
                ("access_token", issued.access_token.as_str()),
                ("token_type", "Bearer"),
                ("expires_in", expires.as_str()),
            ];
            if authz.scopes.iter().any(|s| s == scopes::OPENID) {
                pairs.push(("id_token", issued.id_token.as_str()));
            }
            pairs.extend(app_state.map(|s| ("state", s)));
            Ok(request::with_fragment(&authz.redirect_uri, &pairs))
        }
    }
}
