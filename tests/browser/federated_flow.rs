//! Federated logins in Chromium, against the mock OpenID provider and the mock Facebook-style
//! provider of tests/api/federation_mock.rs on loopback: the login page's "Continue with"
//! button, the provider's page and its "Allow" button, /oauth2/idpresponse, the app's
//! callback with a code, and the code exchanged at /oauth2/token for an ID token with the
//! mapped attributes and the `identities` claim. The hosted session the first login opens
//! answers the next authorize without the provider; `prompt=login` shows the page again.

use aws_sdk_cognitoidentityprovider::types::OAuthFlowType;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use sha2::Digest;

use crate::common::*;
use crate::federation_mock::{self as mock, Upstream};
use crate::Driver;

struct Site {
    pool_id: String,
    client_id: String,
    callback: String,
}

/// The usual pool with the mock's two providers, and a code-flow client allowing both.
async fn site(app: &TestApp, up: &Upstream) -> Site {
    let pool = app.pool().await;
    mock::add_providers(app, up, &pool.pool_id).await;
    let callback = format!("{}/cb", app.base);
    let client = app
        .client_for(&pool.pool_id, |c| {
            c.client_name("Acme Notes")
                .allowed_o_auth_flows_user_pool_client(true)
                .allowed_o_auth_flows(OAuthFlowType::Code)
                .allowed_o_auth_scopes("openid")
                .allowed_o_auth_scopes("email")
                .allowed_o_auth_scopes("profile")
                .callback_urls(&callback)
                .supported_identity_providers("COGNITO")
                .supported_identity_providers("Corp")
                .supported_identity_providers("Facebook")
        })
        .await;
    Site {
        pool_id: pool.pool_id,
        client_id: client.client_id.unwrap(),
        callback,
    }
}

/// A login of its own: its `state`, PKCE verifier and the /oauth2/authorize URL.
struct Login {
    state: String,
    verifier: String,
    url: String,
}

fn login(app: &TestApp, site: &Site, extra: &[(&str, &str)]) -> Login {
    let state = format!("state-{}", uuid::Uuid::new_v4().simple());
    let verifier = format!(
        "browser-{}-0123456789abcdefghijklmnop",
        uuid::Uuid::new_v4()
    );
    let challenge = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("response_type", "code"),
            ("client_id", site.client_id.as_str()),
            ("redirect_uri", site.callback.as_str()),
            ("scope", "openid email profile"),
            ("state", state.as_str()),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ])
        .extend_pairs(extra)
        .finish();
    Login {
        state,
        verifier,
        url: format!("{}/oauth2/authorize?{query}", app.base),
    }
}

/// The callback URL of `login`, once the browser is there (the callback of an earlier login
/// has another state), within a bounded number of looks.
async fn called_back(driver: &Driver, login: &Login) -> url::Url {
    for _ in 0..200 {
        let url = driver.client.current_url().await.unwrap();
        let state = url.query_pairs().find(|(k, _)| k == "state");
        if url.path() == "/cb" && state.is_some_and(|(_, v)| v == login.state) {
            return url;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "the browser never came back to /cb with state {}",
        login.state
    );
}

/// The code on the callback, exchanged: the ID token's claims.
async fn id_claims(app: &TestApp, site: &Site, login: &Login, arrived: &url::Url) -> Value {
    let code = arrived
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("a code on the callback");
    let reply = app
        .http
        .post(format!("{}/oauth2/token", app.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", site.client_id.as_str()),
            ("code", code.as_str()),
            ("redirect_uri", site.callback.as_str()),
            ("code_verifier", login.verifier.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let tokens: Value = reply.json().await.unwrap();
    claims(tokens["id_token"].as_str().unwrap())
}

/// On the login page of `login`: "Continue with `provider`", then "Allow" at the mock.
async fn through_provider(driver: &Driver, up: &Upstream, login: &Login, provider: &str) {
    driver.client.goto(&login.url).await.unwrap();
    let button = format!("#provider-{provider}");
    assert_eq!(
        driver.text(&button).await,
        format!("Continue with {provider}")
    );
    driver.click(&button).await;
    driver.wait_for("#mock-provider").await;
    let at = driver.client.current_url().await.unwrap();
    assert!(at.as_str().starts_with(&up.base), "{at}");
    driver.click("#allow").await;
}

#[tokio::test]
async fn oidc_and_facebook_logins_through_the_provider_buttons() {
    let Some(driver) = crate::browser().await else {
        return;
    };
    let up = mock::start().await;
    up.seen().consent = true;
    let app = spawn().await;
    let site = site(&app, &up).await;

    // The OpenID provider: the user and the claims its userinfo adds are mapped.
    up.sign_in_as(json!({"sub": "u-1", "email": "lee@corp.example", "name": "Lee"}));
    let corp = login(&app, &site, &[]);
    through_provider(&driver, &up, &corp, "Corp").await;
    let arrived = called_back(&driver, &corp).await;
    let id = id_claims(&app, &site, &corp, &arrived).await;
    assert_eq!(id["cognito:username"], "Corp_u-1");
    assert_eq!(id["email"], "lee@corp.example");
    assert_eq!(id["name"], "Lee");
    assert_eq!(
        id["nickname"], "engineering",
        "from the provider's userinfo"
    );
    assert_eq!(id["identities"][0]["providerName"], "Corp");
    assert_eq!(id["identities"][0]["providerType"], "OIDC");
    assert_eq!(id["identities"][0]["userId"], "u-1");
    let user = app
        .idp
        .admin_get_user()
        .user_pool_id(&site.pool_id)
        .username("Corp_u-1")
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_status().unwrap().as_str(), "EXTERNAL_PROVIDER");

    // The hosted session answers the next authorize at once, without the provider.
    let again = login(&app, &site, &[]);
    driver.client.goto(&again.url).await.unwrap();
    let arrived = called_back(&driver, &again).await;
    let id = id_claims(&app, &site, &again, &arrived).await;
    assert_eq!(id["cognito:username"], "Corp_u-1");
    assert_eq!(
        up.seen().authorize.len(),
        1,
        "the provider was not asked again"
    );

    // The Facebook-style provider, from the login page `prompt=login` shows again.
    up.sign_in_as(json!({"id": "10001", "email": "fay@example.com", "name": "Fay"}));
    let facebook = login(&app, &site, &[("prompt", "login")]);
    through_provider(&driver, &up, &facebook, "Facebook").await;
    let arrived = called_back(&driver, &facebook).await;
    let id = id_claims(&app, &site, &facebook, &arrived).await;
    assert_eq!(id["cognito:username"], "Facebook_10001");
    assert_eq!(id["email"], "fay@example.com");
    assert_eq!(id["name"], "Fay");
    assert_eq!(id["identities"][0]["providerName"], "Facebook");
    assert_eq!(id["identities"][0]["providerType"], "Facebook");
    assert_eq!(id["identities"][0]["userId"], "10001");
    let asked = up.seen().authorize[1].clone();
    assert_eq!(asked["client_id"], mock::FACEBOOK_APP);
    assert_eq!(asked["scope"], "public_profile,email");
    driver.quit().await;
}
