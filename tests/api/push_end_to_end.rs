//! The whole push flow as an app drives it with the official SDKs: SNS platform
//! applications, the pool's PushSync, RegisterDevice (which creates the SNS endpoints),
//! SubscribeToDataset, and an UpdateRecords from one device that the other devices receive
//! as a SyncTrigger through FCM and APNs.

use aws_sdk_cognitosync as cs;

use crate::common::*;
use crate::push_mocks::*;
use crate::push_setup::*;

#[tokio::test]
async fn another_device_s_update_records_reaches_the_subscribed_devices() {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let app = push_app(&fcm, &apns, true).await;
    let sns = sns_client(&app);
    let gcm = gcm_application(&sns, &fcm, "android").await;
    let ios = apns_application(&sns, &apns, "ios").await;
    let pool = app.sync_pool().await;
    let push = cs::types::PushSync::builder()
        .application_arns(&gcm)
        .application_arns(&ios)
        .role_arn("arn:aws:iam::000000000000:role/push")
        .build();
    let admin = app.sync_admin();
    let set = admin
        .set_identity_pool_configuration()
        .identity_pool_id(&pool);
    set.push_sync(push).send().await.unwrap();
    let id = app.guest(&pool).await;
    let (phone, tablet) = (app.device(&id).await, app.device(&id).await);
    let mut ids = Vec::new();
    for (device, platform, token) in [
        (&phone, cs::types::Platform::Gcm, "fcm-phone"),
        (&tablet, cs::types::Platform::Apns, "apns-tablet"),
    ] {
        let registered = device
            .sync
            .register_device()
            .identity_pool_id(&pool)
            .identity_id(&id);
        let got = registered
            .platform(platform)
            .token(token)
            .send()
            .await
            .unwrap();
        let device_id = got.device_id.unwrap();
        let subscribe = device
            .sync
            .subscribe_to_dataset()
            .identity_pool_id(&pool)
            .identity_id(&id);
        subscribe
            .dataset_name("notes")
            .device_id(&device_id)
            .send()
            .await
            .unwrap();
        ids.push(device_id);
    }
    // RegisterDevice created one endpoint under each platform's application.
    for application in [&gcm, &ios] {
        let listed = sns
            .list_endpoints_by_platform_application()
            .platform_application_arn(application);
        assert_eq!(listed.send().await.unwrap().endpoints().len(), 1);
    }

    // The phone writes, naming its device: only the tablet is pushed to.
    let token = phone
        .pull(&pool, "notes", 0)
        .await
        .sync_session_token
        .unwrap();
    let update = phone
        .sync
        .update_records()
        .identity_pool_id(&pool)
        .identity_id(&id);
    let update = update
        .dataset_name("notes")
        .device_id(&ids[0])
        .sync_session_token(token);
    update
        .record_patches(put("title", "hello", 0))
        .send()
        .await
        .unwrap();
    eventually("the tablet got the push", || async {
        apns.pushes().len() == 1
    })
    .await;
    let pushed = &apns.pushes()[0];
    assert_eq!(pushed.device_token, "apns-tablet");
    assert_eq!(pushed.body["data"]["identityId"], id.as_str());
    assert_eq!(pushed.body["data"]["datasetName"], "notes");
    assert_eq!(pushed.body["data"]["syncCount"], 1);

    // Then the tablet writes: only the phone is pushed to.
    let token = tablet
        .pull(&pool, "notes", 0)
        .await
        .sync_session_token
        .unwrap();
    let update = tablet
        .sync
        .update_records()
        .identity_pool_id(&pool)
        .identity_id(&id);
    let update = update
        .dataset_name("notes")
        .device_id(&ids[1])
        .sync_session_token(token);
    update
        .record_patches(put("title", "bye", 1))
        .send()
        .await
        .unwrap();
    eventually("the phone got the push", || async {
        fcm.messages().len() == 1
    })
    .await;
    assert_eq!(fcm.messages()[0].token, "fcm-phone");
    assert_eq!(fcm.messages()[0].data["syncCount"], "2");
    eventually("the outbox is empty", || async {
        app.sql_i64("SELECT COUNT(*) FROM push_outbox").await == 0
    })
    .await;
    assert_eq!(
        (fcm.messages().len(), apns.pushes().len()),
        (1, 1),
        "no duplicates"
    );
}
