//! Identity pools, their identities and the logins linked to each.

use sqlx::{FromRow, Row};

use super::{flag, Db, Result, StoreError};
use crate::types::identity::IdentityPoolSettings;

#[derive(Debug, Clone)]
pub struct IdentityPoolRecord {
    pub id: String,
    pub settings: IdentityPoolSettings,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(FromRow)]
struct PoolRow {
    id: String,
    settings: String,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<PoolRow> for IdentityPoolRecord {
    type Error = StoreError;
    fn try_from(r: PoolRow) -> Result<Self> {
        Ok(IdentityPoolRecord {
            id: r.id,
            settings: serde_json::from_str(&r.settings)?,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

pub async fn insert_pool(db: &Db, p: &IdentityPoolRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO identity_pools (id, name, settings, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&p.id)
    .bind(&p.settings.pool.identity_pool_name)
    .bind(serde_json::to_string(&p.settings)?)
    .bind(p.created_at)
    .bind(p.updated_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn find_pool(db: &Db, id: &str) -> Result<Option<IdentityPoolRecord>> {
    let row: Option<PoolRow> = sqlx::query_as(
        "SELECT id, settings, created_at, updated_at FROM identity_pools WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    row.map(TryInto::try_into).transpose()
}

/// One page of pools in creation order, after `after` (created_at, id).
pub async fn list_pools(
    db: &Db,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<IdentityPoolRecord>> {
    let (t, id) = after.unwrap_or((i64::MIN, String::new()));
    let rows: Vec<PoolRow> = sqlx::query_as(
        "SELECT id, settings, created_at, updated_at FROM identity_pools \
         WHERE created_at > $1 OR (created_at = $1 AND id > $2) ORDER BY created_at, id LIMIT $3",
    )
    .bind(t)
    .bind(id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(TryInto::try_into).collect()
}

pub async fn update_pool(db: &Db, p: &IdentityPoolRecord) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE identity_pools SET name = $2, settings = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(&p.id)
    .bind(&p.settings.pool.identity_pool_name)
    .bind(serde_json::to_string(&p.settings)?)
    .bind(p.updated_at)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn delete_pool(db: &Db, id: &str) -> Result<bool> {
    let mut tx = db.begin().await?;
    for sql in [
        "DELETE FROM identity_logins WHERE pool_id = $1",
        "DELETE FROM identities WHERE pool_id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&mut *tx).await?;
    }
    let done = sqlx::query("DELETE FROM identity_pools WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() > 0)
}

#[derive(Debug, Clone, FromRow)]
pub struct IdentityRecord {
    pub id: String,
    pub pool_id: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A login linked to an identity: the provider's name and the user's id there.
#[derive(Debug, Clone, FromRow, PartialEq, Eq)]
pub struct LoginRecord {
    pub provider: String,
    pub subject: String,
    pub developer: i64,
}

pub async fn find_identity(db: &Db, id: &str) -> Result<Option<IdentityRecord>> {
    Ok(
        sqlx::query_as("SELECT id, pool_id, created_at, updated_at FROM identities WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn logins_of(db: &Db, identity_id: &str) -> Result<Vec<LoginRecord>> {
    Ok(sqlx::query_as(
        "SELECT provider, subject, developer FROM identity_logins WHERE identity_id = $1 \
         ORDER BY created_at, provider, subject",
    )
    .bind(identity_id)
    .fetch_all(db.pool())
    .await?)
}

/// The identity a login is linked to in the pool, if any.
pub async fn find_by_login(
    db: &Db,
    pool_id: &str,
    provider: &str,
    subject: &str,
) -> Result<Option<String>> {
    let row = sqlx::query(
        "SELECT identity_id FROM identity_logins WHERE pool_id = $1 AND provider = $2 AND subject = $3",
    )
    .bind(pool_id)
    .bind(provider)
    .bind(subject)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| r.get::<String, _>(0)))
}

/// Creates an identity with the given logins linked, in one transaction. A login that another
/// request linked meanwhile makes it fail with a conflict, so the caller looks it up again.
pub async fn insert_identity(
    db: &Db,
    identity: &IdentityRecord,
    logins: &[LoginRecord],
) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO identities (id, pool_id, created_at, updated_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&identity.id)
    .bind(&identity.pool_id)
    .bind(identity.created_at)
    .bind(identity.updated_at)
    .execute(&mut *tx)
    .await?;
    for login in logins {
        insert_login(
            &mut tx,
            &identity.pool_id,
            &identity.id,
            login,
            identity.created_at,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn insert_login(
    tx: &mut super::Tx,
    pool_id: &str,
    identity_id: &str,
    login: &LoginRecord,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO identity_logins (pool_id, provider, subject, identity_id, developer, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(pool_id)
    .bind(&login.provider)
    .bind(&login.subject)
    .bind(identity_id)
    .bind(flag(login.developer != 0))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Links more logins to an identity (logins accumulate on it).
pub async fn link(
    db: &Db,
    pool_id: &str,
    identity_id: &str,
    logins: &[LoginRecord],
    now: i64,
) -> Result<()> {
    let mut tx = db.begin().await?;
    for login in logins {
        insert_login(&mut tx, pool_id, identity_id, login, now).await?;
    }
    sqlx::query("UPDATE identities SET updated_at = $2 WHERE id = $1")
        .bind(identity_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Merges identity `from` into `to` (developer merges): its logins move, its Cognito Sync
/// datasets move as "<name>.<from>" (store::sync::merge_datasets), and it is removed, all in
/// one transaction.
pub async fn move_logins(db: &Db, from: &str, to: &str, now: i64) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE identity_logins SET identity_id = $2 WHERE identity_id = $1")
        .bind(from)
        .bind(to)
        .execute(&mut *tx)
        .await?;
    super::sync::merge_datasets(&mut tx, from, to).await?;
    sqlx::query("DELETE FROM identities WHERE id = $1")
        .bind(from)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE identities SET updated_at = $2 WHERE id = $1")
        .bind(to)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn unlink(db: &Db, identity_id: &str, provider: &str, subject: &str) -> Result<bool> {
    let done = sqlx::query(
        "DELETE FROM identity_logins WHERE identity_id = $1 AND provider = $2 AND subject = $3",
    )
    .bind(identity_id)
    .bind(provider)
    .bind(subject)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn delete_identity(db: &Db, id: &str) -> Result<bool> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM identity_logins WHERE identity_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let done = sqlx::query("DELETE FROM identities WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() > 0)
}

/// One page of a pool's identities in creation order, after `after` (created_at, id).
pub async fn list_identities(
    db: &Db,
    pool_id: &str,
    after: Option<(i64, String)>,
    limit: i64,
) -> Result<Vec<IdentityRecord>> {
    let (t, id) = after.unwrap_or((i64::MIN, String::new()));
    Ok(sqlx::query_as(
        "SELECT id, pool_id, created_at, updated_at FROM identities WHERE pool_id = $1 \
         AND (created_at > $2 OR (created_at = $2 AND id > $3)) ORDER BY created_at, id LIMIT $4",
    )
    .bind(pool_id)
    .bind(t)
    .bind(id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}
