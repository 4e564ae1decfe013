//! The push outbox: each logged dataset change fanned out into one delivery per subscribed
//! device (but the writer's), claimed by one instance at a time, retried with back-off. On
//! PostgreSQL every committed change is also announced on a channel all instances LISTEN to.

use sqlx::postgres::PgListener;
use sqlx::FromRow;

use super::{Backend, Db, Result};

/// One delivery owed: a change of a dataset, to one device.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct DeliveryRecord {
    pub change_seq: i64,
    pub device_id: String,
    pub identity_pool_id: String,
    pub identity_id: String,
    pub dataset_name: String,
    pub sync_count: i64,
    /// Attempts so far, this one included.
    pub attempts: i64,
}

/// Fans out up to `limit` changes not fanned out yet; how many changes it took. Instances
/// racing on one change insert its deliveries once (the primary key) and mark it twice,
/// harmlessly. Changes are taken one by one so that none is marked without its deliveries.
pub async fn fan_out(db: &Db, now: i64, limit: i64) -> Result<usize> {
    let pending: Vec<(i64,)> = sqlx::query_as(
        "SELECT seq FROM sync_changes WHERE pushed_at IS NULL ORDER BY seq LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    for (seq,) in &pending {
        let mut tx = db.begin().await?;
        sqlx::query(
            "INSERT INTO push_outbox (change_seq, device_id, identity_pool_id, identity_id, \
             dataset_name, sync_count, attempts, next_attempt_at, claimed_until, created_at) \
             SELECT c.seq, s.device_id, c.identity_pool_id, c.identity_id, c.dataset_name, \
             c.sync_count, 0, $2, 0, $2 FROM sync_changes c JOIN sync_subscriptions s \
             ON s.identity_id = c.identity_id AND s.dataset_name = c.dataset_name \
             WHERE c.seq = $1 AND (c.device_id IS NULL OR s.device_id <> c.device_id) \
             ON CONFLICT (change_seq, device_id) DO NOTHING",
        )
        .bind(seq)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE sync_changes SET pushed_at = $2 WHERE seq = $1")
            .bind(seq)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(pending.len())
}

/// Claims up to `limit` due deliveries until `until`. A row another instance claimed in the
/// meantime fails the repeated condition and is left to it (PostgreSQL re-checks a row it
/// waited for; SQLite runs one writer at a time).
pub async fn claim(db: &Db, now: i64, until: i64, limit: i64) -> Result<Vec<DeliveryRecord>> {
    let skip_locked = match db.backend() {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    Ok(sqlx::query_as(&format!(
        "UPDATE push_outbox SET claimed_until = $2, attempts = attempts + 1 \
         WHERE (change_seq, device_id) IN (SELECT change_seq, device_id FROM push_outbox \
         WHERE next_attempt_at <= $1 AND claimed_until <= $1 ORDER BY next_attempt_at \
         LIMIT $3{skip_locked}) AND claimed_until <= $1 \
         RETURNING change_seq, device_id, identity_pool_id, identity_id, dataset_name, \
         sync_count, attempts"
    ))
    .bind(now)
    .bind(until)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

/// The delivery is over (delivered, or given up on).
pub async fn complete(db: &Db, d: &DeliveryRecord) -> Result<()> {
    sqlx::query("DELETE FROM push_outbox WHERE change_seq = $1 AND device_id = $2")
        .bind(d.change_seq)
        .bind(&d.device_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The attempt failed: the next one is due at `at`.
pub async fn reschedule(db: &Db, d: &DeliveryRecord, at: i64, error: &str) -> Result<()> {
    sqlx::query(
        "UPDATE push_outbox SET next_attempt_at = $3, claimed_until = 0, last_error = $4 \
         WHERE change_seq = $1 AND device_id = $2",
    )
    .bind(d.change_seq)
    .bind(&d.device_id)
    .bind(at)
    .bind(error)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// When the earliest delivery falls due (or its claim lapses), if any is owed.
pub async fn next_due(db: &Db) -> Result<Option<i64>> {
    super::outbox_next_due(db, "push_outbox").await
}

/// The PostgreSQL channel every committed change is announced on (migration 0018's trigger).
pub const CHANNEL: &str = "cognate_sync_changes";

/// The announcements of committed changes, from a connection of its own.
pub struct ChangeListener(PgListener);

impl ChangeListener {
    /// Listens on `url`'s database; `None` for SQLite, whose changes stay in one process.
    pub async fn connect(url: &str) -> Result<Option<ChangeListener>> {
        if url.starts_with("sqlite:") {
            return Ok(None);
        }
        let mut listener = PgListener::connect(url).await?;
        listener.listen(CHANNEL).await?;
        Ok(Some(ChangeListener(listener)))
    }

    /// The next announcement's payload (JSON of the change row). A lost connection is
    /// re-established; what was announced meanwhile is read back from the table.
    pub async fn recv(&mut self) -> Result<String> {
        Ok(self.0.recv().await?.payload().to_string())
    }
}
