//! PreSignUp (SignUp, AdminCreateUser) and PostConfirmation, run through a Lambda Invoke API.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::types::{
    LambdaConfigType, MessageActionType, UserStatusType, VerifiedAttributeType,
};
use serde_json::json;

use crate::common::*;
use crate::triggers_lambda::*;

fn lambda_pool(config: LambdaConfigType) -> PoolSpec {
    PoolSpec::standard().pool(move |p| {
        p.lambda_config(config)
            .auto_verified_attributes(VerifiedAttributeType::Email)
    })
}

#[tokio::test]
async fn pre_sign_up_sees_the_sign_up_and_its_answer_confirms_and_verifies() {
    let confirm =
        json!({"autoConfirmUser": true, "autoVerifyEmail": true, "autoVerifyPhone": false});
    let lambda = serve(vec![("PreSignUp", respond_with(confirm))]).await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .pre_sign_up(arn("PreSignUp"))
        .build();
    let pool = app.pool_with(lambda_pool(config)).await;

    let out = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("alice")
        .password(PASSWORD)
        .user_attributes(attr("email", "alice@example.com"))
        .validation_data(attr("captcha", "ok"))
        .client_metadata("campaign", "winter")
        .send()
        .await
        .unwrap();
    assert!(out.user_confirmed, "autoConfirmUser confirms the user");
    assert!(
        out.code_delivery_details.is_none(),
        "no code for a confirmed user"
    );

    let events = lambda.events("PreSignUp");
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_envelope(
        event,
        "PreSignUp_SignUp",
        &pool,
        "alice",
        Some(&pool.client_id),
    );
    assert_eq!(
        event["request"]["userAttributes"],
        json!({"email": "alice@example.com"})
    );
    assert_eq!(event["request"]["validationData"], json!({"captcha": "ok"}));
    assert_eq!(
        event["request"]["clientMetadata"],
        json!({"campaign": "winter"})
    );
    assert_eq!(
        event["response"],
        json!({"autoConfirmUser": false, "autoVerifyEmail": false, "autoVerifyPhone": false})
    );
    assert!(
        lambda.calls()[0].signed,
        "Invoke API calls are SigV4-signed for lambda"
    );

    assert_eq!(
        app.user_status(&pool, "alice").await,
        UserStatusType::Confirmed
    );
    let user = app.admin_get_user(&pool, "alice").await.unwrap();
    assert_eq!(
        value_of(user.user_attributes(), "email_verified"),
        Some("true")
    );
    assert!(app.outbox(&pool.pool_id, "alice").await.is_empty());
    app.tokens(&pool, "alice").await;
}

#[tokio::test]
async fn a_refused_sign_up_stores_nothing() {
    let refuse: Function = Arc::new(|_| Reply::Error("No sign-ups from example.org".into()));
    let lambda = serve(vec![("PreSignUp", refuse)]).await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .pre_sign_up(arn("PreSignUp"))
        .build();
    let pool = app.pool_with(lambda_pool(config)).await;

    let err = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("mallory")
        .password(PASSWORD)
        .user_attributes(attr("email", "m@example.org"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserLambdaValidationException");
    assert_eq!(
        message(&err),
        "PreSignUp failed with error No sign-ups from example.org."
    );
    let err = app
        .idp
        .admin_get_user()
        .user_pool_id(&pool.pool_id)
        .username("mallory")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException");
    assert!(app.outbox(&pool.pool_id, "mallory").await.is_empty());
}

#[tokio::test]
async fn admin_create_user_runs_pre_sign_up_with_its_source() {
    let verify =
        json!({"autoConfirmUser": false, "autoVerifyEmail": true, "autoVerifyPhone": false});
    let lambda = serve(vec![("PreSignUp", respond_with(verify))]).await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .pre_sign_up(arn("PreSignUp"))
        .build();
    let pool = app.pool_with(lambda_pool(config)).await;

    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("bob")
        .user_attributes(attr("email", "bob@example.com"))
        .validation_data(attr("source", "import"))
        .client_metadata("batch", "7")
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    let event = &lambda.events("PreSignUp")[0];
    assert_envelope(event, "PreSignUp_AdminCreateUser", &pool, "bob", None);
    assert_eq!(
        event["request"]["userAttributes"]["email"],
        "bob@example.com"
    );
    assert_eq!(
        event["request"]["validationData"],
        json!({"source": "import"})
    );
    assert_eq!(event["request"]["clientMetadata"], json!({"batch": "7"}));
    let user = app.admin_get_user(&pool, "bob").await.unwrap();
    assert_eq!(
        value_of(user.user_attributes(), "email_verified"),
        Some("true")
    );
    assert_eq!(
        app.user_status(&pool, "bob").await,
        UserStatusType::ForceChangePassword
    );
}

#[tokio::test]
async fn post_confirmation_runs_before_the_user_is_confirmed_and_a_failure_confirms_nothing() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    // Fails the first time, passes the second.
    let flaky: Function = Arc::new(move |event| match seen.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::Error("CRM is down".into()),
        _ => Reply::Event(event),
    });
    let lambda = serve(vec![("PostConfirmation", flaky)]).await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .post_confirmation(arn("PostConfirmation"))
        .build();
    let pool = app.pool_with(lambda_pool(config)).await;
    app.sign_up(&pool, "carol", "carol@example.com").await;
    let sent = app.latest_code(&pool.pool_id, "carol").await;

    let confirm = || {
        app.idp
            .confirm_sign_up()
            .client_id(&pool.client_id)
            .username("carol")
            .confirmation_code(&sent)
            .client_metadata("from", "email-link")
            .send()
    };
    let err = confirm().await.unwrap_err();
    assert_eq!(code(&err), "UserLambdaValidationException");
    assert_eq!(
        message(&err),
        "PostConfirmation failed with error CRM is down."
    );
    assert_eq!(
        app.user_status(&pool, "carol").await,
        UserStatusType::Unconfirmed
    );

    // The code was not spent: the same code confirms once the function passes.
    confirm().await.unwrap();
    assert_eq!(
        app.user_status(&pool, "carol").await,
        UserStatusType::Confirmed
    );
    let events = lambda.events("PostConfirmation");
    assert_eq!(events.len(), 2);
    let event = &events[1];
    assert_envelope(
        event,
        "PostConfirmation_ConfirmSignUp",
        &pool,
        "carol",
        Some(&pool.client_id),
    );
    let attributes = &event["request"]["userAttributes"];
    assert_eq!(attributes["cognito:user_status"], "CONFIRMED");
    assert_eq!(attributes["email"], "carol@example.com");
    assert_eq!(attributes["email_verified"], "true");
    assert!(attributes["sub"].is_string());
    assert_eq!(
        event["request"]["clientMetadata"],
        json!({"from": "email-link"})
    );
    assert_eq!(event["response"], json!({}));
}
