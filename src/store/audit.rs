//! The audit log's rows: appended, read by resource and time, pruned past the retention.

use super::{Db, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRow {
    pub id: String,
    pub at: i64,
    pub actor_kind: String,
    pub actor: String,
    pub source: String,
    pub surface: String,
    pub operation: String,
    pub resource: String,
    /// JSON array of field names.
    pub fields: String,
}

type Tuple = (
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

impl From<Tuple> for AuditRow {
    fn from(t: Tuple) -> Self {
        AuditRow {
            id: t.0,
            at: t.1,
            actor_kind: t.2,
            actor: t.3,
            source: t.4,
            surface: t.5,
            operation: t.6,
            resource: t.7,
            fields: t.8,
        }
    }
}

pub async fn insert(db: &Db, row: &AuditRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO admin_audit (id, at, actor_kind, actor, source, surface, operation, \
         resource, fields) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&row.id)
    .bind(row.at)
    .bind(&row.actor_kind)
    .bind(&row.actor)
    .bind(&row.source)
    .bind(&row.surface)
    .bind(&row.operation)
    .bind(&row.resource)
    .bind(&row.fields)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Entries at or after `since`, oldest first, whose resource is `resource` or lies below it
/// (`pool/X` also finds `pool/X/user/Y`), after the entry `after` (an id, for paging).
pub async fn find(
    db: &Db,
    resource: Option<&str>,
    since: i64,
    after: Option<(i64, &str)>,
    limit: i64,
) -> Result<Vec<AuditRow>> {
    let (after_at, after_id) = after.unwrap_or((i64::MIN, ""));
    let resource = resource.unwrap_or_default();
    let rows: Vec<Tuple> = sqlx::query_as(
        "SELECT id, at, actor_kind, actor, source, surface, operation, resource, fields \
         FROM admin_audit WHERE at >= $1 \
         AND ($2 = '' OR resource = $2 OR substr(resource, 1, length($2) + 1) = $2 || '/') \
         AND (at > $3 OR (at = $3 AND id > $4)) \
         ORDER BY at, id LIMIT $5",
    )
    .bind(since)
    .bind(resource)
    .bind(after_at)
    .bind(after_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Deletes the entries older than `before`.
pub async fn prune(db: &Db, before: i64) -> Result<u64> {
    let done = sqlx::query("DELETE FROM admin_audit WHERE at < $1")
        .bind(before)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}
