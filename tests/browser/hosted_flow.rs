//! One user's whole life on the hosted pages, in Chromium: sign-up with the code from the dev
//! outbox, the code + PKCE login with a required authenticator app set up from the QR page's
//! secret, the code exchanged at /oauth2/token, sign-out, and a second login answered with
//! a TOTP code.

use std::time::Instant;

use aws_sdk_cognitoidentityprovider::types::{
    OAuthFlowType, SchemaAttributeType, SoftwareTokenMfaConfigType, UserPoolMfaType,
    VerifiedAttributeType,
};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::Digest;

use crate::common::*;

struct Site {
    pool_id: String,
    client_id: String,
    callback: String,
    signed_out: String,
}

async fn site(app: &TestApp) -> Site {
    let pool = app
        .idp
        .create_user_pool()
        .pool_name("browser")
        .auto_verified_attributes(VerifiedAttributeType::Email)
        .schema(
            SchemaAttributeType::builder()
                .name("email")
                .required(true)
                .mutable(true)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    let pool_id = pool.id.unwrap();
    app.idp
        .set_user_pool_mfa_config()
        .user_pool_id(&pool_id)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .mfa_configuration(UserPoolMfaType::On)
        .send()
        .await
        .unwrap();
    let callback = format!("{}/cb", app.base);
    let signed_out = format!("{}/bye", app.base);
    let client = app
        .idp
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("Acme Notes")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("email")
        .callback_urls(&callback)
        .logout_urls(&signed_out)
        .supported_identity_providers("COGNITO")
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    Site {
        pool_id,
        client_id: client.client_id.unwrap(),
        callback,
        signed_out,
    }
}

fn authorize_url(app: &TestApp, site: &Site, challenge: &str) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("response_type", "code"),
            ("client_id", site.client_id.as_str()),
            ("redirect_uri", site.callback.as_str()),
            ("scope", "openid email"),
            ("state", "browser-state"),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        ])
        .finish();
    format!("{}/oauth2/authorize?{query}", app.base)
}

fn pkce() -> (String, String) {
    let verifier = format!(
        "browser-{}-0123456789abcdefghijklmnop",
        uuid::Uuid::new_v4()
    );
    let challenge = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// The code the app received, checked and exchanged: the ID token names `username`.
async fn exchange(app: &TestApp, site: &Site, arrived: &url::Url, verifier: &str, username: &str) {
    let pairs: Vec<(String, String)> = arrived.query_pairs().into_owned().collect();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(get("state").as_deref(), Some("browser-state"));
    let code = get("code").expect("a code on the callback");
    let reply = app
        .http
        .post(format!("{}/oauth2/token", app.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", site.client_id.as_str()),
            ("code", code.as_str()),
            ("redirect_uri", site.callback.as_str()),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let tokens: serde_json::Value = reply.json().await.unwrap();
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["cognito:username"], username);
    assert!(tokens["refresh_token"].is_string());
}

#[tokio::test]
async fn sign_up_confirm_set_up_totp_sign_in_and_out() {
    let Some(driver) = crate::browser().await else {
        return;
    };
    let started = Instant::now();
    let app = spawn().await;
    let site = site(&app).await;
    let (verifier, challenge) = pkce();

    // The app sends the browser to /oauth2/authorize; it lands on the login page.
    driver
        .client
        .goto(&authorize_url(&app, &site, &challenge))
        .await
        .unwrap();
    assert_eq!(driver.text("#page-title").await, "Sign in");
    assert!(driver.text("#mfa-note").await.contains("second step"));
    driver.screenshots("login").await;

    // Sign-up, with the pool's required email and its password rules.
    driver.click("#sign-up-link").await;
    driver.wait_for("#attr-email").await;
    assert!(driver
        .text("#rules")
        .await
        .contains("At least 8 characters"));
    driver.screenshots("signup").await;
    driver.fill("#username", "maya").await;
    driver.fill("#attr-email", "maya@example.com").await;
    driver.fill("#password", "weak").await;
    driver.click("#sign-up").await;
    assert!(
        !driver.text("#form-error").await.is_empty(),
        "a weak password is refused"
    );
    driver.fill("#password", PASSWORD).await;
    driver.click("#sign-up").await;
    driver.wait_for("#code").await;
    let code = app.latest_code(&site.pool_id, "maya").await;
    driver.fill("#code", &code).await;
    driver.click("#confirm").await;
    assert!(driver.text("#form-notice").await.contains("confirmed"));

    // Sign-in: the pool requires MFA, so the user sets up an authenticator app.
    driver.fill("#password", PASSWORD).await;
    driver.click("#sign-in").await;
    let secret = driver.text("#secret").await;
    driver.wait_for(".qr svg").await;
    driver.screenshots("mfa-setup").await;
    driver
        .fill("#answer", &totp::code_at(&secret, now_secs()).unwrap())
        .await;
    driver.click("#submit").await;
    let arrived = driver.arrived_at("/cb").await;
    exchange(&app, &site, &arrived, &verifier, "maya").await;

    // Sign-out ends the browser session; the next login asks for the password and a code.
    let logout = format!(
        "{}/logout?client_id={}&logout_uri={}",
        app.base, site.client_id, site.signed_out
    );
    driver.client.goto(&logout).await.unwrap();
    driver.arrived_at("/bye").await;
    let (verifier, challenge) = pkce();
    driver
        .client
        .goto(&authorize_url(&app, &site, &challenge))
        .await
        .unwrap();
    driver.fill("#username", "maya").await;
    driver.fill("#password", PASSWORD).await;
    driver.click("#sign-in").await;
    driver.wait_for("input[autocomplete=one-time-code]").await;
    driver.screenshots("mfa-code").await;
    // The set-up spent this step's code; the server also accepts the next step's.
    let next = totp::code_at(&secret, now_secs() + 30).unwrap();
    driver.fill("#answer", &next).await;
    driver.click("#submit").await;
    let arrived = driver.arrived_at("/cb").await;
    exchange(&app, &site, &arrived, &verifier, "maya").await;
    eprintln!("browser flow took {:?}", started.elapsed());
    driver.quit().await;
}
