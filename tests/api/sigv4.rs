//! Strict SigV4 for admin calls when admin credentials are configured.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;

use crate::common::*;

const KEY: &str = "AKIACOGNATEADMIN";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCOGNATEKEY";

async fn strict() -> TestApp {
    spawn_with(|c| Config {
        admin_access_key_id: Some(KEY.into()),
        admin_secret_access_key: Some(Secret::new(SECRET)),
        master_key: Some(Secret::new(Sealer::generate_key())),
        ..c
    })
    .await
}

#[tokio::test]
async fn the_right_credentials_are_accepted_and_others_refused() {
    let app = strict().await;
    let good = sdk_client(&app.base, KEY, SECRET);
    good.create_user_pool()
        .pool_name("signed")
        .send()
        .await
        .unwrap();

    let wrong_secret = sdk_client(&app.base, KEY, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGSECRT");
    let err = wrong_secret
        .create_user_pool()
        .pool_name("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidSignatureException");

    let unknown_key = sdk_client(&app.base, "AKIASOMEONEELSE", SECRET);
    let err = unknown_key
        .list_user_pools()
        .max_results(5)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UnrecognizedClientException");

    // Public operations are never signed, so any credentials (or none) will do.
    let err = wrong_secret
        .initiate_auth()
        .client_id("nosuchclient")
        .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::UserPasswordAuth)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");

    let outbox = app
        .http
        .get(format!("{}/_dev/outbox", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        outbox.status(),
        404,
        "the dev outbox is off outside local mode"
    );
}

/// Signs a ListUserPools call as of `when` and returns the error type, if any.
async fn call_signed_at(app: &TestApp, when: SystemTime) -> Option<String> {
    let body = r#"{"MaxResults": 5}"#;
    let headers = [
        ("content-type", "application/x-amz-json-1.1"),
        (
            "x-amz-target",
            "AWSCognitoIdentityProviderService.ListUserPools",
        ),
    ];
    let identity = Credentials::new(KEY, SECRET, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("cognito-idp")
        .time(when)
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let url = format!("{}/", app.base);
    let signable = SignableRequest::new(
        "POST",
        &url,
        headers.into_iter(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut req = app.http.post(&url).body(body);
    for (name, value) in headers {
        req = req.header(name, value);
    }
    for (name, value) in instructions.headers() {
        req = req.header(name, value);
    }
    let reply = req.send().await.unwrap();
    if reply.status().is_success() {
        return None;
    }
    let body: serde_json::Value = reply.json().await.unwrap();
    Some(body["__type"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn stale_signatures_are_refused() {
    let app = strict().await;
    assert_eq!(call_signed_at(&app, SystemTime::now()).await, None);
    let stale = call_signed_at(&app, SystemTime::now() - Duration::from_secs(20 * 60)).await;
    assert_eq!(stale.as_deref(), Some("InvalidSignatureException"));
}
