//! Persistence: every SQL statement lives below this module, portable across SQLite and
//! PostgreSQL through sqlx's `Any` driver. The backend is chosen at run time from the URL.

pub mod admin_tokens;
pub mod aliases;
pub mod audit;
pub mod branding;
pub mod clients;
pub mod codes;
pub mod config_cache;
pub mod devices;
pub mod federation;
pub mod groups;
pub mod health;
pub mod iam;
pub mod iam_oidc;
pub mod identity;
pub mod import_jobs;
pub mod keys;
pub mod lockout;
pub mod mfa;
pub mod oauth;
pub mod oauth_flow;
pub mod outbox;
pub mod pools;
pub mod push_outbox;
pub mod sealed;
pub mod sessions;
pub mod sns;
pub mod stream_outbox;
pub mod sweep;
pub mod sync;
pub mod sync_config;
pub mod sync_devices;
pub mod templates;
pub mod tokens;
pub mod user_search;
pub mod users;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Connection, Executor};

use crate::sealing::{SealError, Sealer};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Another user of the pool holds this sign-in alias attribute's value.
    #[error("alias {name} is held by another user")]
    AliasTaken { name: String },
    /// A stored JSON document could not be read back.
    #[error("corrupt stored document: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error(transparent)]
    Database(sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A sealed secret could not be opened (wrong master key, or a damaged or moved value).
    #[error("{column}: {source}")]
    Seal { column: String, source: SealError },
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.message().to_string())
            }
            _ => StoreError::Database(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The shared connection pool. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    sealer: Arc<Sealer>,
    /// Pools and clients as last read, invalidated through the database.
    cache: Arc<config_cache::ConfigCache>,
}

pub(crate) type Tx = sqlx::Transaction<'static, Any>;

impl Db {
    /// Connects (creating a SQLite file and its folder when missing), runs the embedded
    /// migrations, and seals the secrets that an older version stored in plaintext.
    pub async fn connect(url: &str, sealer: Sealer) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_string(),
        };
        let pool = open_pool(&url, backend).await?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&pool).await?;
        let cache = match backend {
            Backend::Sqlite => config_cache::in_process(),
            Backend::Postgres => config_cache::listening(&url),
        };
        let db = Db {
            pool,
            backend,
            sealer: Arc::new(sealer),
            cache,
        };
        sealed::seal_plaintext(&db).await?;
        aliases::backfill(&db).await?;
        Ok(db)
    }

    pub(crate) fn cache(&self) -> &config_cache::ConfigCache {
        &self.cache
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A trivial round trip, for the health check.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub(crate) fn sealer(&self) -> &Sealer {
        &self.sealer
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub(crate) async fn begin(&self) -> Result<Tx> {
        Ok(self.pool.begin().await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// How long a pooled connection may sit idle and still be taken without a ping.
const IDLE_CHECK: Duration = Duration::from_secs(10);

/// The connection pool, with SQLite's pragmas on every connection.
async fn open_pool(url: &str, backend: Backend) -> Result<AnyPool> {
    let options: AnyConnectOptions = url.parse()?;
    let pool = AnyPoolOptions::new()
        .max_connections(match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        })
        .acquire_timeout(Duration::from_secs(10))
        // sqlx pings a connection when it goes back to the pool and, by default, again when it
        // is taken out: two extra round trips (to SQLite's connection thread, or to
        // PostgreSQL) for every query. A connection back from use within IDLE_CHECK is used
        // as it is; one idle longer (the database may have restarted meanwhile) is pinged.
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > IDLE_CHECK {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                             PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    Ok(pool)
}

/// Turns `sqlite://dir/file.db` into a URL that creates the file, and creates its folder.
fn prepare_sqlite_url(url: &str) -> Result<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" {
        if let Some(parent) = Path::new(path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| StoreError::Database(sqlx::Error::Io(e)))?;
            }
        }
    }
    let mut query = query.to_string();
    if !query.contains("mode=") {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str("mode=rwc");
    }
    Ok(format!("sqlite://{path}?{query}"))
}

/// Stores a flag as the 0/1 integer both backends read back the same way.
pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// When the earliest row of an outbox `table` (with `next_attempt_at` and `claimed_until`)
/// falls due or has its claim lapse, if any row is owed.
pub(crate) async fn outbox_next_due(db: &Db, table: &str) -> Result<Option<i64>> {
    let (at,): (Option<i64>,) = sqlx::query_as(&format!(
        "SELECT MIN(CASE WHEN claimed_until > next_attempt_at THEN claimed_until \
         ELSE next_attempt_at END) FROM {table}"
    ))
    .fetch_one(db.pool())
    .await?;
    Ok(at)
}

/// A comma-separated column list with each column under the table alias `alias`, for joins.
pub(crate) fn qualified(columns: &str, alias: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{alias}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_trees_list_the_same_files() {
        let list = |dir: &str| {
            let mut names: Vec<String> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let sqlite = list(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite"));
        let postgres = list(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres"));
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres);
    }

    #[test]
    fn sqlite_urls_create_their_file() {
        assert_eq!(
            prepare_sqlite_url("sqlite::memory:").unwrap(),
            "sqlite://:memory:?mode=rwc"
        );
        let dir = std::env::temp_dir().join(format!("cognate-url-{}", uuid::Uuid::new_v4()));
        let url = format!("sqlite://{}/a/b.db", dir.display());
        assert!(prepare_sqlite_url(&url).unwrap().ends_with("b.db?mode=rwc"));
        assert!(dir.join("a").is_dir());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
