//! User pool groups and their members.

use sqlx::FromRow;

use super::{Db, Result};

#[derive(Debug, Clone, FromRow)]
pub struct GroupRow {
    pub pool_id: String,
    pub name: String,
    pub description: Option<String>,
    pub role_arn: Option<String>,
    pub precedence: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "pool_id, name, description, role_arn, precedence, created_at, updated_at";

/// Inserts a group; `StoreError::Conflict` when the name is taken.
pub async fn insert(db: &Db, g: &GroupRow) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO user_groups ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(&g.pool_id)
    .bind(&g.name)
    .bind(&g.description)
    .bind(&g.role_arn)
    .bind(g.precedence)
    .bind(g.created_at)
    .bind(g.updated_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn find(db: &Db, pool_id: &str, name: &str) -> Result<Option<GroupRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM user_groups WHERE pool_id = $1 AND name = $2"
    ))
    .bind(pool_id)
    .bind(name)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn update(db: &Db, g: &GroupRow) -> Result<()> {
    sqlx::query(
        "UPDATE user_groups SET description = $1, role_arn = $2, precedence = $3, updated_at = $4 \
         WHERE pool_id = $5 AND name = $6",
    )
    .bind(&g.description)
    .bind(&g.role_arn)
    .bind(g.precedence)
    .bind(g.updated_at)
    .bind(&g.pool_id)
    .bind(&g.name)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Deletes a group; its memberships go with it.
pub async fn delete(db: &Db, pool_id: &str, name: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM user_groups WHERE pool_id = $1 AND name = $2")
        .bind(pool_id)
        .bind(name)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

/// One page of a pool's groups by name, after `after`.
pub async fn list(
    db: &Db,
    pool_id: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<GroupRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM user_groups WHERE pool_id = $1 AND ($2 IS NULL OR name > $2) \
         ORDER BY name LIMIT $3"
    ))
    .bind(pool_id)
    .bind(after)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

/// One page of a user's groups by name, after `after`.
pub async fn list_for_user(
    db: &Db,
    pool_id: &str,
    sub: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<GroupRow>> {
    let columns = super::qualified(COLUMNS, "g");
    Ok(sqlx::query_as(&format!(
        "SELECT {columns} FROM group_members m \
         JOIN user_groups g ON g.pool_id = m.pool_id AND g.name = m.group_name \
         WHERE m.pool_id = $1 AND m.sub = $2 AND ($3 IS NULL OR g.name > $3) \
         ORDER BY g.name LIMIT $4"
    ))
    .bind(pool_id)
    .bind(sub)
    .bind(after)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

/// Adds a member; adding one twice is not an error, as in Cognito.
pub async fn add_member(
    db: &Db,
    pool_id: &str,
    group: &str,
    sub: &str,
    username_key: &str,
    now: i64,
) -> Result<()> {
    add_member_with(db.pool(), pool_id, group, (sub, username_key), now).await
}

/// Adds a member through `executor` (a pool or a caller's transaction); a member already
/// in the group stays as they are.
pub(super) async fn add_member_with<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    executor: E,
    pool_id: &str,
    group: &str,
    (sub, username_key): (&str, &str),
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO group_members (pool_id, group_name, sub, username_key, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (pool_id, group_name, sub) DO NOTHING",
    )
    .bind(pool_id)
    .bind(group)
    .bind(sub)
    .bind(username_key)
    .bind(now)
    .execute(executor)
    .await?;
    Ok(())
}

pub async fn remove_member(db: &Db, pool_id: &str, group: &str, sub: &str) -> Result<()> {
    sqlx::query("DELETE FROM group_members WHERE pool_id = $1 AND group_name = $2 AND sub = $3")
        .bind(pool_id)
        .bind(group)
        .bind(sub)
        .execute(db.pool())
        .await?;
    Ok(())
}
