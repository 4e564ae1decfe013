//! APNs applications created with a TLS certificate (PlatformPrincipal the certificate,
//! PlatformCredential its private key, as SNS takes them): the pair is checked when it is
//! set, and pushes go without a provider token. The mock APNs is cleartext HTTP/2, so the
//! TLS client authentication itself is not exercised here.

use aws_sdk_sns::error::ProvideErrorMetadata;

use crate::push_mocks::*;
use crate::push_setup::*;

const CERTIFICATE: &str = include_str!("fixtures/apns-cert.pem");
const KEY: &str = include_str!("fixtures/apns-key.pem");
const OTHER_KEY: &str = include_str!("fixtures/other-key.pem");

async fn create(
    sns: &aws_sdk_sns::Client,
    name: &str,
    certificate: &str,
    key: &str,
) -> Result<String, String> {
    sns.create_platform_application()
        .name(name)
        .platform("APNS")
        .attributes("PlatformPrincipal", certificate)
        .attributes("PlatformCredential", key)
        .attributes("ApplePlatformBundleID", APNS_BUNDLE_ID)
        .send()
        .await
        .map(|r| r.platform_application_arn.unwrap())
        .map_err(|e| format!("{}: {}", e.code().unwrap_or("?"), e.message().unwrap_or("")))
}

#[tokio::test]
async fn a_certificate_and_key_that_do_not_parse_or_match_are_refused() {
    let (fcm, apns) = (
        MockFcm::start().await,
        MockApns::start_for_certificates().await,
    );
    let app = push_app(&fcm, &apns, true).await;
    let sns = sns_client(&app);
    let mismatched = create(&sns, "ios", CERTIFICATE, OTHER_KEY)
        .await
        .unwrap_err();
    assert!(mismatched.starts_with("InvalidParameter: "), "{mismatched}");
    assert!(mismatched.contains("does not match"), "{mismatched}");
    let garbage =
        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";
    let unparsable = create(&sns, "ios", garbage, KEY).await.unwrap_err();
    assert!(unparsable.starts_with("InvalidParameter: "), "{unparsable}");
    let no_key = create(&sns, "ios", CERTIFICATE, "not a key")
        .await
        .unwrap_err();
    assert!(no_key.starts_with("InvalidParameter: "), "{no_key}");

    // A good pair is taken, without team or key id; replacing its key with another is not.
    let arn = create(&sns, "ios", CERTIFICATE, KEY).await.unwrap();
    let replaced = sns
        .set_platform_application_attributes()
        .platform_application_arn(&arn)
        .attributes("PlatformCredential", OTHER_KEY)
        .send()
        .await
        .unwrap_err();
    assert_eq!(replaced.code(), Some("InvalidParameter"), "{replaced:?}");
    let attributes = sns
        .get_platform_application_attributes()
        .platform_application_arn(&arn)
        .send()
        .await
        .unwrap();
    let attributes = attributes.attributes().unwrap();
    assert!(
        !attributes.contains_key("PlatformPrincipal"),
        "never returned"
    );
    assert!(
        !attributes.contains_key("PlatformCredential"),
        "never returned"
    );
}

#[tokio::test]
async fn a_certificate_application_delivers_without_a_provider_token() {
    let (fcm, apns) = (
        MockFcm::start().await,
        MockApns::start_for_certificates().await,
    );
    let app = push_app(&fcm, &apns, true).await;
    let sns = sns_client(&app);
    let ios = create(&sns, "ios", CERTIFICATE, KEY).await.unwrap();
    let db = app.db().await;
    let (pool, identity) = pool_and_identity(&app, &db, &[&ios]).await;
    let who = (pool.as_str(), identity.as_str());
    let writer = device(&db, who, "APNS", "apns-writer", &["notes"]).await;
    device(&db, who, "APNS", "apns-reader", &["notes"]).await;
    change(&db, who, "notes", 1, Some(&writer)).await;
    eventually("the reader got the push", || async {
        apns.pushes().len() == 1 && app.sql_i64("SELECT COUNT(*) FROM push_outbox").await == 0
    })
    .await;
    let push = &apns.pushes()[0];
    assert_eq!(push.device_token, "apns-reader");
    assert_eq!(push.topic, APNS_BUNDLE_ID);
    assert_eq!(push.push_type, "background");
    assert_eq!(push.body["data"]["syncCount"], 1);
}
