//! The live feed of committed dataset changes on this instance, for WebSocket clients: with
//! PostgreSQL, every instance LISTENs to the announcements of every change (whichever
//! instance wrote it); with SQLite, the changes log is followed in-process. Each change is
//! routed to the sockets of its identity only, with its dataset's subscribers read once.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::sockets::Routed;
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
    // Each change's subscribers are read on a task of its own (one at a time, those reads
    // would queue behind every writer's), and the changes are handed on in their order.
    let (lookups, mut in_order) = tokio::sync::mpsc::unbounded_channel::<Lookup>();
    let forward = state.clone();
    tokio::spawn(async move {
        while let Some(lookup) = in_order.recv().await {
            if let Ok(found) = lookup.await {
                deliver(&forward, found);
            }
        }
    });
    loop {
        let note = tokio::select! {
            _ = stopped(&mut stop) => return,
            note = listener.recv() => note,
        };
        match note.map(|payload| serde_json::from_str::<LiveChange>(&payload)) {
            Ok(Ok(change)) => {
                state.push.work.notify_one();
                if let Some(lookup) = look_up(&state, change) {
                    let _ = lookups.send(lookup);
                }
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
        // The subscribers of the batch's changes are read at once (see `listen`), and the
        // changes handed on in their order.
        let mut batch = Vec::with_capacity(changes.len());
        for c in changes {
            cursor = c.seq;
            let change = LiveChange {
                seq: c.seq,
                identity_pool_id: c.identity_pool_id,
                identity_id: c.identity_id,
                dataset_name: c.dataset_name,
                sync_count: c.sync_count,
                device_id: c.device_id,
            };
            batch.extend(look_up(&state, change));
        }
        for lookup in batch {
            if let Ok(found) = lookup.await {
                deliver(&state, found);
            }
        }
    }
}

/// A change and its dataset's subscribers, being read.
type Lookup = tokio::task::JoinHandle<(LiveChange, Result<Vec<String>>)>;

/// Starts reading the subscribers of `change`'s dataset on a task of its own, when its
/// identity has sockets open here (otherwise there is nothing to route).
fn look_up(state: &Arc<State>, change: LiveChange) -> Option<Lookup> {
    if !state.push.sockets.listening(&change.identity_id) {
        return None;
    }
    let state = state.clone();
    Some(tokio::spawn(async move {
        let db = &state.db;
        let found = sync_devices::subscribers(db, &change.identity_id, &change.dataset_name).await;
        let subscribers = found.map(|devices| devices.into_iter().map(|d| d.device_id).collect());
        (change, subscribers.map_err(Into::into))
    }))
}

/// Hands a change to the sockets of its identity open here. When its dataset's subscribers
/// could not be read, those sockets are told they fell behind (they close and their clients
/// pull) rather than left to miss the change.
fn deliver(state: &State, (change, subscribers): (LiveChange, Result<Vec<String>>)) {
    let sockets = &state.push.sockets;
    match subscribers {
        Ok(subscribers) => sockets.send(Arc::new(Routed {
            change,
            subscribers,
        })),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read a dataset's subscribers; resyncing its sockets");
            sockets.all_behind(&change.identity_id);
        }
    }
}

/// Whether `device_id` is a device `identity_id` registered.
pub async fn is_device_of(state: &State, identity_id: &str, device_id: &str) -> Result<bool> {
    let device = sync_devices::find_device(&state.db, device_id).await?;
    Ok(device.is_some_and(|d| d.identity_id == identity_id))
}
