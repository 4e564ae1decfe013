//! The periodic sweep of expired sessions, codes and refresh tokens: a background task, so
//! that answering a challenge never pays for cleaning up after others.

use std::time::Duration;

use super::codes;
use crate::service::{now_ms, Result};
use crate::store::sweep::{self as sweep_store, Swept};
use crate::store::Db;

/// Rows deleted per statement: small enough that a sweep never holds a long lock.
const BATCH: i64 = 500;

/// One sweep, as of now.
pub async fn run(db: &Db) -> Result<Swept> {
    Ok(sweep_store::expired(db, now_ms(), BATCH, codes::LIMIT_WINDOW_MS).await?)
}

/// Sweeps every `interval_secs` seconds for as long as the process lives; 0 sweeps never.
/// Instances sharing a database may all sweep: deleting an already deleted row is harmless.
pub fn start(db: Db, interval_secs: u64) {
    if interval_secs == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(Duration::from_secs(interval_secs));
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match run(&db).await {
                Ok(swept) if swept != Swept::default() => {
                    tracing::debug!(?swept, "swept expired rows")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sweep of expired rows failed"),
            }
        }
    });
}
