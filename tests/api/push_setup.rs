//! What the push tests share beside the mocks: a server pushing to them, SNS clients, the
//! platform applications, and identities' devices, subscriptions and changes written the way
//! the Cognito Sync store writes them.

use serde_json::json;

use crate::push_mocks::*;

/// A server that pushes to these mocks, looking for due deliveries every 50 ms.
pub async fn push_app(fcm: &MockFcm, apns: &MockApns, worker: bool) -> crate::common::TestApp {
    push_app_with(fcm, apns, move |c| crate::common::Config {
        push_worker: worker,
        ..c
    })
    .await
}

/// `push_app` (with its worker) with more settings changed by `configure`.
pub async fn push_app_with(
    fcm: &MockFcm,
    apns: &MockApns,
    configure: impl FnOnce(crate::common::Config) -> crate::common::Config,
) -> crate::common::TestApp {
    let (fcm_url, apns_url) = (fcm.url.clone(), apns.url.clone());
    crate::common::spawn_with(move |c| {
        configure(crate::common::Config {
            fcm_url: Some(fcm_url),
            apns_url: Some(apns_url),
            push_worker: true,
            push_poll_ms: 50,
            ..c
        })
    })
    .await
}

pub fn sns_client(app: &crate::common::TestApp) -> aws_sdk_sns::Client {
    let admin =
        aws_credential_types::Credentials::new("AKIDTEST", "test-secret", None, None, "test");
    sns_client_with(&app.base, admin)
}

/// An SNS client signing with `credentials`.
pub fn sns_client_with(
    base: &str,
    credentials: aws_credential_types::Credentials,
) -> aws_sdk_sns::Client {
    use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Region};
    let conf = aws_sdk_sns::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(base)
        .credentials_provider(credentials)
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(aws_sdk_sns::config::retry::RetryConfig::disabled())
        .build();
    aws_sdk_sns::Client::from_conf(conf)
}

pub async fn gcm_application(sns: &aws_sdk_sns::Client, fcm: &MockFcm, name: &str) -> String {
    sns.create_platform_application()
        .name(name)
        .platform("GCM")
        .attributes("PlatformCredential", &fcm.account)
        .send()
        .await
        .unwrap()
        .platform_application_arn
        .unwrap()
}

pub async fn apns_application(sns: &aws_sdk_sns::Client, apns: &MockApns, name: &str) -> String {
    sns.create_platform_application()
        .name(name)
        .platform("APNS")
        .attributes("PlatformCredential", &apns.key_pem)
        .attributes("PlatformPrincipal", APNS_KEY_ID)
        .attributes("ApplePlatformTeamID", APNS_TEAM_ID)
        .attributes("ApplePlatformBundleID", APNS_BUNDLE_ID)
        .send()
        .await
        .unwrap()
        .platform_application_arn
        .unwrap()
}

/// An identity pool whose PushSync names `applications`, and one guest identity of it.
pub async fn pool_and_identity(
    app: &crate::common::TestApp,
    db: &crate::common::Db,
    applications: &[&str],
) -> (String, String) {
    use crate::common::sync_config::{save_config, PoolConfigRecord};
    let pool = app.identity_pool(None, true).await;
    let identity = app
        .identity()
        .get_id()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    let push = json!({ "ApplicationArns": applications, "RoleArn": "arn:aws:iam::000000000000:role/push" });
    let config = PoolConfigRecord {
        identity_pool_id: pool.clone(),
        push_sync: Some(push.to_string()),
        updated_at: 1,
        ..Default::default()
    };
    save_config(db, &config).await.unwrap();
    (pool, identity)
}

/// A device of the identity (as RegisterDevice stores it), subscribed to `datasets`.
pub async fn device(
    db: &crate::common::Db,
    (pool, identity): (&str, &str),
    platform: &str,
    token: &str,
    datasets: &[&str],
) -> String {
    use crate::common::sync_devices::{
        register_device, subscribe, SubscriptionRecord, SyncDeviceRecord,
    };
    let device = register_device(
        db,
        &SyncDeviceRecord {
            device_id: uuid::Uuid::new_v4().to_string(),
            identity_pool_id: pool.into(),
            identity_id: identity.into(),
            platform: platform.into(),
            token: token.into(),
            endpoint_arn: None,
            created_at: 1,
        },
    )
    .await
    .unwrap();
    for dataset in datasets {
        let s = SubscriptionRecord {
            identity_pool_id: pool.into(),
            identity_id: identity.into(),
            dataset_name: dataset.to_string(),
            device_id: device.device_id.clone(),
        };
        subscribe(db, &s).await.unwrap();
    }
    device.device_id
}

/// A write of `dataset` from `device` (UpdateRecords as the store commits it): the dataset
/// moves to `sync_count`.
pub async fn change(
    db: &crate::common::Db,
    (pool, identity): (&str, &str),
    dataset: &str,
    sync_count: i64,
    device: Option<&str>,
) {
    use crate::common::sync_store::{apply_update, DatasetUpdate};
    let update = DatasetUpdate {
        identity_pool_id: pool,
        identity_id: identity,
        dataset_name: dataset,
        expected: sync_count - 1,
        sync_count,
        data_storage: 0,
        num_records: 0,
        by: identity,
        now: 1,
        device_id: device,
        records: &[],
        stream: None,
    };
    assert!(apply_update(db, &update).await.unwrap().is_some());
}
