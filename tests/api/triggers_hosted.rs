//! The hosted UI calls the triggers where the API does: PreSignUp_SignUp from the sign-up
//! page, PreAuthentication_Authentication and PostAuthentication_Authentication from the
//! login page (a refusal shown on the page, no session, no redirect), and
//! CustomMessage_ForgotPassword from the forgot-password page.

use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::types::LambdaConfigType;
use serde_json::{json, Value};

use crate::common::*;
use crate::hosted_pages::hosted_pool;
use crate::oauth2_support::*;
use crate::triggers_lambda::*;

async fn hosted_app(pre_auth: Function) -> (Lambda, TestApp, Pool) {
    let lambda = serve(vec![
        ("PreAuth", pre_auth),
        ("PostAuth", pass()),
        ("PreSignUp", pass()),
        ("Message", pass()),
    ])
    .await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .pre_authentication(arn("PreAuth"))
        .post_authentication(arn("PostAuth"))
        .pre_sign_up(arn("PreSignUp"))
        .custom_message(arn("Message"))
        .build();
    let pool = hosted_pool(
        &app,
        PoolSpec::standard().pool(move |p| p.lambda_config(config)),
    )
    .await;
    (lambda, app, pool)
}

#[tokio::test]
async fn the_login_page_runs_pre_and_post_authentication() {
    let (lambda, app, pool) = hosted_app(pass()).await;
    app.confirmed_user(&pool, "ada").await;
    let mut browser = Browser::new(&app);
    let q = authorize_query(&pool, &[("scope", "openid")]);
    let (login, page_html) = open_login(&mut browser, &q).await;
    let reply = submit_password(&mut browser, &login, &page_html, "ada", PASSWORD).await;
    assert!(location(&reply).starts_with(CALLBACK));

    let pre = lambda.events("PreAuth");
    assert_eq!(pre.len(), 1);
    assert_envelope(
        &pre[0],
        "PreAuthentication_Authentication",
        &pool,
        "ada",
        Some(&pool.client_id),
    );
    let post = lambda.events("PostAuth");
    assert_eq!(post.len(), 1);
    assert_envelope(
        &post[0],
        "PostAuthentication_Authentication",
        &pool,
        "ada",
        Some(&pool.client_id),
    );
}

#[tokio::test]
async fn a_pre_authentication_refusal_shows_on_the_login_page() {
    let refuse: Function = Arc::new(|_: Value| Reply::Error("Not today".into()));
    let (lambda, app, pool) = hosted_app(refuse).await;
    app.confirmed_user(&pool, "ada").await;
    let mut browser = Browser::new(&app);
    let q = authorize_query(&pool, &[("scope", "openid")]);
    let (login, page_html) = open_login(&mut browser, &q).await;
    let reply = submit_password(&mut browser, &login, &page_html, "ada", PASSWORD).await;
    assert_eq!(reply.status(), 200, "the page again, no redirect");
    let html = reply.text().await.unwrap();
    assert!(
        html.contains("PreAuthentication failed with error Not today."),
        "{html}"
    );
    assert_eq!(lambda.events("PreAuth").len(), 1);
    assert!(lambda.events("PostAuth").is_empty());
    assert_eq!(
        app.sql_i64("SELECT COUNT(*) FROM hosted_sessions").await,
        0,
        "no browser session"
    );
}

#[tokio::test]
async fn the_sign_up_and_forgot_pages_run_pre_sign_up_and_custom_message() {
    let (lambda, app, pool) = hosted_app(pass()).await;
    let mut browser = Browser::new(&app);
    let q = authorize_query(&pool, &[("scope", "openid")]);
    let signup = format!("/signup?{q}");
    let form = browser.get(&signup).await.text().await.unwrap();
    let csrf = field(&form, "_csrf");
    let reply = browser
        .post(
            &signup,
            &[
                ("_csrf", csrf.as_str()),
                ("username", "nia"),
                ("attr:email", "nia@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status(), 200);
    let events = lambda.events("PreSignUp");
    assert_eq!(events.len(), 1);
    assert_envelope(
        &events[0],
        "PreSignUp_SignUp",
        &pool,
        "nia",
        Some(&pool.client_id),
    );
    assert_eq!(
        events[0]["request"]["userAttributes"]["email"],
        "nia@example.com"
    );
    let sources: Vec<Value> = lambda
        .events("Message")
        .iter()
        .map(|e| e["triggerSource"].clone())
        .collect();
    assert_eq!(sources, [json!("CustomMessage_SignUp")]);

    app.confirmed_user(&pool, "ivo").await;
    let forgot = format!("/forgotPassword?{q}");
    let form = browser.get(&forgot).await.text().await.unwrap();
    let csrf = field(&form, "_csrf");
    let reply = browser
        .post(&forgot, &[("_csrf", csrf.as_str()), ("username", "ivo")])
        .await;
    assert_eq!(reply.status(), 200);
    let messages = lambda.events("Message");
    let last = messages.last().unwrap();
    assert_envelope(
        last,
        "CustomMessage_ForgotPassword",
        &pool,
        "ivo",
        Some(&pool.client_id),
    );
}
