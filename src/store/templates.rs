//! What the logical ids of imported templates became.

use super::{Db, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateResource {
    pub logical_id: String,
    pub resource_type: String,
    pub physical_id: String,
    pub attributes: String,
    pub digest: String,
}

pub async fn find_by_stack(db: &Db, stack: &str) -> Result<Vec<TemplateResource>> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT logical_id, resource_type, physical_id, attributes, digest \
         FROM template_resources WHERE stack = $1",
    )
    .bind(stack)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| TemplateResource {
            logical_id: r.0,
            resource_type: r.1,
            physical_id: r.2,
            attributes: r.3,
            digest: r.4,
        })
        .collect())
}

pub async fn upsert(db: &Db, stack: &str, r: &TemplateResource) -> Result<()> {
    sqlx::query(
        "INSERT INTO template_resources \
         (stack, logical_id, resource_type, physical_id, attributes, digest) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (stack, logical_id) DO UPDATE SET \
         resource_type = $3, physical_id = $4, attributes = $5, digest = $6",
    )
    .bind(stack)
    .bind(&r.logical_id)
    .bind(&r.resource_type)
    .bind(&r.physical_id)
    .bind(&r.attributes)
    .bind(&r.digest)
    .execute(db.pool())
    .await?;
    Ok(())
}
