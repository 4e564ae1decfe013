//! App clients: Create/Describe/Update/Delete/ListUserPoolClients.

use super::Admin;
use crate::service::directory::clients::{load_in_pool, token_lifetimes};
use crate::service::directory::pools;
use crate::service::kernel::{ids, paging};
use crate::service::{invalid_parameter, now_ms, Result, State};
use crate::store::clients::{self as client_store, ClientRecord};
use crate::store::pools::PoolRecord;
use crate::types::clients::*;
use crate::types::{epoch_seconds, Empty};

/// Loads a client by id alone (public sign-in calls name no pool).
fn check_attribute_lists(pool: &PoolRecord, s: &ClientSettings) -> Result<()> {
    let schema = pool
        .settings
        .schema_attributes
        .as_deref()
        .unwrap_or_default();
    let find = |name: &str| schema.iter().find(|a| a.name.as_deref() == Some(name));
    for name in s.read_attributes.iter().flatten() {
        if find(name).is_none() {
            return invalid_parameter(format!(
                "Invalid read attributes specified while creating a client: {name}"
            ));
        }
    }
    for name in s.write_attributes.iter().flatten() {
        let writable =
            find(name).is_some_and(|a| a.mutable != Some(false)) && !name.ends_with("_verified");
        if !writable {
            return invalid_parameter(format!(
                "Invalid write attributes specified while creating a client: {name}"
            ));
        }
    }
    Ok(())
}

/// Token lifetimes of a client, in seconds: (access, id, refresh).
pub async fn create_user_pool_client(
    state: &State,
    _: Admin,
    req: CreateUserPoolClientRequest,
) -> Result<UserPoolClientReply> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let mut settings = req.settings;
    complete_settings(&mut settings)?;
    check_attribute_lists(&pool, &settings)?;
    let has_secret = req.generate_secret || req.client_secret.is_some();
    super::oauth_settings::check(state, &pool, &settings, has_secret).await?;
    let secret = match (req.generate_secret, req.client_secret) {
        (_, Some(s)) => {
            if !(24..=64).contains(&s.len())
                || !s
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_+".contains(c))
            {
                return invalid_parameter("ClientSecret must be 24 to 64 letters, digits, _ or +.");
            }
            Some(s)
        }
        (true, None) => Some(ids::client_secret()),
        (false, None) => None,
    };
    let now = now_ms();
    let client = ClientRecord {
        id: ids::client_id(),
        pool_id: pool.id,
        name: req.client_name,
        secret,
        settings,
        created_at: now,
        updated_at: now,
    };
    client_store::insert(&state.db, &client).await?;
    Ok(UserPoolClientReply {
        user_pool_client: describe(client),
    })
}

pub async fn describe_user_pool_client(
    state: &State,
    _: Admin,
    req: ClientIdRequest,
) -> Result<UserPoolClientReply> {
    let client = load_in_pool(state, &req.user_pool_id, &req.client_id).await?;
    Ok(UserPoolClientReply {
        user_pool_client: describe(client),
    })
}

/// UpdateUserPoolClient: as in Cognito, any setting left out returns to its default.
pub async fn update_user_pool_client(
    state: &State,
    _: Admin,
    req: UpdateUserPoolClientRequest,
) -> Result<UserPoolClientReply> {
    let mut client = load_in_pool(state, &req.user_pool_id, &req.client_id).await?;
    if let Some(name) = req.client_name {
        client.name = name;
    }
    let mut settings = req.settings;
    complete_settings(&mut settings)?;
    let pool = pools::load(state, &client.pool_id).await?;
    check_attribute_lists(&pool, &settings)?;
    super::oauth_settings::check(state, &pool, &settings, client.secret.is_some()).await?;
    client.settings = settings;
    client.updated_at = now_ms();
    client_store::update(&state.db, &client).await?;
    Ok(UserPoolClientReply {
        user_pool_client: describe(client),
    })
}

pub async fn delete_user_pool_client(
    state: &State,
    _: Admin,
    req: ClientIdRequest,
) -> Result<Empty> {
    let client = load_in_pool(state, &req.user_pool_id, &req.client_id).await?;
    client_store::delete(&state.db, &client.pool_id, &client.id).await?;
    Ok(Empty {})
}

pub async fn list_user_pool_clients(
    state: &State,
    _: Admin,
    req: ListUserPoolClientsRequest,
) -> Result<ListUserPoolClientsResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let limit = req.max_results.unwrap_or(60);
    if !(1..=60).contains(&limit) {
        return invalid_parameter(format!(
            "1 validation error detected: Value '{limit}' at 'maxResults' failed to satisfy constraint: \
             Member must have value between 1 and 60"
        ));
    }
    let after = req
        .next_token
        .as_deref()
        .map(paging::decode_created)
        .transpose()?;
    let mut page = client_store::list_page(&state.db, &pool.id, after, limit + 1).await?;
    let next_token = paging::next_token(&mut page, limit, |c| {
        paging::encode_created(c.created_at, &c.id)
    });
    Ok(ListUserPoolClientsResponse {
        user_pool_clients: page
            .into_iter()
            .map(|c| UserPoolClientDescription {
                client_id: c.id.into(),
                user_pool_id: c.pool_id.into(),
                client_name: c.name,
            })
            .collect(),
        next_token,
    })
}

fn describe(c: ClientRecord) -> UserPoolClientType {
    UserPoolClientType {
        user_pool_id: c.pool_id.into(),
        client_name: c.name,
        client_id: c.id.into(),
        client_secret: c.secret,
        creation_date: epoch_seconds(c.created_at),
        last_modified_date: epoch_seconds(c.updated_at),
        settings: c.settings,
    }
}

/// Validates a client's settings and fills in Cognito's defaults.
fn complete_settings(s: &mut ClientSettings) -> Result<()> {
    let flows = s.explicit_auth_flows.get_or_insert_with(|| {
        [
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_CUSTOM_AUTH",
        ]
        .map(String::from)
        .to_vec()
    });
    let legacy = flows.iter().any(|f| !f.starts_with("ALLOW_"));
    if legacy && flows.iter().any(|f| f.starts_with("ALLOW_")) {
        return invalid_parameter(
            "ExplicitAuthFlows cannot mix legacy values with values that begin with ALLOW_.",
        );
    }
    s.refresh_token_validity.get_or_insert(30);
    let (access, id, refresh) = token_lifetimes(s);
    if !(300..=86_400).contains(&access) {
        return invalid_parameter("Access token validity must be between 5 minutes and 1 day.");
    }
    if !(300..=86_400).contains(&id) {
        return invalid_parameter("ID token validity must be between 5 minutes and 1 day.");
    }
    if !(3600..=3650 * 86_400).contains(&refresh) {
        return invalid_parameter(
            "Refresh token validity must be between 60 minutes and 10 years.",
        );
    }
    // The service model bounds the enums and ranges; these are the defaults.
    s.prevent_user_existence_errors
        .get_or_insert_with(|| "LEGACY".into());
    s.auth_session_validity.get_or_insert(3);
    s.enable_token_revocation.get_or_insert(true);
    s.enable_propagate_additional_user_context_data
        .get_or_insert(false);
    s.allowed_o_auth_flows_user_pool_client.get_or_insert(false);
    Ok(())
}
