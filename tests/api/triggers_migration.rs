//! UserMigration: an unknown user signing in with a password, or asking for a reset code, is
//! looked up through the pool's function and created as it answers; a failing, empty or slow
//! answer leaves no user behind; SRP never migrates.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFactorType, AuthFlowType, ExplicitAuthFlowsType, LambdaConfigType,
    PreventUserExistenceErrorTypes, SignInPolicyType, UserPoolPolicyType, UserStatusType,
};
use serde_json::{json, Value};

use crate::common::*;
use crate::triggers_lambda::*;

/// The old system: one user, "legacy", with PASSWORD; `status` is its finalUserStatus.
fn old_system(status: &'static str) -> Function {
    Arc::new(move |mut event: Value| {
        let request = &event["request"];
        let known = event["userName"] == "legacy";
        let password_ok = match event["triggerSource"].as_str() {
            Some("UserMigration_Authentication") => request["password"] == PASSWORD,
            _ => true,
        };
        if !known || !password_ok {
            return Reply::Event(event); // response left null: not found
        }
        event["response"] = json!({
            "userAttributes": {
                "email": "legacy@example.com",
                "email_verified": "true",
                "name": "Old Timer",
                "phone_number": "+15555550100",
                "sub": "not-the-pool's-to-take",
            },
            "finalUserStatus": status,
            "messageAction": "SUPPRESS",
            "enableSMSMFA": true,
        });
        Reply::Event(event)
    })
}

async fn migration_app(function: Function, prevent: bool) -> (Lambda, TestApp, Pool) {
    let lambda = serve(vec![("Migrate", function), ("Confirmed", pass())]).await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .user_migration(arn("Migrate"))
        .post_confirmation(arn("Confirmed"))
        .build();
    let mut spec = PoolSpec::standard()
        .pool(move |p| p.lambda_config(config))
        .flows(&[
            ExplicitAuthFlowsType::AllowUserPasswordAuth,
            ExplicitAuthFlowsType::AllowAdminUserPasswordAuth,
            ExplicitAuthFlowsType::AllowUserSrpAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ]);
    if prevent {
        spec = spec
            .client(|c| c.prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled));
    }
    let pool = app.pool_with(spec).await;
    (lambda, app, pool)
}

async fn users(app: &TestApp) -> i64 {
    app.sql_i64("SELECT COUNT(*) FROM users").await
}

#[tokio::test]
async fn a_password_sign_in_migrates_the_user_and_keeps_the_password() {
    let (lambda, app, pool) = migration_app(old_system("CONFIRMED"), false).await;
    let out = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "legacy")
        .auth_parameters("PASSWORD", PASSWORD)
        .client_metadata("app", "v1")
        .send()
        .await
        .unwrap();
    let tokens = out.authentication_result.expect("signed in at once");
    let id = claims(tokens.id_token().unwrap());
    assert_eq!(id["cognito:username"], "legacy");
    assert_eq!(id["email"], "legacy@example.com");
    assert_ne!(id["sub"], "not-the-pool's-to-take");

    let events = lambda.events("Migrate");
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_envelope(
        event,
        "UserMigration_Authentication",
        &pool,
        "legacy",
        Some(&pool.client_id),
    );
    assert_eq!(event["request"]["password"], PASSWORD);
    assert_eq!(event["request"]["validationData"], json!({"app": "v1"}));
    assert_eq!(event["request"]["clientMetadata"], json!({"app": "v1"}));
    assert_eq!(
        event["response"],
        json!({"userAttributes": null, "finalUserStatus": null, "messageAction": null,
               "desiredDeliveryMediums": null, "forceAliasCreation": null, "enableSMSMFA": null})
    );

    let user = app.admin_get_user(&pool, "legacy").await.unwrap();
    assert_eq!(user.user_status(), Some(&UserStatusType::Confirmed));
    assert_eq!(value_of(user.user_attributes(), "name"), Some("Old Timer"));
    assert_eq!(user.user_mfa_setting_list(), ["SMS_MFA"], "enableSMSMFA");
    assert_eq!(
        value_of(user.user_attributes(), "email_verified"),
        Some("true")
    );
    // The kept password signs in again, without the old system.
    app.tokens(&pool, "legacy").await;
    let admin = app
        .idp
        .admin_initiate_auth()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "legacy")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    assert!(admin.authentication_result.is_some());
    assert_eq!(lambda.events("Migrate").len(), 1, "migrated once");
    assert!(app.outbox(&pool.pool_id, "legacy").await.is_empty());
}

#[tokio::test]
async fn reset_required_users_must_reset_before_signing_in() {
    let (_lambda, app, pool) = migration_app(old_system("RESET_REQUIRED"), false).await;
    let err = app
        .password_sign_in(&pool, "legacy", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "PasswordResetRequiredException");
    assert_eq!(
        app.user_status(&pool, "legacy").await,
        UserStatusType::ResetRequired
    );
}

