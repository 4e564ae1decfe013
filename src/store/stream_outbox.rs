//! The Cognito Streams outbox: each record owed to a pool's stream, written in the
//! transaction of the change it publishes (or by a BulkPublish run), claimed by one instance
//! at a time, retried with back-off, deleted once the sink took it or it was given up. A
//! BulkPublish run is settled (SUCCEEDED, or FAILED when a row was given up) once all of its
//! rows are enqueued and none is left.

use sqlx::FromRow;

use super::{Backend, Db, Result, Tx};

/// A record to publish, as the service built it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStreamRecord {
    pub identity_pool_id: String,
    pub stream_name: String,
    pub partition_key: String,
    /// Cognito's stream record, JSON.
    pub record: String,
}

/// A claimed row, being posted.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct StreamDelivery {
    pub id: i64,
    pub identity_pool_id: String,
    pub stream_name: String,
    pub partition_key: String,
    pub record: String,
    pub bulk_run: Option<String>,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// Enqueues a record inside the caller's transaction: it exists exactly when that commits.
pub async fn insert(
    tx: &mut Tx,
    r: &NewStreamRecord,
    bulk_run: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO stream_outbox (identity_pool_id, stream_name, partition_key, record, \
         bulk_run, attempts, next_attempt_at, claimed_until, created_at) \
         VALUES ($1, $2, $3, $4, $5, 0, $6, 0, $6)",
    )
    .bind(&r.identity_pool_id)
    .bind(&r.stream_name)
    .bind(&r.partition_key)
    .bind(&r.record)
    .bind(bulk_run)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Enqueues one chunk of a BulkPublish run in one transaction; with `last`, the run is
/// marked as wholly enqueued in the same transaction.
pub async fn enqueue_bulk(
    db: &Db,
    run: &str,
    records: &[NewStreamRecord],
    last: bool,
    now: i64,
) -> Result<()> {
    let mut tx = db.begin().await?;
    for r in records {
        insert(&mut tx, r, Some(run), now).await?;
    }
    if last {
        sqlx::query(
            "UPDATE sync_pool_config SET bulk_publish_enqueued_at = $2 WHERE bulk_publish_run = $1",
        )
        .bind(run)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Claims up to `limit` due rows until `until` (the same guarded UPDATE as the push outbox:
/// a row another instance claimed meanwhile fails the repeated condition).
pub async fn claim(db: &Db, now: i64, until: i64, limit: i64) -> Result<Vec<StreamDelivery>> {
    let skip_locked = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    Ok(sqlx::query_as(&format!(
        "UPDATE stream_outbox SET claimed_until = $2, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM stream_outbox \
         WHERE next_attempt_at <= $1 AND claimed_until <= $1 ORDER BY next_attempt_at, id \
         LIMIT $3{skip_locked}) AND claimed_until <= $1 \
         RETURNING id, identity_pool_id, stream_name, partition_key, record, bulk_run, attempts"
    ))
    .bind(now)
    .bind(until)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

/// The sink took the row.
pub async fn complete(db: &Db, d: &StreamDelivery) -> Result<()> {
    sqlx::query("DELETE FROM stream_outbox WHERE id = $1")
        .bind(d.id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The row is given up: deleted, and its run (if it has one, still current) remembers why.
pub async fn give_up(db: &Db, d: &StreamDelivery, error: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    if let Some(run) = &d.bulk_run {
        sqlx::query(
            "UPDATE sync_pool_config SET bulk_publish_failure = \
             COALESCE(bulk_publish_failure, $2) WHERE bulk_publish_run = $1",
        )
        .bind(run)
        .bind(error)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM stream_outbox WHERE id = $1")
        .bind(d.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The attempt failed: the next one is due at `at`.
pub async fn reschedule(db: &Db, d: &StreamDelivery, at: i64, error: &str) -> Result<()> {
    sqlx::query(
        "UPDATE stream_outbox SET next_attempt_at = $2, claimed_until = 0, last_error = $3 \
         WHERE id = $1",
    )
    .bind(d.id)
    .bind(at)
    .bind(error)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Ends the run when it is wholly enqueued and none of its rows is left: SUCCEEDED, or
/// FAILED when a row was given up. Run after each of the run's rows ends and after its last
/// chunk is enqueued, so that whichever comes last sees the other.
pub async fn settle_bulk_run(db: &Db, run: &str, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE sync_pool_config SET bulk_publish_status = CASE WHEN bulk_publish_failure IS NULL \
         THEN 'SUCCEEDED' ELSE 'FAILED' END, bulk_publish_completed_at = $2, updated_at = $2 \
         WHERE bulk_publish_run = $1 AND bulk_publish_status = 'IN_PROGRESS' \
         AND bulk_publish_enqueued_at IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM stream_outbox WHERE bulk_run = $1)",
    )
    .bind(run)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// When the earliest row falls due (or its claim lapses), if any is owed.
pub async fn next_due(db: &Db) -> Result<Option<i64>> {
    super::outbox_next_due(db, "stream_outbox").await
}
