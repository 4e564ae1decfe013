//! Push synchronisation: the SNS platform applications and endpoints Cognito Sync pushes
//! through, the durable outbox worker that delivers each dataset change to the other
//! subscribed devices (FCM, APNs, ADM), the drain of the Cognito Streams outbox, and the
//! live feed that WebSocket clients listen to, on every instance (PostgreSQL LISTEN/NOTIFY;
//! in-process with SQLite).

pub mod devices;
pub mod endpoints;
pub mod live;
pub mod sns;
pub mod sockets;
pub mod streams;
pub mod worker;

use std::sync::Arc;

use tokio::sync::{watch, Notify};

use crate::service::outbound::adm::Adm;
use crate::service::outbound::apns::Apns;
use crate::service::outbound::fcm::Fcm;
use sockets::Sockets;

/// One committed change of a dataset, as the live feed carries it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct LiveChange {
    pub seq: i64,
    pub identity_pool_id: String,
    pub identity_id: String,
    pub dataset_name: String,
    pub sync_count: i64,
    pub device_id: Option<String>,
}

/// The settings of push delivery.
#[derive(Debug, Clone)]
pub struct PushSettings {
    pub fcm_url: Option<String>,
    pub apns_url: Option<String>,
    pub adm_url: Option<String>,
    /// Whether this instance runs the outbox worker (the live feed always runs).
    pub worker: bool,
    /// How often the worker and the SQLite live feed look without being woken (ms).
    pub poll_ms: u64,
    /// The database URL, for PostgreSQL's LISTEN connection.
    pub database_url: String,
    /// How many changes one WebSocket may have waiting before it is closed as fallen behind.
    pub socket_queue: usize,
}

/// What the state holds for push: the senders, the WebSockets and the wake-ups.
pub struct Push {
    pub fcm: Fcm,
    pub apns: Apns,
    pub adm: Adm,
    pub settings: PushSettings,
    pub sockets: Sockets,
    work: Notify,
    live: Notify,
    /// Wakes the Cognito Streams drain.
    streams: Notify,
}

impl Push {
    pub fn new(settings: PushSettings) -> anyhow::Result<Push> {
        Ok(Push {
            fcm: Fcm::new(settings.fcm_url.as_deref())?,
            apns: Apns::new(settings.apns_url.as_deref())?,
            adm: Adm::new(settings.adm_url.as_deref())?,
            sockets: Sockets::new(settings.socket_queue),
            settings,
            work: Notify::new(),
            live: Notify::new(),
            streams: Notify::new(),
        })
    }

    /// A dataset change was committed in this process: wake the workers and the live feed
    /// now rather than at their next look.
    pub fn changed(&self) {
        self.work.notify_one();
        self.live.notify_one();
        self.streams.notify_one();
    }

    /// Records were enqueued for Cognito Streams (a BulkPublish chunk): wake its drain.
    pub fn stream_enqueued(&self) {
        self.streams.notify_one();
    }
}

/// The background tasks of push, stopped together.
pub struct Background {
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Background {
    /// Starts the live feed and, when configured, the outbox workers (push and streams).
    pub fn start(state: Arc<crate::service::State>) -> Background {
        let (stop, watching) = watch::channel(false);
        let mut tasks = vec![tokio::spawn(live::run(state.clone(), watching.clone()))];
        if state.push.settings.worker {
            tasks.push(tokio::spawn(streams::run(state.clone(), watching.clone())));
            tasks.push(tokio::spawn(worker::run(state, watching)));
        }
        Background { stop, tasks }
    }

    /// Asks every task to stop and waits for them (a delivery in flight finishes first).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
    }
}

/// Waits until `stop` says so (or its sender is gone).
pub(crate) async fn stopped(stop: &mut watch::Receiver<bool>) {
    while !*stop.borrow() {
        if stop.changed().await.is_err() {
            return;
        }
    }
}
