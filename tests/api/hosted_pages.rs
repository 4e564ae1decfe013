//! The hosted pages over plain HTTP: sign-up with the pool's required attributes, confirmation
//! with the outbox's code and a resent one, forgot / reset password, the CSRF refusals, a
//! pool that closes sign-up, the account chooser, `lang`, and discovery at the domain.

use aws_sdk_cognitoidentityprovider::types::{
    AdminCreateUserConfigType, AliasAttributeType, OAuthFlowType, SchemaAttributeType,
    UserStatusType, UsernameAttributeType,
};

use crate::common::*;
use crate::oauth2_support::*;

/// A pool made by `spec` with a code-flow client of the hosted UI.
pub async fn hosted_pool(app: &TestApp, spec: PoolSpec) -> Pool {
    let pool = app.pool_with(spec).await;
    let client = app
        .client_for(&pool.pool_id, |c| {
            c.allowed_o_auth_flows_user_pool_client(true)
                .allowed_o_auth_flows(OAuthFlowType::Code)
                .allowed_o_auth_scopes("openid")
                .allowed_o_auth_scopes("email")
                .callback_urls(CALLBACK)
                .logout_urls(LOGOUT)
                .supported_identity_providers("COGNITO")
        })
        .await;
    Pool {
        pool_id: pool.pool_id,
        client_id: client.client_id.unwrap(),
    }
}

fn email_required() -> PoolSpec {
    PoolSpec::standard().pool(|p| {
        p.schema(
            SchemaAttributeType::builder()
                .name("email")
                .required(true)
                .mutable(true)
                .build(),
        )
    })
}

async fn page(browser: &mut Browser, path: &str) -> String {
    let reply = browser.get(path).await;
    assert_eq!(reply.status(), 200, "{path}");
    reply.text().await.unwrap()
}

async fn post(browser: &mut Browser, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let reply = browser.post(path, form).await;
    (reply.status().as_u16(), reply.text().await.unwrap())
}

#[tokio::test]
async fn sign_up_confirm_and_resend_drive_the_sign_up_actions() {
    let app = spawn().await;
    let pool = hosted_pool(&app, email_required()).await;
    let mut browser = Browser::new(&app);
    let q = authorize_query(&pool, &[("scope", "openid")]);
    let signup = format!("/signup?{q}");
    let form = page(&mut browser, &signup).await;
    assert!(form.contains("name=\"attr:email\""), "{form}");
    assert!(!form.contains("attr:sub"), "sub is the server's to assign");
    assert!(form.contains("At least 8 characters"));

    // A password the policy refuses: the page again, the reason shown, the fields kept.
    let csrf = field(&form, "_csrf");
    let weak = [
        ("_csrf", csrf.as_str()),
        ("username", "nia"),
        ("attr:email", "nia@example.com"),
        ("password", "short"),
    ];
    let (status, again) = post(&mut browser, &signup, &weak).await;
    assert_eq!(status, 200);
    assert!(again.contains("role=\"alert\""), "{again}");
    assert!(again.contains("value=\"nia@example.com\""));

    let csrf = field(&again, "_csrf");
    let good = [
        ("_csrf", csrf.as_str()),
        ("username", "nia"),
        ("attr:email", "nia@example.com"),
        ("password", PASSWORD),
    ];
    let (status, confirm) = post(&mut browser, &signup, &good).await;
    assert_eq!(status, 200);
    assert!(confirm.contains("action=\"/confirmUser?"), "{confirm}");
    assert_eq!(
        app.user_status(&pool, "nia").await,
        UserStatusType::Unconfirmed
    );
    let first = app.latest_code(&pool.pool_id, "nia").await;

    // A wrong code is refused on the page; a new code replaces the first.
    let action = format!("/confirmUser?{q}");
    let csrf = field(&confirm, "_csrf");
    let wrong = [
        ("_csrf", csrf.as_str()),
        ("username", "nia"),
        ("code", "000000"),
    ];
    let (_, refused) = post(&mut browser, &action, &wrong).await;
    assert!(refused.contains("role=\"alert\""), "{refused}");
    let csrf = field(&refused, "_csrf");
    let resend = [
        ("_csrf", csrf.as_str()),
        ("username", "nia"),
        ("resend", "1"),
    ];
    let (_, resent) = post(&mut browser, &action, &resend).await;
    assert!(resent.contains("id=\"form-notice\""), "{resent}");
    let second = app.latest_code(&pool.pool_id, "nia").await;
    assert_eq!(app.outbox(&pool.pool_id, "nia").await.len(), 2);

    let csrf = field(&resent, "_csrf");
    let right = [
        ("_csrf", csrf.as_str()),
        ("username", "nia"),
        ("code", second.as_str()),
    ];
    let (status, login) = post(&mut browser, &action, &right).await;
    assert_eq!(status, 200);
    assert!(login.contains("id=\"form-notice\""), "{login}");
    assert!(login.contains("value=\"nia\""), "the username is filled in");
    assert_eq!(
        app.user_status(&pool, "nia").await,
        UserStatusType::Confirmed
    );
    let _ = first;
}

