//! Cognito Sync's administrative changes in the audit log: the pool operations and the
//! developer-credential writes are recorded with their resource and field names (never the
//! values); reads and an identity's own syncs are not.

use aws_sdk_cognitosync as cs;
use cs::types::{CognitoStreams, StreamingStatus};
use reqwest::Method;
use serde_json::Value;

use crate::common::*;
use crate::triggers_lambda::{arn, pass, serve};

async fn audit(app: &TestApp) -> Vec<Value> {
    let r = app.rest(Method::GET, "/audit", None).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["items"].as_array().unwrap().clone()
}

/// The cognito-sync operations that change something (the identity-pool operations of the
/// set-up are audited under the same resources).
const SYNC_OPERATIONS: &[&str] = &[
    "SetIdentityPoolConfiguration",
    "SetCognitoEvents",
    "BulkPublish",
    "UpdateRecords",
    "DeleteDataset",
    "RegisterDevice",
    "SubscribeToDataset",
    "UnsubscribeFromDataset",
];

/// The entries of Cognito Sync, as (operation, resource, fields).
fn sync_entries(entries: &[Value]) -> Vec<(String, String, Vec<String>)> {
    entries
        .iter()
        .filter(|e| SYNC_OPERATIONS.contains(&e["operation"].as_str().unwrap()))
        .map(|e| {
            let fields = e["fields"].as_array().unwrap().iter();
            (
                e["operation"].as_str().unwrap().to_string(),
                e["resource"].as_str().unwrap().to_string(),
                fields.map(|f| f.as_str().unwrap().to_string()).collect(),
            )
        })
        .collect()
}

#[tokio::test]
async fn sync_admin_changes_are_audited_and_reads_and_identity_syncs_are_not() {
    let lambda = serve(vec![("Referee", pass())]).await;
    let endpoint = lambda.endpoint.clone();
    let app = spawn_with(move |c| Config {
        lambda_endpoint: Some(endpoint),
        sync_stream_urls: [("events".to_string(), "http://127.0.0.1:9/".to_string())].into(),
        ..c
    })
    .await;
    let pool = app.sync_pool().await;
    let id = app.guest(&pool).await;
    let phone = app.device(&id).await;
    phone
        .push(&pool, "own", vec![put("k", "v", 0)])
        .await
        .unwrap();
    let before = sync_entries(&audit(&app).await);
    assert!(before.is_empty(), "{before:?}");

    let admin = app.sync_admin();
    let streams = CognitoStreams::builder()
        .stream_name("events")
        .role_arn("arn:aws:iam::000000000000:role/CognitoStreams")
        .streaming_status(StreamingStatus::Disabled)
        .build();
    admin
        .set_identity_pool_configuration()
        .identity_pool_id(&pool)
        .cognito_streams(streams)
        .send()
        .await
        .unwrap();
    admin
        .set_cognito_events()
        .identity_pool_id(&pool)
        .events("SyncTrigger", arn("Referee"))
        .send()
        .await
        .unwrap();
    admin
        .get_identity_pool_configuration()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap();
    admin
        .delete_dataset()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .dataset_name("own")
        .send()
        .await
        .unwrap();
    // A refused change is not recorded.
    let err = admin
        .bulk_publish()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");

    let entries = sync_entries(&audit(&app).await);
    let at = format!("identity-pool/{pool}");
    let expected = vec![
        (
            "SetIdentityPoolConfiguration".to_string(),
            at.clone(),
            vec!["CognitoStreams".to_string()],
        ),
        (
            "SetCognitoEvents".to_string(),
            at.clone(),
            vec!["Events".to_string()],
        ),
        (
            "DeleteDataset".to_string(),
            format!("{at}/identity/{id}/dataset/own"),
            vec![],
        ),
    ];
    assert_eq!(entries, expected);
    let raw = audit(&app).await;
    assert!(
        !format!("{raw:?}").contains("Referee"),
        "values are never kept"
    );
}
