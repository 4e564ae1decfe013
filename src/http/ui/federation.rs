//! The login page's "Continue with ..." buttons: one per upstream provider the client
//! allows, each starting `/oauth2/authorize` again with `identity_provider` set.

use super::i18n::Texts;
use super::PageError;
use crate::service::oauth2::federation;
use crate::service::oauth2::request::AuthorizeParams;
use crate::service::State;

/// One button of the login page.
pub struct ProviderButton {
    pub name: String,
    /// The provider's type, for styling (`Google`, `Facebook`, `OIDC`, ...).
    pub kind: String,
    pub href: String,
    /// "Continue with {name}", in the page's language.
    pub label: String,
}

pub async fn buttons(
    state: &State,
    params: &AuthorizeParams,
    t: &Texts,
) -> Result<Vec<ProviderButton>, PageError> {
    let choices = federation::choices(state, params.client_id.as_deref()).await?;
    Ok(choices
        .into_iter()
        .map(|(name, kind)| {
            let mut p = params.clone();
            p.identity_provider = Some(name.clone());
            p.idp_identifier = None;
            let query = serde_urlencoded::to_string(&p).unwrap_or_default();
            ProviderButton {
                href: format!("/oauth2/authorize?{query}"),
                label: t.continue_with.replace("{}", &name),
                name,
                kind,
            }
        })
        .collect())
}
