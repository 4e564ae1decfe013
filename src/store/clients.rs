//! App clients of user pools.

use sqlx::FromRow;

use super::sealed::CLIENT_SECRET;
use super::{Db, Result};
use crate::types::clients::ClientSettings;

#[derive(Clone)]
pub struct ClientRecord {
    pub id: String,
    pub pool_id: String,
    pub name: String,
    pub secret: Option<String>,
    pub settings: ClientSettings,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Leaves the client secret out.
impl std::fmt::Debug for ClientRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientRecord")
            .field("id", &self.id)
            .field("pool_id", &self.pool_id)
            .field("name", &self.name)
            .field("has_secret", &self.secret.is_some())
            .finish_non_exhaustive()
    }
}

#[derive(FromRow)]
struct ClientRow {
    id: String,
    pool_id: String,
    name: String,
    secret: Option<String>,
    settings: String,
    created_at: i64,
    updated_at: i64,
}

impl ClientRow {
    /// The record, its secret opened.
    fn open(self, db: &Db) -> Result<ClientRecord> {
        let secret = self
            .secret
            .as_deref()
            .map(|s| CLIENT_SECRET.open(db.sealer(), &[&self.id], s))
            .transpose()?;
        let r = self;
        Ok(ClientRecord {
            id: r.id,
            pool_id: r.pool_id,
            name: r.name,
            secret,
            settings: serde_json::from_str(&r.settings)?,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const COLUMNS: &str = "id, pool_id, name, secret, settings, created_at, updated_at";

/// Stores the client, its secret sealed.
pub async fn insert(db: &Db, c: &ClientRecord) -> Result<()> {
    let sealed = c
        .secret
        .as_deref()
        .map(|s| CLIENT_SECRET.seal(db.sealer(), &[&c.id], s));
    sqlx::query(&format!(
        "INSERT INTO user_pool_clients ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(&c.id)
    .bind(&c.pool_id)
    .bind(&c.name)
    .bind(sealed)
    .bind(serde_json::to_string(&c.settings)?)
    .bind(c.created_at)
    .bind(c.updated_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The client, from the cache when it holds it (see [`super::config_cache`]).
pub async fn find_by_id(db: &Db, id: &str) -> Result<Option<ClientRecord>> {
    let ticket = match db.cache().client(id) {
        Ok(client) => return Ok(Some(client)),
        Err(ticket) => ticket,
    };
    let row: Option<ClientRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM user_pool_clients WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let client = row.map(|r| r.open(db)).transpose()?;
    if let Some(client) = &client {
        db.cache().keep_client(ticket, client);
    }
    Ok(client)
}

pub async fn list_page(
    db: &Db,
    pool_id: &str,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<ClientRecord>> {
    let (t, id) = after.unwrap_or((i64::MIN, String::new()));
    let rows: Vec<ClientRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM user_pool_clients WHERE pool_id = $1 \
         AND (created_at > $2 OR (created_at = $2 AND id > $3)) ORDER BY created_at, id LIMIT $4"
    ))
    .bind(pool_id)
    .bind(t)
    .bind(id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(|r| r.open(db)).collect()
}

pub async fn update(db: &Db, c: &ClientRecord) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE user_pool_clients SET name = $1, settings = $2, updated_at = $3 WHERE id = $4 AND pool_id = $5",
    )
    .bind(&c.name)
    .bind(serde_json::to_string(&c.settings)?)
    .bind(c.updated_at)
    .bind(&c.id)
    .bind(&c.pool_id)
    .execute(db.pool())
    .await?;
    db.cache().evict_client(&c.id);
    Ok(done.rows_affected() > 0)
}

pub async fn delete(db: &Db, pool_id: &str, id: &str) -> Result<bool> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM refresh_tokens WHERE client_id = $1 AND pool_id = $2")
        .bind(id)
        .bind(pool_id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("DELETE FROM user_pool_clients WHERE id = $1 AND pool_id = $2")
        .bind(id)
        .bind(pool_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    db.cache().evict_client(id);
    Ok(done.rows_affected() > 0)
}
