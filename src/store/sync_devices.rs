//! Cognito Sync's push side of the schema: the devices identities registered, their dataset
//! subscriptions, and the durable log of dataset changes (written in the transaction of the
//! change itself, read by push delivery and Cognito Streams).

use sqlx::FromRow;

use super::{Db, Result, Tx};

/// A device registered with RegisterDevice; `endpoint_arn` is the SNS endpoint push attaches.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct SyncDeviceRecord {
    pub device_id: String,
    pub identity_pool_id: String,
    pub identity_id: String,
    /// APNS, APNS_SANDBOX, GCM or ADM.
    pub platform: String,
    pub token: String,
    pub endpoint_arn: Option<String>,
    pub created_at: i64,
}

/// A device's subscription to one dataset of its identity.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct SubscriptionRecord {
    pub identity_pool_id: String,
    pub identity_id: String,
    pub dataset_name: String,
    pub device_id: String,
}

/// One change of a dataset: an UpdateRecords that changed something, or a DeleteDataset.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct SyncChangeRecord {
    pub seq: i64,
    pub identity_pool_id: String,
    pub identity_id: String,
    pub dataset_name: String,
    /// The dataset's sync count after the change.
    pub sync_count: i64,
    /// The DeviceId the writer named, if any (its own device is not pushed to).
    pub device_id: Option<String>,
    pub created_at: i64,
}

const DEVICE_COLUMNS: &str =
    "device_id, identity_pool_id, identity_id, platform, token, endpoint_arn, created_at";
const CHANGE_COLUMNS: &str =
    "seq, identity_pool_id, identity_id, dataset_name, sync_count, device_id, created_at";

/// Registers a device, or returns the one already registered for the same identity,
/// platform and token (RegisterDevice is idempotent: the same DeviceId comes back).
pub async fn register_device(db: &Db, d: &SyncDeviceRecord) -> Result<SyncDeviceRecord> {
    sqlx::query(
        "INSERT INTO sync_devices (device_id, identity_pool_id, identity_id, platform, token, \
         endpoint_arn, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (identity_id, platform, token) DO NOTHING",
    )
    .bind(&d.device_id)
    .bind(&d.identity_pool_id)
    .bind(&d.identity_id)
    .bind(&d.platform)
    .bind(&d.token)
    .bind(&d.endpoint_arn)
    .bind(d.created_at)
    .execute(db.pool())
    .await?;
    Ok(sqlx::query_as(&format!(
        "SELECT {DEVICE_COLUMNS} FROM sync_devices \
         WHERE identity_id = $1 AND platform = $2 AND token = $3"
    ))
    .bind(&d.identity_id)
    .bind(&d.platform)
    .bind(&d.token)
    .fetch_one(db.pool())
    .await?)
}

pub async fn find_device(db: &Db, device_id: &str) -> Result<Option<SyncDeviceRecord>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {DEVICE_COLUMNS} FROM sync_devices WHERE device_id = $1"
    ))
    .bind(device_id)
    .fetch_optional(db.pool())
    .await?)
}

/// Every device an identity registered, oldest first.
pub async fn devices_of(db: &Db, identity_id: &str) -> Result<Vec<SyncDeviceRecord>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {DEVICE_COLUMNS} FROM sync_devices WHERE identity_id = $1 \
         ORDER BY created_at, device_id"
    ))
    .bind(identity_id)
    .fetch_all(db.pool())
    .await?)
}

/// Attaches (or detaches, with `None`) the SNS endpoint of a device.
pub async fn update_endpoint_arn(db: &Db, device_id: &str, arn: Option<&str>) -> Result<bool> {
    let done = sqlx::query("UPDATE sync_devices SET endpoint_arn = $2 WHERE device_id = $1")
        .bind(device_id)
        .bind(arn)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn delete_device(db: &Db, device_id: &str) -> Result<bool> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM sync_subscriptions WHERE device_id = $1")
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("DELETE FROM sync_devices WHERE device_id = $1")
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() > 0)
}

