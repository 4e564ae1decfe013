//! IAM OpenID Connect providers through aws-sdk-iam, and identity-pool OIDC logins checked
//! against them: the token's `aud` must be one of the provider's client ids, and outside
//! local mode the provider must exist in IAM.

use std::collections::BTreeMap;

use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Region};
use aws_sdk_iam as iam_sdk;
use serde_json::json;

use crate::common::*;
use crate::federation_mock::{self as mock, Upstream};

const ARN: &str = "arn:aws:iam::000000000000:oidc-provider/corp.example.com";
const ADMIN_KEY: &str = "AKIACOGNATEADMIN";
const ADMIN_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCOGNATEKEY";

fn iam_client(app: &TestApp) -> iam_sdk::Client {
    let key = app.config.admin_access_key_id.as_deref();
    let secret = app.config.admin_secret_access_key.as_ref();
    let conf = iam_sdk::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(&app.base)
        .credentials_provider(iam_sdk::config::Credentials::new(
            key.unwrap_or("AKIDTEST"),
            secret.map_or("test-secret", |s| s.expose()),
            None,
            None,
            "test",
        ))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(iam_sdk::config::retry::RetryConfig::disabled())
        .build();
    iam_sdk::Client::from_conf(conf)
}

/// A server whose `corp.example.com` is the mock issuer; with admin keys when `strict`.
async fn app_for(up: &Upstream, strict: bool) -> TestApp {
    let urls = BTreeMap::from([("corp.example.com".to_string(), up.base.clone())]);
    spawn_with(move |c| Config {
        federation_urls: urls,
        admin_access_key_id: strict.then(|| ADMIN_KEY.into()),
        admin_secret_access_key: strict.then(|| Secret::new(ADMIN_SECRET)),
        master_key: Some(Secret::new(Sealer::generate_key())),
        ..c
    })
    .await
}

async fn oidc_pool(app: &TestApp) -> String {
    app.identity()
        .create_identity_pool()
        .identity_pool_name("corp")
        .allow_unauthenticated_identities(false)
        .open_id_connect_provider_arns(ARN)
        .send()
        .await
        .unwrap()
        .identity_pool_id
}

async fn login(app: &TestApp, pool: &str, token: &str) -> Result<String, (String, String)> {
    let sent = app
        .identity()
        .get_id()
        .identity_pool_id(pool)
        .logins("corp.example.com", token)
        .send()
        .await;
    sent.map(|o| o.identity_id.unwrap())
        .map_err(|e| (code(&e), message(&e)))
}

async fn create_provider(iam: &iam_sdk::Client, clients: &[&str]) -> String {
    let mut request = iam
        .create_open_id_connect_provider()
        .url("https://corp.example.com")
        .thumbprint_list("9e99a48a9960b14926bb7f3b02e22da2b0ab7280")
        .tags(
            iam_sdk::types::Tag::builder()
                .key("team")
                .value("id")
                .build()
                .unwrap(),
        );
    for c in clients {
        request = request.client_id_list(*c);
    }
    request
        .send()
        .await
        .unwrap()
        .open_id_connect_provider_arn
        .unwrap()
}

