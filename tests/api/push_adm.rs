//! Amazon Device Messaging as an SNS platform: an ADM application (client id and secret),
//! devices registered with Platform ADM, and a mock ADM that receives exactly one
//! SyncTrigger per subscribed device, with one access token reused; a registration id ADM
//! reports `Unregistered` disables its endpoint, as SNS does.

use aws_sdk_cognitosync as cs;
use aws_sdk_sns::error::ProvideErrorMetadata;

use crate::common::*;
use crate::push_mock_adm::*;
use crate::push_mocks::*;
use crate::push_setup::*;

/// A server pushing to `adm` (and the other mocks), with an ADM application in the PushSync
/// of a fresh pool: the app, the SNS client, the application and the pool.
async fn adm_pool(adm: &MockAdm) -> (TestApp, aws_sdk_sns::Client, String, String) {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let adm_url = adm.url.clone();
    let app = push_app_with(&fcm, &apns, move |c| Config {
        adm_url: Some(adm_url),
        ..c
    })
    .await;
    let sns = sns_client(&app);
    let application = sns
        .create_platform_application()
        .name("fire")
        .platform("ADM")
        .attributes("PlatformPrincipal", ADM_CLIENT_ID)
        .attributes("PlatformCredential", ADM_CLIENT_SECRET)
        .send()
        .await
        .unwrap()
        .platform_application_arn
        .unwrap();
    let pool = app.sync_pool().await;
    let push = cs::types::PushSync::builder()
        .application_arns(&application)
        .role_arn("arn:aws:iam::000000000000:role/push")
        .build();
    let set = app.sync_admin().set_identity_pool_configuration();
    set.identity_pool_id(&pool)
        .push_sync(push)
        .send()
        .await
        .unwrap();
    (app, sns, application, pool)
}

/// Registers an ADM device of `identity` with `token`, subscribed to `datasets`.
async fn adm_device(app: &TestApp, pool: &str, identity: &str, token: &str, datasets: &[&str]) {
    let device = app.device(identity).await;
    let registered = device
        .sync
        .register_device()
        .identity_pool_id(pool)
        .identity_id(identity)
        .platform(cs::types::Platform::Adm)
        .token(token)
        .send()
        .await
        .unwrap();
    let device_id = registered.device_id.unwrap();
    for dataset in datasets {
        let subscribe = device.sync.subscribe_to_dataset().identity_pool_id(pool);
        subscribe
            .identity_id(identity)
            .dataset_name(*dataset)
            .device_id(&device_id)
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn adm_devices_receive_one_sync_trigger_each_with_one_access_token() {
    let adm = MockAdm::start().await;
    let (app, sns, application, pool) = adm_pool(&adm).await;
    let id = app.guest(&pool).await;
    adm_device(&app, &pool, &id, "adm-kindle", &["notes"]).await;
    adm_device(&app, &pool, &id, "adm-fire-tv", &["notes"]).await;
    adm_device(&app, &pool, &id, "adm-elsewhere", &["photos"]).await;
    // RegisterDevice created each device's endpoint under the ADM application.
    let listed = sns
        .list_endpoints_by_platform_application()
        .platform_application_arn(&application);
    assert_eq!(listed.send().await.unwrap().endpoints().len(), 3);

    let web = app.device(&id).await;
    web.push(&pool, "notes", vec![put("title", "hello", 0)])
        .await
        .unwrap();
    eventually("both subscribed devices got the push", || async {
        adm.messages().len() == 2
    })
    .await;
    let mut tokens: Vec<String> = adm
        .messages()
        .iter()
        .map(|m| m.registration_id.clone())
        .collect();
    tokens.sort();
    assert_eq!(tokens, ["adm-fire-tv", "adm-kindle"]);
    let data = &adm.messages()[0].data;
    assert_eq!(data["source"], "cognito-sync");
    assert_eq!(data["type"], "SyncTrigger");
    assert_eq!(data["identityPoolId"], pool.as_str());
    assert_eq!(data["identityId"], id.as_str());
    assert_eq!(data["datasetName"], "notes");
    assert_eq!(data["syncCount"], "1", "ADM's data values are strings");

    web.push(&pool, "notes", vec![put("title", "again", 1)])
        .await
        .unwrap();
    eventually("the outbox is empty", || async {
        adm.messages().len() >= 4 && app.sql_i64("SELECT COUNT(*) FROM push_outbox").await == 0
    })
    .await;
    assert_eq!(adm.messages().len(), 4, "exactly one per device and change");
    assert_eq!(adm.token_requests(), 1, "the access token is reused");
}

#[tokio::test]
async fn an_unregistered_adm_device_has_its_endpoint_disabled() {
    let adm = MockAdm::start().await;
    let (app, sns, application, pool) = adm_pool(&adm).await;
    let id = app.guest(&pool).await;
    adm_device(&app, &pool, &id, "adm-gone", &["notes"]).await;
    adm_device(&app, &pool, &id, "adm-here", &["notes"]).await;
    adm.unregister("adm-gone");

    let web = app.device(&id).await;
    web.push(&pool, "notes", vec![put("title", "hello", 0)])
        .await
        .unwrap();
    eventually("the live device got it and the outbox is empty", || async {
        adm.messages().len() == 1 && app.sql_i64("SELECT COUNT(*) FROM push_outbox").await == 0
    })
    .await;
    let endpoints = sns
        .list_endpoints_by_platform_application()
        .platform_application_arn(&application)
        .send()
        .await
        .unwrap();
    let enabled = |token: &str| {
        let endpoint = endpoints.endpoints().iter().find(|e| {
            e.attributes()
                .is_some_and(|a| a.get("Token").map(String::as_str) == Some(token))
        });
        endpoint.unwrap().attributes().unwrap()["Enabled"].clone()
    };
    assert_eq!(enabled("adm-gone"), "false", "disabled, as SNS does");
    assert_eq!(enabled("adm-here"), "true");
    assert_eq!(adm.refused(), ["adm-gone"]);

    // The disabled endpoint is not tried again.
    web.push(&pool, "notes", vec![put("title", "again", 1)])
        .await
        .unwrap();
    eventually("the second push arrived", || async {
        adm.messages().len() == 2 && app.sql_i64("SELECT COUNT(*) FROM push_outbox").await == 0
    })
    .await;
    assert_eq!(adm.refused().len(), 1);
}

#[tokio::test]
async fn an_adm_application_needs_its_client_id_and_secret() {
    let adm = MockAdm::start().await;
    let (_app, sns, application, _pool) = adm_pool(&adm).await;
    let no_id = sns
        .create_platform_application()
        .name("fire-2")
        .platform("ADM")
        .attributes("PlatformCredential", ADM_CLIENT_SECRET)
        .send()
        .await
        .unwrap_err();
    assert_eq!(no_id.code(), Some("InvalidParameter"), "{no_id:?}");
    let no_secret = sns
        .create_platform_application()
        .name("fire-3")
        .platform("ADM")
        .attributes("PlatformPrincipal", ADM_CLIENT_ID)
        .send()
        .await
        .unwrap_err();
    assert_eq!(no_secret.code(), Some("InvalidParameter"), "{no_secret:?}");
    // The credentials are never returned.
    let attributes = sns
        .get_platform_application_attributes()
        .platform_application_arn(&application)
        .send()
        .await
        .unwrap();
    let attributes = attributes.attributes().unwrap();
    assert!(!attributes.contains_key("PlatformCredential"));
    assert!(!attributes.contains_key("PlatformPrincipal"));
}
