//! IAM OpenID Connect providers: the URL (without `https://`) each is known by, its
//! thumbprints and tags, and the client ids (audiences) its ID tokens may be issued to.

use sqlx::Row;

use super::{Db, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OidcProviderRecord {
    /// The URL without `https://`: the ARN's resource after `oidc-provider/`.
    pub url: String,
    pub client_ids: Vec<String>,
    pub thumbprints: Vec<String>,
    /// (key, value) in the order given.
    pub tags: Vec<(String, String)>,
    pub created_at: i64,
}

/// Inserts a provider with its client ids; `StoreError::Conflict` when the URL is taken.
pub async fn insert_provider(db: &Db, p: &OidcProviderRecord) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO iam_oidc_providers (url, thumbprints, tags, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(&p.url)
    .bind(serde_json::to_string(&p.thumbprints)?)
    .bind(serde_json::to_string(&p.tags)?)
    .bind(p.created_at)
    .execute(&mut *tx)
    .await?;
    for (i, client_id) in p.client_ids.iter().enumerate() {
        sqlx::query(
            "INSERT INTO iam_oidc_client_ids (url, client_id, position) VALUES ($1, $2, $3) \
             ON CONFLICT (url, client_id) DO NOTHING",
        )
        .bind(&p.url)
        .bind(client_id)
        .bind(i as i64)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn find_provider(db: &Db, url: &str) -> Result<Option<OidcProviderRecord>> {
    let row = sqlx::query(
        "SELECT url, thumbprints, tags, created_at FROM iam_oidc_providers WHERE url = $1",
    )
    .bind(url)
    .fetch_optional(db.pool())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let client_ids = sqlx::query(
        "SELECT client_id FROM iam_oidc_client_ids WHERE url = $1 ORDER BY position, client_id",
    )
    .bind(url)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(|c| c.get::<String, _>(0))
    .collect();
    Ok(Some(OidcProviderRecord {
        url: r.get(0),
        client_ids,
        thumbprints: serde_json::from_str(&r.get::<String, _>(1))?,
        tags: serde_json::from_str(&r.get::<String, _>(2))?,
        created_at: r.get(3),
    }))
}

/// Every provider's URL, in order.
pub async fn list_urls(db: &Db) -> Result<Vec<String>> {
    let rows = sqlx::query("SELECT url FROM iam_oidc_providers ORDER BY url")
        .fetch_all(db.pool())
        .await?;
    Ok(rows.iter().map(|r| r.get::<String, _>(0)).collect())
}

/// Deletes a provider and its client ids; whether it existed.
pub async fn delete_provider(db: &Db, url: &str) -> Result<bool> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM iam_oidc_client_ids WHERE url = $1")
        .bind(url)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("DELETE FROM iam_oidc_providers WHERE url = $1")
        .bind(url)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() > 0)
}

/// Adds a client id (kept where it is when already there); whether the provider exists.
pub async fn add_client_id(db: &Db, url: &str, client_id: &str, position: i64) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO iam_oidc_client_ids (url, client_id, position) \
         SELECT url, $2, $3 FROM iam_oidc_providers WHERE url = $1 \
         ON CONFLICT (url, client_id) DO NOTHING",
    )
    .bind(url)
    .bind(client_id)
    .bind(position)
    .execute(db.pool())
    .await?;
    if done.rows_affected() > 0 {
        return Ok(true);
    }
    Ok(find_provider(db, url).await?.is_some())
}

/// Removes a client id, if present.
pub async fn remove_client_id(db: &Db, url: &str, client_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM iam_oidc_client_ids WHERE url = $1 AND client_id = $2")
        .bind(url)
        .bind(client_id)
        .execute(db.pool())
        .await?;
    Ok(())
}
