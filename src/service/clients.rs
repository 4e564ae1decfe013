//! App clients: Create/Describe/Update/Delete/ListUserPoolClients, and what sign-in asks of them.

use super::{
    crypto, fail, ids, invalid_parameter, now_ms, paging, pools, Exception, Result, State,
};
use crate::store::clients::{self as client_store, ClientRecord};
use crate::store::pools::PoolRecord;
use crate::types::clients::*;
use crate::types::{epoch_seconds, Empty};

const AUTH_FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];

/// Loads a client by id alone (public sign-in calls name no pool).
pub async fn load(state: &State, client_id: &str) -> Result<ClientRecord> {
    if client_id.len() <= 128 {
        if let Some(c) = client_store::find_by_id(&state.db, client_id).await? {
            return Ok(c);
        }
    }
    fail(
        Exception::ResourceNotFound,
        format!("User pool client {client_id} does not exist."),
    )
}

/// Loads a client that must belong to `pool_id`.
pub async fn load_in_pool(state: &State, pool_id: &str, client_id: &str) -> Result<ClientRecord> {
    pools::load(state, pool_id).await?;
    match load(state, client_id).await {
        Ok(c) if c.pool_id == pool_id => Ok(c),
        _ => fail(
            Exception::ResourceNotFound,
            format!("User pool client {client_id} does not exist."),
        ),
    }
}

/// Whether the client's ExplicitAuthFlows allow `flow` (an `ALLOW_*` name).
pub fn allows(client: &ClientRecord, flow: &str) -> bool {
    let flows = client
        .settings
        .explicit_auth_flows
        .as_deref()
        .unwrap_or_default();
    if flows.iter().any(|f| f == flow) {
        return true;
    }
    // Legacy values: each names one flow, and SRP and refresh are always on beside them.
    let legacy = |name: &str| flows.iter().any(|f| f == name);
    let has_legacy = legacy("ADMIN_NO_SRP_AUTH")
        || legacy("USER_PASSWORD_AUTH")
        || legacy("CUSTOM_AUTH_FLOW_ONLY");
    match flow {
        "ALLOW_ADMIN_USER_PASSWORD_AUTH" => legacy("ADMIN_NO_SRP_AUTH"),
        "ALLOW_USER_PASSWORD_AUTH" => legacy("USER_PASSWORD_AUTH"),
        "ALLOW_CUSTOM_AUTH" => legacy("CUSTOM_AUTH_FLOW_ONLY"),
        "ALLOW_USER_SRP_AUTH" | "ALLOW_REFRESH_TOKEN_AUTH" => has_legacy,
        _ => false,
    }
}

/// Checks SECRET_HASH for a client with a secret. `usernames` are the names the hash may have
/// been computed over (the name given, and for refresh the user's sub).
pub fn check_secret_hash(
    client: &ClientRecord,
    given: Option<&str>,
    usernames: &[&str],
) -> Result<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(given) = given else {
        return fail(
            Exception::NotAuthorized,
            format!(
                "Client {} is configured with secret but SECRET_HASH was not received",
                client.id
            ),
        );
    };
    let matches = usernames
        .iter()
        .any(|u| crypto::constant_time_eq(&crypto::secret_hash(secret, u, &client.id), given));
    if matches {
        Ok(())
    } else {
        fail(
            Exception::NotAuthorized,
            format!("Unable to verify secret hash for client {}", client.id),
        )
    }
}

/// Whether the client may read attribute `name`: every attribute when ReadAttributes is unset.
pub fn can_read(client: &ClientRecord, name: &str) -> bool {
    name == "sub"
        || client
            .settings
            .read_attributes
            .as_ref()
            .is_none_or(|allowed| allowed.iter().any(|a| a == name))
}

/// Fails unless the client may write every attribute named: all of them when WriteAttributes
/// is unset.
pub fn check_writable<'a>(
    client: &ClientRecord,
    names: impl IntoIterator<Item = &'a str>,
) -> Result<()> {
    let Some(allowed) = &client.settings.write_attributes else {
        return Ok(());
    };
    match names.into_iter().find(|n| !allowed.iter().any(|a| a == n)) {
        Some(name) => fail(
            Exception::NotAuthorized,
            format!("A client attempted to write unauthorized attribute {name}"),
        ),
        None => Ok(()),
    }
}

/// ReadAttributes and WriteAttributes must name attributes of the pool; WriteAttributes only
/// mutable ones, and never the `*_verified` flags.
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
pub fn token_lifetimes(s: &ClientSettings) -> (i64, i64, i64) {
    let units = s.token_validity_units.clone().unwrap_or_default();
    let secs =
        |value: Option<i64>, unit: Option<String>, default_unit: &str, default_value: i64| {
            let value = value.unwrap_or(default_value);
            value * unit_seconds(unit.as_deref().unwrap_or(default_unit))
        };
    let access = match s.access_token_validity {
        Some(v) => secs(Some(v), units.access_token, "hours", 1),
        None => 3600,
    };
    let id = match s.id_token_validity {
        Some(v) => secs(Some(v), units.id_token, "hours", 1),
        None => 3600,
    };
    let refresh = secs(s.refresh_token_validity, units.refresh_token, "days", 30);
    (access, id, refresh)
}

