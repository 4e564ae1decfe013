//! Cognito Sync's datasets end to end with aws-sdk-cognitosync, signed by the credentials an
//! identity pool hands out: devices of one identity converge by sync counts, stale writes
//! conflict and write nothing, deletions reach the devices behind them, and AWS's limits hold.

use std::collections::BTreeMap;

use aws_sdk_cognitosync as cs;

use crate::common::*;

fn values(records: &[cs::types::Record]) -> BTreeMap<String, Option<String>> {
    records
        .iter()
        .map(|r| (r.key.clone().unwrap(), r.value.clone()))
        .collect()
}

#[tokio::test]
async fn two_devices_of_one_identity_converge() {
    let app = spawn().await;
    let pool = app.sync_pool().await;
    let id = app.guest(&pool).await;
    let (phone, tablet) = (app.device(&id).await, app.device(&id).await);
    let first = phone.pull(&pool, "prefs", 0).await;
    assert!(!first.dataset_exists);
    assert_eq!(first.dataset_sync_count, Some(0));
    let written = phone
        .push(
            &pool,
            "prefs",
            vec![put("theme", "dark", 0), put("lang", "fr", 0)],
        )
        .await
        .unwrap();
    assert_eq!(written.len(), 2);
    assert!(written.iter().all(|r| r.sync_count == Some(1)));
    assert_eq!(written[0].last_modified_by.as_deref(), Some(id.as_str()));
    let seen = tablet.pull(&pool, "prefs", 0).await;
    assert!(seen.dataset_exists);
    assert_eq!(seen.dataset_sync_count, Some(1));
    assert_eq!(seen.count, 2);
    let expected = BTreeMap::from([
        ("lang".to_string(), Some("fr".to_string())),
        ("theme".to_string(), Some("dark".to_string())),
    ]);
    assert_eq!(values(seen.records()), expected);
    tablet
        .push(
            &pool,
            "prefs",
            vec![put("theme", "light", 1), remove("lang", 1)],
        )
        .await
        .unwrap();
    let since = phone.pull(&pool, "prefs", 1).await;
    assert_eq!(since.dataset_sync_count, Some(2));
    let expected = BTreeMap::from([
        ("lang".to_string(), None),
        ("theme".to_string(), Some("light".to_string())),
    ]);
    assert_eq!(
        values(since.records()),
        expected,
        "removals travel as records"
    );
    assert!(phone.pull(&pool, "prefs", 2).await.records().is_empty());
    let described = phone
        .sync
        .describe_dataset()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .dataset_name("prefs")
        .send()
        .await
        .unwrap();
    let dataset = described.dataset.unwrap();
    assert_eq!(dataset.num_records, Some(1));
    assert_eq!(
        dataset.data_storage,
        Some(("theme".len() + "light".len()) as i64)
    );
    let listed = tablet
        .sync
        .list_datasets()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.count, 1);
    let usage = phone
        .sync
        .describe_identity_usage()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .send()
        .await
        .unwrap()
        .identity_usage
        .unwrap();
    assert_eq!(usage.dataset_count, 1);
    assert_eq!(usage.data_storage, Some(10));
    let changes = app.sql_i64("SELECT COUNT(*) FROM sync_changes").await;
    assert_eq!(changes, 2, "one change-log row per write");
}

#[tokio::test]
async fn records_page_in_sync_count_order() {
    let app = spawn().await;
    let pool = app.sync_pool().await;
    let id = app.guest(&pool).await;
    let phone = app.device(&id).await;
    let patches = (0..5).map(|i| put(&format!("k{i}"), "v", 0)).collect();
    phone.push(&pool, "game", patches).await.unwrap();
    let mut keys = Vec::new();
    let mut next = None;
    loop {
        let page = phone
            .sync
            .list_records()
            .identity_pool_id(&pool)
            .identity_id(&id)
            .dataset_name("game")
            .max_results(2)
            .set_next_token(next)
            .send()
            .await
            .unwrap();
        assert!(page.records().len() <= 2);
        keys.extend(page.records().iter().map(|r| r.key.clone().unwrap()));
        next = page.next_token;
        if next.is_none() {
            break;
        }
    }
    assert_eq!(keys, ["k0", "k1", "k2", "k3", "k4"]);
}