#[tokio::test]
async fn not_found_wrong_password_failing_or_slow_functions_leave_no_user() {
    let (lambda, app, pool) = migration_app(old_system("CONFIRMED"), false).await;
    let err = app
        .password_sign_in(&pool, "legacy", "Wr0ng-password!")
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException");
    let err = app
        .password_sign_in(&pool, "stranger", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException");
    assert_eq!(lambda.events("Migrate").len(), 2);
    assert_eq!(users(&app).await, 0);

    let failing: Function = Arc::new(|_| Reply::Error("Old system is down".into()));
    let slow: Function = Arc::new(|event| Reply::Slow(Duration::from_millis(1500), event));
    let nonsense = respond_with(json!({"userAttributes": "everyone"}));
    for (function, kind) in [
        (failing, "UserLambdaValidationException"),
        (slow, "UnexpectedLambdaException"),
        (nonsense, "InvalidLambdaResponseException"),
    ] {
        let (_lambda, app, pool) = migration_app(function, false).await;
        let err = app
            .password_sign_in(&pool, "legacy", PASSWORD)
            .await
            .unwrap_err();
        assert_eq!(code(&err), kind, "{}", message(&err));
        if kind == "UserLambdaValidationException" {
            assert_eq!(
                message(&err),
                "UserMigration failed with error Old system is down."
            );
        }
        assert_eq!(users(&app).await, 0, "{kind} leaves no user");
    }
}

#[tokio::test]
async fn where_existence_is_hidden_a_miss_answers_as_any_unknown_user() {
    let (lambda, app, pool) = migration_app(old_system("CONFIRMED"), true).await;
    let missing = app
        .password_sign_in(&pool, "stranger", PASSWORD)
        .await
        .unwrap_err();
    let wrong = app
        .password_sign_in(&pool, "legacy", "Wr0ng-password!")
        .await
        .unwrap_err();
    for err in [&missing, &wrong] {
        assert_eq!(code(err), "NotAuthorizedException");
        assert_eq!(message(err), "Incorrect username or password.");
    }
    assert_eq!(lambda.events("Migrate").len(), 2);
    assert_eq!(users(&app).await, 0);
    app.tokens(&pool, "legacy").await;
}

#[tokio::test]
async fn srp_sign_ins_do_not_migrate() {
    let (lambda, app, pool) = migration_app(old_system("CONFIRMED"), false).await;
    let err = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", "legacy")
        .auth_parameters("SRP_A", "abcdef0123456789")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException");
    assert!(lambda.events("Migrate").is_empty());
    assert_eq!(users(&app).await, 0);
}

#[tokio::test]
async fn forgot_password_migrates_then_the_reset_confirms_the_user() {
    let (lambda, app, pool) = migration_app(old_system("CONFIRMED"), false).await;
    let out = app
        .idp
        .forgot_password()
        .client_id(&pool.client_id)
        .username("legacy")
        .client_metadata("app", "v1")
        .send()
        .await
        .unwrap();
    let details = out.code_delivery_details.unwrap();
    assert_eq!(details.destination(), Some("l***@e***"));
    let event = &lambda.events("Migrate")[0];
    assert_envelope(
        event,
        "UserMigration_ForgotPassword",
        &pool,
        "legacy",
        Some(&pool.client_id),
    );
    assert!(event["request"].get("password").is_none(), "{event}");
    assert_eq!(event["request"]["clientMetadata"], json!({"app": "v1"}));
    assert_eq!(
        app.user_status(&pool, "legacy").await,
        UserStatusType::ResetRequired
    );

    let reset_code = app.latest_code(&pool.pool_id, "legacy").await;
    app.idp
        .confirm_forgot_password()
        .client_id(&pool.client_id)
        .username("legacy")
        .confirmation_code(reset_code)
        .password("N3w-passw0rd!")
        .client_metadata("step", "reset")
        .send()
        .await
        .unwrap();
    let confirmed = lambda.events("Confirmed");
    assert_eq!(confirmed.len(), 1);
    assert_envelope(
        &confirmed[0],
        "PostConfirmation_ConfirmForgotPassword",
        &pool,
        "legacy",
        Some(&pool.client_id),
    );
    assert_eq!(
        confirmed[0]["request"]["clientMetadata"],
        json!({"step": "reset"})
    );
    assert_eq!(
        confirmed[0]["request"]["userAttributes"]["email"],
        "legacy@example.com"
    );
    app.password_sign_in(&pool, "legacy", "N3w-passw0rd!")
        .await
        .unwrap();

    let err = app
        .idp
        .forgot_password()
        .client_id(&pool.client_id)
        .username("stranger")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException");
    assert_eq!(users(&app).await, 1);
}

#[tokio::test]
async fn user_auth_with_a_preferred_password_migrates() {
    let lambda = serve(vec![("Migrate", old_system("CONFIRMED"))]).await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .user_migration(arn("Migrate"))
        .build();
    let policy = UserPoolPolicyType::builder()
        .sign_in_policy(
            SignInPolicyType::builder()
                .allowed_first_auth_factors(AuthFactorType::Password)
                .build(),
        )
        .build();
    let spec = PoolSpec::bare()
        .pool(move |p| p.lambda_config(config).policies(policy))
        .flows(&[ExplicitAuthFlowsType::AllowUserAuth]);
    let pool = app.pool_with(spec).await;
    let out = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserAuth)
        .auth_parameters("USERNAME", "legacy")
        .auth_parameters("PREFERRED_CHALLENGE", "PASSWORD")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    assert!(out.authentication_result.is_some(), "{out:?}");
    let event = &lambda.events("Migrate")[0];
    assert_eq!(event["triggerSource"], "UserMigration_Authentication");
    assert_eq!(event["request"]["password"], PASSWORD);
    assert_eq!(users(&app).await, 1);
}
