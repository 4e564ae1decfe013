//! SNS platform endpoints: one device token of one platform application. Creating one for a
//! token the application has already is idempotent, as SNS is.

use super::sns::{after, app, check_endpoint_attributes, endpoint_attributes, invalid, not_found};
use super::sns::{Attributes, PAGE};
use crate::service::kernel::paging;
use crate::service::{now_ms, Result, State};
use crate::store::sns::{self as store, EndpointRecord};
use crate::store::StoreError;

pub async fn create_platform_endpoint(
    state: &State,
    application_arn: &str,
    token: &str,
    custom_user_data: Option<String>,
    mut attributes: Attributes,
) -> Result<String> {
    let app = app(state, application_arn).await?;
    if let Some(data) = custom_user_data {
        attributes.insert("CustomUserData".into(), data);
    }
    attributes.insert("Token".into(), token.to_string());
    check_endpoint_attributes(&attributes)?;
    let id = uuid::Uuid::new_v4();
    let wanted = EndpointRecord {
        arn: format!(
            "arn:aws:sns:{}:{}:endpoint/{}/{}/{id}",
            state.region, state.account_id, app.platform, app.name
        ),
        application_arn: app.arn,
        token: token.to_string(),
        enabled: attributes.get("Enabled").is_none_or(|e| e == "true"),
        custom_user_data: attributes.get("CustomUserData").cloned(),
        created_at: now_ms(),
    };
    let held = store::insert_endpoint(&state.db, &wanted).await?;
    let same = held.arn == wanted.arn
        || (held.custom_user_data == wanted.custom_user_data && held.enabled == wanted.enabled);
    if !same {
        return invalid(format!(
            "Invalid parameter: Token Reason: Endpoint {} already exists with the same Token, \
             but different attributes.",
            held.arn
        ));
    }
    Ok(held.arn)
}

/// A page of the application's endpoints with their attributes, and the next page's token.
pub async fn list_endpoints_by_platform_application(
    state: &State,
    application_arn: &str,
    next_token: Option<&str>,
) -> Result<(Vec<(String, Attributes)>, Option<String>)> {
    app(state, application_arn).await?;
    let start = after(next_token)?;
    let mut list = store::list_endpoints(&state.db, application_arn, &start, PAGE + 1).await?;
    let next = paging::next_token(&mut list, PAGE, |e| paging::encode(&e.arn));
    let page = list
        .iter()
        .map(|e| (e.arn.clone(), endpoint_attributes(e)))
        .collect();
    Ok((page, next))
}

pub async fn endpoint(state: &State, arn: &str) -> Result<EndpointRecord> {
    match store::find_endpoint(&state.db, arn).await? {
        Some(e) => Ok(e),
        None => not_found("Endpoint"),
    }
}

pub async fn get_endpoint_attributes(state: &State, arn: &str) -> Result<Attributes> {
    Ok(endpoint_attributes(&endpoint(state, arn).await?))
}

pub async fn set_endpoint_attributes(state: &State, arn: &str, changes: Attributes) -> Result<()> {
    check_endpoint_attributes(&changes)?;
    let mut e = endpoint(state, arn).await?;
    if let Some(token) = changes.get("Token") {
        e.token = token.clone();
    }
    if let Some(enabled) = changes.get("Enabled") {
        e.enabled = enabled == "true";
    }
    if let Some(data) = changes.get("CustomUserData") {
        e.custom_user_data = Some(data.clone());
    }
    match store::update_endpoint(&state.db, &e).await {
        Ok(true) => Ok(()),
        Ok(false) => not_found("Endpoint"),
        Err(StoreError::Conflict(_)) => invalid(
            "Invalid parameter: Token Reason: another endpoint of the application holds this token",
        ),
        Err(e) => Err(e.into()),
    }
}

/// Deleting an endpoint that does not exist succeeds, as in SNS.
pub async fn delete_endpoint(state: &State, arn: &str) -> Result<()> {
    Ok(store::delete_endpoint(&state.db, arn).await?)
}
