//! The audit log: each kind of administrative change, through the AWS API and the REST API,
//! recorded with who, what (field names, never values), when and from where; reads are not
//! recorded; entries past the retention are pruned.

use aws_sdk_cognitoidentityprovider as idp;
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::*;

async fn audit(app: &TestApp, query: &str) -> Vec<Value> {
    let r = app.rest(Method::GET, &format!("/audit{query}"), None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["items"].as_array().unwrap().clone()
}

fn operations(entries: &[Value]) -> Vec<&str> {
    entries
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn aws_admin_changes_are_recorded_with_who_what_and_where() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("gia")
        .temporary_password("Temp-0rary-pass!")
        .message_action(idp::types::MessageActionType::Suppress)
        .user_attributes(attr("email", "gia@example.com"))
        .send()
        .await
        .unwrap();
    app.idp
        .admin_set_user_password()
        .user_pool_id(&pool.pool_id)
        .username("gia")
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    app.idp
        .create_group()
        .user_pool_id(&pool.pool_id)
        .group_name("ops")
        .send()
        .await
        .unwrap();
    app.idp
        .admin_add_user_to_group()
        .user_pool_id(&pool.pool_id)
        .username("gia")
        .group_name("ops")
        .send()
        .await
        .unwrap();
    // Reads are not changes.
    app.idp
        .admin_get_user()
        .user_pool_id(&pool.pool_id)
        .username("gia")
        .send()
        .await
        .unwrap();
    app.idp
        .list_users()
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap();

    let all = audit(&app, "").await;
    assert_eq!(
        operations(&all),
        [
            "CreateUserPool",
            "CreateUserPoolClient",
            "AdminCreateUser",
            "AdminSetUserPassword",
            "CreateGroup",
            "AdminAddUserToGroup"
        ]
    );
    let created = &all[2];
    assert_eq!(created["actor_kind"], "sigv4");
    assert_eq!(created["actor"], "AKIDTEST");
    assert_eq!(created["source"], "127.0.0.1");
    assert_eq!(created["surface"], "aws");
    let pool_resource = format!("pool/{}", pool.pool_id);
    assert_eq!(all[0]["resource"], pool_resource.as_str());
    assert_eq!(
        all[1]["resource"],
        format!("{pool_resource}/client/{}", pool.client_id).as_str()
    );
    assert_eq!(
        created["resource"],
        format!("{pool_resource}/user/gia").as_str()
    );
    let fields: Vec<&str> = created["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(fields.contains(&"UserAttributes.email"), "{fields:?}");
    assert!(fields.contains(&"TemporaryPassword"), "{fields:?}");
    assert!(chrono::DateTime::parse_from_rfc3339(created["at"].as_str().unwrap()).is_ok());

    // Never a secret or a value.
    let text = serde_json::to_string(&all).unwrap();
    for secret in ["Temp-0rary-pass!", PASSWORD, "gia@example.com"] {
        assert!(!text.contains(secret), "{secret} in the audit log");
    }

    // By resource: a user's own entries (and a pool's include what lies below it).
    let user = audit(&app, &format!("?resource={pool_resource}/user/gia")).await;
    assert_eq!(
        operations(&user),
        ["AdminCreateUser", "AdminSetUserPassword"]
    );
    let group = audit(&app, &format!("?resource={pool_resource}/group/ops")).await;
    assert_eq!(operations(&group), ["CreateGroup", "AdminAddUserToGroup"]);
    assert_eq!(
        group[1]["resource"],
        format!("{pool_resource}/group/ops/member/gia").as_str()
    );
    assert_eq!(
        audit(&app, &format!("?resource={pool_resource}"))
            .await
            .len(),
        6
    );
}

#[tokio::test]
async fn rest_changes_are_recorded_and_read_by_time_and_page() {
    let app = spawn().await;
    let pool = app.pool().await;
    let users = format!("/pools/{}/users", pool.pool_id);
    let made = app
        .rest(
            Method::POST,
            &users,
            Some(json!({"Username": "hal", "MessageAction": "SUPPRESS"})),
        )
        .await;
    assert_eq!(made.status, 201);
    app.rest(Method::POST, &format!("{users}/hal/disable"), None)
        .await;
    app.rest(
        Method::PATCH,
        &format!("{users}/hal"),
        Some(json!({"attributes": {"nickname": "h"}})),
    )
    .await;
    app.rest(Method::GET, &format!("{users}/hal"), None).await;

    let since = chrono::Utc::now() - chrono::Duration::minutes(5);
    let since = since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let entries = audit(&app, &format!("?since={since}")).await;
    let rest: Vec<&Value> = entries.iter().filter(|e| e["surface"] == "rest").collect();
    let ops: Vec<&str> = rest
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    assert_eq!(
        ops,
        [
            "AdminCreateUser",
            "AdminDisableUser",
            "AdminUpdateUserAttributes"
        ]
    );
    assert_eq!(rest[0]["actor_kind"], "local");
    assert_eq!(rest[2]["fields"], json!(["UserAttributes.nickname"]));

    let future = (chrono::Utc::now() + chrono::Duration::minutes(5)).timestamp_millis();
    assert!(audit(&app, &format!("?since={future}")).await.is_empty());
    let bad = app.rest(Method::GET, "/audit?since=yesterday", None).await;
    assert_eq!(bad.problem(), "InvalidParameterException");

    // Paged.
    let first = app.rest(Method::GET, "/audit?limit=2", None).await;
    let cursor = first.body["next_cursor"].as_str().unwrap().to_string();
    let next = app
        .rest(
            Method::GET,
            &format!("/audit?limit=2&cursor={cursor}"),
            None,
        )
        .await;
    let a = operations(first.body["items"].as_array().unwrap()).join(",");
    let b = operations(next.body["items"].as_array().unwrap()).join(",");
    assert_eq!(
        format!("{a},{b}"),
        operations(&entries)
            .iter()
            .take(4)
            .cloned()
            .collect::<Vec<_>>()
            .join(",")
    );
}

#[tokio::test]
async fn entries_past_the_retention_are_pruned() {
    let app = spawn_with(|c| Config {
        audit_retention_days: 30,
        ..c
    })
    .await;
    let pool = app.pool().await;
    let old = now_ms() - 31 * 86_400_000;
    app.sql(&format!("UPDATE admin_audit SET at = {old}")).await;
    app.idp
        .create_group()
        .user_pool_id(&pool.pool_id)
        .group_name("new")
        .send()
        .await
        .unwrap();
    let entries = audit(&app, "").await;
    assert_eq!(operations(&entries), ["CreateGroup"]);
}
