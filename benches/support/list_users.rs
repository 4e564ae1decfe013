//! `--list-users N`: seeds N users straight into the database, then times ListUsers filters
//! and deep pages through the SDK, to show they stay index seeks in a large pool.

use std::time::Duration;

use aws_sdk_cognitoidentityprovider as idp;
use serde_json::json;
use sqlx::Connection;

use crate::percore::{call, drive, drive_paced, simple, Row};
use crate::server::Server;
use crate::wire::Requests;

/// Inserts `n` confirmed users `user{i}` (email `user{i}@example.com`, given_name `G{i % 1000}`)
/// and their attribute index rows, in one transaction, with SQL both backends run.
pub async fn seed(database_url: &str, pool_id: &str, n: usize) {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(database_url).await.unwrap();
    let mut tx = conn.begin().await.unwrap();
    let users = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
         INSERT INTO users (pool_id, sub, username, username_key, status, enabled, attributes, \
         created_at, updated_at) \
         SELECT '{pool_id}', 'sub-' || CAST(i AS TEXT), 'user' || CAST(i AS TEXT), \
         'user' || CAST(i AS TEXT), 'CONFIRMED', 1, \
         '{{\"email\":\"user' || CAST(i AS TEXT) || '@example.com\",\"given_name\":\"G' || \
         CAST(i % 1000 AS TEXT) || '\"}}', 0, 0 FROM n"
    );
    sqlx::query(&users).execute(&mut *tx).await.unwrap();
    for (name, expr) in [
        ("username", "username_key"),
        ("sub", "sub"),
        ("cognito:user_status", "status"),
        ("status", "'Enabled'"),
        ("email", "'user' || substr(sub, 5) || '@example.com'"),
        (
            "given_name",
            "'G' || CAST(CAST(substr(sub, 5) AS BIGINT) % 1000 AS TEXT)",
        ),
    ] {
        sqlx::query(&format!(
            "INSERT INTO user_attribute_index (pool_id, sub, name, value) \
             SELECT pool_id, sub, '{name}', {expr} FROM users WHERE pool_id = '{pool_id}'"
        ))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    if database_url.starts_with("sqlite:") {
        sqlx::query("ANALYZE").execute(&mut conn).await.unwrap();
    } else {
        sqlx::query("ANALYZE users")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("ANALYZE user_attribute_index")
            .execute(&mut conn)
            .await
            .unwrap();
    }
}

/// The ListUsers scenarios: each a filter, and how many pages deep to go.
pub async fn scenarios(c: &idp::Client, pool_id: &str, n: usize, clients: usize, count: usize) {
    let last = format!("email = \"user{n}@example.com\"");
    let cases: [(&str, Option<String>, i32); 6] = [
        ("exact email", Some(last), 1),
        ("prefix email", Some("email ^= \"user77\"".into()), 1),
        ("given_name = G7", Some("given_name = \"G7\"".into()), 1),
        ("status, 10 pages", Some("status = \"Enabled\"".into()), 10),
        ("no filter", None, 1),
        ("no filter, 10 pages", None, 10),
    ];
    for (name, filter, pages) in cases {
        crate::run(&format!("ListUsers {name}"), clients, count, |_| {
            let (c, pool_id, filter) = (c.clone(), pool_id.to_string(), filter.clone());
            async move {
                let mut token = None;
                for _ in 0..pages {
                    let page = c
                        .list_users()
                        .user_pool_id(&pool_id)
                        .set_filter(filter.clone())
                        .limit(60)
                        .set_pagination_token(token)
                        .send()
                        .await
                        .map_err(|e| format!("{e:?}"))?;
                    if page.users().is_empty() {
                        return Err("no users".into());
                    }
                    token = page.pagination_token;
                }
                Ok(())
            }
        })
        .await;
    }
}

/// ListUsers in a pool of `n` bulk-loaded users: an exact filter, and a page ten deep, each
/// twice: flat out over `k` connections (throughput and CPU per operation; the latency is then
/// mostly the queue of `k` requests), and at a steady 200 requests per second over 8
/// connections (the latency a caller sees when the server is not saturated).
pub async fn large_pool(
    server: &Server,
    rq: &Requests,
    pool_id: &str,
    n: usize,
    k: usize,
    count: usize,
) -> Vec<Row> {
    let (r, p) = (rq.clone(), pool_id.to_string());
    let exact = simple(move |i| {
        let who = (i * 7919) % n + 1;
        r.idp(
            "ListUsers",
            &json!({"UserPoolId": p, "Limit": 60,
            "Filter": format!("email = \"user{who}@example.com\"")}),
            true,
        )
    });
    // Ten pages deep: nine pages are walked once, then the tenth is fetched repeatedly.
    let mut token: Option<String> = None;
    for _ in 0..9 {
        let mut body = json!({"UserPoolId": pool_id, "Limit": 60});
        if let Some(t) = &token {
            body["PaginationToken"] = json!(t);
        }
        let page = call(server, &rq.idp("ListUsers", &body, true)).await;
        token = page["PaginationToken"].as_str().map(String::from);
    }
    let (r, p) = (rq.clone(), pool_id.to_string());
    let deep = simple(move |_| {
        r.idp(
            "ListUsers",
            &json!({"UserPoolId": p, "Limit": 60, "PaginationToken": token}),
            true,
        )
    });
    let steady = Some(Duration::from_millis(40));
    let mut rows = Vec::new();
    for (name, op) in [("exact email", exact), ("10th page", deep)] {
        let flat_out = format!("ListUsers {name}, {n} users");
        rows.push(drive(server, &flat_out, k, count, op.clone()).await);
        let paced = format!("ListUsers {name}, {n} users, 200/s");
        rows.push(drive_paced(server, &paced, 8, count.min(2000), op, steady).await);
    }
    rows
}
