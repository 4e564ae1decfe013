//! The Cognito Streams drain: claims the due rows of the stream outbox (safely beside other
//! instances on the same database), posts each to its stream's sink, and retries failures
//! with the push outbox's back-off until it gives up; a BulkPublish run is settled as its
//! last row ends.

use std::sync::Arc;

use tokio::sync::watch;

use super::worker::{backoff_ms, drain, MAX_ATTEMPTS};
use crate::service::outbound::streams::SinkError;
use crate::service::{now_ms, Result, State};
use crate::store::stream_outbox::{self as outbox, StreamDelivery};

/// Rows claimed per round, and how long a claim holds.
const BATCH: i64 = 32;
const LEASE_MS: i64 = 60_000;

pub(super) async fn run(state: Arc<State>, stop: watch::Receiver<bool>) {
    fn wake(push: &super::Push) -> &tokio::sync::Notify {
        &push.streams
    }
    drain(
        state,
        stop,
        "stream delivery",
        wake,
        round,
        outbox::next_due,
    )
    .await
}

/// One round: post what is due. True when there may be more to do now.
async fn round(state: &Arc<State>) -> Result<bool> {
    let now = now_ms();
    let claimed = outbox::claim(&state.db, now, now + LEASE_MS, BATCH).await?;
    let full = claimed.len() as i64 == BATCH;
    let mut sending = tokio::task::JoinSet::new();
    for d in claimed {
        let state = state.clone();
        sending.spawn(async move {
            if let Err(e) = deliver(&state, &d).await {
                tracing::warn!(error = %e, id = d.id, "stream delivery failed");
            }
        });
    }
    while sending.join_next().await.is_some() {}
    Ok(full)
}

async fn deliver(state: &State, d: &StreamDelivery) -> Result<()> {
    let db = &state.db;
    let sent = state
        .sync_streams
        .put_record(&d.stream_name, &d.partition_key, &d.record)
        .await;
    match sent {
        Ok(()) => outbox::complete(db, d).await?,
        Err(SinkError::Failed(reason)) if d.attempts < MAX_ATTEMPTS => {
            let at = now_ms() + backoff_ms(d.attempts);
            outbox::reschedule(db, d, at, &reason).await?;
            return Ok(());
        }
        Err(cause) => {
            let reason = cause.message();
            tracing::warn!(stream = d.stream_name, attempts = d.attempts, %reason,
                "a stream record was given up");
            let failure = format!(
                "A record was given up after {} attempts: {reason}",
                d.attempts
            );
            outbox::give_up(db, d, &failure).await?;
        }
    }
    if let Some(run) = &d.bulk_run {
        outbox::settle_bulk_run(db, run, now_ms()).await?;
    }
    Ok(())
}
