//! ListRecords: the records of a dataset changed since the device's last sync count, the
//! datasets merged into it from another identity ("<name>.<identity>", which the SDKs hand
//! to their datasets-merged callback), and the sync session that UpdateRecords must present
//! (its token stored hashed).

use super::{check_identity, wire_record, Caller};
use crate::service::kernel::{crypto, paging};
use crate::service::{invalid_parameter, now_ms, Result, State};
use crate::store::sync as store;
use crate::store::sync_config::{self as sessions, SyncSessionRecord};
use crate::types::sync::{ListRecordsRequest, ListRecordsResponse};

/// How long a sync session stays open for its UpdateRecords.
pub const SESSION_TTL_MS: i64 = 15 * 60 * 1000;
const DEFAULT_RECORDS: i64 = 1024;
const SESSION_SALT: &str = "cognito-sync-session";

pub async fn list_records(
    state: &State,
    caller: Caller,
    req: ListRecordsRequest,
) -> Result<ListRecordsResponse> {
    check_identity(state, &caller, &req.identity_pool_id, &req.identity_id).await?;
    let session = match &req.sync_session_token {
        Some(token) => {
            check_session(state, token, &req.identity_id, &req.dataset_name).await?;
            token.clone()
        }
        None => open_session(state, &req).await?,
    };
    let last = req.last_sync_count.unwrap_or(0).max(0);
    let limit = req
        .max_results
        .unwrap_or(DEFAULT_RECORDS)
        .clamp(1, DEFAULT_RECORDS);
    let after = req.next_token.as_deref().map(decode_position).transpose()?;
    let dataset = store::find_dataset(&state.db, &req.identity_id, &req.dataset_name).await?;
    let mut rows = store::records_after(
        &state.db,
        &req.identity_id,
        &req.dataset_name,
        last,
        after,
        limit + 1,
    )
    .await?;
    let next_token = paging::next_token(&mut rows, limit, |r| {
        paging::encode_created(r.sync_count, &r.record_key)
    });
    let records: Vec<_> = rows.iter().map(wire_record).collect();
    let exists = dataset.as_ref().is_some_and(|d| !d.deleted);
    let deleted_after = dataset
        .as_ref()
        .and_then(|d| d.deleted_sync_count)
        .is_some_and(|deleted_at| last < deleted_at);
    Ok(ListRecordsResponse {
        count: records.len() as i64,
        records,
        next_token,
        dataset_sync_count: dataset.as_ref().map_or(0, |d| d.sync_count),
        last_modified_by: dataset
            .as_ref()
            .filter(|d| !d.deleted)
            .map(|d| d.last_modified_by.clone()),
        merged_dataset_names: store::merged_names(&state.db, &req.identity_id, &req.dataset_name)
            .await?,
        dataset_exists: exists,
        dataset_deleted_after_requested_sync_count: deleted_after,
        sync_session_token: session,
    })
}

fn decode_position(token: &str) -> Result<(i64, String)> {
    paging::decode_created(token)
}

async fn open_session(state: &State, req: &ListRecordsRequest) -> Result<String> {
    let token = crypto::random_token(32);
    let now = now_ms();
    sessions::insert_session(
        &state.db,
        &SyncSessionRecord {
            token_hash: crypto::sha256_hex(SESSION_SALT, &token),
            identity_pool_id: req.identity_pool_id.clone(),
            identity_id: req.identity_id.clone(),
            dataset_name: req.dataset_name.clone(),
            created_at: now,
            expires_at: now + SESSION_TTL_MS,
        },
    )
    .await?;
    Ok(token)
}

/// The token must be one ListRecords handed out for this identity and dataset, unexpired.
pub async fn check_session(
    state: &State,
    token: &str,
    identity_id: &str,
    dataset_name: &str,
) -> Result<()> {
    let hash = crypto::sha256_hex(SESSION_SALT, token);
    let session = sessions::find_session(&state.db, &hash).await?;
    let valid = session.is_some_and(|s| {
        s.identity_id == identity_id && s.dataset_name == dataset_name && s.expires_at > now_ms()
    });
    if !valid {
        return invalid_parameter(
            "The SyncSessionToken is not one ListRecords returned for this dataset, or it \
             has expired.",
        );
    }
    Ok(())
}