#[tokio::test]
async fn forgot_and_reset_password_change_the_password() {
    let app = spawn().await;
    let pool = hosted_pool(&app, PoolSpec::standard()).await;
    app.confirmed_user(&pool, "ivo").await;
    let mut browser = Browser::new(&app);
    let q = authorize_query(&pool, &[("scope", "openid")]);
    let form = page(&mut browser, &format!("/forgotPassword?{q}")).await;
    let csrf = field(&form, "_csrf");
    let (status, reset) = post(
        &mut browser,
        &format!("/forgotPassword?{q}"),
        &[("_csrf", &csrf), ("username", "ivo")],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        reset.contains("action=\"/confirmForgotPassword?"),
        "{reset}"
    );
    let code = app.latest_code(&pool.pool_id, "ivo").await;

    let action = format!("/confirmForgotPassword?{q}");
    let csrf = field(&reset, "_csrf");
    let wrong = [
        ("_csrf", csrf.as_str()),
        ("username", "ivo"),
        ("code", "999999"),
        ("password", "N3w-Passw0rd!"),
    ];
    let (_, refused) = post(&mut browser, &action, &wrong).await;
    assert!(refused.contains("role=\"alert\""), "{refused}");
    let csrf = field(&refused, "_csrf");
    let right = [
        ("_csrf", csrf.as_str()),
        ("username", "ivo"),
        ("code", code.as_str()),
        ("password", "N3w-Passw0rd!"),
    ];
    let (status, login) = post(&mut browser, &action, &right).await;
    assert_eq!(status, 200);
    assert!(login.contains("id=\"form-notice\""), "{login}");

    // The new password signs in through the login page.
    let login_path = format!("/login?{q}");
    let reply = submit_password(&mut browser, &login_path, &login, "ivo", "N3w-Passw0rd!").await;
    assert!(location(&reply).starts_with(CALLBACK));
}

#[tokio::test]
async fn forms_without_the_csrf_cookie_are_refused_and_change_nothing() {
    let app = spawn().await;
    let pool = hosted_pool(&app, PoolSpec::standard()).await;
    let q = authorize_query(&pool, &[("scope", "openid")]);
    let mut browser = Browser::new(&app);
    let form = page(&mut browser, &format!("/signup?{q}")).await;
    let csrf = field(&form, "_csrf");
    // A page of another browser: the form's token without its cookie.
    let mut stranger = Browser::new(&app);
    for path in [
        "/signup",
        "/confirmUser",
        "/forgotPassword",
        "/confirmForgotPassword",
        "/login/continue",
    ] {
        let fields = [
            ("_csrf", csrf.as_str()),
            ("username", "mallory"),
            ("password", PASSWORD),
            ("code", "1"),
        ];
        let (status, body) = post(&mut stranger, &format!("{path}?{q}"), &fields).await;
        assert_eq!(status, 400, "{path}");
        assert!(body.contains("id=\"error-message\""), "{path}: {body}");
    }
    // A made-up token with a matching cookie is refused too.
    stranger
        .cookies
        .push(("cognate_csrf".into(), "forged".into()));
    let fields = [
        ("_csrf", "forged"),
        ("username", "mallory"),
        ("password", PASSWORD),
    ];
    let (status, _) = post(&mut stranger, &format!("/signup?{q}"), &fields).await;
    assert_eq!(status, 400);
    let users = app
        .idp
        .list_users()
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap();
    assert!(users.users().is_empty());
}

#[tokio::test]
async fn a_pool_where_only_admins_create_users_offers_no_sign_up() {
    let app = spawn().await;
    let spec = PoolSpec::standard().pool(|p| {
        p.admin_create_user_config(
            AdminCreateUserConfigType::builder()
                .allow_admin_create_user_only(true)
                .build(),
        )
    });
    let pool = hosted_pool(&app, spec).await;
    let mut browser = Browser::new(&app);
    let q = authorize_query(&pool, &[("scope", "openid")]);
    let (_, login) = open_login(&mut browser, &q).await;
    assert!(!login.contains("id=\"sign-up-link\""));
    assert!(login.contains("id=\"forgot-link\""));
    let reply = browser.get(&format!("/signup?{q}")).await;
    assert_eq!(reply.status(), 400);
    assert!(reply
        .text()
        .await
        .unwrap()
        .contains("does not let you create an account"));
}

