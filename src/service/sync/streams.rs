//! Cognito Streams: every change to a dataset of the pool is published to its configured
//! stream as Cognito's Kinesis record, through the durable stream outbox (push's drain
//! delivers it); BulkPublish enqueues all existing data there, and GetBulkPublishDetails
//! reports how that went.

use serde_json::{json, Value};

use super::config::{load_config, streams_of};
use super::Admin;
use crate::service::identity::load_pool;
use crate::service::kernel::ids;
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::stream_outbox::{self as outbox, NewStreamRecord};
use crate::store::sync::{self as datasets, SyncRecord};
use crate::store::sync_config as store;
use crate::types::epoch_seconds;
use crate::types::sync::{BulkPublishResponse, GetBulkPublishDetailsResponse, PoolPath};

/// A bulk publish may run once a day, as in Cognito.
const BULK_PUBLISH_EVERY_MS: i64 = 24 * 3600 * 1000;
/// Datasets enqueued per transaction by a bulk publish.
const BULK_CHUNK: i64 = 100;
/// A run still enqueueing after this long lost its server: another BulkPublish may take over.
const STALE_ENQUEUE_MS: i64 = 15 * 60 * 1000;

/// The stream the pool publishes to, when streaming is enabled.
async fn enabled_stream(state: &State, pool_id: &str) -> Result<Option<String>> {
    let Some(config) = store::find_config(&state.db, pool_id).await? else {
        return Ok(None);
    };
    let streams = streams_of(&config)?;
    Ok(streams
        .filter(|s| s.streaming_status.as_deref() == Some("ENABLED"))
        .and_then(|s| s.stream_name))
}

/// Cognito's stream record of one synchronization.
pub fn stream_record(
    pool_id: &str,
    identity_id: &str,
    dataset_name: &str,
    records: &[SyncRecord],
) -> Value {
    let op = |r: &SyncRecord| {
        if r.value.is_some() {
            "replace"
        } else {
            "remove"
        }
    };
    let sync_count = records.iter().map(|r| r.sync_count).max().unwrap_or(0);
    let modified = records
        .iter()
        .map(|r| r.last_modified_at)
        .max()
        .unwrap_or(0);
    let operation = if records.iter().any(|r| r.value.is_some()) {
        "replace"
    } else {
        "remove"
    };
    let kinesis: Vec<Value> = records
        .iter()
        .map(|r| {
            json!({"key": r.record_key, "value": r.value, "syncCount": r.sync_count,
                "lastModifiedDate": r.last_modified_at,
                "deviceLastModifiedDate": r.device_last_modified_at.unwrap_or(r.last_modified_at),
                "op": op(r)})
        })
        .collect();
    json!({
        "identityPoolId": pool_id,
        "identityId": identity_id,
        "dataSetName": dataset_name,
        "operation": operation,
        "kinesisSyncRecords": kinesis,
        "lastModifiedDate": modified,
        "kinesisSyncRecordsURL": null,
        "payloadType": "Inline",
        "syncCount": sync_count,
    })
}

/// The record a change owes the pool's stream, when streaming is enabled: UpdateRecords
/// enqueues it in its own transaction, so that an acknowledged write is never lost to the
/// stream and a refused one never reaches it.
pub async fn stream_entry(
    state: &State,
    pool_id: &str,
    identity_id: &str,
    dataset_name: &str,
    records: &[SyncRecord],
) -> Result<Option<NewStreamRecord>> {
    let Some(stream) = enabled_stream(state, pool_id).await? else {
        return Ok(None);
    };
    let record = stream_record(pool_id, identity_id, dataset_name, records);
    Ok(Some(entry(pool_id, &stream, identity_id, &record)))
}

fn entry(pool_id: &str, stream: &str, identity_id: &str, record: &Value) -> NewStreamRecord {
    NewStreamRecord {
        identity_pool_id: pool_id.to_string(),
        stream_name: stream.to_string(),
        partition_key: identity_id.to_string(),
        record: record.to_string(),
    }
}

