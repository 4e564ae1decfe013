//! SNS mobile push through the official SDK: platform applications and endpoints, their
//! ARNs, attributes, paging, idempotency and errors, and credentials sealed at rest.

use aws_sdk_sns::error::ProvideErrorMetadata;

use crate::common::*;
use crate::push_mocks::*;
use crate::push_setup::*;

#[tokio::test]
async fn platform_applications_round_trip_without_ever_returning_their_credentials() {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let app = push_app(&fcm, &apns, true).await;
    let sns = sns_client(&app);
    let gcm = gcm_application(&sns, &fcm, "notes-android").await;
    assert_eq!(
        gcm,
        "arn:aws:sns:us-east-1:000000000000:app/GCM/notes-android"
    );
    let ios = apns_application(&sns, &apns, "notes-ios").await;
    assert_eq!(ios, "arn:aws:sns:us-east-1:000000000000:app/APNS/notes-ios");
    // The same name and attributes again is the same application.
    assert_eq!(gcm_application(&sns, &fcm, "notes-android").await, gcm);

    let got = sns
        .get_platform_application_attributes()
        .platform_application_arn(&ios)
        .send()
        .await
        .unwrap();
    let attributes = got.attributes.unwrap();
    assert_eq!(
        attributes.get("ApplePlatformBundleID").map(String::as_str),
        Some(APNS_BUNDLE_ID)
    );
    assert_eq!(attributes.get("Enabled").map(String::as_str), Some("true"));
    assert!(
        !attributes.contains_key("PlatformCredential"),
        "{attributes:?}"
    );
    assert!(
        !attributes.contains_key("PlatformPrincipal"),
        "{attributes:?}"
    );

    sns.set_platform_application_attributes()
        .platform_application_arn(&ios)
        .attributes("ApplePlatformBundleID", "com.example.other")
        .send()
        .await
        .unwrap();
    let got = sns
        .get_platform_application_attributes()
        .platform_application_arn(&ios)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.attributes.unwrap()["ApplePlatformBundleID"],
        "com.example.other"
    );

    let listed = sns.list_platform_applications().send().await.unwrap();
    let arns: Vec<_> = listed
        .platform_applications()
        .iter()
        .filter_map(|a| a.platform_application_arn())
        .collect();
    // In ARN order.
    assert_eq!(arns, [ios.as_str(), gcm.as_str()]);
    assert!(listed.next_token.is_none());
    for a in listed.platform_applications() {
        assert!(!a.attributes().unwrap().contains_key("PlatformCredential"));
    }

    sns.delete_platform_application()
        .platform_application_arn(&ios)
        .send()
        .await
        .unwrap();
    let err = sns
        .get_platform_application_attributes()
        .platform_application_arn(&ios)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NotFound"), "{err:?}");
    // Deleting what is gone succeeds, as in SNS.
    sns.delete_platform_application()
        .platform_application_arn(&ios)
        .send()
        .await
        .unwrap();

    let stored = app
        .sql_text("SELECT credential FROM sns_platform_applications")
        .await;
    assert!(
        stored.starts_with("cog1:"),
        "the credential is sealed: {stored:.20}"
    );
    assert!(!stored.contains("PRIVATE KEY") && !stored.contains("client_email"));
}

#[tokio::test]
async fn endpoints_are_idempotent_per_token_and_keep_their_attributes() {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let app = push_app(&fcm, &apns, true).await;
    let sns = sns_client(&app);
    let gcm = gcm_application(&sns, &fcm, "notes").await;
    let create = |token: &str, data: Option<&str>| {
        sns.create_platform_endpoint()
            .platform_application_arn(&gcm)
            .token(token)
            .set_custom_user_data(data.map(String::from))
            .send()
    };
    let first = create("token-1", Some("ada"))
        .await
        .unwrap()
        .endpoint_arn
        .unwrap();
    assert!(
        first.starts_with("arn:aws:sns:us-east-1:000000000000:endpoint/GCM/notes/"),
        "{first}"
    );
    assert_eq!(
        create("token-1", Some("ada"))
            .await
            .unwrap()
            .endpoint_arn
            .unwrap(),
        first
    );
    let err = create("token-1", Some("grace")).await.unwrap_err();
    assert_eq!(err.code(), Some("InvalidParameter"), "{err:?}");
    assert!(err
        .message()
        .unwrap_or_default()
        .contains("same Token, but different attributes"));
    let second = create("token-2", None).await.unwrap().endpoint_arn.unwrap();

    let got = sns
        .get_endpoint_attributes()
        .endpoint_arn(&first)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap();
    assert_eq!(got["Token"], "token-1");
    assert_eq!(got["Enabled"], "true");
    assert_eq!(got["CustomUserData"], "ada");

    sns.set_endpoint_attributes()
        .endpoint_arn(&first)
        .attributes("Enabled", "false")
        .attributes("Token", "token-1b")
        .send()
        .await
        .unwrap();
    let got = sns
        .get_endpoint_attributes()
        .endpoint_arn(&first)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap();
    assert_eq!(
        (got["Enabled"].as_str(), got["Token"].as_str()),
        ("false", "token-1b")
    );

    let listed = sns
        .list_endpoints_by_platform_application()
        .platform_application_arn(&gcm)
        .send()
        .await
        .unwrap();
    let mut arns: Vec<_> = listed
        .endpoints()
        .iter()
        .filter_map(|e| e.endpoint_arn().map(String::from))
        .collect();
    arns.sort();
    let mut expected = vec![first.clone(), second.clone()];
    expected.sort();
    assert_eq!(arns, expected);

    sns.delete_endpoint()
        .endpoint_arn(&first)
        .send()
        .await
        .unwrap();
    let err = sns
        .get_endpoint_attributes()
        .endpoint_arn(&first)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("NotFound"), "{err:?}");
}

