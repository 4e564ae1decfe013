//! Pools and app clients, cached in memory: every request reads them, and they change only
//! when an administrator changes them.
//!
//! The cache stays correct with many instances on one database because it is invalidated
//! through the database, never by waiting. On PostgreSQL, a trigger (migration 0028)
//! announces every update or deletion of a pool or client on the `cognate_config` channel,
//! which every instance LISTENs to; the cache serves only while that LISTEN connection is
//! up, and starts empty again after it reconnects, since announcements made meanwhile are
//! lost. On SQLite, where one process owns the file, the store's own writes evict.
//!
//! A read that races an eviction does not put its (possibly older) record back: each
//! eviction moves a generation counter on, and a record read under an older generation is
//! not kept.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use sqlx::postgres::PgListener;

use super::clients::ClientRecord;
use super::pools::PoolRecord;

/// The PostgreSQL channel of migration 0028's trigger; payloads are `pool:ID` or `client:ID`.
pub const CHANNEL: &str = "cognate_config";

/// More entries than this and the cache starts again empty (memory stays bounded).
const CAPACITY: usize = 10_000;

#[derive(Default)]
struct Entries {
    generation: u64,
    pools: HashMap<String, PoolRecord>,
    clients: HashMap<String, ClientRecord>,
}

#[derive(Default)]
pub struct ConfigCache {
    entries: RwLock<Entries>,
    /// Whether evictions reach this instance (always on SQLite; on PostgreSQL while the
    /// LISTEN connection is up).
    live: AtomicBool,
}

/// What a cached read remembers to decide whether it may keep what it read.
#[derive(Clone, Copy, Debug)]
pub struct Ticket(Option<u64>);

