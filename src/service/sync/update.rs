//! UpdateRecords: a device's changes to a dataset, each record checked against the sync
//! count the device last saw (ResourceConflictException when another device got there
//! first), passed through the pool's SyncTrigger, and stored atomically with the dataset's
//! new sync count, its change-log row and the record it owes the pool's stream.

use std::collections::{BTreeMap, HashSet};

use base64::Engine;

use super::events::{run_sync_trigger, sync_trigger_of, Pending};
use super::records::check_session;
use super::{check_identity, record_size, streams, wire_record, Caller};
use super::{MAX_DATASETS, MAX_DATASET_BYTES};
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::sync::{self as store, DatasetRecord, DatasetUpdate, SyncRecord};
use crate::types::sync::{RecordPatch, UpdateRecordsRequest, UpdateRecordsResponse};

/// One record to write: a value to store, or `None` to remove it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub key: String,
    pub value: Option<String>,
    /// The device's own clock at the change, epoch milliseconds.
    pub device_at: Option<i64>,
}

pub async fn update_records(
    state: &State,
    caller: Caller,
    req: UpdateRecordsRequest,
) -> Result<UpdateRecordsResponse> {
    let (pool_id, identity_id, name) = (&req.identity_pool_id, &req.identity_id, &req.dataset_name);
    check_identity(state, &caller, pool_id, identity_id).await?;
    check_session(state, &req.sync_session_token, identity_id, name).await?;
    let mut changes = changes_of(&req.record_patches)?;
    if changes.is_empty() {
        return Ok(UpdateRecordsResponse { records: vec![] });
    }
    let dataset = store::find_dataset(&state.db, identity_id, name).await?;
    let mut current = BTreeMap::new();
    for p in &req.record_patches {
        let record = store::find_record(&state.db, identity_id, name, &p.key).await?;
        let known = record.as_ref().map_or(0, |r| r.sync_count);
        if known != p.sync_count {
            return fail(
                Exception::ResourceConflict,
                format!(
                    "Current SyncCount for: {} is: {known} not: {}",
                    p.key, p.sync_count
                ),
            );
        }
        current.insert(p.key.clone(), record);
    }
    // Cognito runs the trigger for identities' writes only, never developer credentials'.
    if let Caller::Identity { .. } = caller {
        if let Some(arn) = sync_trigger_of(state, pool_id).await? {
            let pending = Pending {
                pool_id,
                identity_id,
                dataset_name: name,
                current: &current,
            };
            changes = run_sync_trigger(state, &arn, &pending, &changes).await?;
            for c in &changes {
                if !current.contains_key(&c.key) {
                    let record = store::find_record(&state.db, identity_id, name, &c.key).await?;
                    current.insert(c.key.clone(), record);
                }
            }
        }
    }
    let author = author(&req, &caller, state);
    let stored = write(state, &req, dataset.as_ref(), &current, &changes, &author).await?;
    let records: Vec<_> = stored.iter().map(wire_record).collect();
    Ok(UpdateRecordsResponse { records })
}

/// The patches as changes: each key once, a value for every replace, dates in milliseconds.
fn changes_of(patches: &[RecordPatch]) -> Result<Vec<Change>> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(patches.len());
    for p in patches {
        if !seen.insert(p.key.as_str()) {
            return invalid_parameter(format!("The key {:?} is patched twice.", p.key));
        }
        let value = match (p.op.as_str(), &p.value) {
            ("replace", Some(v)) => Some(v.clone()),
            ("replace", None) => {
                return invalid_parameter(format!("Replacing {:?} needs a Value.", p.key))
            }
            _ => None,
        };
        let device_at = match p.device_last_modified_date {
            Some(s) if !s.is_finite() || s < 0.0 => {
                return invalid_parameter("DeviceLastModifiedDate is not a valid date.")
            }
            Some(s) => Some((s * 1000.0).round() as i64),
            None => None,
        };
        out.push(Change {
            key: p.key.clone(),
            value,
            device_at,
        });
    }
    Ok(out)
}

/// Who the write records as its author: the device the client context names, else the caller.
fn author(req: &UpdateRecordsRequest, caller: &Caller, state: &State) -> String {
    let installation = req.client_context.as_deref().and_then(|c| {
        let bytes = base64::engine::general_purpose::STANDARD.decode(c).ok()?;
        let context: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        let id = context.pointer("/client/installation_id")?.as_str()?;
        (!id.is_empty() && id.len() <= 256).then(|| id.to_string())
    });
    installation.unwrap_or_else(|| caller.author(state))
}

/// Checks the limits and stores the changes at the dataset's next sync count.
async fn write(
    state: &State,
    req: &UpdateRecordsRequest,
    dataset: Option<&DatasetRecord>,
    current: &BTreeMap<String, Option<SyncRecord>>,
    changes: &[Change],
    author: &str,
) -> Result<Vec<SyncRecord>> {
    let live = dataset.filter(|d| !d.deleted);
    let expected = dataset.map_or(0, |d| d.sync_count);
    if live.is_none() && store::count_datasets(&state.db, &req.identity_id).await? >= MAX_DATASETS {
        return fail(
            Exception::LimitExceeded,
            format!("An identity can have at most {MAX_DATASETS} datasets."),
        );
    }
    let (mut storage, mut count) = live.map_or((0, 0), |d| (d.data_storage, d.num_records));
    let (now, sync_count) = (now_ms(), expected + 1);
    let mut records = Vec::with_capacity(changes.len());
    for c in changes {
        if let Some(Some(old)) = current.get(&c.key) {
            storage -= record_size(&old.record_key, old.value.as_deref());
            count -= i64::from(old.value.is_some());
        }
        storage += record_size(&c.key, c.value.as_deref());
        count += i64::from(c.value.is_some());
        records.push(SyncRecord {
            record_key: c.key.clone(),
            value: c.value.clone(),
            sync_count,
            last_modified_by: author.to_string(),
            last_modified_at: now,
            device_last_modified_at: c.device_at,
        });
    }
    if storage > MAX_DATASET_BYTES {
        return fail(
            Exception::LimitExceeded,
            format!("A dataset can hold at most {MAX_DATASET_BYTES} bytes of keys and values."),
        );
    }
    let (pool_id, identity_id, name) = (&req.identity_pool_id, &req.identity_id, &req.dataset_name);
    let stream = streams::stream_entry(state, pool_id, identity_id, name, &records).await?;
    let update = DatasetUpdate {
        identity_pool_id: &req.identity_pool_id,
        identity_id: &req.identity_id,
        dataset_name: &req.dataset_name,
        expected,
        sync_count,
        data_storage: storage,
        num_records: count,
        by: author,
        now,
        device_id: req.device_id.as_deref(),
        records: &records,
        stream: stream.as_ref(),
    };
    match store::apply_update(&state.db, &update).await? {
        Some(_) => {
            state.push.changed();
            Ok(records)
        }
        None => fail(
            Exception::ResourceConflict,
            "The dataset changed during the update; list its records and try again.",
        ),
    }
}
