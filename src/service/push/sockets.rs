//! The sync WebSockets open on this instance, routed per identity: a change wakes only the
//! sockets of its identity, through a bounded queue per socket. A socket whose queue is full
//! (its client stopped reading, or reads too slowly) leaves the registry and is told it fell
//! behind, so that it closes and its client reconnects and pulls: no SyncTrigger is missed
//! unnoticed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::{self, error::TrySendError};

use super::LiveChange;

/// A change on its way to the sockets of its identity, with the devices subscribed to its
/// dataset when it was routed (read once per change, not once per socket).
#[derive(Debug)]
pub struct Routed {
    pub change: LiveChange,
    pub subscribers: Vec<String>,
}

impl Routed {
    /// Whether a socket speaking for `device` (without one: for any device of the identity)
    /// receives the change: a subscribed device that did not write it itself.
    pub fn wanted_by(&self, device: Option<&str>) -> bool {
        match device {
            Some(device) => {
                self.change.device_id.as_deref() != Some(device)
                    && self.subscribers.iter().any(|d| d == device)
            }
            None => !self.subscribers.is_empty(),
        }
    }
}

struct Entry {
    id: u64,
    queue: mpsc::Sender<Arc<Routed>>,
    behind: Arc<AtomicBool>,
}

#[derive(Default)]
struct Registry {
    by_identity: Mutex<HashMap<String, Vec<Entry>>>,
    next_id: AtomicU64,
    fell_behind: AtomicU64,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Entry>>> {
        self.by_identity.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The registry of this instance's sockets.
pub struct Sockets {
    registry: Arc<Registry>,
    /// How many changes a socket may have waiting before it counts as fallen behind.
    capacity: usize,
}

/// What a socket's queue yields next.
#[derive(Debug)]
pub enum Next {
    Change(Arc<Routed>),
    /// Changes were dropped for this socket: it must close (1013) so its client resyncs.
    Behind,
    /// The registry is gone (the server is stopping).
    Closed,
}

/// One socket's place in the registry; leaving it (dropping this) removes the socket, and
/// the identity's entry with its last socket.
pub struct Listening {
    registry: Arc<Registry>,
    identity_id: String,
    id: u64,
    queue: mpsc::Receiver<Arc<Routed>>,
    behind: Arc<AtomicBool>,
}

impl Listening {
    /// The next change for this socket. The changes queued before it fell behind come
    /// first, then `Behind`.
    pub async fn recv(&mut self) -> Next {
        match self.queue.recv().await {
            Some(routed) => Next::Change(routed),
            None if self.behind.load(Ordering::SeqCst) => Next::Behind,
            None => Next::Closed,
        }
    }
}

impl Drop for Listening {
    fn drop(&mut self) {
        let mut map = self.registry.lock();
        if let Some(entries) = map.get_mut(&self.identity_id) {
            entries.retain(|e| e.id != self.id);
            if entries.is_empty() {
                map.remove(&self.identity_id);
            }
        }
    }
}

impl Sockets {
    pub fn new(capacity: usize) -> Sockets {
        Sockets {
            registry: Default::default(),
            capacity: capacity.max(1),
        }
    }

    /// Registers a socket of `identity_id`.
    pub fn listen(&self, identity_id: &str) -> Listening {
        let (queue, receiving) = mpsc::channel(self.capacity);
        let behind = Arc::new(AtomicBool::new(false));
        let id = self.registry.next_id.fetch_add(1, Ordering::Relaxed);
        let entry = Entry {
            id,
            queue,
            behind: behind.clone(),
        };
        let mut map = self.registry.lock();
        map.entry(identity_id.to_string()).or_default().push(entry);
        Listening {
            registry: self.registry.clone(),
            identity_id: identity_id.to_string(),
            id,
            queue: receiving,
            behind,
        }
    }

    /// Whether any socket of `identity_id` is open here.
    pub fn listening(&self, identity_id: &str) -> bool {
        self.registry.lock().contains_key(identity_id)
    }

    /// Queues `routed` for every socket of its identity, never waiting: a socket whose
    /// queue is full leaves the registry, told it fell behind.
    pub fn send(&self, routed: Arc<Routed>) {
        let identity = &routed.change.identity_id;
        let mut map = self.registry.lock();
        let Some(entries) = map.get_mut(identity) else {
            return;
        };
        entries.retain(|e| match e.queue.try_send(routed.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                self.mark_behind(e);
                false
            }
            Err(TrySendError::Closed(_)) => false,
        });
        if entries.is_empty() {
            map.remove(identity);
        }
    }

    /// Tells every socket of `identity_id` it fell behind (a change could not be routed).
    pub fn all_behind(&self, identity_id: &str) {
        if let Some(entries) = self.registry.lock().remove(identity_id) {
            entries.iter().for_each(|e| self.mark_behind(e));
        }
    }

    fn mark_behind(&self, entry: &Entry) {
        entry.behind.store(true, Ordering::SeqCst);
        self.registry.fell_behind.fetch_add(1, Ordering::Relaxed);
    }

    /// The sockets open here.
    pub fn open(&self) -> usize {
        self.registry.lock().values().map(Vec::len).sum()
    }

    /// The sockets that fell behind since the start.
    pub fn fell_behind(&self) -> u64 {
        self.registry.fell_behind.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routed(identity: &str, count: i64, subscribers: &[&str]) -> Arc<Routed> {
        Arc::new(Routed {
            change: LiveChange {
                seq: count,
                identity_pool_id: "pool".into(),
                identity_id: identity.into(),
                dataset_name: "notes".into(),
                sync_count: count,
                device_id: Some("writer".into()),
            },
            subscribers: subscribers.iter().map(|s| s.to_string()).collect(),
        })
    }

    #[tokio::test]
    async fn a_change_reaches_only_its_identity_and_a_full_queue_falls_behind() {
        let sockets = Sockets::new(2);
        let mut mine = sockets.listen("a");
        let mut theirs = sockets.listen("b");
        for count in 1..=3 {
            sockets.send(routed("a", count, &["phone"]));
        }
        assert!(matches!(mine.recv().await, Next::Change(r) if r.change.sync_count == 1));
        assert!(matches!(mine.recv().await, Next::Change(r) if r.change.sync_count == 2));
        assert!(matches!(mine.recv().await, Next::Behind));
        assert_eq!((sockets.fell_behind(), sockets.open()), (1, 1));
        assert!(!sockets.listening("a"));
        sockets.send(routed("b", 1, &[]));
        assert!(matches!(theirs.recv().await, Next::Change(r) if r.change.identity_id == "b"));
        drop(theirs);
        assert_eq!(sockets.open(), 0);
    }

    #[test]
    fn a_device_wants_the_changes_of_its_subscriptions_but_not_its_own() {
        let change = routed("a", 1, &["phone", "writer"]);
        assert!(change.wanted_by(Some("phone")));
        assert!(!change.wanted_by(Some("writer")), "its own write");
        assert!(!change.wanted_by(Some("laptop")), "not subscribed");
        assert!(change.wanted_by(None));
        assert!(!routed("a", 1, &[]).wanted_by(None));
    }
}