impl std::fmt::Debug for ConfigCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigCache")
            .field("live", &self.live.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl ConfigCache {
    pub fn pool(&self, id: &str) -> Result<PoolRecord, Ticket> {
        let entries = self.entries.read().unwrap();
        match entries.pools.get(id) {
            Some(pool) if self.is_live() => Ok(pool.clone()),
            _ => Err(self.ticket(&entries)),
        }
    }

    pub fn client(&self, id: &str) -> Result<ClientRecord, Ticket> {
        let entries = self.entries.read().unwrap();
        match entries.clients.get(id) {
            Some(client) if self.is_live() => Ok(client.clone()),
            _ => Err(self.ticket(&entries)),
        }
    }

    pub fn keep_pool(&self, ticket: Ticket, pool: &PoolRecord) {
        self.keep(ticket, |e| {
            e.pools.insert(pool.id.clone(), pool.clone());
        });
    }

    pub fn keep_client(&self, ticket: Ticket, client: &ClientRecord) {
        self.keep(ticket, |e| {
            e.clients.insert(client.id.clone(), client.clone());
        });
    }

    /// Forgets a pool, and with it its clients (deleting a pool deletes them).
    pub fn evict_pool(&self, id: &str) {
        self.evict(|e| {
            e.pools.remove(id);
            e.clients.retain(|_, c| c.pool_id != id);
        });
    }

    pub fn evict_client(&self, id: &str) {
        self.evict(|e| {
            e.clients.remove(id);
        });
    }

    fn is_live(&self) -> bool {
        self.live.load(Ordering::Acquire)
    }

    fn ticket(&self, entries: &Entries) -> Ticket {
        Ticket(self.is_live().then_some(entries.generation))
    }

    fn keep(&self, ticket: Ticket, insert: impl FnOnce(&mut Entries)) {
        let mut entries = self.entries.write().unwrap();
        if ticket.0 == Some(entries.generation) && self.is_live() {
            if entries.pools.len() + entries.clients.len() >= CAPACITY {
                entries.pools.clear();
                entries.clients.clear();
            }
            insert(&mut entries);
        }
    }

    fn evict(&self, remove: impl FnOnce(&mut Entries)) {
        let mut entries = self.entries.write().unwrap();
        entries.generation += 1;
        remove(&mut entries);
    }

    /// Turns serving from the cache on or off; either way it starts again empty.
    fn set_live(&self, live: bool) {
        let mut entries = self.entries.write().unwrap();
        entries.generation += 1;
        entries.pools.clear();
        entries.clients.clear();
        self.live.store(live, Ordering::Release);
    }

    fn apply(&self, payload: &str) {
        match payload.split_once(':') {
            Some(("pool", id)) => self.evict_pool(id),
            Some(("client", id)) => self.evict_client(id),
            _ => self.evict(|e| {
                e.pools.clear();
                e.clients.clear();
            }),
        }
    }
}

/// A cache for a SQLite database, whose writes all pass through this process.
pub fn in_process() -> Arc<ConfigCache> {
    let cache = Arc::new(ConfigCache::default());
    cache.set_live(true);
    cache
}

/// A cache for a PostgreSQL database: it serves while a connection of its own LISTENs for
/// the announcements of changes (reconnecting, with the cache off meanwhile).
pub fn listening(url: &str) -> Arc<ConfigCache> {
    let cache = Arc::new(ConfigCache::default());
    let (url, weak) = (url.to_string(), Arc::downgrade(&cache));
    tokio::spawn(async move {
        let mut retry = Duration::from_millis(100);
        loop {
            let listener = match PgListener::connect(&url).await {
                Ok(mut l) => l.listen(CHANNEL).await.map(|_| l),
                Err(e) => Err(e),
            };
            let Some(cache) = weak.upgrade() else { return };
            match listener {
                Ok(listener) => {
                    retry = Duration::from_millis(100);
                    cache.set_live(true);
                    drop(cache);
                    follow(listener, &weak).await;
                    let Some(cache) = weak.upgrade() else { return };
                    cache.set_live(false);
                    tracing::warn!(
                        "configuration announcements interrupted; cache off until reconnected"
                    );
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot LISTEN for configuration changes; cache off")
                }
            }
            tokio::time::sleep(retry).await;
            retry = (retry * 2).min(Duration::from_secs(5));
        }
    });
    cache
}

/// Applies announcements until the connection is lost or the cache is dropped.
async fn follow(mut listener: PgListener, cache: &std::sync::Weak<ConfigCache>) {
    loop {
        // try_recv answers None when the connection was lost (and what was announced
        // meanwhile with it).
        let Ok(Some(note)) = listener.try_recv().await else {
            return;
        };
        let Some(cache) = cache.upgrade() else { return };
        cache.apply(note.payload());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::clients::ClientSettings;

    fn client(id: &str, pool_id: &str, name: &str) -> ClientRecord {
        ClientRecord {
            id: id.into(),
            pool_id: pool_id.into(),
            name: name.into(),
            secret: None,
            settings: ClientSettings::default(),
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn a_read_that_raced_an_eviction_is_not_kept() {
        let cache = in_process();
        let Err(ticket) = cache.client("c") else {
            panic!("empty cache served")
        };
        cache.evict_client("c");
        cache.keep_client(ticket, &client("c", "p", "old"));
        assert!(cache.client("c").is_err());
        let Err(ticket) = cache.client("c") else {
            panic!()
        };
        cache.keep_client(ticket, &client("c", "p", "new"));
        assert_eq!(cache.client("c").unwrap().name, "new");
    }

    #[test]
    fn a_pool_eviction_takes_its_clients_and_an_idle_cache_serves_nothing() {
        let cache = in_process();
        let Err(ticket) = cache.client("c") else {
            panic!()
        };
        cache.keep_client(ticket, &client("c", "p", "x"));
        cache.apply("pool:p");
        assert!(cache.client("c").is_err());

        let off = ConfigCache::default();
        let Err(ticket) = off.client("c") else {
            panic!()
        };
        off.keep_client(ticket, &client("c", "p", "x"));
        assert!(
            off.client("c").is_err(),
            "a cache not listening kept a record"
        );
    }
}
