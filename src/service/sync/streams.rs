//! Cognito Streams: every change to a dataset of the pool is published to its configured
//! stream as Cognito's Kinesis record; BulkPublish replays all existing data to it, and
//! GetBulkPublishDetails reports how that went.

use serde_json::{json, Value};

use super::config::{load_config, streams_of};
use super::Admin;
use crate::service::identity::load_pool;
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::sync::{self as datasets, SyncRecord};
use crate::store::sync_config as store;
use crate::types::epoch_seconds;
use crate::types::sync::{BulkPublishResponse, GetBulkPublishDetailsResponse, PoolPath};

/// A bulk publish may run once a day, as in Cognito.
const BULK_PUBLISH_EVERY_MS: i64 = 24 * 3600 * 1000;

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

/// Publishes a stored change to the pool's stream, on a task of its own: the writer does
/// not wait for the sink, and a sink's failure is logged, never the writer's.
pub async fn publish_change(
    state: &State,
    pool_id: &str,
    identity_id: &str,
    dataset_name: &str,
    records: &[SyncRecord],
) {
    let stream = match enabled_stream(state, pool_id).await {
        Ok(Some(stream)) => stream,
        Ok(None) => return,
        Err(e) => return tracing::warn!(pool_id, error = %e, "reading the stream configuration"),
    };
    let record = stream_record(pool_id, identity_id, dataset_name, records);
    let (sink, key) = (state.sync_streams.clone(), identity_id.to_string());
    tokio::spawn(async move {
        if let Err(cause) = sink.put_record(&stream, &key, &record).await {
            tracing::warn!(stream, error = %cause, "publishing a change to the stream failed");
        }
    });
}

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
    if !store::start_bulk_publish(&state.db, &pool_id, now).await? {
        return fail(
            Exception::DuplicateRequest,
            "A bulk publish of this identity pool is in progress.",
        );
    }
    let (db, sink, pool) = (
        state.db.clone(),
        state.sync_streams.clone(),
        pool_id.clone(),
    );
    tokio::spawn(async move {
        let failure = replay(&db, &sink, &pool, &stream).await.err();
        if let Some(cause) = &failure {
            tracing::warn!(pool_id = pool, error = %cause, "bulk publish failed");
        }
        if let Err(e) = store::finish_bulk_publish(&db, &pool, failure.as_deref(), now_ms()).await {
            tracing::error!(pool_id = pool, error = %e, "recording the end of a bulk publish");
        }
    });
    Ok(BulkPublishResponse {
        identity_pool_id: pool_id,
    })
}

/// Publishes every live dataset of the pool, all its records as replaced.
async fn replay(
    db: &crate::store::Db,
    sink: &crate::service::outbound::streams::Streams,
    pool_id: &str,
    stream: &str,
) -> std::result::Result<(), String> {
    let all = datasets::datasets_of_pool(db, pool_id)
        .await
        .map_err(|e| e.to_string())?;
    for d in all {
        let records = datasets::live_records(db, &d.identity_id, &d.dataset_name)
            .await
            .map_err(|e| e.to_string())?;
        if records.is_empty() {
            continue;
        }
        let record = stream_record(pool_id, &d.identity_id, &d.dataset_name, &records);
        sink.put_record(stream, &d.identity_id, &record).await?;
    }
    Ok(())
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
