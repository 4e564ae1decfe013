//! The REST admin API's own wire shapes (resources themselves keep their AWS shapes, as the
//! AWS API returns them) and the small reply helpers every handler uses.

use std::collections::BTreeMap;

use actix_web::HttpResponse;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use super::problem::Problem;

/// One page of a list; `next_cursor` fetches the next (absent on the last page).
#[derive(Serialize, ToSchema)]
pub struct Page {
    /// The resources, in their AWS shapes (e.g. `UserType`).
    pub items: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size (1 to 60; 60 when left out).
    pub limit: Option<i64>,
    /// `next_cursor` of the page before.
    pub cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// ListUsers' filter language, e.g. `email ^= "ana"` or `status = "Enabled"`.
    pub filter: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// A partial update of a user's attributes: a value sets, `null` deletes.
#[derive(Deserialize, ToSchema)]
pub struct UserPatch {
    pub attributes: BTreeMap<String, Option<String>>,
}

#[derive(Deserialize, ToSchema)]
pub struct SetPassword {
    pub password: String,
    /// A permanent password (CONFIRMED); otherwise temporary (FORCE_CHANGE_PASSWORD).
    #[serde(default)]
    pub permanent: bool,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// A resource (`pool/{id}`, `pool/{id}/user/{name}`, `identity-pool/{id}`, ...): its
    /// entries and those below it.
    pub resource: Option<String>,
    /// RFC 3339 time or epoch milliseconds: entries at or after it.
    pub since: Option<String>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: String,
    /// RFC 3339.
    pub at: String,
    /// `token`, `sigv4` or `local`.
    pub actor_kind: String,
    /// The admin token's name or the access key id.
    pub actor: String,
    /// The caller's address.
    pub source: String,
    /// `aws` or `rest`.
    pub surface: String,
    /// The cognito-idp operation that made the change.
    pub operation: String,
    pub resource: String,
    /// The names of the fields the change set (never their values).
    pub fields: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `jsonl` (the default) or `csv` (Cognito's import-job header).
    pub format: Option<String>,
}

/// One row of a bulk import that did not create its user.
#[derive(Serialize, ToSchema)]
pub struct ImportFailure {
    /// 1-based line (the CSV header is line 1).
    pub line: usize,
    pub username: String,
    /// The Cognito exception's name.
    pub error: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportReport {
    pub created: usize,
    pub failed: Vec<ImportFailure>,
}

pub fn ok(value: impl Serialize) -> Result<HttpResponse, Problem> {
    Ok(HttpResponse::Ok().json(value))
}

pub fn created(value: impl Serialize) -> Result<HttpResponse, Problem> {
    Ok(HttpResponse::Created().json(value))
}

pub fn no_content() -> Result<HttpResponse, Problem> {
    Ok(HttpResponse::NoContent().finish())
}

/// The member `name` of an AWS reply (`UserPool` of DescribeUserPool's).
pub fn member(mut reply: Value, name: &str) -> Value {
    reply.get_mut(name).map(Value::take).unwrap_or(Value::Null)
}

/// A page from an AWS list reply: its `items` member and the token that continues it.
pub fn page(mut reply: Value, items: &str, token: &str) -> Page {
    let items = match reply.get_mut(items).map(Value::take) {
        Some(Value::Array(items)) => items,
        _ => Vec::new(),
    };
    let next_cursor = reply.get(token).and_then(Value::as_str).map(String::from);
    Page { items, next_cursor }
}
