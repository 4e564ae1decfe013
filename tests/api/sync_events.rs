//! Cognito Events and Streams: the SyncTrigger function sees each identity's write and what
//! it answers is stored; every change reaches the pool's stream, and BulkPublish replays the
//! data already there.

use std::sync::Arc;

use aws_sdk_cognitosync as cs;
use cs::types::{CognitoStreams, StreamingStatus};
use serde_json::{json, Value};

use crate::common::*;
use crate::triggers_lambda::{arn, serve, spawn_for, Reply};

#[tokio::test]
async fn the_sync_trigger_sees_the_write_and_its_answer_is_stored() {
    let lambda = serve(vec![(
        "Referee",
        Arc::new(|mut event: Value| {
            let records = &mut event["datasetRecords"];
            let score = records["score"]["newValue"].as_str().unwrap_or("0");
            let capped = score.parse::<i64>().unwrap_or(0).min(100).to_string();
            records["score"]["newValue"] = capped.into();
            records["badge"] = json!({"newValue": "gold", "op": "replace"});
            Reply::Event(event)
        }) as _,
    )])
    .await;
    let app = spawn_for(&lambda).await;
    let pool = app.sync_pool().await;
    let admin = app.sync_admin();
    admin
        .set_cognito_events()
        .identity_pool_id(&pool)
        .events("SyncTrigger", arn("Referee"))
        .send()
        .await
        .unwrap();
    let events = admin
        .get_cognito_events()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap();
    assert_eq!(events.events().unwrap()["SyncTrigger"], arn("Referee"));
    let id = app.guest(&pool).await;
    let phone = app.device(&id).await;
    let stored = phone
        .push(&pool, "game", vec![put("score", "250", 0)])
        .await
        .unwrap();
    let by_key = |key: &str| {
        stored
            .iter()
            .find(|r| r.key.as_deref() == Some(key))
            .and_then(|r| r.value.clone())
    };
    assert_eq!(by_key("score").as_deref(), Some("100"));
    assert_eq!(by_key("badge").as_deref(), Some("gold"));
    let event = &lambda.events("Referee")[0];
    assert_eq!(event["version"], 2);
    assert_eq!(event["eventType"], "SyncTrigger");
    assert_eq!(event["region"], "us-east-1");
    assert_eq!(event["identityPoolId"], pool.as_str());
    assert_eq!(event["identityId"], id.as_str());
    assert_eq!(event["datasetName"], "game");
    let score = &event["datasetRecords"]["score"];
    assert_eq!(score["newValue"], "250");
    assert_eq!(score["oldValue"], Value::Null);
    assert_eq!(score["op"], "replace");
    let pulled = app.device(&id).await.pull(&pool, "game", 0).await;
    assert_eq!(pulled.count, 2);
    phone
        .push(&pool, "game", vec![put("score", "7", 1)])
        .await
        .unwrap();
    let second = &lambda.events("Referee")[1];
    assert_eq!(second["datasetRecords"]["score"]["oldValue"], "100");
    // Developer credentials' writes do not run the trigger, as in Cognito.
    let token = admin
        .list_records()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .dataset_name("game")
        .send()
        .await
        .unwrap()
        .sync_session_token
        .unwrap();
    admin
        .update_records()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .dataset_name("game")
        .record_patches(put("score", "999", 2))
        .sync_session_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(lambda.events("Referee").len(), 2);
}

#[tokio::test]
async fn a_failing_sync_trigger_refuses_the_write() {
    let lambda = serve(vec![(
        "Broken",
        Arc::new(|_| Reply::Error("no".into())) as _,
    )])
    .await;
    let app = spawn_for(&lambda).await;
    let pool = app.sync_pool().await;
    app.sync_admin()
        .set_cognito_events()
        .identity_pool_id(&pool)
        .events("SyncTrigger", arn("Broken"))
        .send()
        .await
        .unwrap();
    let id = app.guest(&pool).await;
    let phone = app.device(&id).await;
    let refused = phone
        .push(&pool, "game", vec![put("score", "1", 0)])
        .await
        .unwrap_err();
    assert_eq!(code(&refused), "InvalidLambdaFunctionOutputException");
    assert_eq!(phone.pull(&pool, "game", 0).await.count, 0);
    let unknown = app
        .sync_admin()
        .set_cognito_events()
        .identity_pool_id(&pool)
        .events("SignUp", arn("Broken"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&unknown), "InvalidParameterException");
}

