//! A pool's external identity providers: Create/Describe/Update/Delete/ListIdentityProviders,
//! GetIdentityProviderByIdentifier; and the links between external identities and users,
//! AdminLinkProviderForUser and AdminDisableProviderForUser.

use super::Admin;
use crate::service::directory::providers::{self, complete_details, complete_mapping};
use crate::service::directory::{federated, pools, users};
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::federation::{self as store, ProviderRecord};
use crate::store::StoreError;
use crate::types::epoch_seconds;
use crate::types::federation::*;
use crate::types::Empty;

/// Cognito's names for the pool itself, which no provider may take.
const RESERVED: &[&str] = &["Cognito", "COGNITO"];

fn describe(p: ProviderRecord) -> IdentityProviderReply {
    IdentityProviderReply {
        identity_provider: IdentityProviderType {
            provider_details: providers::shown_details(&p.details),
            user_pool_id: p.pool_id,
            provider_name: p.name,
            provider_type: p.provider_type,
            attribute_mapping: p.attribute_mapping,
            idp_identifiers: p.idp_identifiers,
            last_modified_date: epoch_seconds(p.updated_at),
            creation_date: epoch_seconds(p.created_at),
        },
    }
}

/// Identifiers must be unique within the provider and not claimed by another one.
async fn check_identifiers(
    state: &State,
    pool_id: &str,
    name: &str,
    identifiers: &[String],
) -> Result<()> {
    let mut seen = identifiers.to_vec();
    seen.sort_unstable();
    seen.dedup();
    if seen.len() != identifiers.len() {
        return invalid_parameter("Duplicate IdpIdentifiers are not allowed.");
    }
    for identifier in identifiers {
        if let Some(other) = store::find_by_identifier(&state.db, pool_id, identifier).await? {
            if other.name != name {
                return invalid_parameter(format!(
                    "The IdpIdentifier {identifier} is already used by provider {}.",
                    other.name
                ));
            }
        }
    }
    Ok(())
}

pub async fn create_identity_provider(
    state: &State,
    _: Admin,
    req: CreateIdentityProviderRequest,
) -> Result<IdentityProviderReply> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    if RESERVED.contains(&req.provider_name.as_str()) {
        return invalid_parameter(format!(
            "The provider name {} is reserved.",
            req.provider_name
        ));
    }
    let details = complete_details(&req.provider_type, req.provider_details)?;
    let mapping = complete_mapping(
        &req.provider_type,
        req.attribute_mapping.unwrap_or_default(),
    );
    let identifiers = req.idp_identifiers.unwrap_or_default();
    if store::find_provider(&state.db, &pool.id, &req.provider_name)
        .await?
        .is_some()
    {
        return duplicate(&req.provider_name);
    }
    check_identifiers(state, &pool.id, &req.provider_name, &identifiers).await?;
    let now = now_ms();
    let record = ProviderRecord {
        pool_id: pool.id,
        name: req.provider_name,
        provider_type: req.provider_type,
        details,
        attribute_mapping: mapping,
        idp_identifiers: identifiers,
        created_at: now,
        updated_at: now,
    };
    match store::insert_provider(&state.db, &record).await {
        Err(StoreError::Conflict(_)) => duplicate(&record.name),
        other => {
            other?;
            Ok(describe(record))
        }
    }
}

fn duplicate<T>(name: &str) -> Result<T> {
    fail(
        Exception::DuplicateProvider,
        format!("A provider with the name {name} already exists in this user pool."),
    )
}

pub async fn describe_identity_provider(
    state: &State,
    _: Admin,
    req: IdentityProviderNameRequest,
) -> Result<IdentityProviderReply> {
    pools::load(state, &req.user_pool_id).await?;
    let p = providers::load(state, &req.user_pool_id, &req.provider_name).await?;
    Ok(describe(p))
}

pub async fn get_identity_provider_by_identifier(
    state: &State,
    _: Admin,
    req: GetIdentityProviderByIdentifierRequest,
) -> Result<IdentityProviderReply> {
    pools::load(state, &req.user_pool_id).await?;
    match store::find_by_identifier(&state.db, &req.user_pool_id, &req.idp_identifier).await? {
        Some(p) => Ok(describe(p)),
        None => fail(
            Exception::ResourceNotFound,
            format!(
                "Identity provider with identifier {} does not exist.",
                req.idp_identifier
            ),
        ),
    }
}

