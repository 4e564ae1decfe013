//! Bulk users: export as JSON lines (each line a UserType) or CSV (the header of Cognito's
//! user import jobs), and import of either, one AdminCreateUser per row (no invitation
//! sent), reporting each row that failed.

use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

use super::auth::Authed;
use super::call::run;
use super::problem::{Problem, ProblemBody};
use super::shapes::{ok, ExportQuery, ImportFailure, ImportReport};
use crate::service::directory::import_rows::{MFA_ENABLED, STANDARD_COLUMNS, USERNAME};
use crate::service::idp::{admin_users, list_users};
use crate::service::State;

type Reply = Result<HttpResponse, Problem>;

fn format_of(q: &ExportQuery) -> Result<&str, Problem> {
    match q.format.as_deref().unwrap_or("jsonl") {
        f @ ("jsonl" | "csv") => Ok(f),
        other => Err(Problem::new(
            "InvalidParameterException",
            format!("Unknown format {other:?}: jsonl or csv."),
        )),
    }
}

/// Every user of the pool, page by page.
async fn all_users(state: &State, a: &Authed, pool_id: &str) -> Result<Vec<Value>, Problem> {
    let mut users = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut input = json!({"UserPoolId": pool_id, "Limit": 60});
        if let Some(t) = &token {
            input["PaginationToken"] = json!(t);
        }
        let mut reply = run(state, &a.actor, "ListUsers", input, list_users::list_users).await?;
        if let Some(Value::Array(page)) = reply.get_mut("Users").map(Value::take) {
            users.extend(page);
        }
        token = reply
            .get("PaginationToken")
            .and_then(Value::as_str)
            .map(String::from);
        if token.is_none() {
            return Ok(users);
        }
    }
}

fn attribute<'v>(user: &'v Value, name: &str) -> Option<&'v str> {
    user.get("Attributes")?
        .as_array()?
        .iter()
        .find(|a| a.get("Name").and_then(Value::as_str) == Some(name))?
        .get("Value")?
        .as_str()
}

fn csv_of(users: &[Value]) -> Result<String, Problem> {
    let fault = |e: csv::Error| crate::service::Error::Internal(anyhow::Error::new(e));
    let mut w = csv::Writer::from_writer(Vec::new());
    // GetCSVHeader's standard columns, so that an export can be imported again.
    let header: Vec<&str> = STANDARD_COLUMNS
        .iter()
        .copied()
        .chain([MFA_ENABLED, USERNAME])
        .collect();
    w.write_record(&header).map_err(fault)?;
    for user in users {
        let username = user.get("Username").and_then(Value::as_str).unwrap_or("");
        let row = header.iter().map(|col| match *col {
            USERNAME => username,
            MFA_ENABLED => "false",
            name => attribute(user, name).unwrap_or(""),
        });
        w.write_record(row).map_err(fault)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| crate::service::Error::Internal(anyhow::anyhow!("{e}")))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[utoipa::path(get, operation_id = "bulk_export", path = "/admin/api/v1/pools/{pool_id}/user-export", tag = "bulk",
    params(("pool_id" = String, Path, description = "The user pool's id"), ExportQuery),
    responses((status = 200, description = "Every user: JSON lines of UserType, or CSV", content_type = "application/x-ndjson", body = String),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn export(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<String>,
    q: web::Query<ExportQuery>,
) -> Reply {
    let format = format_of(&q)?;
    let users = all_users(&state, &a, &path).await?;
    if format == "csv" {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .body(csv_of(&users)?));
    }
    let mut body = String::new();
    for user in &users {
        body.push_str(&user.to_string());
        body.push('\n');
    }
    Ok(HttpResponse::Ok()
        .content_type("application/x-ndjson")
        .body(body))
}

/// One user to import: its line, username and attributes.
type Row = (usize, String, Vec<Value>);

fn attr(name: &str, value: &str) -> Value {
    json!({"Name": name, "Value": value})
}

fn rows_from_csv(body: &[u8]) -> Result<Vec<Row>, Problem> {
    let bad = |e: csv::Error| Problem::new("InvalidParameterException", format!("CSV: {e}"));
    let mut r = csv::Reader::from_reader(body);
    let header: Vec<String> = r.headers().map_err(bad)?.iter().map(String::from).collect();
    if !header.iter().any(|h| h == "cognito:username") {
        return Err(Problem::new(
            "InvalidParameterException",
            "The CSV header has no cognito:username column (see GetCSVHeader).",
        ));
    }
    let mut rows = Vec::new();
    for (i, record) in r.records().enumerate() {
        let record = record.map_err(bad)?;
        let mut username = String::new();
        let mut attributes = Vec::new();
        for (name, value) in header.iter().zip(record.iter()) {
            match name.as_str() {
                "cognito:username" => username = value.to_string(),
                "cognito:mfa_enabled" => {}
                _ if value.is_empty() => {}
                _ => attributes.push(attr(name, value)),
            }
        }
        rows.push((i + 2, username, attributes));
    }
    Ok(rows)
}

fn rows_from_jsonl(body: &[u8]) -> Result<Vec<Row>, Problem> {
    let text = String::from_utf8_lossy(body);
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let user: Value = serde_json::from_str(line)
            .map_err(|e| Problem::new("SerializationException", format!("line {}: {e}", i + 1)))?;
        let username = user.get("Username").and_then(Value::as_str).unwrap_or("");
        let attributes = user
            .get("Attributes")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter(|a| a.get("Name").and_then(Value::as_str) != Some("sub"))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        rows.push((i + 1, username.to_string(), attributes));
    }
    Ok(rows)
}

#[utoipa::path(post, operation_id = "bulk_import", path = "/admin/api/v1/pools/{pool_id}/user-import", tag = "bulk",
    params(("pool_id" = String, Path, description = "The user pool's id"), ExportQuery),
    request_body(content = String, description = "JSON lines of UserType (as exported) or CSV with GetCSVHeader's columns", content_type = "application/x-ndjson"),
    responses((status = 200, description = "How many users were created, and each row that failed", body = ImportReport),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn import(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<String>,
    q: web::Query<ExportQuery>,
) -> Reply {
    let rows = match format_of(&q)? {
        "csv" => rows_from_csv(&a.body)?,
        _ => rows_from_jsonl(&a.body)?,
    };
    let mut report = ImportReport {
        created: 0,
        failed: Vec::new(),
    };
    for (line, username, attributes) in rows {
        let input = json!({
            "UserPoolId": *path, "Username": username,
            "UserAttributes": attributes, "MessageAction": "SUPPRESS"
        });
        let create = admin_users::admin_create_user;
        match run(&state, &a.actor, "AdminCreateUser", input, create).await {
            Ok(_) => report.created += 1,
            Err(p) if p.status.is_server_error() => return Err(p),
            Err(p) => report.failed.push(ImportFailure {
                line,
                username,
                error: p.code.into(),
                message: p.detail,
            }),
        }
    }
    ok(report)
}
