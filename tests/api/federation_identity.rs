//! Identity-pool logins from external providers, against providers the test runs on
//! loopback: a Google-style ID token verified by its JWKS, an OIDC provider's by its
//! discovery document, a Facebook-style access token by the Graph API.

use std::collections::BTreeMap;

use serde_json::json;

use crate::common::*;
use crate::federation_mock::{self as mock, Upstream};

const GOOGLE_CLIENT: &str = "app.apps.googleusercontent.com";

async fn app_for(up: &Upstream) -> TestApp {
    let urls = BTreeMap::from([
        (
            "accounts.google.com".to_string(),
            format!("{}/jwks", up.base),
        ),
        ("graph.facebook.com".to_string(), up.base.clone()),
        ("corp.example.com".to_string(), up.base.clone()),
    ]);
    spawn_with(move |c| Config {
        federation_urls: urls,
        ..c
    })
    .await
}

async fn external_pool(app: &TestApp) -> String {
    let created = app
        .identity()
        .create_identity_pool()
        .identity_pool_name("social")
        .allow_unauthenticated_identities(false)
        .supported_login_providers("accounts.google.com", GOOGLE_CLIENT)
        .supported_login_providers("graph.facebook.com", mock::FACEBOOK_APP)
        .open_id_connect_provider_arns("arn:aws:iam::000000000000:oidc-provider/corp.example.com")
        .send()
        .await
        .unwrap();
    app.default_roles(&created.identity_pool_id).await;
    created.identity_pool_id
}

async fn get_id(app: &TestApp, pool: &str, logins: &[(&str, &str)]) -> Result<String, String> {
    let mut request = app.identity().get_id().identity_pool_id(pool);
    for (k, v) in logins {
        request = request.logins(*k, *v);
    }
    match request.send().await {
        Ok(out) => Ok(out.identity_id.unwrap()),
        Err(e) => Err(code(&e)),
    }
}

#[tokio::test]
async fn google_and_facebook_logins_map_to_one_identity_that_gets_credentials() {
    let up = mock::start().await;
    let app = app_for(&up).await;
    let pool = external_pool(&app).await;
    let google = up.id_token(
        "https://accounts.google.com",
        GOOGLE_CLIENT,
        json!({"sub": "g-1"}),
    );
    let first = get_id(&app, &pool, &[("accounts.google.com", &google)])
        .await
        .unwrap();
    let again = get_id(&app, &pool, &[("accounts.google.com", &google)])
        .await
        .unwrap();
    assert_eq!(first, again, "the same login is the same identity");

    // Facebook added to the same identity: the logins accumulate.
    let facebook = up.facebook_token(json!({"id": "fb-7"}));
    let both = [
        ("accounts.google.com", google.as_str()),
        ("graph.facebook.com", &facebook),
    ];
    assert_eq!(get_id(&app, &pool, &both).await.unwrap(), first);
    let only_fb = get_id(&app, &pool, &[("graph.facebook.com", &facebook)]).await;
    assert_eq!(only_fb.unwrap(), first);
    let described = app
        .identity()
        .describe_identity()
        .identity_id(&first)
        .send()
        .await
        .unwrap();
    let mut logins = described.logins().to_vec();
    logins.sort();
    assert_eq!(logins, vec!["accounts.google.com", "graph.facebook.com"]);

    let creds = app
        .identity()
        .get_credentials_for_identity()
        .identity_id(&first)
        .logins("graph.facebook.com", &facebook)
        .send()
        .await
        .unwrap();
    assert!(creds
        .credentials
        .unwrap()
        .access_key_id()
        .unwrap()
        .starts_with("ASIA"));
}

#[tokio::test]
async fn an_oidc_providers_token_is_verified_by_its_discovered_jwks() {
    let up = mock::start().await;
    let app = app_for(&up).await;
    let pool = external_pool(&app).await;
    let token = up.id_token(&up.base, "any-client", json!({"sub": "o-1"}));
    let id = get_id(&app, &pool, &[("corp.example.com", &token)])
        .await
        .unwrap();
    assert_eq!(
        get_id(&app, &pool, &[("corp.example.com", &token)])
            .await
            .unwrap(),
        id
    );
    let other_issuer = up.id_token("https://elsewhere.example", "c", json!({"sub": "o-1"}));
    let refused = get_id(&app, &pool, &[("corp.example.com", &other_issuer)]).await;
    assert_eq!(refused.unwrap_err(), "NotAuthorizedException");
}

#[tokio::test]
async fn forged_or_foreign_external_logins_are_refused() {
    let up = mock::start().await;
    let app = app_for(&up).await;
    let pool = external_pool(&app).await;
    // Another app's Google token.
    let foreign = up.id_token(
        "https://accounts.google.com",
        "other.apps",
        json!({"sub": "g-2"}),
    );
    let refused = get_id(&app, &pool, &[("accounts.google.com", &foreign)]).await;
    assert_eq!(refused.unwrap_err(), "NotAuthorizedException");
    // A token whose signature is not the provider's.
    let good = up.id_token(
        "https://accounts.google.com",
        GOOGLE_CLIENT,
        json!({"sub": "g-3"}),
    );
    let (head, rest) = good.rsplit_once('.').unwrap();
    let tampered = format!("{head}.{}", rest.chars().rev().collect::<String>());
    let refused = get_id(&app, &pool, &[("accounts.google.com", &tampered)]).await;
    assert_eq!(refused.unwrap_err(), "NotAuthorizedException");
    // A Facebook token the Graph API does not know.
    let refused = get_id(&app, &pool, &[("graph.facebook.com", "fb-unknown")]).await;
    assert_eq!(refused.unwrap_err(), "NotAuthorizedException");
    // A provider the pool does not list.
    let refused = get_id(&app, &pool, &[("www.amazon.com", "x")]).await;
    assert_eq!(refused.unwrap_err(), "NotAuthorizedException");
}