/// BulkPublish: every live dataset of the pool enqueued on the stream outbox, a chunk per
/// transaction; GetBulkPublishDetails says IN_PROGRESS until the run's last row is delivered
/// (or given up, and then FAILED).
pub async fn bulk_publish(state: &State, _: Admin, req: PoolPath) -> Result<BulkPublishResponse> {
    let pool_id = req.identity_pool_id;
    let config = load_config(state, &pool_id).await?;
    let Some(stream) = enabled_stream(state, &pool_id).await? else {
        return invalid_parameter("Cognito Streams is not enabled for this identity pool.");
    };
    let now = now_ms();
    let recent = config
        .bulk_publish_completed_at
        .is_some_and(|t| now - t < BULK_PUBLISH_EVERY_MS);
    if config.bulk_publish_status.as_deref() == Some("SUCCEEDED") && recent {
        return fail(
            Exception::AlreadyStreamed,
            "A bulk publish of this identity pool succeeded less than 24 hours ago.",
        );
    }
    let run = ids::uuid();
    if !store::start_bulk_publish(&state.db, &pool_id, &run, now, now - STALE_ENQUEUE_MS).await? {
        return fail(
            Exception::DuplicateRequest,
            "A bulk publish of this identity pool is in progress.",
        );
    }
    if let Err(e) = enqueue(state, &pool_id, &stream, &run).await {
        let failure = format!("The pool's data could not be enqueued: {e}");
        store::fail_bulk_publish(&state.db, &run, &failure, now_ms()).await?;
        return Err(e);
    }
    outbox::settle_bulk_run(&state.db, &run, now_ms()).await?;
    Ok(BulkPublishResponse {
        identity_pool_id: pool_id,
    })
}

/// Enqueues every live dataset of the pool, all its records as replaced, waking the drain
/// after each chunk; the last chunk marks the run wholly enqueued.
async fn enqueue(state: &State, pool_id: &str, stream: &str, run: &str) -> Result<()> {
    let mut after = (String::new(), String::new());
    loop {
        let page = (after.0.as_str(), after.1.as_str());
        let chunk = datasets::datasets_of_pool(&state.db, pool_id, page, BULK_CHUNK).await?;
        let last = (chunk.len() as i64) < BULK_CHUNK;
        let mut entries = Vec::with_capacity(chunk.len());
        for d in &chunk {
            let records =
                datasets::live_records(&state.db, &d.identity_id, &d.dataset_name).await?;
            if records.is_empty() {
                continue;
            }
            let record = stream_record(pool_id, &d.identity_id, &d.dataset_name, &records);
            entries.push(entry(pool_id, stream, &d.identity_id, &record));
        }
        outbox::enqueue_bulk(&state.db, run, &entries, last, now_ms()).await?;
        state.push.stream_enqueued();
        match chunk.last() {
            Some(d) if !last => after = (d.identity_id.clone(), d.dataset_name.clone()),
            _ => return Ok(()),
        }
    }
}

pub async fn get_bulk_publish_details(
    state: &State,
    _: Admin,
    req: PoolPath,
) -> Result<GetBulkPublishDetailsResponse> {
    load_pool(state, &req.identity_pool_id).await?;
    let config = store::find_config(&state.db, &req.identity_pool_id).await?;
    let config = config.unwrap_or_default();
    Ok(GetBulkPublishDetailsResponse {
        identity_pool_id: req.identity_pool_id,
        bulk_publish_start_time: config.bulk_publish_started_at.map(epoch_seconds),
        bulk_publish_complete_time: config.bulk_publish_completed_at.map(epoch_seconds),
        bulk_publish_status: config
            .bulk_publish_status
            .unwrap_or_else(|| "NOT_STARTED".into()),
        failure_message: config.bulk_publish_failure,
    })
}
