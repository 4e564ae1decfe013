//! Push delivery through the durable outbox: a mock FCM and a mock APNs receive exactly one
//! SyncTrigger per subscribed device (never the writer's), failures are retried with stored
//! back-off, dead tokens disable their endpoints, and what a stopped server left undelivered
//! is delivered by the next one.

use crate::common::*;
use crate::push_mocks::*;
use crate::push_setup::*;

const DATASET: &str = "notes";

#[tokio::test]
async fn fcm_and_apns_receive_one_sync_trigger_per_subscribed_device() {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let app = push_app(&fcm, &apns, true).await;
    let sns = sns_client(&app);
    let gcm = gcm_application(&sns, &fcm, "android").await;
    let ios = apns_application(&sns, &apns, "ios").await;
    let db = app.db().await;
    let (pool, identity) = pool_and_identity(&app, &db, &[&gcm, &ios]).await;
    let who = (pool.as_str(), identity.as_str());
    let writer = device(&db, who, "GCM", "fcm-writer", &[DATASET]).await;
    device(&db, who, "GCM", "fcm-reader", &[DATASET]).await;
    device(&db, who, "APNS", "apns-reader", &[DATASET]).await;
    device(&db, who, "GCM", "fcm-elsewhere", &["other"]).await;

    change(&db, who, DATASET, 1, Some(&writer)).await;
    eventually("both readers got the push", || async {
        fcm.messages().len() == 1 && apns.pushes().len() == 1
    })
    .await;
    let message = &fcm.messages()[0];
    assert_eq!(message.token, "fcm-reader");
    assert_eq!(message.data["source"], "cognito-sync");
    assert_eq!(message.data["type"], "SyncTrigger");
    assert_eq!(message.data["identityPoolId"], pool.as_str());
    assert_eq!(message.data["identityId"], identity.as_str());
    assert_eq!(message.data["datasetName"], DATASET);
    assert_eq!(message.data["syncCount"], "1");
    let push = &apns.pushes()[0];
    assert_eq!(push.device_token, "apns-reader");
    assert_eq!(
        (push.push_type.as_str(), push.topic.as_str()),
        ("background", APNS_BUNDLE_ID)
    );
    assert_eq!(push.body["aps"]["content-available"], 1);
    assert_eq!(push.body["data"]["datasetName"], DATASET);
    assert_eq!(push.body["data"]["syncCount"], 1);

    // A second change: one more each, and the FCM access token is reused.
    change(&db, who, DATASET, 2, Some(&writer)).await;
    eventually("the second push arrived", || async {
        fcm.messages().len() == 2 && apns.pushes().len() == 2
    })
    .await;
    assert_eq!(fcm.token_requests(), 1);
    eventually("the outbox is empty", || async {
        app.sql_i64("SELECT COUNT(*) FROM push_outbox").await == 0
    })
    .await;
    assert_eq!(fcm.messages().len(), 2, "no duplicate");
    assert!(fcm.messages().iter().all(|m| m.token == "fcm-reader"));
    // The devices' endpoints exist under the applications, as SNS lists them.
    let endpoints = sns
        .list_endpoints_by_platform_application()
        .platform_application_arn(&gcm)
        .send()
        .await
        .unwrap();
    assert_eq!(
        endpoints.endpoints().len(),
        1,
        "only the pushed device got an endpoint"
    );
}

