//! Cognito Sync's datasets and their records. A dataset that was deleted keeps its row
//! (deleted, with its sync count) so that a device behind the deletion learns of it; a
//! removed record stays as a tombstone with the sync count of its removal.

use sqlx::FromRow;

use super::stream_outbox::{self, NewStreamRecord};
use super::sync_devices::{insert_change, NewChange};
use super::{flag, Db, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatasetRecord {
    pub identity_id: String,
    pub dataset_name: String,
    pub identity_pool_id: String,
    pub sync_count: i64,
    pub deleted: bool,
    /// The sync count of the dataset's last deletion, if it was ever deleted.
    pub deleted_sync_count: Option<i64>,
    pub data_storage: i64,
    pub num_records: i64,
    pub last_modified_by: String,
    pub created_at: i64,
    pub last_modified_at: i64,
}

#[derive(FromRow)]
struct DatasetRow {
    identity_id: String,
    dataset_name: String,
    identity_pool_id: String,
    sync_count: i64,
    deleted: i64,
    deleted_sync_count: Option<i64>,
    data_storage: i64,
    num_records: i64,
    last_modified_by: String,
    created_at: i64,
    last_modified_at: i64,
}

impl From<DatasetRow> for DatasetRecord {
    fn from(r: DatasetRow) -> Self {
        DatasetRecord {
            identity_id: r.identity_id,
            dataset_name: r.dataset_name,
            identity_pool_id: r.identity_pool_id,
            sync_count: r.sync_count,
            deleted: r.deleted != 0,
            deleted_sync_count: r.deleted_sync_count,
            data_storage: r.data_storage,
            num_records: r.num_records,
            last_modified_by: r.last_modified_by,
            created_at: r.created_at,
            last_modified_at: r.last_modified_at,
        }
    }
}

/// One record; `value` is `None` for a removed one.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct SyncRecord {
    pub record_key: String,
    pub value: Option<String>,
    pub sync_count: i64,
    pub last_modified_by: String,
    pub last_modified_at: i64,
    pub device_last_modified_at: Option<i64>,
}

const DATASET_COLUMNS: &str = "identity_id, dataset_name, identity_pool_id, sync_count, deleted, \
     deleted_sync_count, data_storage, num_records, last_modified_by, created_at, last_modified_at";
const RECORD_COLUMNS: &str =
    "record_key, value, sync_count, last_modified_by, last_modified_at, device_last_modified_at";

/// The dataset's row, deleted or not.
pub async fn find_dataset(db: &Db, identity_id: &str, name: &str) -> Result<Option<DatasetRecord>> {
    let row: Option<DatasetRow> = sqlx::query_as(&format!(
        "SELECT {DATASET_COLUMNS} FROM sync_datasets WHERE identity_id = $1 AND dataset_name = $2"
    ))
    .bind(identity_id)
    .bind(name)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(Into::into))
}

/// One page of an identity's live datasets by name, after `after`.
pub async fn list_datasets(
    db: &Db,
    identity_id: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<DatasetRecord>> {
    let rows: Vec<DatasetRow> = sqlx::query_as(&format!(
        "SELECT {DATASET_COLUMNS} FROM sync_datasets WHERE identity_id = $1 AND deleted = 0 \
         AND dataset_name > $2 ORDER BY dataset_name LIMIT $3"
    ))
    .bind(identity_id)
    .bind(after)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One page of a pool's live datasets by (identity, name), after the position `after`
/// (bulk publishing).
pub async fn datasets_of_pool(
    db: &Db,
    pool_id: &str,
    after: (&str, &str),
    limit: i64,
) -> Result<Vec<DatasetRecord>> {
    let rows: Vec<DatasetRow> = sqlx::query_as(&format!(
        "SELECT {DATASET_COLUMNS} FROM sync_datasets WHERE identity_pool_id = $1 AND deleted = 0 \
         AND (identity_id > $2 OR (identity_id = $2 AND dataset_name > $3)) \
         ORDER BY identity_id, dataset_name LIMIT $4"
    ))
    .bind(pool_id)
    .bind(after.0)
    .bind(after.1)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn count_datasets(db: &Db, identity_id: &str) -> Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sync_datasets WHERE identity_id = $1 AND deleted = 0")
            .bind(identity_id)
            .fetch_one(db.pool())
            .await?;
    Ok(n)
}

/// One page of the records changed after `last_sync_count`, in sync-count then key order,
/// after the position `after` (sync count, key) of the previous page.
pub async fn records_after(
    db: &Db,
    identity_id: &str,
    name: &str,
    last_sync_count: i64,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<SyncRecord>> {
    let (count, key) = after.unwrap_or((last_sync_count, String::new()));
    Ok(sqlx::query_as(&format!(
        "SELECT {RECORD_COLUMNS} FROM sync_records WHERE identity_id = $1 AND dataset_name = $2 \
         AND sync_count > $3 AND (sync_count > $4 OR (sync_count = $4 AND record_key > $5)) \
         ORDER BY sync_count, record_key LIMIT $6"
    ))
    .bind(identity_id)
    .bind(name)
    .bind(last_sync_count)
    .bind(count)
    .bind(key)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

pub async fn find_record(
    db: &Db,
    identity_id: &str,
    name: &str,
    key: &str,
) -> Result<Option<SyncRecord>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {RECORD_COLUMNS} FROM sync_records \
         WHERE identity_id = $1 AND dataset_name = $2 AND record_key = $3"
    ))
    .bind(identity_id)
    .bind(name)
    .bind(key)
    .fetch_optional(db.pool())
    .await?)
}

/// The live records of a dataset, by key (bulk publishing).
pub async fn live_records(db: &Db, identity_id: &str, name: &str) -> Result<Vec<SyncRecord>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {RECORD_COLUMNS} FROM sync_records WHERE identity_id = $1 AND dataset_name = $2 \
         AND value IS NOT NULL ORDER BY record_key"
    ))
    .bind(identity_id)
    .bind(name)
    .fetch_all(db.pool())
    .await?)
}