#[tokio::test]
async fn a_stale_write_conflicts_and_writes_nothing() {
    let app = spawn().await;
    let pool = app.sync_pool().await;
    let id = app.guest(&pool).await;
    let (phone, tablet) = (app.device(&id).await, app.device(&id).await);
    phone
        .push(&pool, "prefs", vec![put("theme", "dark", 0)])
        .await
        .unwrap();
    let stale = tablet
        .push(
            &pool,
            "prefs",
            vec![put("other", "x", 0), put("theme", "blue", 0)],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&stale), "ResourceConflictException");
    assert_eq!(stale.raw_response().unwrap().status().as_u16(), 409);
    assert!(message(&stale).contains("theme"), "{}", message(&stale));
    let now = tablet.pull(&pool, "prefs", 0).await;
    assert_eq!(
        now.dataset_sync_count,
        Some(1),
        "nothing of the call was written"
    );
    assert_eq!(values(now.records()).len(), 1);
    let bad_token = tablet
        .sync
        .update_records()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .dataset_name("prefs")
        .record_patches(put("theme", "blue", 1))
        .sync_session_token("not-a-session")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&bad_token), "InvalidParameterException");
    let other_dataset = tablet
        .pull(&pool, "other", 0)
        .await
        .sync_session_token
        .unwrap();
    let wrong_dataset = tablet
        .sync
        .update_records()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .dataset_name("prefs")
        .record_patches(put("theme", "blue", 1))
        .sync_session_token(other_dataset)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&wrong_dataset), "InvalidParameterException");
}

#[tokio::test]
async fn a_deleted_dataset_is_gone_and_devices_behind_it_are_told() {
    let app = spawn().await;
    let pool = app.sync_pool().await;
    let id = app.guest(&pool).await;
    let phone = app.device(&id).await;
    phone
        .push(&pool, "save", vec![put("level", "3", 0)])
        .await
        .unwrap();
    let deleted = phone
        .sync
        .delete_dataset()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .dataset_name("save")
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.dataset.unwrap().num_records, Some(1));
    let gone = phone
        .sync
        .describe_dataset()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .dataset_name("save")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&gone), "ResourceNotFoundException");
    let behind = phone.pull(&pool, "save", 1).await;
    assert!(!behind.dataset_exists);
    assert!(behind.dataset_deleted_after_requested_sync_count);
    let recreated = phone
        .push(&pool, "save", vec![put("level", "1", 0)])
        .await
        .unwrap();
    assert_eq!(recreated[0].sync_count, Some(3));
    let after = phone.pull(&pool, "save", 0).await;
    assert!(after.dataset_exists && after.dataset_deleted_after_requested_sync_count);
    assert!(
        !phone
            .pull(&pool, "save", 2)
            .await
            .dataset_deleted_after_requested_sync_count
    );
    assert_eq!(app.sql_i64("SELECT COUNT(*) FROM sync_changes").await, 3);
}

#[tokio::test]
async fn aws_limits_are_enforced_with_its_errors() {
    let app = spawn().await;
    let pool = app.sync_pool().await;
    let id = app.guest(&pool).await;
    let phone = app.device(&id).await;
    let bad_name = phone
        .sync
        .list_records()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .dataset_name("no spaces!")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&bad_name), "InvalidParameterException");
    let long_key = phone
        .push(&pool, "d", vec![put(&"k".repeat(1025), "v", 0)])
        .await
        .unwrap_err();
    assert_eq!(code(&long_key), "InvalidParameterException");
    let big = "x".repeat(700_000);
    phone
        .push(&pool, "d", vec![put("a", &big, 0)])
        .await
        .unwrap();
    let too_big = phone
        .push(&pool, "d", vec![put("b", &big[..400_000], 0)])
        .await
        .unwrap_err();
    assert_eq!(code(&too_big), "LimitExceededException");
    for i in 1..20 {
        phone
            .push(&pool, &format!("d{i}"), vec![put("k", "v", 0)])
            .await
            .unwrap();
    }
    let twenty_first = phone
        .push(&pool, "one-too-many", vec![put("k", "v", 0)])
        .await
        .unwrap_err();
    assert_eq!(code(&twenty_first), "LimitExceededException");
    // An existing dataset still takes writes.
    phone
        .push(&pool, "d1", vec![put("k", "w", 1)])
        .await
        .unwrap();
}