#[tokio::test]
async fn failed_deliveries_are_retried_after_a_stored_back_off() {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let app = push_app(&fcm, &apns, true).await;
    let sns = sns_client(&app);
    let gcm = gcm_application(&sns, &fcm, "android").await;
    let db = app.db().await;
    let (pool, identity) = pool_and_identity(&app, &db, &[&gcm]).await;
    let who = (pool.as_str(), identity.as_str());
    device(&db, who, "GCM", "fcm-reader", &[DATASET]).await;
    fcm.fail_next(1);
    change(&db, who, DATASET, 1, None).await;
    eventually("the failed attempt is recorded", || async {
        app.sql_i64("SELECT COUNT(*) FROM push_outbox WHERE attempts = 1 AND last_error IS NOT NULL AND claimed_until = 0").await == 1
    })
    .await;
    let wait = app
        .sql_i64("SELECT next_attempt_at - created_at FROM push_outbox")
        .await;
    assert!(wait >= 2_000, "the retry waits: {wait} ms");
    assert!(fcm.messages().is_empty());
    app.sql("UPDATE push_outbox SET next_attempt_at = 0").await;
    eventually("the retry delivered", || async {
        fcm.messages().len() == 1
    })
    .await;
    eventually("the outbox is empty", || async {
        app.sql_i64("SELECT COUNT(*) FROM push_outbox").await == 0
    })
    .await;
}

#[tokio::test]
async fn a_token_reported_dead_disables_its_endpoint() {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let app = push_app(&fcm, &apns, true).await;
    let sns = sns_client(&app);
    let gcm = gcm_application(&sns, &fcm, "android").await;
    let ios = apns_application(&sns, &apns, "ios").await;
    let db = app.db().await;
    let (pool, identity) = pool_and_identity(&app, &db, &[&gcm, &ios]).await;
    let who = (pool.as_str(), identity.as_str());
    device(&db, who, "GCM", "fcm-gone", &[DATASET]).await;
    device(&db, who, "APNS", "apns-gone", &[DATASET]).await;
    fcm.unregister("fcm-gone");
    apns.unregister("apns-gone");
    change(&db, who, DATASET, 1, None).await;
    eventually("both endpoints are disabled", || async {
        app.sql_i64("SELECT COUNT(*) FROM sns_endpoints WHERE enabled = 0")
            .await
            == 2
    })
    .await;
    let arn = app
        .sql_text("SELECT arn FROM sns_endpoints WHERE token = 'fcm-gone'")
        .await;
    let got = sns
        .get_endpoint_attributes()
        .endpoint_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(got.attributes.unwrap()["Enabled"], "false");
    eventually("nothing is left to retry", || async {
        app.sql_i64("SELECT COUNT(*) FROM push_outbox").await == 0
    })
    .await;
    // A disabled endpoint is not pushed to again.
    change(&db, who, DATASET, 2, None).await;
    eventually("the change is fanned out and dropped", || async {
        app.sql_i64("SELECT COUNT(*) FROM sync_changes WHERE pushed_at IS NULL")
            .await
            == 0
            && app.sql_i64("SELECT COUNT(*) FROM push_outbox").await == 0
    })
    .await;
    assert_eq!(fcm.messages().len(), 1, "one refused attempt, then none");
    assert!(apns.pushes().is_empty());
}

#[tokio::test]
async fn a_change_committed_before_a_stop_is_delivered_after_restart() {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    // The first server delivers nothing: as if it were killed before its worker ran.
    let first = push_app(&fcm, &apns, false).await;
    let sns = sns_client(&first);
    let gcm = gcm_application(&sns, &fcm, "android").await;
    let db = first.db().await;
    let (pool, identity) = pool_and_identity(&first, &db, &[&gcm]).await;
    let who = (pool.as_str(), identity.as_str());
    device(&db, who, "GCM", "fcm-reader", &[DATASET]).await;
    change(&db, who, DATASET, 1, None).await;
    assert_eq!(
        first
            .sql_i64("SELECT COUNT(*) FROM sync_changes WHERE pushed_at IS NULL")
            .await,
        1
    );

    let config = Config {
        push_worker: true,
        ..first.config.clone()
    };
    let second = Application::build(config)
        .await
        .expect("a second server starts");
    tokio::spawn(second.run_until_stopped());
    eventually("the restarted server delivered", || async {
        fcm.messages().len() == 1
    })
    .await;
    assert_eq!(fcm.messages()[0].data["syncCount"], "1");
    eventually("the outbox is empty", || async {
        first.sql_i64("SELECT COUNT(*) FROM push_outbox").await == 0
    })
    .await;
    assert_eq!(fcm.messages().len(), 1);
}
