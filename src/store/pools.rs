//! User pools and their signing keys.

use sqlx::FromRow;

use super::keys::SigningKeyRow;
use super::{Db, Result};
use crate::types::pools::UserPoolSettings;

#[derive(Debug, Clone)]
pub struct PoolRecord {
    pub id: String,
    pub name: String,
    pub settings: UserPoolSettings,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(FromRow)]
struct PoolRow {
    id: String,
    name: String,
    settings: String,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<PoolRow> for PoolRecord {
    type Error = super::StoreError;
    fn try_from(r: PoolRow) -> Result<Self> {
        Ok(PoolRecord {
            id: r.id,
            name: r.name,
            settings: serde_json::from_str(&r.settings)?,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// Creates a pool together with its signing keys, all or nothing.
pub async fn insert_with_keys(db: &Db, pool: &PoolRecord, keys: &[SigningKeyRow]) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO user_pools (id, name, settings, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&pool.id)
    .bind(&pool.name)
    .bind(serde_json::to_string(&pool.settings)?)
    .bind(pool.created_at)
    .bind(pool.updated_at)
    .execute(&mut *tx)
    .await?;
    for key in keys {
        super::keys::insert(db, &mut tx, key).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The pool, from the cache when it holds it (see [`super::config_cache`]).
pub async fn find_by_id(db: &Db, id: &str) -> Result<Option<PoolRecord>> {
    let ticket = match db.cache().pool(id) {
        Ok(pool) => return Ok(Some(pool)),
        Err(ticket) => ticket,
    };
    let row: Option<PoolRow> = sqlx::query_as(
        "SELECT id, name, settings, created_at, updated_at FROM user_pools WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let pool = row.map(PoolRecord::try_from).transpose()?;
    if let Some(pool) = &pool {
        db.cache().keep_pool(ticket, pool);
    }
    Ok(pool)
}

/// One page of pools in creation order, starting after `after` (created_at, id).
pub async fn list_page(
    db: &Db,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<PoolRecord>> {
    let (t, id) = after.unwrap_or((i64::MIN, String::new()));
    let rows: Vec<PoolRow> = sqlx::query_as(
        "SELECT id, name, settings, created_at, updated_at FROM user_pools \
         WHERE created_at > $1 OR (created_at = $1 AND id > $2) \
         ORDER BY created_at, id LIMIT $3",
    )
    .bind(t)
    .bind(id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(PoolRecord::try_from).collect()
}

/// Replaces a pool's name and settings; false when the pool does not exist.
pub async fn update(db: &Db, pool: &PoolRecord) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE user_pools SET name = $1, settings = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(&pool.name)
    .bind(serde_json::to_string(&pool.settings)?)
    .bind(pool.updated_at)
    .bind(&pool.id)
    .execute(db.pool())
    .await?;
    db.cache().evict_pool(&pool.id);
    Ok(done.rows_affected() > 0)
}

/// Deletes a pool and, through the foreign keys, everything in it.
pub async fn delete(db: &Db, id: &str) -> Result<bool> {
    let mut tx = db.begin().await?;
    // Tables without a foreign key to the pool are cleared by hand.
    for table in ["refresh_tokens", "codes", "outbox"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE pool_id = $1"))
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let done = sqlx::query("DELETE FROM user_pools WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    db.cache().evict_pool(id);
    Ok(done.rows_affected() > 0)
}

pub async fn count_users(db: &Db, id: &str) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE pool_id = $1")
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    Ok(n)
}