/// Subscribes a device to a dataset; subscribing twice is one subscription.
pub async fn subscribe(db: &Db, s: &SubscriptionRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_subscriptions (identity_pool_id, identity_id, dataset_name, device_id) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (identity_id, dataset_name, device_id) DO NOTHING",
    )
    .bind(&s.identity_pool_id)
    .bind(&s.identity_id)
    .bind(&s.dataset_name)
    .bind(&s.device_id)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn unsubscribe(
    db: &Db,
    identity_id: &str,
    dataset_name: &str,
    device_id: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "DELETE FROM sync_subscriptions \
         WHERE identity_id = $1 AND dataset_name = $2 AND device_id = $3",
    )
    .bind(identity_id)
    .bind(dataset_name)
    .bind(device_id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The devices subscribed to a dataset, oldest registration first.
pub async fn subscribers(
    db: &Db,
    identity_id: &str,
    dataset_name: &str,
) -> Result<Vec<SyncDeviceRecord>> {
    Ok(sqlx::query_as(
        "SELECT d.device_id, d.identity_pool_id, d.identity_id, d.platform, d.token, \
         d.endpoint_arn, d.created_at FROM sync_subscriptions s \
         JOIN sync_devices d ON d.device_id = s.device_id \
         WHERE s.identity_id = $1 AND s.dataset_name = $2 ORDER BY d.created_at, d.device_id",
    )
    .bind(identity_id)
    .bind(dataset_name)
    .fetch_all(db.pool())
    .await?)
}

/// The subscriptions of one device.
pub async fn subscriptions_of(db: &Db, device_id: &str) -> Result<Vec<SubscriptionRecord>> {
    Ok(sqlx::query_as(
        "SELECT identity_pool_id, identity_id, dataset_name, device_id FROM sync_subscriptions \
         WHERE device_id = $1 ORDER BY dataset_name",
    )
    .bind(device_id)
    .fetch_all(db.pool())
    .await?)
}

/// A change to log; `seq` is assigned by the database.
#[derive(Debug, Clone)]
pub struct NewChange<'a> {
    pub identity_pool_id: &'a str,
    pub identity_id: &'a str,
    pub dataset_name: &'a str,
    pub sync_count: i64,
    pub device_id: Option<&'a str>,
    pub created_at: i64,
}

/// Logs a change inside the transaction that makes it; its sequence number.
pub(crate) async fn insert_change(tx: &mut Tx, c: &NewChange<'_>) -> Result<i64> {
    let (seq,): (i64,) = sqlx::query_as(
        "INSERT INTO sync_changes (identity_pool_id, identity_id, dataset_name, sync_count, \
         device_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq",
    )
    .bind(c.identity_pool_id)
    .bind(c.identity_id)
    .bind(c.dataset_name)
    .bind(c.sync_count)
    .bind(c.device_id)
    .bind(c.created_at)
    .fetch_one(&mut **tx)
    .await?;
    Ok(seq)
}

/// The changes logged after `seq`, in order, at most `limit`.
pub async fn changes_after(db: &Db, seq: i64, limit: i64) -> Result<Vec<SyncChangeRecord>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {CHANGE_COLUMNS} FROM sync_changes WHERE seq > $1 ORDER BY seq LIMIT $2"
    ))
    .bind(seq)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

pub async fn find_change(db: &Db, seq: i64) -> Result<Option<SyncChangeRecord>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {CHANGE_COLUMNS} FROM sync_changes WHERE seq = $1"
    ))
    .bind(seq)
    .fetch_optional(db.pool())
    .await?)
}

/// The highest sequence number logged so far (0 when none).
pub async fn last_change_seq(db: &Db) -> Result<i64> {
    let (seq,): (Option<i64>,) = sqlx::query_as("SELECT MAX(seq) FROM sync_changes")
        .fetch_one(db.pool())
        .await?;
    Ok(seq.unwrap_or(0))
}