#[tokio::test]
async fn select_account_offers_the_signed_in_user_or_another() {
    let app = spawn().await;
    let pool = hosted_pool(&app, PoolSpec::standard()).await;
    app.confirmed_user(&pool, "ada").await;
    let mut browser = Browser::new(&app);
    let q = authorize_query(&pool, &[("scope", "openid")]);
    let (login, page_html) = open_login(&mut browser, &q).await;
    let reply = submit_password(&mut browser, &login, &page_html, "ada", PASSWORD).await;
    assert!(location(&reply).starts_with(CALLBACK));

    let q = authorize_query(
        &pool,
        &[
            ("scope", "openid"),
            ("prompt", "select_account"),
            ("state", "s2"),
        ],
    );
    let (chooser_path, chooser) = open_login(&mut browser, &q).await;
    assert!(chooser.contains("Continue as ada"), "{chooser}");
    assert!(
        chooser.contains("prompt=login"),
        "another account signs in afresh"
    );
    let csrf = field(&chooser, "_csrf");
    let path = chooser_path.replacen("/login?", "/login/continue?", 1);
    let reply = browser.post(&path, &[("_csrf", &csrf)]).await;
    let to = location(&reply);
    assert!(to.starts_with(CALLBACK), "{to}");
    assert_eq!(param(&to, "state").as_deref(), Some("s2"));
    assert!(param(&to, "code").is_some());
}

#[tokio::test]
async fn lang_translates_every_page() {
    let app = spawn().await;
    let pool = hosted_pool(&app, PoolSpec::standard()).await;
    let mut browser = Browser::new(&app);
    let q = authorize_query(&pool, &[("scope", "openid"), ("lang", "fr")]);
    for (path, words) in [
        ("/login", "Mot de passe oublié"),
        ("/signup", "Créez votre compte"),
        ("/forgotPassword", "Réinitialisez votre mot de passe"),
        ("/confirmUser", "Confirmez votre compte"),
    ] {
        let html = page(&mut browser, &format!("{path}?{q}")).await;
        assert!(html.contains("<html lang=\"fr\">"), "{path}");
        assert!(html.contains(words), "{path}: {html}");
    }
}

#[tokio::test]
async fn discovery_is_served_at_the_pools_domain() {
    let app = spawn().await;
    let pool = hosted_pool(&app, PoolSpec::standard()).await;
    app.idp
        .create_user_pool_domain()
        .user_pool_id(&pool.pool_id)
        .domain("acme-notes")
        .send()
        .await
        .unwrap();
    let get = |host: &'static str| {
        app.http
            .get(format!("{}/.well-known/openid-configuration", app.base))
            .header("host", host)
            .send()
    };
    let reply = get("acme-notes.auth.us-east-1.amazoncognito.com")
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let doc: serde_json::Value = reply.json().await.unwrap();
    assert!(
        doc["issuer"].as_str().unwrap().ends_with(&pool.pool_id),
        "{doc}"
    );
    assert!(doc["authorization_endpoint"]
        .as_str()
        .unwrap()
        .ends_with("/oauth2/authorize"));
    let reply = get("nobody.auth.us-east-1.amazoncognito.com")
        .await
        .unwrap();
    assert_eq!(reply.status(), 404);
}

#[tokio::test]
async fn the_pages_name_the_pools_sign_in_attributes() {
    let app = spawn().await;
    let by_email =
        PoolSpec::standard().pool(|p| p.username_attributes(UsernameAttributeType::Email));
    let by_alias = PoolSpec::standard().pool(|p| {
        p.alias_attributes(AliasAttributeType::Email)
            .alias_attributes(AliasAttributeType::PreferredUsername)
    });
    for (spec, label, kind) in [
        (by_email, ">Email</label>", "type=\"email\""),
        (
            by_alias,
            ">Username, email or preferred username</label>",
            "type=\"text\"",
        ),
        (PoolSpec::standard(), ">Username</label>", "type=\"text\""),
    ] {
        let pool = hosted_pool(&app, spec).await;
        let mut browser = Browser::new(&app);
        let q = authorize_query(
            &pool,
            &[("scope", "openid"), ("login_hint", "who@example.com")],
        );
        let (_, login) = open_login(&mut browser, &q).await;
        assert!(login.contains(label), "{label}: {login}");
        assert!(
            login.contains(&format!(
                "name=\"username\" class=\"inputField-customizable\" {kind}"
            )),
            "{login}"
        );
        assert!(
            login.contains("value=\"who@example.com\""),
            "login_hint fills the username"
        );
        assert!(!login.contains("id=\"mfa-note\""), "no MFA, no note");
        let signup = page(&mut browser, &format!("/signup?{q}")).await;
        assert!(signup.contains(label), "{signup}");
    }
}