/// UpdateIdentityProvider: details given are merged over those stored (as Cognito does);
/// the mapping and identifiers, where given, replace them.
pub async fn update_identity_provider(
    state: &State,
    _: Admin,
    req: UpdateIdentityProviderRequest,
) -> Result<IdentityProviderReply> {
    pools::load(state, &req.user_pool_id).await?;
    let mut p = providers::load(state, &req.user_pool_id, &req.provider_name).await?;
    if let Some(details) = req.provider_details {
        let mut merged = p.details.clone();
        merged.extend(details);
        p.details = complete_details(&p.provider_type, merged)?;
    }
    if let Some(mapping) = req.attribute_mapping {
        p.attribute_mapping = complete_mapping(&p.provider_type, mapping);
    }
    if let Some(identifiers) = req.idp_identifiers {
        check_identifiers(state, &p.pool_id, &p.name, &identifiers).await?;
        p.idp_identifiers = identifiers;
    }
    p.updated_at = now_ms();
    match store::update_provider(&state.db, &p).await {
        Err(StoreError::Conflict(_)) => {
            invalid_parameter("An IdpIdentifier is already used by another provider.")
        }
        other => {
            other?;
            Ok(describe(p))
        }
    }
}

pub async fn delete_identity_provider(
    state: &State,
    _: Admin,
    req: IdentityProviderNameRequest,
) -> Result<Empty> {
    pools::load(state, &req.user_pool_id).await?;
    let p = providers::load(state, &req.user_pool_id, &req.provider_name).await?;
    store::delete_provider(&state.db, &p.pool_id, &p.name).await?;
    Ok(Empty {})
}

pub async fn list_identity_providers(
    state: &State,
    _: Admin,
    req: ListIdentityProvidersRequest,
) -> Result<ListIdentityProvidersResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let limit = req.max_results.unwrap_or(60);
    let after = req.next_token.as_deref();
    let mut page = store::list_providers(&state.db, &pool.id, after, limit + 1).await?;
    let next_token = if page.len() as i64 > limit {
        page.truncate(limit as usize);
        page.last().map(|p| p.name.clone())
    } else {
        None
    };
    Ok(ListIdentityProvidersResponse {
        providers: page
            .into_iter()
            .map(|p| ProviderDescription {
                provider_name: p.name,
                provider_type: p.provider_type,
                last_modified_date: epoch_seconds(p.updated_at),
                creation_date: epoch_seconds(p.created_at),
            })
            .collect(),
        next_token,
    })
}

/// The provider and subject a ProviderUserIdentifierType names (by `Cognito_Subject`).
async fn external(
    state: &State,
    pool_id: &str,
    who: &ProviderUserIdentifierType,
) -> Result<(ProviderRecord, String)> {
    let (Some(name), Some(value)) = (&who.provider_name, &who.provider_attribute_value) else {
        return invalid_parameter("ProviderName and ProviderAttributeValue are required.");
    };
    match who.provider_attribute_name.as_deref() {
        None | Some("Cognito_Subject") => {}
        Some(other) => {
            return invalid_parameter(format!(
                "ProviderAttributeName {other} is not supported; use Cognito_Subject."
            ))
        }
    }
    match store::find_provider(&state.db, pool_id, name).await? {
        Some(p) => Ok((p, value.clone())),
        None => invalid_parameter(format!("Identity provider {name} does not exist.")),
    }
}

pub async fn admin_link_provider_for_user(
    state: &State,
    _: Admin,
    req: AdminLinkProviderForUserRequest,
) -> Result<Empty> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let dest = &req.destination_user;
    if !dest
        .provider_name
        .as_deref()
        .is_some_and(|n| RESERVED.contains(&n))
    {
        return invalid_parameter("DestinationUser must be a Cognito user (ProviderName Cognito).");
    }
    let username = dest.provider_attribute_value.as_deref().unwrap_or_default();
    let user = users::find_or_fail(state, &pool, username).await?;
    let (provider, subject) = external(state, &pool.id, &req.source_user).await?;
    federated::link(state, &provider, &subject, user).await?;
    Ok(Empty {})
}

pub async fn admin_disable_provider_for_user(
    state: &State,
    _: Admin,
    req: AdminDisableProviderForUserRequest,
) -> Result<Empty> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let (provider, subject) = external(state, &pool.id, &req.user).await?;
    federated::disable(state, &pool, &provider.name, &subject).await?;
    Ok(Empty {})
}
