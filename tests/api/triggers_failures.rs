//! Functions that fail, answer too slowly, answer nonsense or are not there: Cognito's errors,
//! retries where Cognito retries, and nothing stored. Also the plain-webhook form.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::LambdaConfigType;
use serde_json::json;

use crate::common::*;
use crate::triggers_lambda::*;

async fn sign_up_error(app: &TestApp, pool: &Pool, username: &str) -> (String, String) {
    let err = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username(username)
        .password(PASSWORD)
        .user_attributes(attr("email", "x@example.com"))
        .send()
        .await
        .unwrap_err();
    (code(&err), message(&err))
}

async fn assert_no_user(app: &TestApp, pool: &Pool, username: &str) {
    let err = app.admin_get_user(pool, username).await.unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException", "nothing was stored");
    assert_eq!(app.sql_i64("SELECT COUNT(*) FROM users").await, 0);
}

async fn pre_sign_up_pool(app: &TestApp, function: &str) -> Pool {
    let config = LambdaConfigType::builder()
        .pre_sign_up(arn(function))
        .build();
    app.pool_with(PoolSpec::standard().pool(move |p| p.lambda_config(config)))
        .await
}

#[tokio::test]
async fn a_slow_function_times_out_after_three_attempts_and_stores_nothing() {
    let slow: Function = Arc::new(|event| Reply::Slow(Duration::from_millis(1500), event));
    let lambda = serve(vec![("Slow", slow)]).await;
    let app = spawn_for(&lambda).await; // a 300 ms timeout
    let pool = pre_sign_up_pool(&app, "Slow").await;
    let (code, message) = sign_up_error(&app, &pool, "late").await;
    assert_eq!(code, "UnexpectedLambdaException");
    assert_eq!(
        message,
        "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function."
    );
    assert_eq!(lambda.events("Slow").len(), 3, "timeouts are retried twice");
    assert_no_user(&app, &pool, "late").await;
}

#[tokio::test]
async fn a_malformed_answer_is_an_invalid_lambda_response_and_stores_nothing() {
    let garbled: Function = Arc::new(|_| Reply::Raw("<html>not json</html>"));
    let wrong_shape = respond_with(json!({"autoConfirmUser": "very much"}));
    let lambda = serve(vec![("Garbled", garbled), ("WrongShape", wrong_shape)]).await;
    let app = spawn_for(&lambda).await;
    for function in ["Garbled", "WrongShape"] {
        let pool = pre_sign_up_pool(&app, function).await;
        let (code, message) = sign_up_error(&app, &pool, "odd").await;
        assert_eq!(code, "InvalidLambdaResponseException", "{function}");
        assert_eq!(message, "Unrecognizable lambda output");
        assert_eq!(lambda.events(function).len(), 1, "an answer is not retried");
        assert_no_user(&app, &pool, "odd").await;
    }
}

#[tokio::test]
async fn a_missing_function_or_runtime_is_an_unexpected_lambda_exception() {
    let lambda = serve(vec![]).await;
    let app = spawn_for(&lambda).await;
    let pool = pre_sign_up_pool(&app, "Nobody").await;
    let (code, message) = sign_up_error(&app, &pool, "lost").await;
    assert_eq!(code, "UnexpectedLambdaException");
    assert_eq!(
        message,
        "PreSignUp invocation failed due to error ResourceNotFoundException."
    );
    assert_no_user(&app, &pool, "lost").await;

    // No runtime configured at all.
    let bare = spawn().await;
    let pool = pre_sign_up_pool(&bare, "Nobody").await;
    let (code, _) = sign_up_error(&bare, &pool, "lost").await;
    assert_eq!(code, "UnexpectedLambdaException");
    assert_no_user(&bare, &pool, "lost").await;
}

#[tokio::test]
async fn a_webhook_receives_the_same_event_unsigned() {
    let confirm =
        json!({"autoConfirmUser": true, "autoVerifyEmail": false, "autoVerifyPhone": false});
    let lambda = serve(vec![("Hook", respond_with(confirm))]).await;
    let hook = format!("{}/2015-03-31/functions/Hook/invocations", lambda.endpoint);
    let trigger = arn("ViaWebhook");
    let urls = [(trigger.clone(), hook)].into_iter().collect();
    let app = spawn_with(move |c| Config {
        trigger_urls: urls,
        ..c
    })
    .await;
    let config = LambdaConfigType::builder().pre_sign_up(trigger).build();
    let pool = app
        .pool_with(PoolSpec::standard().pool(move |p| p.lambda_config(config)))
        .await;
    let out = app.sign_up(&pool, "webby", "webby@example.com").await;
    assert!(out.user_confirmed);
    let calls = lambda.calls();
    assert_eq!(calls.len(), 1);
    assert!(!calls[0].signed, "webhooks are plain HTTPS calls");
    assert_eq!(calls[0].event["triggerSource"], "PreSignUp_SignUp");
}
