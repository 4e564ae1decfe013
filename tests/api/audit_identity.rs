//! The audit log's identity-pool entries: every administrative change to an identity pool
//! or one of its identities, through the AWS API and the REST API, is recorded under
//! `identity-pool/{id}` (and `/identity/{id}` below it), the scheme of the user pools'
//! `pool/{id}/...`; reads are not recorded.

use reqwest::Method;
use serde_json::{json, Value};

use crate::common::*;

async fn entries(app: &TestApp, resource: &str) -> Vec<(String, String)> {
    let r = app
        .rest(Method::GET, &format!("/audit?resource={resource}"), None)
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e: &Value| {
            let text = |k: &str| e[k].as_str().unwrap().to_string();
            (text("operation"), text("resource"))
        })
        .collect()
}

#[tokio::test]
async fn identity_pool_changes_are_audited_under_the_identity_pool() {
    let app = spawn().await;
    let id = app.identity_pool(None, true).await;
    let pool = format!("identity-pool/{id}");
    let identity = app
        .identity()
        .get_id()
        .identity_pool_id(&id)
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    app.default_roles(&id).await;
    app.identity()
        .update_identity_pool()
        .identity_pool_id(&id)
        .identity_pool_name("renamed")
        .allow_unauthenticated_identities(true)
        .send()
        .await
        .unwrap();
    let arn = format!("arn:aws:cognito-identity:us-east-1:000000000000:identitypool/{id}");
    app.identity()
        .tag_resource()
        .resource_arn(&arn)
        .tags("team", "web")
        .send()
        .await
        .unwrap();
    // Reads are not changes.
    app.identity()
        .describe_identity_pool()
        .identity_pool_id(&id)
        .send()
        .await
        .unwrap();
    app.identity()
        .lookup_developer_identity()
        .identity_pool_id(&id)
        .identity_id(&identity)
        .send()
        .await
        .ok();
    app.identity()
        .delete_identities()
        .identity_ids_to_delete(&identity)
        .send()
        .await
        .unwrap();

    let expected: Vec<(String, String)> = [
        ("CreateIdentityPool", pool.clone()),
        ("SetIdentityPoolRoles", pool.clone()),
        ("UpdateIdentityPool", pool.clone()),
        ("TagResource", pool.clone()),
        ("DeleteIdentities", format!("{pool}/identity/{identity}")),
    ]
    .into_iter()
    .map(|(op, r)| (op.to_string(), r))
    .collect();
    assert_eq!(entries(&app, &pool).await, expected);

    // Through the REST API: the same names, and the delete of the pool itself.
    let made = app
        .rest(
            Method::POST,
            "/identity-pools",
            Some(json!({"IdentityPoolName": "rest", "AllowUnauthenticatedIdentities": false})),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let rest_id = made.body["IdentityPoolId"].as_str().unwrap().to_string();
    let path = format!("/identity-pools/{rest_id}");
    let patched = app
        .rest(
            Method::PATCH,
            &path,
            Some(json!({"IdentityPoolName": "rest2"})),
        )
        .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    assert_eq!(app.rest(Method::DELETE, &path, None).await.status, 204);
    let rest_pool = format!("identity-pool/{rest_id}");
    let ops: Vec<String> = entries(&app, &rest_pool)
        .await
        .into_iter()
        .map(|(op, r)| {
            assert_eq!(r, rest_pool);
            op
        })
        .collect();
    assert_eq!(
        ops,
        [
            "CreateIdentityPool",
            "UpdateIdentityPool",
            "DeleteIdentityPool"
        ]
    );
    // None of them is filed under the user pools' scheme.
    assert!(entries(&app, "pool").await.is_empty());
}