#[tokio::test]
async fn aws_sdk_iam_manages_openid_connect_providers() {
    let up = mock::start().await;
    let app = app_for(&up, false).await;
    let iam = iam_client(&app);
    assert_eq!(create_provider(&iam, &["web", "mobile"]).await, ARN);
    let again = iam
        .create_open_id_connect_provider()
        .url("https://corp.example.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&again), "EntityAlreadyExists");
    for bad in [
        "http://corp.example.com",
        "https://x.example?a=1",
        "corp.example",
    ] {
        let err = iam
            .create_open_id_connect_provider()
            .url(bad)
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&err), "InvalidInput", "{bad}");
    }

    let got = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(ARN)
        .send()
        .await
        .unwrap();
    assert_eq!(got.url(), Some("corp.example.com"));
    assert_eq!(got.client_id_list(), ["web", "mobile"]);
    assert_eq!(got.thumbprint_list().len(), 1);
    assert_eq!(got.tags()[0].key(), "team");
    assert!(got.create_date().is_some());

    let add = iam.add_client_id_to_open_id_connect_provider();
    add.open_id_connect_provider_arn(ARN)
        .client_id("cli")
        .send()
        .await
        .unwrap();
    let remove = iam.remove_client_id_from_open_id_connect_provider();
    remove
        .open_id_connect_provider_arn(ARN)
        .client_id("web")
        .send()
        .await
        .unwrap();
    let got = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(ARN)
        .send()
        .await
        .unwrap();
    assert_eq!(got.client_id_list(), ["mobile", "cli"]);

    let listed = iam.list_open_id_connect_providers().send().await.unwrap();
    let arns: Vec<_> = listed
        .open_id_connect_provider_list()
        .iter()
        .map(|e| e.arn().unwrap())
        .collect();
    assert_eq!(arns, [ARN]);

    let missing = "arn:aws:iam::000000000000:oidc-provider/nowhere.example";
    let err = iam
        .get_open_id_connect_provider()
        .open_id_connect_provider_arn(missing)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NoSuchEntity");
    let err = iam
        .add_client_id_to_open_id_connect_provider()
        .open_id_connect_provider_arn(missing)
        .client_id("x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NoSuchEntity");
    let err = iam
        .delete_open_id_connect_provider()
        .open_id_connect_provider_arn("not-an-arn-at-all-really")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidInput");
    iam.delete_open_id_connect_provider()
        .open_id_connect_provider_arn(ARN)
        .send()
        .await
        .unwrap();
    let err = iam
        .delete_open_id_connect_provider()
        .open_id_connect_provider_arn(ARN)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NoSuchEntity");
    let listed = iam.list_open_id_connect_providers().send().await.unwrap();
    assert!(listed.open_id_connect_provider_list().is_empty());
}

#[tokio::test]
async fn an_oidc_login_needs_an_aud_in_the_providers_client_id_list() {
    let up = mock::start().await;
    let app = app_for(&up, true).await;
    let iam = iam_client(&app);
    let pool = oidc_pool(&app).await;
    let token = up.id_token(&up.base, "web", json!({"sub": "o-1"}));

    // Outside local mode, a provider IAM lacks is refused.
    let (code, message) = login(&app, &pool, &token).await.unwrap_err();
    assert_eq!(code, "NotAuthorizedException");
    assert!(message.starts_with("Invalid login token."), "{message}");

    create_provider(&iam, &["web"]).await;
    let id = login(&app, &pool, &token).await.unwrap();
    let listed = up.id_token(&up.base, "web", json!({"sub": "o-1"}));
    assert_eq!(login(&app, &pool, &listed).await.unwrap(), id);

    // An aud as a list passes when one of them is listed; another client's token does not.
    let many = up.id_token(
        &up.base,
        "x",
        json!({"sub": "o-2", "aud": ["other", "web"]}),
    );
    assert!(login(&app, &pool, &many).await.is_ok());
    let foreign = up.id_token(&up.base, "other-client", json!({"sub": "o-1"}));
    let refused = login(&app, &pool, &foreign).await.unwrap_err();
    assert_eq!(refused.0, "NotAuthorizedException");
    assert!(
        refused.1.starts_with("Invalid login token."),
        "{}",
        refused.1
    );

    iam.remove_client_id_from_open_id_connect_provider()
        .open_id_connect_provider_arn(ARN)
        .client_id("web")
        .send()
        .await
        .unwrap();
    let refused = login(&app, &pool, &token).await.unwrap_err();
    assert_eq!(refused.0, "NotAuthorizedException");

    iam.add_client_id_to_open_id_connect_provider()
        .open_id_connect_provider_arn(ARN)
        .client_id("other-client")
        .send()
        .await
        .unwrap();
    assert!(login(&app, &pool, &foreign).await.is_ok());
}

#[tokio::test]
async fn in_local_mode_a_provider_iam_lacks_is_accepted_until_it_is_created() {
    let up = mock::start().await;
    let app = app_for(&up, false).await;
    let pool = oidc_pool(&app).await;
    let token = up.id_token(&up.base, "any-client", json!({"sub": "o-1"}));
    assert!(login(&app, &pool, &token).await.is_ok());
    // Once IAM holds the provider, its client ids are checked in local mode too.
    create_provider(&iam_client(&app), &["web"]).await;
    let refused = login(&app, &pool, &token).await.unwrap_err();
    assert_eq!(refused.0, "NotAuthorizedException");
}
