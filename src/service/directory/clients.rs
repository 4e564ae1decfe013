//! App clients as sign-in sees them: loaded by id, their auth flows, SECRET_HASH, attribute
//! permissions and token lifetimes.

use crate::service::directory::pools;
use crate::service::kernel::crypto;
use crate::service::{fail, Error, Exception, Result, State};
use crate::store::clients::{self as client_store, ClientRecord};
use crate::types::clients::ClientSettings;

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
        // A fault (a secret that does not open) stays a fault, not a missing client.
        Err(e @ Error::Internal(_)) => Err(e),
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
