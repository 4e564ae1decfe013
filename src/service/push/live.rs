//! The live feed of committed dataset changes on this instance, for WebSocket clients: with
//! PostgreSQL, every instance LISTENs to the announcements of every change (whichever
//! instance wrote it); with SQLite, the changes log is followed in-process.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::{stopped, LiveChange};
use crate::service::{Result, State};
use crate::store::push_outbox::ChangeListener;
use crate::store::sync_devices;

pub(super) async fn run(state: Arc<State>, stop: watch::Receiver<bool>) {
    match ChangeListener::connect(&state.push.settings.database_url).await {
        Ok(Some(listener)) => listen(state, listener, stop).await,
        Ok(None) => follow(state, stop).await,
        Err(e) => {
            tracing::error!(error = %e, "cannot LISTEN for dataset changes; following the log");
            follow(state, stop).await
        }
    }
}

async fn listen(state: Arc<State>, mut listener: ChangeListener, mut stop: watch::Receiver<bool>) {
    loop {
        let note = tokio::select! {
            _ = stopped(&mut stop) => return,
            note = listener.recv() => note,
        };
        match note.map(|payload| serde_json::from_str::<LiveChange>(&payload)) {
            Ok(Ok(change)) => {
                state.push.work.notify_one();
                state.push.publish(change);
            }
            Ok(Err(e)) => tracing::warn!(error = %e, "unreadable change announcement"),
            Err(e) => {
                tracing::warn!(error = %e, "change announcements interrupted");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn follow(state: Arc<State>, mut stop: watch::Receiver<bool>) {
    let poll = Duration::from_millis(state.push.settings.poll_ms.max(10));
    let mut cursor = sync_devices::last_change_seq(&state.db).await.unwrap_or(0);
    loop {
        tokio::select! {
            _ = stopped(&mut stop) => return,
            _ = state.push.live.notified() => {}
            _ = tokio::time::sleep(poll) => {}
        }
        let changes = match sync_devices::changes_after(&state.db, cursor, 500).await {
            Ok(changes) => changes,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read the dataset changes log");
                continue;
            }
        };
        for c in changes {
            cursor = c.seq;
            state.push.publish(LiveChange {
                seq: c.seq,
                identity_pool_id: c.identity_pool_id,
                identity_id: c.identity_id,
                dataset_name: c.dataset_name,
                sync_count: c.sync_count,
                device_id: c.device_id,
            });
        }
    }
}

/// Whether a WebSocket of `identity_id` (speaking for `device`, if it names one) receives
/// `change`: a change of one of its datasets that the device (without one: any device of
/// the identity) is subscribed to, not written by the device itself.
pub async fn wants(
    state: &State,
    identity_id: &str,
    device: Option<&str>,
    change: &LiveChange,
) -> Result<bool> {
    if change.identity_id != identity_id {
        return Ok(false);
    }
    if device.is_some() && change.device_id.as_deref() == device {
        return Ok(false);
    }
    let subscribers =
        sync_devices::subscribers(&state.db, identity_id, &change.dataset_name).await?;
    Ok(match device {
        Some(device) => subscribers.iter().any(|d| d.device_id == device),
        None => !subscribers.is_empty(),
    })
}

/// Whether `device_id` is a device `identity_id` registered.
pub async fn is_device_of(state: &State, identity_id: &str, device_id: &str) -> Result<bool> {
    let device = sync_devices::find_device(&state.db, device_id).await?;
    Ok(device.is_some_and(|d| d.identity_id == identity_id))
}
