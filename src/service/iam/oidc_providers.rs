//! IAM OpenID Connect providers: CreateOpenIDConnectProvider, Get, List, Delete, and
//! Add/RemoveClientID. An identity pool's OpenIdConnectProviderARNs name them; a provider's
//! ID token is accepted only when its `aud` is one of the provider's client ids.

use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::iam_oidc::{self as store, OidcProviderRecord};
use crate::store::StoreError;

pub struct NewProvider {
    pub url: String,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
    pub tags: Vec<(String, String)>,
}

pub fn provider_arn(state: &State, url: &str) -> String {
    format!("arn:aws:iam::{}:oidc-provider/{url}", state.account_id)
}

/// The provider's URL without `https://` (the ARN's resource), or InvalidInput.
fn resource_of(url: &str) -> Result<String> {
    let bad = || {
        fail(
            Exception::InvalidInput,
            format!("The specified value for url ({url}) is invalid. It must begin with https:// and contain no query string or fragment."),
        )
    };
    let Some(rest) = url.strip_prefix("https://") else {
        return bad();
    };
    let parsed = url::Url::parse(url);
    let valid = parsed.is_ok_and(|u| {
        u.host_str().is_some_and(|h| !h.is_empty())
            && u.query().is_none()
            && u.fragment().is_none()
            && u.username().is_empty()
    });
    if !valid || url.len() > 255 || rest.contains(['?', '#']) {
        return bad();
    }
    Ok(rest.trim_end_matches('/').to_string())
}

/// The URL an ARN of this account names, or InvalidInput when it is no OIDC provider ARN.
pub fn url_of_arn(state: &State, arn: &str) -> Result<String> {
    let prefix = format!("arn:aws:iam::{}:oidc-provider/", state.account_id);
    match arn.strip_prefix(&prefix).filter(|r| !r.is_empty()) {
        Some(url) => Ok(url.to_string()),
        None if arn.starts_with("arn:aws:iam::") && arn.contains(":oidc-provider/") => {
            fail(Exception::NoSuchEntity, no_such(arn))
        }
        None => fail(Exception::InvalidInput, format!("ARN {arn} is not valid.")),
    }
}

fn no_such(arn: &str) -> String {
    format!("OpenIDConnect Provider not found for arn {arn}")
}

fn check_client_id(id: &str) -> Result<()> {
    match (1..=255).contains(&id.len()) {
        true => Ok(()),
        false => fail(
            Exception::InvalidInput,
            "A client ID must be 1 to 255 characters long.",
        ),
    }
}

fn check_thumbprint(t: &str) -> Result<()> {
    match t.len() == 40 && t.chars().all(|c| c.is_ascii_hexdigit()) {
        true => Ok(()),
        false => fail(
            Exception::InvalidInput,
            format!("Thumbprint {t} is invalid: a thumbprint is 40 hexadecimal characters."),
        ),
    }
}

/// Creates the provider; its ARN.
pub async fn create(state: &State, p: NewProvider) -> Result<String> {
    let url = resource_of(&p.url)?;
    p.client_ids.iter().try_for_each(|c| check_client_id(c))?;
    p.thumbprints.iter().try_for_each(|t| check_thumbprint(t))?;
    if p.client_ids.len() > 100 || p.thumbprints.len() > 5 || p.tags.len() > 50 {
        return fail(
            Exception::IamLimitExceeded,
            "A provider holds at most 100 client IDs, 5 thumbprints and 50 tags.",
        );
    }
    let arn = provider_arn(state, &url);
    let record = OidcProviderRecord {
        url,
        client_ids: p.client_ids,
        thumbprints: p.thumbprints,
        tags: p.tags,
        created_at: now_ms(),
    };
    match store::insert_provider(&state.db, &record).await {
        Err(StoreError::Conflict(_)) => fail(
            Exception::EntityAlreadyExists,
            format!("Provider with url {} already exists.", p.url),
        ),
        other => other.map(|_| arn).map_err(Into::into),
    }
}

pub async fn get(state: &State, arn: &str) -> Result<OidcProviderRecord> {
    let url = url_of_arn(state, arn)?;
    match store::find_provider(&state.db, &url).await? {
        Some(p) => Ok(p),
        None => fail(Exception::NoSuchEntity, no_such(arn)),
    }
}

/// Every provider's ARN.
pub async fn list(state: &State) -> Result<Vec<String>> {
    let urls = store::list_urls(&state.db).await?;
    Ok(urls.iter().map(|u| provider_arn(state, u)).collect())
}

pub async fn delete(state: &State, arn: &str) -> Result<()> {
    let url = url_of_arn(state, arn)?;
    match store::delete_provider(&state.db, &url).await? {
        true => Ok(()),
        false => fail(Exception::NoSuchEntity, no_such(arn)),
    }
}

pub async fn add_client_id(state: &State, arn: &str, client_id: &str) -> Result<()> {
    check_client_id(client_id)?;
    let url = url_of_arn(state, arn)?;
    match store::add_client_id(&state.db, &url, client_id, now_ms()).await? {
        true => Ok(()),
        false => fail(Exception::NoSuchEntity, no_such(arn)),
    }
}

/// Removes the client id; removing one the provider lacks is not an error (as IAM's).
pub async fn remove_client_id(state: &State, arn: &str, client_id: &str) -> Result<()> {
    check_client_id(client_id)?;
    let provider = get(state, arn).await?;
    store::remove_client_id(&state.db, &provider.url, client_id).await?;
    Ok(())
}

/// The client ids an identity pool accepts tokens for from the provider `arn` names:
/// `None` in local mode when IAM holds no such provider (warned about once), any `aud`
/// then being accepted; NotAuthorized outside local mode.
pub async fn audiences_for_login(state: &State, arn: &str) -> Result<Option<Vec<String>>> {
    let found = match url_of_arn(state, arn) {
        Ok(url) => store::find_provider(&state.db, &url).await?,
        Err(_) => None,
    };
    match found {
        Some(p) => Ok(Some(p.client_ids)),
        None if state.local_mode => {
            state.iam_warned.once_oidc(arn);
            Ok(None)
        }
        None => fail(
            Exception::NotAuthorized,
            format!("Invalid login token. IAM holds no OpenID Connect provider {arn}."),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::resource_of;

    #[test]
    fn urls_must_be_https_without_query() {
        assert_eq!(resource_of("https://a.example/x/").unwrap(), "a.example/x");
        assert!(resource_of("http://a.example").is_err());
        assert!(resource_of("https://a.example?x=1").is_err());
        assert!(resource_of("https://").is_err());
        assert!(resource_of("a.example").is_err());
    }
}