#[tokio::test]
async fn streams_receive_every_change_and_bulk_publish_replays_the_rest() {
    let mut sink = Webhook::start().await;
    let url = sink.url.clone();
    let app = spawn_with(move |c| Config {
        sync_stream_urls: [("sync-events".to_string(), url)].into(),
        ..c
    })
    .await;
    let pool = app.sync_pool().await;
    let id = app.guest(&pool).await;
    let phone = app.device(&id).await;
    phone
        .push(&pool, "before", vec![put("old", "1", 0)])
        .await
        .unwrap();
    let admin = app.sync_admin();
    let streams = |name: &str| {
        CognitoStreams::builder()
            .stream_name(name)
            .role_arn("arn:aws:iam::000000000000:role/CognitoStreams")
            .streaming_status(StreamingStatus::Enabled)
            .build()
    };
    let unknown = admin
        .set_identity_pool_configuration()
        .identity_pool_id(&pool)
        .cognito_streams(streams("nowhere"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&unknown), "InvalidParameterException");
    let set = admin
        .set_identity_pool_configuration()
        .identity_pool_id(&pool)
        .cognito_streams(streams("sync-events"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        set.cognito_streams().unwrap().stream_name(),
        Some("sync-events")
    );
    phone
        .push(
            &pool,
            "prefs",
            vec![put("theme", "dark", 0), put("gone", "x", 0)],
        )
        .await
        .unwrap();
    let (record, headers) = sink.next().await;
    assert_eq!(record["identityPoolId"], pool.as_str());
    assert_eq!(record["identityId"], id.as_str());
    assert_eq!(record["dataSetName"], "prefs");
    assert_eq!(record["payloadType"], "Inline");
    assert_eq!(record["syncCount"], 1);
    let synced = record["kinesisSyncRecords"].as_array().unwrap();
    assert_eq!(synced.len(), 2);
    assert!(synced
        .iter()
        .any(|r| r["key"] == "theme" && r["value"] == "dark" && r["op"] == "replace"));
    assert!(headers
        .iter()
        .any(|(k, v)| k == "x-cognate-stream-name" && v == "sync-events"));
    phone
        .push(&pool, "prefs", vec![remove("gone", 1)])
        .await
        .unwrap();
    let (removal, _) = sink.next().await;
    assert_eq!(removal["operation"], "remove");
    assert_eq!(removal["kinesisSyncRecords"][0]["op"], "remove");
    admin
        .bulk_publish()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap();
    let mut replayed = [sink.next().await.0, sink.next().await.0];
    replayed.sort_by_key(|r| r["dataSetName"].as_str().unwrap_or_default().to_string());
    assert_eq!(replayed[0]["dataSetName"], "before");
    assert_eq!(
        replayed[1]["kinesisSyncRecords"].as_array().unwrap().len(),
        1
    );
    let mut status = None;
    for _ in 0..500 {
        let details = admin
            .get_bulk_publish_details()
            .identity_pool_id(&pool)
            .send()
            .await
            .unwrap();
        status = details.bulk_publish_status().cloned();
        if status.as_ref().is_some_and(|s| s.as_str() != "IN_PROGRESS") {
            assert!(details.bulk_publish_complete_time().is_some());
            break;
        }
    }
    assert_eq!(
        status.map(|s| s.as_str().to_string()).as_deref(),
        Some("SUCCEEDED")
    );
    let again = admin
        .bulk_publish()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&again), "AlreadyStreamedException");
}

#[tokio::test]
async fn bulk_publish_needs_an_enabled_stream() {
    let app = spawn().await;
    let pool = app.sync_pool().await;
    let admin = app.sync_admin();
    let details = admin
        .get_bulk_publish_details()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap();
    assert_eq!(
        details.bulk_publish_status().unwrap().as_str(),
        "NOT_STARTED"
    );
    let refused = admin
        .bulk_publish()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&refused), "InvalidParameterException");
    let push = cs::types::PushSync::builder()
        .application_arns("arn:aws:sns:us-east-1:000000000000:app/GCM/my-app")
        .role_arn("arn:aws:iam::000000000000:role/CognitoPush")
        .build();
    admin
        .set_identity_pool_configuration()
        .identity_pool_id(&pool)
        .push_sync(push)
        .send()
        .await
        .unwrap();
    let config = admin
        .get_identity_pool_configuration()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap();
    assert_eq!(
        config.push_sync().unwrap().application_arns(),
        ["arn:aws:sns:us-east-1:000000000000:app/GCM/my-app"]
    );
    assert!(config.cognito_streams().is_none());
}
