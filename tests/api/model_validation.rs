//! Every cognito-idp and cognito-identity operation is sent requests that each break one
//! constraint of its input, generated from the service model files, and must answer as AWS
//! does (400, the error code in `x-amzn-ErrorType` and `__type`, the validator's wording)
//! without writing anything. The expected answers come from `model_validation/cases.rs`,
//! which reads the model JSON itself and never calls the validator.

use serde_json::Value;
use sqlx::Connection;

use crate::common::*;

mod cases;

const IDP_MODEL: &str = include_str!("../../src/http/aws/model/cognito-idp.json");
const IDENTITY_MODEL: &str = include_str!("../../src/http/aws/model/cognito-identity.json");

/// `(table, rows)` for every table of the test's database, SQLite or PostgreSQL.
async fn row_counts(app: &TestApp) -> Vec<(String, i64)> {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&app.database_url)
        .await
        .unwrap();
    let list = if app.database_url.starts_with("postgres") {
        "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
    };
    let tables: Vec<String> = sqlx::query_scalar(list).fetch_all(&mut conn).await.unwrap();
    let mut counts = Vec::with_capacity(tables.len());
    for table in tables {
        let query = format!("SELECT COUNT(*) FROM \"{}\"", table.replace('"', "\"\""));
        let n: i64 = sqlx::query_scalar(&query)
            .fetch_one(&mut conn)
            .await
            .unwrap();
        counts.push((table, n));
    }
    conn.close().await.unwrap();
    counts
}

/// What was wrong with the answer to one case, if anything.
async fn verdict(reply: reqwest::Response, case: &cases::Case) -> Option<String> {
    let status = reply.status().as_u16();
    let header = reply
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body: Value = reply.json().await.unwrap_or(Value::Null);
    let kind = body["__type"].as_str().unwrap_or_default();
    let message = body["message"].as_str().unwrap_or_default();
    let noun = if case.count == 1 { "error" } else { "errors" };
    let count_ok = case.code != "InvalidParameterException"
        || message.starts_with(&format!("{} validation {noun} detected: ", case.count));
    let missing: Vec<&String> = case
        .clauses
        .iter()
        .filter(|c| !message.contains(c.as_str()))
        .collect();
    let right =
        status == 400 && header == case.code && kind == case.code && count_ok && missing.is_empty();
    (!right).then(|| {
        format!(
            "{} {}: {status} {header:?} {kind:?} {message:?}; wanted {} with {missing:?}",
            case.op, case.what, case.code
        )
    })
}

async fn sweep(model_json: &str) {
    let model: Value = serde_json::from_str(model_json).unwrap();
    let prefix = model["metadata"]["targetPrefix"]
        .as_str()
        .unwrap()
        .to_string();
    let all = cases::cases(&model);
    let operations = model["operations"].as_object().unwrap();
    let covered: std::collections::BTreeSet<&str> = all.iter().map(|c| c.op.as_str()).collect();
    let bare: Vec<&String> = operations
        .keys()
        .filter(|op| !covered.contains(op.as_str()))
        .collect();
    assert!(bare.is_empty(), "no generated case for {bare:?}");

    let app = spawn().await;
    let before = row_counts(&app).await;
    let mut wrong = Vec::new();
    for case in &all {
        let unsigned = operations[&case.op]["authtype"] == "none";
        let body = serde_json::to_string(&case.input).unwrap();
        let reply = app
            .raw(&format!("{prefix}.{}", case.op), &body, !unsigned)
            .await;
        wrong.extend(verdict(reply, case).await);
    }
    assert!(
        wrong.is_empty(),
        "{} of {} requests answered wrongly, e.g.:\n{}",
        wrong.len(),
        all.len(),
        wrong[..wrong.len().min(30)].join("\n")
    );
    assert_eq!(
        row_counts(&app).await,
        before,
        "a rejected request wrote to the database"
    );
}

#[tokio::test]
async fn every_user_pool_operation_refuses_each_broken_constraint() {
    sweep(IDP_MODEL).await;
}

#[tokio::test]
async fn every_identity_pool_operation_refuses_each_broken_constraint() {
    sweep(IDENTITY_MODEL).await;
}
