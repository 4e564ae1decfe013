//! The audit log: every administrative change, with who made it, what it changed (the
//! operation, the resource and the names of the fields it set, never their values), when and
//! from where. Entries older than the configured retention are pruned as new ones arrive.

use super::Actor;
use crate::service::kernel::{ids, paging};
use crate::service::{now_ms, Result, State};
use crate::store::audit::{self as store, AuditRow};

/// One change, as the surface that made it describes it.
#[derive(Clone, Debug, Default)]
pub struct Change {
    /// `aws` or `rest`.
    pub surface: &'static str,
    pub operation: String,
    /// `pool/{id}`, `pool/{id}/user/{name}`, `pool/{id}/client/{id}`, `pool/{id}/group/{name}`
    /// or `pool/{id}/group/{name}/member/{user}`; for cognito-identity and Cognito Sync `identity-pool/{id}`, with
    /// `/identity/{id}` and `/dataset/{name}` below it.
    pub resource: String,
    pub fields: Vec<String>,
}

/// A recorded entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    /// Milliseconds since the epoch.
    pub at: i64,
    pub actor_kind: String,
    pub actor: String,
    pub source: String,
    pub surface: String,
    pub operation: String,
    pub resource: String,
    pub fields: Vec<String>,
}

impl From<AuditRow> for Entry {
    fn from(r: AuditRow) -> Self {
        Entry {
            fields: serde_json::from_str(&r.fields).unwrap_or_default(),
            id: r.id,
            at: r.at,
            actor_kind: r.actor_kind,
            actor: r.actor,
            source: r.source,
            surface: r.surface,
            operation: r.operation,
            resource: r.resource,
        }
    }
}

/// The most field names one entry keeps (a bulk change names few kinds of field).
const MAX_FIELDS: usize = 64;

/// Records `change` by `actor`. An audit write that fails is logged and does not undo the
/// change already made.
pub async fn record(state: &State, actor: &Actor, change: Change) {
    let now = now_ms();
    let mut fields = change.fields;
    fields.truncate(MAX_FIELDS);
    let row = AuditRow {
        id: ids::uuid(),
        at: now,
        actor_kind: actor.kind.into(),
        actor: actor.name.clone(),
        source: actor.source.clone(),
        surface: change.surface.into(),
        operation: change.operation,
        resource: change.resource,
        fields: serde_json::to_string(&fields).unwrap_or_else(|_| "[]".into()),
    };
    if let Err(e) = store::insert(&state.db, &row).await {
        tracing::error!(error = %e, operation = row.operation, "audit entry not recorded");
    }
    let cutoff = now - state.audit_retention_days.saturating_mul(86_400_000);
    if let Err(e) = store::prune(&state.db, cutoff).await {
        tracing::warn!(error = %e, "audit log prune failed");
    }
}

/// Entries for `resource` (and what lies below it) since `since`, a page of `limit` after
/// `cursor`; the cursor of the next page.
pub async fn list(
    state: &State,
    resource: Option<&str>,
    since: i64,
    cursor: Option<&str>,
    limit: i64,
) -> Result<(Vec<Entry>, Option<String>)> {
    let after = cursor.map(paging::decode_created).transpose()?;
    let after_ref = after.as_ref().map(|(at, id)| (*at, id.as_str()));
    let mut rows = store::find(&state.db, resource, since, after_ref, limit + 1).await?;
    let next = paging::next_token(&mut rows, limit, |r| paging::encode_created(r.at, &r.id));
    Ok((rows.into_iter().map(Into::into).collect(), next))
}
