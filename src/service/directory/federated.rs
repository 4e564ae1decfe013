//! Federated users: the user an external sign-in is (its own `{ProviderName}_{subject}` user
//! with status EXTERNAL_PROVIDER, created at the first sign-in and updated at each one, or
//! the existing user an administrator linked it to), the AttributeMapping applied, the
//! `identities` attribute, and the triggers Cognito runs at a federated sign-in.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::attributes;
use super::users::username_key;
use crate::service::kernel::ids;
use crate::service::triggers::auth::{no_metadata, post_authentication, pre_authentication};
use crate::service::triggers::signup::{post_confirmation, pre_sign_up};
use crate::service::triggers::signup::{ConfirmSource, SignUpSource};
use crate::service::triggers::Context;
use crate::service::{fail, now_ms, Error, Exception, Result, State};
use crate::store::federation::{self as store, LinkRow, ProviderRecord};
use crate::store::pools::PoolRecord;
use crate::store::users::{self as user_store, UserRecord, UserStatus};
use crate::store::StoreError;

/// A claim as a user attribute's text.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

/// The user's id at the provider: the claim the mapping's `username` names.
pub fn subject(provider: &ProviderRecord, claims: &Map<String, Value>) -> Option<String> {
    let name = provider
        .attribute_mapping
        .get("username")
        .map(String::as_str)
        .unwrap_or_else(|| super::providers::default_subject_attribute(&provider.provider_type));
    claims.get(name).and_then(text).filter(|s| !s.is_empty())
}

/// The pool's attributes the mapping fills from `claims` (attributes the pool does not
/// define are left out).
pub fn mapped(
    pool: &PoolRecord,
    provider: &ProviderRecord,
    claims: &Map<String, Value>,
) -> BTreeMap<String, String> {
    provider
        .attribute_mapping
        .iter()
        .filter(|(attr, _)| attr.as_str() != "username" && attr.as_str() != "sub")
        .filter(|(attr, _)| attributes::schema_entry(pool, attr).is_some())
        .filter_map(|(attr, claim)| Some((attr.clone(), claims.get(claim).and_then(text)?)))
        .collect()
}

/// Who signs in with `claims` from `provider` for `client_id`: created or updated, with
/// Cognito's triggers run, or refused.
pub async fn sign_in(
    state: &State,
    pool: &PoolRecord,
    client_id: &str,
    provider: &ProviderRecord,
    claims: &Map<String, Value>,
) -> Result<UserRecord> {
    let Some(subject) = subject(provider, claims) else {
        return fail(
            Exception::NotAuthorized,
            "The identity provider did not name the user.",
        );
    };
    let values = mapped(pool, provider, claims);
    let link = store::find_link(&state.db, &pool.id, &provider.name, &subject).await?;
    let user = match link {
        Some(link) => returning(state, pool, link, values).await?,
        None => match first(state, pool, client_id, provider, &subject, values.clone()).await {
            Err(Error::Internal(e)) if is_conflict(&e) => {
                // A concurrent first sign-in created the user: sign in as it.
                let link = store::find_link(&state.db, &pool.id, &provider.name, &subject).await?;
                let link = link.ok_or(Error::Internal(e))?;
                returning(state, pool, link, values).await?
            }
            other => other?,
        },
    };
    if !user.enabled {
        return fail(Exception::NotAuthorized, "User is disabled.");
    }
    let ctx = Context {
        pool,
        client_id: Some(client_id),
        user_name: &user.username,
        client_metadata: no_metadata(),
    };
    post_authentication(state, &ctx, &user, false).await?;
    Ok(user)
}

fn is_conflict(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<StoreError>(),
        Some(StoreError::Conflict(_))
    )
}

/// A returning identity: its federated user with the provider's current values, or the
/// user it was linked to as that user is.
async fn returning(
    state: &State,
    pool: &PoolRecord,
    link: LinkRow,
    values: BTreeMap<String, String>,
) -> Result<UserRecord> {
    let Some(mut user) = user_store::find_by_sub(&state.db, &pool.id, &link.sub).await? else {
        return fail(Exception::UserNotFound, "User does not exist.");
    };
    let ctx = Context {
        pool,
        client_id: None,
        user_name: &user.username,
        client_metadata: no_metadata(),
    };
    pre_authentication(state, &ctx, Some(&user)).await?;
    let linked = link.linked != 0;
    let changed = values
        .iter()
        .any(|(k, v)| user.attributes.get(k) != Some(v));
    if !linked && changed {
        user.attributes.extend(values);
        user.updated_at = now_ms();
        store::update_federated_user(&state.db, &user).await?;
    }
    Ok(user)
}

