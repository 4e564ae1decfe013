//! The cognito-sync actions: each identity's datasets of records, kept in step across its
//! devices by sync counts; the pool's configuration (push, streams, events), its usage, and
//! the devices registered for push. An identity reaches only its own datasets; the
//! administrator (developer credentials) reaches every identity's.

pub mod config;
pub mod datasets;
pub mod devices;
pub mod events;
pub mod records;
pub mod streams;
pub mod update;
pub mod usage;

pub use crate::service::identity::Admin;

use crate::service::identity::load_identity;
use crate::service::{fail, Exception, Result, State};
use crate::store::sync::SyncRecord;
use crate::types::epoch_seconds;
use crate::types::sync::Record;

/// AWS's limits: datasets per identity and bytes (keys and values) per dataset.
pub const MAX_DATASETS: i64 = 20;
pub const MAX_DATASET_BYTES: i64 = 1 << 20;

/// Whom a Sync request speaks for, as the HTTP edge established it from the signature.
#[derive(Debug)]
pub enum Caller {
    /// Temporary credentials the identity pool issued to this identity, whose role's
    /// policies allow the action on the resource.
    Identity {
        identity_id: String,
        pool_id: String,
    },
    /// The administrator's credentials (AWS's developer credentials): every identity.
    Developer(Admin),
}

impl Caller {
    /// An identity whose credentials' signature and policy the edge has checked.
    pub fn identity(identity_id: &str, pool_id: &str) -> Caller {
        Caller::Identity {
            identity_id: identity_id.to_string(),
            pool_id: pool_id.to_string(),
        }
    }

    /// What a write records as its author when the client names no device.
    pub fn author(&self, state: &State) -> String {
        match self {
            Caller::Identity { identity_id, .. } => identity_id.clone(),
            Caller::Developer(_) => state.account_id.clone(),
        }
    }
}

/// `arn:aws:cognito-sync:{region}:{account}:identitypool/{pool}/identity/{identity}`.
pub fn identity_arn(state: &State, pool_id: &str, identity_id: &str) -> String {
    format!(
        "arn:aws:cognito-sync:{}:{}:identitypool/{pool_id}/identity/{identity_id}",
        state.region, state.account_id
    )
}

/// The dataset's ARN, the resource of the per-dataset actions.
pub fn dataset_arn(state: &State, pool_id: &str, identity_id: &str, name: &str) -> String {
    format!(
        "{}/dataset/{name}",
        identity_arn(state, pool_id, identity_id)
    )
}

/// The identity a request's path names: the caller's own (or any, for the administrator),
/// and one of the pool the path names.
pub async fn check_identity(
    state: &State,
    caller: &Caller,
    pool_id: &str,
    identity_id: &str,
) -> Result<()> {
    if let Caller::Identity {
        identity_id: own,
        pool_id: own_pool,
    } = caller
    {
        if own != identity_id || own_pool != pool_id {
            return fail(
                Exception::NotAuthorized,
                "Access to the requested identity is not authorized.",
            );
        }
    }
    let identity = load_identity(state, identity_id).await?;
    if identity.pool_id != pool_id {
        return fail(
            Exception::ResourceNotFound,
            format!("Identity '{identity_id}' not found."),
        );
    }
    Ok(())
}

/// A stored record as the wire shows it; a removed one has no value.
pub fn wire_record(r: &SyncRecord) -> Record {
    Record {
        key: r.record_key.clone(),
        value: r.value.clone(),
        sync_count: r.sync_count,
        last_modified_date: epoch_seconds(r.last_modified_at),
        last_modified_by: r.last_modified_by.clone(),
        device_last_modified_date: r.device_last_modified_at.map(epoch_seconds),
    }
}

/// The bytes a record counts towards its dataset's size: its key and value.
pub fn record_size(key: &str, value: Option<&str>) -> i64 {
    value.map_or(0, |v| (key.len() + v.len()) as i64)
}