fn unit_seconds(unit: &str) -> i64 {
    match unit {
        "seconds" => 1,
        "minutes" => 60,
        "hours" => 3600,
        _ => 86_400,
    }
}

pub async fn create_user_pool_client(
    state: &State,
    req: CreateUserPoolClientRequest,
) -> Result<UserPoolClientReply> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    validate_client_name(&req.client_name)?;
    let mut settings = req.settings;
    complete_settings(&mut settings)?;
    check_attribute_lists(&pool, &settings)?;
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
    req: UpdateUserPoolClientRequest,
) -> Result<UserPoolClientReply> {
    let mut client = load_in_pool(state, &req.user_pool_id, &req.client_id).await?;
    if let Some(name) = req.client_name {
        validate_client_name(&name)?;
        client.name = name;
    }
    let mut settings = req.settings;
    complete_settings(&mut settings)?;
    check_attribute_lists(&pools::load(state, &client.pool_id).await?, &settings)?;
    client.settings = settings;
    client.updated_at = now_ms();
    client_store::update(&state.db, &client).await?;
    Ok(UserPoolClientReply {
        user_pool_client: describe(client),
    })
}

pub async fn delete_user_pool_client(state: &State, req: ClientIdRequest) -> Result<Empty> {
    let client = load_in_pool(state, &req.user_pool_id, &req.client_id).await?;
    client_store::delete(&state.db, &client.pool_id, &client.id).await?;
    Ok(Empty {})
}

pub async fn list_user_pool_clients(
    state: &State,
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
                client_id: c.id,
                user_pool_id: c.pool_id,
                client_name: c.name,
            })
            .collect(),
        next_token,
    })
}

fn describe(c: ClientRecord) -> UserPoolClientType {
    UserPoolClientType {
        user_pool_id: c.pool_id,
        client_name: c.name,
        client_id: c.id,
        client_secret: c.secret,
        creation_date: epoch_seconds(c.created_at),
        last_modified_date: epoch_seconds(c.updated_at),
        settings: c.settings,
    }
}

fn validate_client_name(name: &str) -> Result<()> {
    pools::validate_name(name, "clientName")
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
    if let Some(bad) = flows.iter().find(|f| !AUTH_FLOWS.contains(&f.as_str())) {
        return invalid_parameter(format!(
            "1 validation error detected: Value '[{bad}]' at 'explicitAuthFlows' failed to satisfy \
             constraint: Member must satisfy enum value set: [{}]",
            AUTH_FLOWS.join(", ")
        ));
    }
    let legacy = flows.iter().any(|f| !f.starts_with("ALLOW_"));
    if legacy && flows.iter().any(|f| f.starts_with("ALLOW_")) {
        return invalid_parameter(
            "ExplicitAuthFlows cannot mix legacy values with values that begin with ALLOW_.",
        );
    }
    let units = s.token_validity_units.clone().unwrap_or_default();
    for unit in [&units.access_token, &units.id_token, &units.refresh_token]
        .into_iter()
        .flatten()
    {
        if !["seconds", "minutes", "hours", "days"].contains(&unit.as_str()) {
            return invalid_parameter(format!("Invalid time unit {unit}."));
        }
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
    let prevent = s
        .prevent_user_existence_errors
        .get_or_insert_with(|| "LEGACY".into());
    if !["LEGACY", "ENABLED"].contains(&prevent.as_str()) {
        return invalid_parameter(format!(
            "1 validation error detected: Value '{prevent}' at 'preventUserExistenceErrors' failed to \
             satisfy constraint: Member must satisfy enum value set: [LEGACY, ENABLED]"
        ));
    }
    let session = *s.auth_session_validity.get_or_insert(3);
    if !(3..=15).contains(&session) {
        return invalid_parameter("AuthSessionValidity must be between 3 and 15 minutes.");
    }
    if let Some(rotation) = &s.refresh_token_rotation {
        let feature = rotation.get("Feature").and_then(serde_json::Value::as_str);
        let grace = rotation.get("RetryGracePeriodSeconds");
        if !matches!(feature, Some("ENABLED" | "DISABLED"))
            || grace.is_some_and(|g| !g.as_i64().is_some_and(|g| (0..=60).contains(&g)))
        {
            return invalid_parameter(
                "RefreshTokenRotation needs Feature ENABLED or DISABLED and a RetryGracePeriodSeconds from 0 to 60.",
            );
        }
    }
    s.enable_token_revocation.get_or_insert(true);
    s.enable_propagate_additional_user_context_data
        .get_or_insert(false);
    s.allowed_o_auth_flows_user_pool_client.get_or_insert(false);
    Ok(())
}
