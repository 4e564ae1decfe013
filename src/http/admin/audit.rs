//! `GET /admin/api/v1/audit?resource=&since=`: the audit log, oldest first, paged.

use actix_web::{web, HttpResponse};

use super::auth::Authed;
use super::problem::{Problem, ProblemBody};
use super::shapes::{ok, AuditEntry, AuditPage, AuditQuery};
use crate::service::admin::audit::{self, Entry};
use crate::service::State;

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

impl From<Entry> for AuditEntry {
    fn from(e: Entry) -> Self {
        AuditEntry {
            id: e.id,
            at: rfc3339(e.at),
            actor_kind: e.actor_kind,
            actor: e.actor,
            source: e.source,
            surface: e.surface,
            operation: e.operation,
            resource: e.resource,
            fields: e.fields,
        }
    }
}

/// `since` as RFC 3339 or epoch milliseconds.
fn since_ms(since: Option<&str>) -> Result<i64, Problem> {
    let Some(since) = since else {
        return Ok(0);
    };
    if let Ok(ms) = since.parse::<i64>() {
        return Ok(ms);
    }
    chrono::DateTime::parse_from_rfc3339(since)
        .map(|t| t.timestamp_millis())
        .map_err(|_| {
            Problem::new(
                "InvalidParameterException",
                "since is an RFC 3339 time or epoch milliseconds.",
            )
        })
}

#[utoipa::path(get, operation_id = "audit_list", path = "/admin/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, description = "A page of audit entries, oldest first", body = AuditPage),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn list(
    _: Authed,
    state: web::Data<State>,
    q: web::Query<AuditQuery>,
) -> Result<HttpResponse, Problem> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(Problem::new(
            "InvalidParameterException",
            "limit is from 1 to 1000.",
        ));
    }
    let since = since_ms(q.since.as_deref())?;
    let resource = q.resource.as_deref().filter(|r| !r.is_empty());
    let (entries, next_cursor) =
        audit::list(&state, resource, since, q.cursor.as_deref(), limit).await?;
    ok(AuditPage {
        items: entries.into_iter().map(Into::into).collect(),
        next_cursor,
    })
}
