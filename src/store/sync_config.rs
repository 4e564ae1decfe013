//! Cognito Sync per pool: the sync sessions ListRecords opens (tokens stored hashed), the
//! pool's configuration (PushSync, CognitoStreams, Events as AWS-shaped JSON) and its bulk
//! publish, and the usage figures read from the datasets.

use sqlx::FromRow;

use super::{Db, Result};

#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct SyncSessionRecord {
    pub token_hash: String,
    pub identity_pool_id: String,
    pub identity_id: String,
    pub dataset_name: String,
    pub created_at: i64,
    pub expires_at: i64,
}

/// Stores a session, forgetting the identity's expired ones.
pub async fn insert_session(db: &Db, s: &SyncSessionRecord) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM sync_sessions WHERE identity_id = $1 AND expires_at <= $2")
        .bind(&s.identity_id)
        .bind(s.created_at)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO sync_sessions (token_hash, identity_pool_id, identity_id, dataset_name, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&s.token_hash)
    .bind(&s.identity_pool_id)
    .bind(&s.identity_id)
    .bind(&s.dataset_name)
    .bind(s.created_at)
    .bind(s.expires_at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn find_session(db: &Db, token_hash: &str) -> Result<Option<SyncSessionRecord>> {
    Ok(sqlx::query_as(
        "SELECT token_hash, identity_pool_id, identity_id, dataset_name, created_at, expires_at \
         FROM sync_sessions WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(db.pool())
    .await?)
}

/// The pool's Cognito Sync settings; documents are AWS-shaped JSON text.
#[derive(Debug, Clone, Default, FromRow, PartialEq, Eq)]
pub struct PoolConfigRecord {
    pub identity_pool_id: String,
    pub push_sync: Option<String>,
    pub cognito_streams: Option<String>,
    pub events: Option<String>,
    pub bulk_publish_status: Option<String>,
    pub bulk_publish_started_at: Option<i64>,
    pub bulk_publish_completed_at: Option<i64>,
    pub bulk_publish_failure: Option<String>,
    pub updated_at: i64,
}

pub async fn find_config(db: &Db, pool_id: &str) -> Result<Option<PoolConfigRecord>> {
    Ok(sqlx::query_as(
        "SELECT identity_pool_id, push_sync, cognito_streams, events, bulk_publish_status, \
         bulk_publish_started_at, bulk_publish_completed_at, bulk_publish_failure, updated_at \
         FROM sync_pool_config WHERE identity_pool_id = $1",
    )
    .bind(pool_id)
    .fetch_optional(db.pool())
    .await?)
}

/// Writes the whole configuration row.
pub async fn save_config(db: &Db, c: &PoolConfigRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_pool_config (identity_pool_id, push_sync, cognito_streams, events, \
         bulk_publish_status, bulk_publish_started_at, bulk_publish_completed_at, \
         bulk_publish_failure, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (identity_pool_id) DO UPDATE SET push_sync = excluded.push_sync, \
         cognito_streams = excluded.cognito_streams, events = excluded.events, \
         bulk_publish_status = excluded.bulk_publish_status, \
         bulk_publish_started_at = excluded.bulk_publish_started_at, \
         bulk_publish_completed_at = excluded.bulk_publish_completed_at, \
         bulk_publish_failure = excluded.bulk_publish_failure, updated_at = excluded.updated_at",
    )
    .bind(&c.identity_pool_id)
    .bind(&c.push_sync)
    .bind(&c.cognito_streams)
    .bind(&c.events)
    .bind(&c.bulk_publish_status)
    .bind(c.bulk_publish_started_at)
    .bind(c.bulk_publish_completed_at)
    .bind(&c.bulk_publish_failure)
    .bind(c.updated_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Claims the pool's bulk publish for the run `run`: `false` when one is already in
/// progress. A run whose enqueueing never finished (its server stopped midway) is taken over
/// once it started before `stale_before`; the rows it did enqueue are still delivered.
pub async fn start_bulk_publish(
    db: &Db,
    pool_id: &str,
    run: &str,
    now: i64,
    stale_before: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE sync_pool_config SET bulk_publish_status = 'IN_PROGRESS', \
         bulk_publish_started_at = $2, bulk_publish_completed_at = NULL, \
         bulk_publish_failure = NULL, bulk_publish_run = $3, bulk_publish_enqueued_at = NULL, \
         updated_at = $2 WHERE identity_pool_id = $1 \
         AND (bulk_publish_status IS NULL OR bulk_publish_status <> 'IN_PROGRESS' \
         OR (bulk_publish_enqueued_at IS NULL AND bulk_publish_started_at < $4))",
    )
    .bind(pool_id)
    .bind(now)
    .bind(run)
    .bind(stale_before)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Ends the run `run` as FAILED before all of it was enqueued.
pub async fn fail_bulk_publish(db: &Db, run: &str, failure: &str, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE sync_pool_config SET bulk_publish_status = 'FAILED', \
         bulk_publish_completed_at = $2, bulk_publish_failure = $3, updated_at = $2 \
         WHERE bulk_publish_run = $1 AND bulk_publish_status = 'IN_PROGRESS'",
    )
    .bind(run)
    .bind(now)
    .bind(failure)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Datasets, bytes and the last change, over an identity or a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub datasets: i64,
    pub data_storage: i64,
    pub last_modified_at: Option<i64>,
}

const USAGE: &str = "SELECT COUNT(*), CAST(COALESCE(SUM(data_storage), 0) AS BIGINT), \
                     MAX(last_modified_at) FROM sync_datasets WHERE deleted = 0 AND ";

pub async fn identity_usage(db: &Db, identity_id: &str) -> Result<Usage> {
    usage(db, "identity_id = $1", identity_id).await
}

pub async fn pool_usage(db: &Db, pool_id: &str) -> Result<Usage> {
    usage(db, "identity_pool_id = $1", pool_id).await
}

async fn usage(db: &Db, filter: &str, id: &str) -> Result<Usage> {
    let (datasets, data_storage, last_modified_at): (i64, i64, Option<i64>) =
        sqlx::query_as(&format!("{USAGE}{filter}"))
            .bind(id)
            .fetch_one(db.pool())
            .await?;
    Ok(Usage {
        datasets,
        data_storage,
        last_modified_at,
    })
}

/// The sync sessions opened in a pool.
pub async fn session_count(db: &Db, pool_id: &str) -> Result<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM sync_sessions WHERE identity_pool_id = $1")
            .bind(pool_id)
            .fetch_one(db.pool())
            .await?;
    Ok(n)
}