/// One UpdateRecords, decided by the service: the dataset moves from sync count `expected`
/// (0 for a dataset never written) to `sync_count`, with the records and totals given.
#[derive(Debug, Clone)]
pub struct DatasetUpdate<'a> {
    pub identity_pool_id: &'a str,
    pub identity_id: &'a str,
    pub dataset_name: &'a str,
    pub expected: i64,
    pub sync_count: i64,
    pub data_storage: i64,
    pub num_records: i64,
    pub by: &'a str,
    pub now: i64,
    pub device_id: Option<&'a str>,
    pub records: &'a [SyncRecord],
    /// The record owed to the pool's stream, when streaming is enabled: enqueued in the
    /// update's transaction, so it exists exactly when the update does.
    pub stream: Option<&'a NewStreamRecord>,
}

/// Applies an update in one transaction with its change-log row: `None` when the dataset's
/// sync count is no longer `expected` (another write won), in which case nothing is written.
pub async fn apply_update(db: &Db, u: &DatasetUpdate<'_>) -> Result<Option<i64>> {
    let mut tx = db.begin().await?;
    // A dataset never written is a deleted one at sync count 0.
    sqlx::query(
        "INSERT INTO sync_datasets (identity_id, dataset_name, identity_pool_id, sync_count, \
         deleted, data_storage, num_records, last_modified_by, created_at, last_modified_at) \
         VALUES ($1, $2, $3, 0, 1, 0, 0, $4, $5, $5) \
         ON CONFLICT (identity_id, dataset_name) DO NOTHING",
    )
    .bind(u.identity_id)
    .bind(u.dataset_name)
    .bind(u.identity_pool_id)
    .bind(u.by)
    .bind(u.now)
    .execute(&mut *tx)
    .await?;
    let claimed = sqlx::query(
        "UPDATE sync_datasets SET sync_count = $4, \
         created_at = CASE WHEN deleted = 1 THEN $5 ELSE created_at END, deleted = 0, \
         data_storage = $6, num_records = $7, last_modified_by = $8, last_modified_at = $5 \
         WHERE identity_id = $1 AND dataset_name = $2 AND sync_count = $3",
    )
    .bind(u.identity_id)
    .bind(u.dataset_name)
    .bind(u.expected)
    .bind(u.sync_count)
    .bind(u.now)
    .bind(u.data_storage)
    .bind(u.num_records)
    .bind(u.by)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    for r in u.records {
        upsert_record(&mut tx, u, r).await?;
    }
    let change = NewChange {
        identity_pool_id: u.identity_pool_id,
        identity_id: u.identity_id,
        dataset_name: u.dataset_name,
        sync_count: u.sync_count,
        device_id: u.device_id,
        created_at: u.now,
    };
    let seq = insert_change(&mut tx, &change).await?;
    if let Some(stream) = u.stream {
        stream_outbox::insert(&mut tx, stream, None, u.now).await?;
    }
    tx.commit().await?;
    Ok(Some(seq))
}

