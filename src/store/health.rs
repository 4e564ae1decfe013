//! What readiness and the metrics read from the database: whether every embedded migration
//! is applied, and how busy the connection pool is.

use super::{Backend, Db, Result, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

impl Db {
    /// The embedded migrations the database has not applied successfully.
    pub async fn pending_migrations(&self) -> Result<Vec<i64>> {
        let migrator = match self.backend() {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let applied: Vec<(i64,)> =
            sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success = $1")
                .bind(true)
                .fetch_all(self.pool())
                .await?;
        let applied: Vec<i64> = applied.into_iter().map(|(v,)| v).collect();
        Ok(migrator
            .iter()
            .map(|m| m.version)
            .filter(|v| !applied.contains(v))
            .collect())
    }

    /// The pool's open connections and how many of them are idle.
    pub fn pool_usage(&self) -> (u32, u32) {
        (self.pool().size(), self.pool().num_idle() as u32)
    }
}
