//! `/oauth2/userInfo`: the signed-in user's attributes for a Bearer access token that
//! carries the openid (or aws.cognito.signin.user.admin) scope.

use std::collections::BTreeMap;

use super::{Failure, Result};
use crate::service::directory::{clients, scopes};
use crate::service::tokens::authenticate_access_token;
use crate::service::tokens::claims::USER_ADMIN_SCOPE;
use crate::service::{Error, State};

pub async fn user_info(state: &State, bearer: Option<&str>) -> Result<BTreeMap<String, String>> {
    let Some(token) = bearer.filter(|t| !t.is_empty()) else {
        return Err(Failure::InvalidToken("An access token is required.".into()));
    };
    let who = match authenticate_access_token(state, token).await {
        Ok(who) => who,
        Err(Error::Cognito { message, .. }) => return Err(Failure::InvalidToken(message)),
        Err(e) => return Err(e.into()),
    };
    let granted = who.claims.scope.split_whitespace();
    if !granted
        .into_iter()
        .any(|s| s == scopes::OPENID || s == USER_ADMIN_SCOPE)
    {
        return Err(Failure::InvalidToken(
            "The access token does not carry the openid scope.".into(),
        ));
    }
    let client = clients::load(state, &who.claims.client_id).await?;
    let mut out: BTreeMap<String, String> = who
        .user
        .attributes
        .iter()
        .filter(|(k, _)| !k.starts_with("dev:") && clients::can_read(&client, k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    out.insert("sub".into(), who.user.sub.clone());
    out.insert("username".into(), who.user.username.clone());
    Ok(out)
}