async fn upsert_record(tx: &mut super::Tx, u: &DatasetUpdate<'_>, r: &SyncRecord) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO sync_records (identity_id, dataset_name, {RECORD_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (identity_id, dataset_name, record_key) DO UPDATE SET \
         value = excluded.value, sync_count = excluded.sync_count, \
         last_modified_by = excluded.last_modified_by, \
         last_modified_at = excluded.last_modified_at, \
         device_last_modified_at = excluded.device_last_modified_at"
    ))
    .bind(u.identity_id)
    .bind(u.dataset_name)
    .bind(&r.record_key)
    .bind(&r.value)
    .bind(r.sync_count)
    .bind(&r.last_modified_by)
    .bind(r.last_modified_at)
    .bind(r.device_last_modified_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves `from`'s live datasets, records included, to `to` as Cognito Sync does when
/// identities merge: each becomes "<name>.<from>" there, marked as merged from `from`; the
/// source's rows are then removed. Runs inside the merge's transaction.
pub(crate) async fn merge_datasets(tx: &mut super::Tx, from: &str, to: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_datasets (identity_id, dataset_name, identity_pool_id, sync_count, \
         deleted, deleted_sync_count, data_storage, num_records, last_modified_by, created_at, \
         last_modified_at, merged_from) SELECT CAST($2 AS TEXT), \
         dataset_name || '.' || CAST($1 AS TEXT), identity_pool_id, sync_count, deleted, \
         deleted_sync_count, data_storage, num_records, last_modified_by, created_at, \
         last_modified_at, CAST($1 AS TEXT) FROM sync_datasets \
         WHERE identity_id = $1 AND deleted = 0 \
         ON CONFLICT (identity_id, dataset_name) DO NOTHING",
    )
    .bind(from)
    .bind(to)
    .execute(&mut **tx)
    .await?;
    sqlx::query(&format!(
        "INSERT INTO sync_records (identity_id, dataset_name, {RECORD_COLUMNS}) \
         SELECT CAST($2 AS TEXT), r.dataset_name || '.' || CAST($1 AS TEXT), r.record_key, \
         r.value, r.sync_count, r.last_modified_by, r.last_modified_at, \
         r.device_last_modified_at FROM sync_records r JOIN sync_datasets d \
         ON d.identity_id = r.identity_id AND d.dataset_name = r.dataset_name \
         WHERE r.identity_id = $1 AND d.deleted = 0 \
         ON CONFLICT (identity_id, dataset_name, record_key) DO NOTHING"
    ))
    .bind(from)
    .bind(to)
    .execute(&mut **tx)
    .await?;
    for table in ["sync_records", "sync_datasets"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE identity_id = $1"))
            .bind(from)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The live datasets merged into the identity from others under `name`
/// ("<name>.<source identity>"), for ListRecords' MergedDatasetNames.
pub async fn merged_names(db: &Db, identity_id: &str, name: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT dataset_name FROM sync_datasets WHERE identity_id = $1 AND deleted = 0 \
         AND merged_from IS NOT NULL AND dataset_name = CAST($2 AS TEXT) || '.' || merged_from \
         ORDER BY dataset_name",
    )
    .bind(identity_id)
    .bind(name)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(|(n,)| n).collect())
}

/// Deletes a live dataset and its records, logging the change: the sync count of the
/// deletion, or `None` when there was no such live dataset.
pub async fn delete_dataset(
    db: &Db,
    identity_id: &str,
    name: &str,
    by: &str,
    now: i64,
) -> Result<Option<i64>> {
    let mut tx = db.begin().await?;
    let row: Option<(i64, String)> = sqlx::query_as(
        "UPDATE sync_datasets SET deleted = $3, sync_count = sync_count + 1, \
         deleted_sync_count = sync_count + 1, data_storage = 0, num_records = 0, \
         last_modified_by = $4, last_modified_at = $5 \
         WHERE identity_id = $1 AND dataset_name = $2 AND deleted = 0 \
         RETURNING sync_count, identity_pool_id",
    )
    .bind(identity_id)
    .bind(name)
    .bind(flag(true))
    .bind(by)
    .bind(now)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((sync_count, pool_id)) = row else {
        tx.rollback().await?;
        return Ok(None);
    };
    sqlx::query("DELETE FROM sync_records WHERE identity_id = $1 AND dataset_name = $2")
        .bind(identity_id)
        .bind(name)
        .execute(&mut *tx)
        .await?;
    let change = NewChange {
        identity_pool_id: &pool_id,
        identity_id,
        dataset_name: name,
        sync_count,
        device_id: None,
        created_at: now,
    };
    insert_change(&mut tx, &change).await?;
    tx.commit().await?;
    Ok(Some(sync_count))
}
