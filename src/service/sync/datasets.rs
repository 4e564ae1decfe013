//! DescribeDataset, ListDatasets, DeleteDataset and DescribeIdentityUsage: an identity's
//! datasets as a whole.

use super::{check_identity, Caller};
use crate::service::kernel::paging;
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::sync::{self as store, DatasetRecord};
use crate::store::sync_config::identity_usage;
use crate::types::epoch_seconds;
use crate::types::sync::*;

const DEFAULT_DATASETS: i64 = 20;
const MAX_PAGE: i64 = 64;

fn wire(d: &DatasetRecord) -> Dataset {
    Dataset {
        identity_id: d.identity_id.clone(),
        dataset_name: d.dataset_name.clone(),
        creation_date: epoch_seconds(d.created_at),
        last_modified_date: epoch_seconds(d.last_modified_at),
        last_modified_by: d.last_modified_by.clone(),
        data_storage: d.data_storage,
        num_records: d.num_records,
    }
}

/// The live dataset, or Cognito's ResourceNotFoundException.
async fn live_dataset(state: &State, identity_id: &str, name: &str) -> Result<DatasetRecord> {
    match store::find_dataset(&state.db, identity_id, name).await? {
        Some(d) if !d.deleted => Ok(d),
        _ => fail(
            Exception::ResourceNotFound,
            format!("Dataset '{name}' not found."),
        ),
    }
}

pub async fn describe_dataset(
    state: &State,
    caller: Caller,
    req: DatasetPath,
) -> Result<DatasetResponse> {
    check_identity(state, &caller, &req.identity_pool_id, &req.identity_id).await?;
    let dataset = live_dataset(state, &req.identity_id, &req.dataset_name).await?;
    Ok(DatasetResponse {
        dataset: wire(&dataset),
    })
}

pub async fn list_datasets(
    state: &State,
    caller: Caller,
    req: ListDatasetsRequest,
) -> Result<ListDatasetsResponse> {
    check_identity(state, &caller, &req.identity_pool_id, &req.identity_id).await?;
    let limit = req
        .max_results
        .unwrap_or(DEFAULT_DATASETS)
        .clamp(1, MAX_PAGE);
    let after = match &req.next_token {
        Some(token) => paging::decode(token)?,
        None => String::new(),
    };
    let mut rows = store::list_datasets(&state.db, &req.identity_id, &after, limit + 1).await?;
    let next_token = paging::next_token(&mut rows, limit, |d| paging::encode(&d.dataset_name));
    let datasets: Vec<Dataset> = rows.iter().map(wire).collect();
    Ok(ListDatasetsResponse {
        count: datasets.len() as i64,
        datasets,
        next_token,
    })
}

pub async fn delete_dataset(
    state: &State,
    caller: Caller,
    req: DatasetPath,
) -> Result<DatasetResponse> {
    check_identity(state, &caller, &req.identity_pool_id, &req.identity_id).await?;
    let dataset = live_dataset(state, &req.identity_id, &req.dataset_name).await?;
    let by = caller.author(state);
    let deleted = store::delete_dataset(
        &state.db,
        &req.identity_id,
        &req.dataset_name,
        &by,
        now_ms(),
    )
    .await?;
    if deleted.is_none() {
        return fail(
            Exception::ResourceNotFound,
            format!("Dataset '{}' not found.", req.dataset_name),
        );
    }
    state.push.changed();
    Ok(DatasetResponse {
        dataset: wire(&dataset),
    })
}

pub async fn describe_identity_usage(
    state: &State,
    caller: Caller,
    req: IdentityPath,
) -> Result<DescribeIdentityUsageResponse> {
    check_identity(state, &caller, &req.identity_pool_id, &req.identity_id).await?;
    let usage = identity_usage(&state.db, &req.identity_id).await?;
    Ok(DescribeIdentityUsageResponse {
        identity_usage: IdentityUsage {
            identity_id: req.identity_id,
            identity_pool_id: req.identity_pool_id,
            last_modified_date: usage.last_modified_at.map(epoch_seconds),
            dataset_count: usage.datasets,
            data_storage: usage.data_storage,
        },
    })
}