#[tokio::test]
async fn devices_register_once_and_subscribe_to_their_own_datasets() {
    let app = spawn().await;
    let pool = app.sync_pool().await;
    let (me, other) = (app.guest(&pool).await, app.guest(&pool).await);
    let phone = app.device(&me).await;
    let register = || {
        phone
            .sync
            .register_device()
            .identity_pool_id(&pool)
            .identity_id(&me)
            .platform(cs::types::Platform::Gcm)
            .token("fcm-token-1")
            .send()
    };
    let device = register().await.unwrap().device_id.unwrap();
    assert_eq!(register().await.unwrap().device_id.unwrap(), device);
    let subscribe = |dataset: &'static str, device: String| {
        phone
            .sync
            .subscribe_to_dataset()
            .identity_pool_id(&pool)
            .identity_id(&me)
            .dataset_name(dataset)
            .device_id(device)
            .send()
    };
    subscribe("prefs", device.clone()).await.unwrap();
    subscribe("prefs", device.clone()).await.unwrap();
    let rows = "SELECT COUNT(*) FROM sync_subscriptions";
    assert_eq!(app.sql_i64(rows).await, 1);
    let platform = app.sql_text("SELECT platform FROM sync_devices").await;
    assert_eq!(platform, "GCM");
    let theirs = app.device(&other).await;
    let their_device = theirs
        .sync
        .register_device()
        .identity_pool_id(&pool)
        .identity_id(&other)
        .platform(cs::types::Platform::Apns)
        .token("apns-token")
        .send()
        .await
        .unwrap()
        .device_id
        .unwrap();
    let refused = subscribe("prefs", their_device).await.unwrap_err();
    assert_eq!(code(&refused), "ResourceNotFoundException");
    phone
        .sync
        .unsubscribe_from_dataset()
        .identity_pool_id(&pool)
        .identity_id(&me)
        .dataset_name("prefs")
        .device_id(&device)
        .send()
        .await
        .unwrap();
    assert_eq!(app.sql_i64(rows).await, 0);
}

#[tokio::test]
async fn of_two_simultaneous_writes_over_one_sync_count_exactly_one_wins() {
    let app = spawn().await;
    let pool = app.sync_pool().await;
    let id = app.guest(&pool).await;
    let (phone, tablet) = (app.device(&id).await, app.device(&id).await);
    let (a, b) = tokio::join!(
        phone.push(&pool, "race", vec![put("k", "phone", 0)]),
        tablet.push(&pool, "race", vec![put("k", "tablet", 0)]),
    );
    let lost: Vec<_> = [&a, &b]
        .into_iter()
        .filter_map(|r| r.as_ref().err())
        .collect();
    assert_eq!(lost.len(), 1, "{a:?} {b:?}");
    assert_eq!(code(lost[0]), "ResourceConflictException");
    let now = phone.pull(&pool, "race", 0).await;
    assert_eq!(now.dataset_sync_count, Some(1));
    let changes = app.sql_i64("SELECT COUNT(*) FROM sync_changes").await;
    assert_eq!(changes, 1);
}

#[tokio::test]
async fn device_dates_and_the_client_context_are_kept() {
    use base64::Engine;
    let app = spawn().await;
    let pool = app.sync_pool().await;
    let id = app.guest(&pool).await;
    let phone = app.device(&id).await;
    let token = phone
        .pull(&pool, "prefs", 0)
        .await
        .sync_session_token
        .unwrap();
    let when = cs::primitives::DateTime::from_secs(1_700_000_000);
    let patch = cs::types::RecordPatch::builder()
        .op(cs::types::Operation::Replace)
        .key("theme")
        .value("dark")
        .sync_count(0)
        .device_last_modified_date(when)
        .build()
        .unwrap();
    let context = base64::engine::general_purpose::STANDARD
        .encode(r#"{"client": {"installation_id": "phone-1"}}"#);
    let written = phone
        .sync
        .update_records()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .dataset_name("prefs")
        .device_id("device-1")
        .record_patches(patch)
        .sync_session_token(token)
        .client_context(context)
        .send()
        .await
        .unwrap();
    let record = &written.records()[0];
    assert_eq!(record.device_last_modified_date, Some(when));
    assert_eq!(record.last_modified_by.as_deref(), Some("phone-1"));
    let pulled = phone.pull(&pool, "prefs", 0).await;
    assert_eq!(pulled.records()[0].device_last_modified_date, Some(when));
    assert_eq!(pulled.last_modified_by.as_deref(), Some("phone-1"));
    let device = app.sql_text("SELECT device_id FROM sync_changes").await;
    assert_eq!(
        device, "device-1",
        "the writer's device is in the change log"
    );
}