#[tokio::test]
async fn lists_page_with_next_tokens() {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let app = push_app(&fcm, &apns, true).await;
    let sns = sns_client(&app);
    let gcm = gcm_application(&sns, &fcm, "paged").await;
    for i in 0..105 {
        sns.create_platform_endpoint()
            .platform_application_arn(&gcm)
            .token(format!("t{i}"))
            .send()
            .await
            .unwrap();
    }
    let first = sns
        .list_endpoints_by_platform_application()
        .platform_application_arn(&gcm)
        .send()
        .await
        .unwrap();
    assert_eq!(first.endpoints().len(), 100);
    let token = first.next_token.clone().expect("a second page");
    let second = sns
        .list_endpoints_by_platform_application()
        .platform_application_arn(&gcm)
        .next_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(second.endpoints().len(), 5);
    assert!(second.next_token.is_none());
    let bad = sns
        .list_endpoints_by_platform_application()
        .platform_application_arn(&gcm)
        .next_token("%%%")
        .send()
        .await
        .unwrap_err();
    assert_eq!(bad.code(), Some("InvalidParameter"), "{bad:?}");
}

#[tokio::test]
async fn bad_requests_get_sns_errors() {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let app = push_app(&fcm, &apns, true).await;
    let sns = sns_client(&app);
    let wrong_platform = sns
        .create_platform_application()
        .name("x")
        .platform("WNS")
        .attributes("PlatformCredential", "k")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        wrong_platform.code(),
        Some("InvalidParameter"),
        "{wrong_platform:?}"
    );
    let bad_json = sns
        .create_platform_application()
        .name("x")
        .platform("GCM")
        .attributes("PlatformCredential", "{not json")
        .send()
        .await
        .unwrap_err();
    assert_eq!(bad_json.code(), Some("InvalidParameter"), "{bad_json:?}");
    let no_team = sns
        .create_platform_application()
        .name("x")
        .platform("APNS_SANDBOX")
        .attributes("PlatformCredential", &apns.key_pem)
        .attributes("PlatformPrincipal", APNS_KEY_ID)
        .send()
        .await
        .unwrap_err();
    assert_eq!(no_team.code(), Some("InvalidParameter"), "{no_team:?}");
    let bad_name = sns
        .create_platform_application()
        .name("has space")
        .platform("GCM")
        .attributes("PlatformCredential", &fcm.account)
        .send()
        .await
        .unwrap_err();
    assert_eq!(bad_name.code(), Some("InvalidParameter"), "{bad_name:?}");
    let missing = sns
        .create_platform_endpoint()
        .platform_application_arn("arn:aws:sns:us-east-1:000000000000:app/GCM/none")
        .token("t")
        .send()
        .await
        .unwrap_err();
    assert_eq!(missing.code(), Some("NotFound"), "{missing:?}");
    let gcm = gcm_application(&sns, &fcm, "errors").await;
    let arn = sns
        .create_platform_endpoint()
        .platform_application_arn(&gcm)
        .token("t")
        .send()
        .await
        .unwrap()
        .endpoint_arn
        .unwrap();
    let bad_attr = sns
        .set_endpoint_attributes()
        .endpoint_arn(&arn)
        .attributes("Colour", "blue")
        .send()
        .await
        .unwrap_err();
    assert_eq!(bad_attr.code(), Some("InvalidParameter"), "{bad_attr:?}");
    let bad_flag = sns
        .set_endpoint_attributes()
        .endpoint_arn(&arn)
        .attributes("Enabled", "maybe")
        .send()
        .await
        .unwrap_err();
    assert_eq!(bad_flag.code(), Some("InvalidParameter"), "{bad_flag:?}");
    assert_eq!(
        app.sql_i64("SELECT COUNT(*) FROM sns_platform_applications")
            .await,
        1
    );
}

#[tokio::test]
async fn an_identity_s_credentials_may_not_manage_push() {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let app = push_app(&fcm, &apns, true).await;
    let gcm = gcm_application(&sns_client(&app), &fcm, "android").await;
    let pool = app.sync_pool().await;
    let id = app.guest(&pool).await;
    let got = app
        .identity()
        .get_credentials_for_identity()
        .identity_id(&id);
    let got = got.send().await.unwrap();
    let sns = sns_client_with(&app.base, sdk_creds(got.credentials().unwrap()));
    let err = sns.list_platform_applications().send().await.unwrap_err();
    assert_eq!(err.code(), Some("AuthorizationError"), "{err:?}");
    let err = sns
        .delete_platform_application()
        .platform_application_arn(&gcm)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("AuthorizationError"), "{err:?}");
    assert_eq!(
        app.sql_i64("SELECT COUNT(*) FROM sns_platform_applications")
            .await,
        1
    );
}
