//! The OAuth2 set-up of a pool: its hosted-UI domain and its resource servers.

use sqlx::FromRow;

use super::{Db, Result};

#[derive(Debug, Clone, FromRow)]
pub struct DomainRow {
    pub domain: String,
    pub pool_id: String,
    pub custom_domain_config: Option<String>,
    pub managed_login_version: i64,
    pub created_at: i64,
}

pub async fn insert_domain(db: &Db, d: &DomainRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO user_pool_domains (domain, pool_id, custom_domain_config, \
         managed_login_version, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&d.domain)
    .bind(&d.pool_id)
    .bind(&d.custom_domain_config)
    .bind(d.managed_login_version)
    .bind(d.created_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

const DOMAIN_COLUMNS: &str =
    "domain, pool_id, custom_domain_config, managed_login_version, created_at";

pub async fn find_domain(db: &Db, domain: &str) -> Result<Option<DomainRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {DOMAIN_COLUMNS} FROM user_pool_domains WHERE domain = $1"
    ))
    .bind(domain)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn find_domain_by_pool(db: &Db, pool_id: &str) -> Result<Option<DomainRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {DOMAIN_COLUMNS} FROM user_pool_domains WHERE pool_id = $1"
    ))
    .bind(pool_id)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn update_domain(db: &Db, d: &DomainRow) -> Result<()> {
    sqlx::query(
        "UPDATE user_pool_domains SET custom_domain_config = $2, managed_login_version = $3 \
         WHERE domain = $1",
    )
    .bind(&d.domain)
    .bind(&d.custom_domain_config)
    .bind(d.managed_login_version)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn delete_domain(db: &Db, domain: &str) -> Result<()> {
    sqlx::query("DELETE FROM user_pool_domains WHERE domain = $1")
        .bind(domain)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// A resource server; `scopes` is the JSON list of its scopes as AWS shapes them.
#[derive(Debug, Clone, FromRow)]
pub struct ResourceServerRow {
    pub pool_id: String,
    pub identifier: String,
    pub name: String,
    pub scopes: String,
    pub created_at: i64,
}

const SERVER_COLUMNS: &str = "pool_id, identifier, name, scopes, created_at";

/// Stores a new resource server; false when the pool already has one by that identifier.
pub async fn insert_resource_server(db: &Db, r: &ResourceServerRow) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO resource_servers (pool_id, identifier, name, scopes, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (pool_id, identifier) DO NOTHING",
    )
    .bind(&r.pool_id)
    .bind(&r.identifier)
    .bind(&r.name)
    .bind(&r.scopes)
    .bind(r.created_at)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn find_resource_server(
    db: &Db,
    pool_id: &str,
    identifier: &str,
) -> Result<Option<ResourceServerRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SERVER_COLUMNS} FROM resource_servers WHERE pool_id = $1 AND identifier = $2"
    ))
    .bind(pool_id)
    .bind(identifier)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn update_resource_server(db: &Db, r: &ResourceServerRow) -> Result<()> {
    sqlx::query(
        "UPDATE resource_servers SET name = $3, scopes = $4 WHERE pool_id = $1 AND identifier = $2",
    )
    .bind(&r.pool_id)
    .bind(&r.identifier)
    .bind(&r.name)
    .bind(&r.scopes)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn delete_resource_server(db: &Db, pool_id: &str, identifier: &str) -> Result<()> {
    sqlx::query("DELETE FROM resource_servers WHERE pool_id = $1 AND identifier = $2")
        .bind(pool_id)
        .bind(identifier)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// A page of the pool's resource servers in identifier order, after `after` when given.
pub async fn list_resource_servers(
    db: &Db,
    pool_id: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ResourceServerRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {SERVER_COLUMNS} FROM resource_servers WHERE pool_id = $1 AND identifier > $2 \
         ORDER BY identifier LIMIT $3"
    ))
    .bind(pool_id)
    .bind(after.unwrap_or(""))
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}