/// A first sign-in: PreSignUp (ExternalProvider), the user and its identity stored
/// together, then PostConfirmation (ConfirmSignUp), as Cognito runs them.
async fn first(
    state: &State,
    pool: &PoolRecord,
    client_id: &str,
    provider: &ProviderRecord,
    subject: &str,
    values: BTreeMap<String, String>,
) -> Result<UserRecord> {
    let username = format!("{}_{subject}", provider.name);
    let now = now_ms();
    let mut user = UserRecord {
        pool_id: pool.id.clone(),
        sub: ids::uuid(),
        username_key: username_key(pool, &username),
        username,
        status: UserStatus::ExternalProvider,
        enabled: true,
        password_hash: None,
        srp_salt: None,
        srp_verifier: None,
        attributes: values,
        created_at: now,
        updated_at: now,
    };
    let link = LinkRow {
        pool_id: pool.id.clone(),
        provider_name: provider.name.clone(),
        subject: subject.to_string(),
        sub: user.sub.clone(),
        linked: 0,
        created_at: now,
    };
    user.attributes.insert(
        "identities".into(),
        identity_entry(&link, &provider.provider_type),
    );
    let username = user.username.clone();
    let ctx = Context {
        pool,
        client_id: Some(client_id),
        user_name: &username,
        client_metadata: no_metadata(),
    };
    let submitted = user.attributes.clone();
    let decided = pre_sign_up(
        state,
        &ctx,
        SignUpSource::ExternalProvider,
        &submitted,
        no_metadata(),
    )
    .await?;
    decided.apply(&mut user, false);
    user.attributes.insert("sub".into(), user.sub.clone());
    store::insert_federated_user(&state.db, &user, &link)
        .await
        .map_err(|e| Error::Internal(e.into()))?;
    post_confirmation(state, &ctx, ConfirmSource::ConfirmSignUp, &user).await?;
    Ok(user)
}

fn identity_entry(link: &LinkRow, provider_type: &str) -> String {
    serde_json::json!([{
        "userId": link.subject,
        "providerName": link.provider_name,
        "providerType": provider_type,
        "issuer": null,
        "primary": "true",
        "dateCreated": link.created_at.to_string(),
    }])
    .to_string()
}

/// AdminLinkProviderForUser: `subject` at `provider` signs in from now on as `user`.
pub async fn link(
    state: &State,
    provider: &ProviderRecord,
    subject: &str,
    mut user: UserRecord,
) -> Result<()> {
    if user.status == UserStatus::ExternalProvider {
        return crate::service::invalid_parameter(
            "The destination user cannot be a federated user.",
        );
    }
    if store::find_link(&state.db, &user.pool_id, &provider.name, subject)
        .await?
        .is_some()
    {
        return crate::service::invalid_parameter(
            "Merging is not currently supported, provide a SourceUser that has not been signed \
             in before.",
        );
    }
    let link = LinkRow {
        pool_id: user.pool_id.clone(),
        provider_name: provider.name.clone(),
        subject: subject.to_string(),
        sub: user.sub.clone(),
        linked: 1,
        created_at: now_ms(),
    };
    let mut links = store::links_of(&state.db, &user.pool_id, &user.sub).await?;
    links.push(link.clone());
    set_identities(state, &mut user, &links).await?;
    match store::insert_link(&state.db, &link, &user).await {
        Err(StoreError::Conflict(_)) => crate::service::invalid_parameter(
            "Merging is not currently supported, provide a SourceUser that has not been signed \
             in before.",
        ),
        other => Ok(other?),
    }
}

async fn set_identities(state: &State, user: &mut UserRecord, links: &[LinkRow]) -> Result<()> {
    let mut list = Vec::new();
    for (i, l) in links.iter().enumerate() {
        let kind = store::find_provider(&state.db, &user.pool_id, &l.provider_name)
            .await?
            .map(|p| p.provider_type)
            .unwrap_or_default();
        let entry: Value = serde_json::from_str(&identity_entry(l, &kind)).unwrap_or_default();
        let mut entry = entry.get(0).cloned().unwrap_or_default();
        entry["primary"] = Value::String((i == 0).to_string());
        list.push(entry);
    }
    match list.is_empty() {
        true => user.attributes.remove("identities"),
        false => user
            .attributes
            .insert("identities".into(), Value::Array(list).to_string()),
    };
    user.updated_at = now_ms();
    Ok(())
}

/// AdminDisableProviderForUser: a linked identity is unlinked; a federated user's own
/// identity stops signing in (the user is disabled).
pub async fn disable(
    state: &State,
    pool: &PoolRecord,
    provider: &str,
    subject: &str,
) -> Result<()> {
    let Some(link) = store::find_link(&state.db, &pool.id, provider, subject).await? else {
        return fail(Exception::UserNotFound, "User does not exist.");
    };
    let Some(mut user) = user_store::find_by_sub(&state.db, &pool.id, &link.sub).await? else {
        return fail(Exception::UserNotFound, "User does not exist.");
    };
    if link.linked != 0 {
        let links: Vec<LinkRow> = store::links_of(&state.db, &pool.id, &user.sub)
            .await?
            .into_iter()
            .filter(|l| !(l.provider_name == link.provider_name && l.subject == link.subject))
            .collect();
        set_identities(state, &mut user, &links).await?;
        store::delete_link(&state.db, &link, Some(&user)).await?;
    } else {
        user.enabled = false;
        user.updated_at = now_ms();
        store::update_federated_user(&state.db, &user).await?;
    }
    Ok(())
}
