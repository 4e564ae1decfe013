//! `/logout`: ends the browser's hosted session and sends it to a registered sign-out URL,
//! or, with `redirect_uri` and `response_type`, back to the login page.

use super::request::{self, AuthorizeParams};
use super::{hosted, Failure, Result};
use crate::service::directory::clients;
use crate::service::{Error, State};

#[derive(Debug)]
pub enum AfterLogout {
    Redirect(String),
    Login,
}

pub async fn logout(
    state: &State,
    client_id: Option<&str>,
    logout_uri: Option<&str>,
    authorize: &AuthorizeParams,
    session: Option<&str>,
) -> Result<AfterLogout> {
    let Some(client_id) = client_id.filter(|c| !c.is_empty()) else {
        return Err(Failure::Page("The request names no client_id.".into()));
    };
    let client = match clients::load(state, client_id).await {
        Ok(c) => c,
        Err(Error::Cognito { .. }) => {
            return Err(Failure::Page(format!("Client {client_id} does not exist.")))
        }
        Err(e) => return Err(e.into()),
    };
    let next = match logout_uri {
        Some(uri) => {
            let registered = client.settings.logout_urls.as_deref().unwrap_or_default();
            if !registered.iter().any(|u| u == uri) {
                return Err(Failure::Page(
                    "The logout_uri is not registered for this client.".into(),
                ));
            }
            AfterLogout::Redirect(uri.to_string())
        }
        None if authorize.redirect_uri.is_some() => {
            request::check(state, authorize).await?;
            AfterLogout::Login
        }
        None => {
            return Err(Failure::Page(
                "The request names neither logout_uri nor redirect_uri.".into(),
            ))
        }
    };
    if let Some(token) = session {
        hosted::close_session(state, token).await?;
    }
    Ok(next)
}
