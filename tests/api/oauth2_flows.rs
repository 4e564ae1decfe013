//! The authorization server over plain HTTP: the code flow with PKCE through the hosted login
//! page, tokens, userInfo, refresh, revocation, sign-out, the browser session, and every
//! error each endpoint answers.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::Value;
use sha2::Digest;

use crate::common::*;
use crate::oauth2_support::*;

/// A token request's form, its Basic credentials, and the status and error it must get.
type Case = (
    Vec<(&'static str, String)>,
    Option<String>,
    u16,
    &'static str,
);

async fn user_info(app: &TestApp, token: &str) -> reqwest::Response {
    app.http
        .get(format!("{}/oauth2/userInfo", app.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn code_flow_with_pkce_issues_tokens_for_the_granted_scopes() {
    let app = spawn().await;
    let pool = oauth_pool(&app).await;
    app.confirmed_user(&pool, "ana").await;
    let mut browser = Browser::new(&app);
    let (code, verifier) = code_login(&app, &mut browser, &pool, "ana").await;
    let session = browser.cookie("cognate_session").expect("a session cookie");
    assert!(!session.is_empty());

    let reply = exchange(&app, &pool, &code, &verifier).await;
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.headers()["access-control-allow-origin"], "*");
    let tokens: Value = reply.json().await.unwrap();
    assert_eq!(tokens["token_type"], "Bearer");
    let access = tokens["access_token"].as_str().unwrap();
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["nonce"], "n-0S6");
    assert_eq!(id["aud"], pool.client_id.as_str());
    assert_eq!(id["email"], "ana@example.com");
    let digest = sha2::Sha256::digest(access.as_bytes());
    assert_eq!(id["at_hash"], URL_SAFE_NO_PAD.encode(&digest[..16]));
    assert_eq!(claims(access)["scope"], "openid email orders/read");

    for reply in [
        user_info(&app, access).await,
        app.http
            .post(format!("{}/oauth2/userInfo", app.base))
            .bearer_auth(access)
            .send()
            .await
            .unwrap(),
    ] {
        assert_eq!(reply.status(), 200);
        let info: Value = reply.json().await.unwrap();
        assert_eq!(info["email"], "ana@example.com");
        assert_eq!(info["username"], "ana");
    }

    // The refresh keeps the granted scopes.
    let refreshed: Value = app
        .http
        .post(format!("{}/oauth2/token", app.base))
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", pool.client_id.as_str()),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        claims(refreshed["access_token"].as_str().unwrap())["scope"],
        "openid email orders/read"
    );

    // A code is good once; presenting it again revokes what it issued.
    let again = exchange(&app, &pool, &code, &verifier).await;
    assert_eq!(again.status(), 400);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(user_info(&app, access).await.status(), 401);
}

#[tokio::test]
async fn a_wrong_verifier_redirect_or_client_gets_invalid_grant() {
    let app = spawn().await;
    let pool = oauth_pool(&app).await;
    app.confirmed_user(&pool, "ben").await;
    let mut browser = Browser::new(&app);
    let (code, _) = code_login(&app, &mut browser, &pool, "ben").await;
    let reply = exchange(
        &app,
        &pool,
        &code,
        "not-the-verifier-0123456789012345678901234",
    )
    .await;
    let body: Value = reply.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");

    let mut browser = Browser::new(&app);
    let (code, verifier) = code_login(&app, &mut browser, &pool, "ben").await;
    let reply = app
        .http
        .post(format!("{}/oauth2/token", app.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", pool.client_id.as_str()),
            ("code", code.as_str()),
            ("redirect_uri", "http://localhost:4200/other"),
            ("code_verifier", verifier.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let body: Value = reply.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");

    // An expired code is refused too.
    let mut browser = Browser::new(&app);
    let (code, verifier) = code_login(&app, &mut browser, &pool, "ben").await;
    app.sql("UPDATE oauth_codes SET expires_at = 0").await;
    let body: Value = exchange(&app, &pool, &code, &verifier)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["error"], "invalid_grant");
}

#[tokio::test]
async fn the_browser_session_signs_in_again_until_logout() {
    let app = spawn().await;
    let pool = oauth_pool(&app).await;
    app.confirmed_user(&pool, "cy").await;
    let mut browser = Browser::new(&app);
    code_login(&app, &mut browser, &pool, "cy").await;

    // Signed in: authorize answers with a code straight away.
    let query = authorize_query(&pool, &[("scope", "openid"), ("state", "again")]);
    let reply = browser.get(&format!("/oauth2/authorize?{query}")).await;
    let to = location(&reply);
    assert!(to.starts_with(CALLBACK), "{to}");
    assert!(param(&to, "code").is_some());
    // prompt=login asks for the password all the same.
    let query = authorize_query(&pool, &[("prompt", "login")]);
    let reply = browser.get(&format!("/oauth2/authorize?{query}")).await;
    assert!(location(&reply).starts_with("/login?"));

    // An unregistered sign-out URL is never redirected to.
    let reply = browser
        .get(&format!(
            "/logout?client_id={}&logout_uri=https://evil.example/",
            pool.client_id
        ))
        .await;
    assert_eq!(reply.status(), 400);
    assert!(reply.headers().get("location").is_none());
    let reply = browser
        .get(&format!(
            "/logout?client_id={}&logout_uri={LOGOUT}",
            pool.client_id
        ))
        .await;
    assert_eq!(location(&reply), LOGOUT);
    assert!(browser.cookie("cognate_session").is_none());

    // Signed out: prompt=none cannot sign in silently.
    let query = authorize_query(&pool, &[("prompt", "none"), ("state", "s")]);
    let reply = browser.get(&format!("/oauth2/authorize?{query}")).await;
    let to = location(&reply);
    assert_eq!(param(&to, "error").as_deref(), Some("login_required"));
    assert_eq!(param(&to, "state").as_deref(), Some("s"));
}

#[tokio::test]
async fn authorize_errors_go_to_a_page_until_the_redirect_uri_is_trusted() {
    let app = spawn().await;
    let pool = oauth_pool(&app).await;
    let browser = Browser::new(&app);
    for query in [
        format!(
            "response_type=code&client_id={}&redirect_uri=https://evil.example/cb",
            pool.client_id
        ),
        format!(
            "response_type=code&client_id={}&redirect_uri={CALLBACK}/x",
            pool.client_id
        ),
        "response_type=code&client_id=nobody&redirect_uri=https://evil.example/cb".to_string(),
    ] {
        let reply = browser
            .http
            .get(format!("{}/oauth2/authorize?{query}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 400, "{query}");
        assert!(reply.headers().get("location").is_none());
        assert!(reply.text().await.unwrap().contains("<h1"));
    }
    for (extra, error) in [
        (
            vec![("response_type", "id_token")],
            "unsupported_response_type",
        ),
        (vec![("scope", "phone")], "invalid_scope"),
        (vec![("scope", "email")], "invalid_scope"),
        (vec![("code_challenge_method", "S256")], "invalid_request"),
        (
            vec![("code_challenge", "x"), ("code_challenge_method", "S512")],
            "invalid_request",
        ),
        (vec![("identity_provider", "Google")], "invalid_request"),
    ] {
        let mut pairs = vec![
            ("response_type", "code"),
            ("client_id", pool.client_id.as_str()),
            ("redirect_uri", CALLBACK),
            ("state", "xyz"),
        ];
        for (k, v) in &extra {
            pairs.retain(|(name, _)| name != k);
            pairs.push((k, v));
        }
        let reply = browser
            .http
            .get(format!("{}/oauth2/authorize", app.base))
            .query(&pairs)
            .send()
            .await
            .unwrap();
        let to = location(&reply);
        assert!(to.starts_with(CALLBACK), "{to}");
        assert_eq!(param(&to, "error").as_deref(), Some(error), "{extra:?}");
        assert_eq!(param(&to, "state").as_deref(), Some("xyz"));
    }
    // A client without the OAuth flows may not use the hosted UI.
    let plain = app
        .client_for(&pool.pool_id, |c| c.callback_urls(CALLBACK))
        .await;
    let reply = browser
        .http
        .get(format!("{}/oauth2/authorize", app.base))
        .query(&[
            ("response_type", "code"),
            ("client_id", plain.client_id().unwrap()),
            ("redirect_uri", CALLBACK),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        param(&location(&reply), "error").as_deref(),
        Some("unauthorized_client")
    );
}

#[tokio::test]
async fn the_implicit_flow_answers_in_the_fragment() {
    let app = spawn().await;
    let pool = oauth_pool(&app).await;
    app.confirmed_user(&pool, "dee").await;
    let mut browser = Browser::new(&app);
    let query = authorize_query(
        &pool,
        &[
            ("response_type", "token"),
            ("scope", "openid"),
            ("nonce", "nn"),
            ("state", "s"),
        ],
    )
    .replacen("response_type=code&", "", 1);
    let (login, page) = open_login(&mut browser, &query).await;
    let reply = submit_password(&mut browser, &login, &page, "dee", PASSWORD).await;
    let to = location(&reply);
    assert!(to.starts_with(&format!("{CALLBACK}#")), "{to}");
    let access = param(&to, "access_token").unwrap();
    assert_eq!(claims(&access)["scope"], "openid");
    assert_eq!(claims(&param(&to, "id_token").unwrap())["nonce"], "nn");
    assert!(param(&to, "refresh_token").is_none());
}

#[tokio::test]
async fn the_login_form_needs_its_csrf_token_and_shows_wrong_passwords() {
    let app = spawn().await;
    let pool = oauth_pool(&app).await;
    app.confirmed_user(&pool, "eve").await;
    let mut browser = Browser::new(&app);
    let query = authorize_query(&pool, &[("lang", "fr")]);
    let (login, page) = open_login(&mut browser, &query).await;
    assert!(page.contains("lang=\"fr\""));
    assert!(page.contains("Connexion"));
    // No token, a made-up one, or one without its cookie: refused.
    let reply = browser
        .post(&login, &[("username", "eve"), ("password", PASSWORD)])
        .await;
    assert_eq!(reply.status(), 400);
    let reply = browser
        .post(
            &login,
            &[
                ("_csrf", "made-up"),
                ("username", "eve"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status(), 400);
    let stranger = Browser::new(&app);
    let reply = stranger
        .http
        .post(format!("{}{login}", app.base))
        .form(&[
            ("_csrf", field(&page, "_csrf").as_str()),
            ("username", "eve"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 400);

    let reply = submit_password(&mut browser, &login, &page, "eve", "wrong-Passw0rd!").await;
    assert_eq!(reply.status(), 200);
    let page = reply.text().await.unwrap();
    assert!(page.contains("role=\"alert\""), "{page}");
    assert!(page.contains("Incorrect username or password."));
}

#[tokio::test]
async fn token_endpoint_errors_follow_rfc_6749() {
    let app = spawn().await;
    let pool = oauth_pool(&app).await;
    let machine = app
        .client_for(&pool.pool_id, |c| {
            c.generate_secret(true)
                .allowed_o_auth_flows_user_pool_client(true)
                .allowed_o_auth_flows(
                    aws_sdk_cognitoidentityprovider::types::OAuthFlowType::ClientCredentials,
                )
                .allowed_o_auth_scopes("orders/read")
        })
        .await;
    let (id, secret) = (
        machine.client_id().unwrap(),
        machine.client_secret().unwrap(),
    );
    let post = |form: Vec<(&'static str, String)>, basic: Option<String>| {
        let mut req = app
            .http
            .post(format!("{}/oauth2/token", app.base))
            .form(&form);
        if let Some(b) = basic {
            req = req.header("authorization", format!("Basic {}", STANDARD.encode(b)));
        }
        req.send()
    };
    let error = |reply: reqwest::Response| async move {
        let status = reply.status().as_u16();
        let www = reply.headers().get("www-authenticate").is_some();
        let body: Value = reply.json().await.unwrap();
        (status, body["error"].as_str().unwrap().to_string(), www)
    };

    // client_credentials with Basic: an access token with the custom scope.
    let reply = post(
        vec![("grant_type", "client_credentials".into())],
        Some(format!("{id}:{secret}")),
    )
    .await
    .unwrap();
    assert_eq!(reply.status(), 200);
    let tokens: Value = reply.json().await.unwrap();
    let access = claims(tokens["access_token"].as_str().unwrap());
    assert_eq!(access["scope"], "orders/read");
    assert_eq!(access["sub"], id);
    assert!(tokens.get("id_token").is_none());
    // ... and with the secret in the form.
    let reply = post(
        vec![
            ("grant_type", "client_credentials".into()),
            ("client_id", id.into()),
            ("client_secret", secret.into()),
            ("scope", "orders/read".into()),
        ],
        None,
    )
    .await
    .unwrap();
    assert_eq!(reply.status(), 200);

    let cases: Vec<Case> = vec![
        (
            vec![],
            Some(format!("{id}:{secret}")),
            400,
            "invalid_request",
        ),
        (
            vec![("grant_type", "password".into())],
            Some(format!("{id}:{secret}")),
            400,
            "unsupported_grant_type",
        ),
        (
            vec![("grant_type", "client_credentials".into())],
            Some(format!("{id}:wrong")),
            401,
            "invalid_client",
        ),
        (
            vec![
                ("grant_type", "client_credentials".into()),
                ("client_id", "nobody".into()),
            ],
            None,
            401,
            "invalid_client",
        ),
        (
            vec![
                ("grant_type", "client_credentials".into()),
                ("scope", "openid".into()),
            ],
            Some(format!("{id}:{secret}")),
            400,
            "invalid_scope",
        ),
        (
            vec![
                ("grant_type", "authorization_code".into()),
                ("code", "x".into()),
            ],
            Some(format!("{id}:{secret}")),
            400,
            "unauthorized_client",
        ),
        (
            vec![
                ("grant_type", "client_credentials".into()),
                ("client_id", pool.client_id.clone()),
            ],
            None,
            400,
            "unauthorized_client",
        ),
        (
            vec![
                ("grant_type", "authorization_code".into()),
                ("client_id", pool.client_id.clone()),
                ("code", "nope".into()),
                ("redirect_uri", CALLBACK.into()),
            ],
            None,
            400,
            "invalid_grant",
        ),
        (
            vec![
                ("grant_type", "refresh_token".into()),
                ("client_id", pool.client_id.clone()),
                ("refresh_token", "nope".into()),
            ],
            None,
            400,
            "invalid_grant",
        ),
    ];
    for (form, basic, status, code) in cases {
        let (got_status, got, www) = error(post(form.clone(), basic).await.unwrap()).await;
        assert_eq!((got_status, got.as_str()), (status, code), "{form:?}");
        assert_eq!(www, status == 401);
    }
}

#[tokio::test]
async fn user_info_and_revoke_refuse_what_they_should_and_allow_cors() {
    let app = spawn().await;
    let pool = oauth_pool(&app).await;
    app.confirmed_user(&pool, "fay").await;
    let reply = app
        .http
        .get(format!("{}/oauth2/userInfo", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 401);
    assert!(reply.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    assert_eq!(user_info(&app, "not.a.token").await.status(), 401);

    let preflight = app
        .http
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/oauth2/token", app.base),
        )
        .header("origin", "http://localhost:4200")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");

    let mut browser = Browser::new(&app);
    let (code, verifier) = code_login(&app, &mut browser, &pool, "fay").await;
    let tokens: Value = exchange(&app, &pool, &code, &verifier)
        .await
        .json()
        .await
        .unwrap();
    let access = tokens["access_token"].as_str().unwrap();
    let revoke = |token: &str| {
        app.http
            .post(format!("{}/oauth2/revoke", app.base))
            .form(&[("token", token), ("client_id", pool.client_id.as_str())])
            .send()
    };
    let reply = revoke(access).await.unwrap();
    let body: Value = reply.json().await.unwrap();
    assert_eq!(body["error"], "unsupported_token_type");
    let reply = revoke(tokens["refresh_token"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(reply.headers()["access-control-allow-origin"], "*");
    assert_eq!(user_info(&app, access).await.status(), 401);
    // Unknown tokens are not an error (RFC 7009).
    assert_eq!(revoke("unknown").await.unwrap().status(), 200);
}
