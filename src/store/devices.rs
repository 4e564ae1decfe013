//! Devices that users' apps registered, each with an SRP verifier of its own.

use sqlx::FromRow;

use super::{flag, Db, Result};

#[derive(Debug, Clone)]
pub struct DeviceRecord {
    pub device_key: String,
    pub pool_id: String,
    pub sub: String,
    pub group_key: String,
    pub name: Option<String>,
    /// Hex salt and verifier from ConfirmDevice; `None` until the device is confirmed.
    pub salt: Option<String>,
    pub verifier: Option<String>,
    pub remembered: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_auth_at: Option<i64>,
}

#[derive(FromRow)]
struct DeviceRow {
    device_key: String,
    pool_id: String,
    sub: String,
    group_key: String,
    name: Option<String>,
    salt: Option<String>,
    verifier: Option<String>,
    remembered: i64,
    created_at: i64,
    updated_at: i64,
    last_auth_at: Option<i64>,
}

impl From<DeviceRow> for DeviceRecord {
    fn from(r: DeviceRow) -> Self {
        DeviceRecord {
            device_key: r.device_key,
            pool_id: r.pool_id,
            sub: r.sub,
            group_key: r.group_key,
            name: r.name,
            salt: r.salt,
            verifier: r.verifier,
            remembered: r.remembered != 0,
            created_at: r.created_at,
            updated_at: r.updated_at,
            last_auth_at: r.last_auth_at,
        }
    }
}

const COLUMNS: &str = "device_key, pool_id, sub, group_key, name, salt, verifier, remembered, \
                       created_at, updated_at, last_auth_at";

pub async fn insert(db: &Db, d: &DeviceRecord) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO devices ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .bind(&d.device_key)
    .bind(&d.pool_id)
    .bind(&d.sub)
    .bind(&d.group_key)
    .bind(&d.name)
    .bind(&d.salt)
    .bind(&d.verifier)
    .bind(flag(d.remembered))
    .bind(d.created_at)
    .bind(d.updated_at)
    .bind(d.last_auth_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The device, if it belongs to that user.
pub async fn find(
    db: &Db,
    pool_id: &str,
    sub: &str,
    device_key: &str,
) -> Result<Option<DeviceRecord>> {
    let row: Option<DeviceRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM devices WHERE device_key = $1 AND pool_id = $2 AND sub = $3"
    ))
    .bind(device_key)
    .bind(pool_id)
    .bind(sub)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(DeviceRecord::from))
}

/// One page of a user's devices, oldest first, after `after` (created_at, key).
pub async fn list_page(
    db: &Db,
    pool_id: &str,
    sub: &str,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<DeviceRecord>> {
    let (t, key) = after.unwrap_or((i64::MIN, String::new()));
    let rows: Vec<DeviceRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM devices WHERE pool_id = $1 AND sub = $2 \
         AND (created_at > $3 OR (created_at = $3 AND device_key > $4)) \
         ORDER BY created_at, device_key LIMIT $5"
    ))
    .bind(pool_id)
    .bind(sub)
    .bind(t)
    .bind(key)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(DeviceRecord::from).collect())
}

/// Writes back a device's name, verifier, status and times.
pub async fn update(db: &Db, d: &DeviceRecord) -> Result<()> {
    sqlx::query(
        "UPDATE devices SET name = $1, salt = $2, verifier = $3, remembered = $4, updated_at = $5, \
         last_auth_at = $6 WHERE device_key = $7 AND pool_id = $8 AND sub = $9",
    )
    .bind(&d.name)
    .bind(&d.salt)
    .bind(&d.verifier)
    .bind(flag(d.remembered))
    .bind(d.updated_at)
    .bind(d.last_auth_at)
    .bind(&d.device_key)
    .bind(&d.pool_id)
    .bind(&d.sub)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn delete(db: &Db, pool_id: &str, sub: &str, device_key: &str) -> Result<bool> {
    let done =
        sqlx::query("DELETE FROM devices WHERE device_key = $1 AND pool_id = $2 AND sub = $3")
            .bind(device_key)
            .bind(pool_id)
            .bind(sub)
            .execute(db.pool())
            .await?;
    Ok(done.rows_affected() > 0)
}
