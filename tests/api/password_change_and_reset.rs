//! ChangePassword, ForgotPassword and ConfirmForgotPassword (also after AdminResetUserPassword),
//! and the AccountRecoverySetting that picks where a reset code goes.

use crate::common::*;

#[tokio::test]
async fn change_password_checks_the_previous_one() {
    let app = spawn().await;
    let pool = app.pool().await;
    let access = app
        .signed_in_user(&pool, "paul")
        .await
        .access_token
        .unwrap();

    let wrong = app
        .idp
        .change_password()
        .access_token(&access)
        .previous_password("Not-the-passw0rd")
        .proposed_password("New-passw0rd!")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&wrong), "NotAuthorizedException");
    let weak = app
        .idp
        .change_password()
        .access_token(&access)
        .previous_password(PASSWORD)
        .proposed_password("weak")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&weak), "InvalidPasswordException");
    app.idp
        .change_password()
        .access_token(&access)
        .previous_password(PASSWORD)
        .proposed_password("New-passw0rd!")
        .send()
        .await
        .unwrap();
    let old = app
        .password_sign_in(&pool, "paul", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(code(&old), "NotAuthorizedException");
    app.password_sign_in(&pool, "paul", "New-passw0rd!")
        .await
        .unwrap();
}

#[tokio::test]
async fn forgot_password_resets_with_the_emailed_code() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "quinn").await;
    let sent = app
        .idp
        .forgot_password()
        .client_id(&pool.client_id)
        .username("quinn")
        .send()
        .await
        .unwrap();
    let details = sent.code_delivery_details().unwrap();
    assert_eq!(details.destination(), Some("q***@e***"));
    let message = &app.outbox(&pool.pool_id, "quinn").await[0];
    assert_eq!(message["purpose"], "FORGOT_PASSWORD");
    let reset_code = message["code"].as_str().unwrap().to_string();

    let confirm = |code_given: &str, password: &str| {
        app.idp
            .confirm_forgot_password()
            .client_id(&pool.client_id)
            .username("quinn")
            .confirmation_code(code_given)
            .password(password)
            .send()
    };
    let wrong = confirm("000000", "Reset-passw0rd!").await.unwrap_err();
    assert_eq!(code(&wrong), "CodeMismatchException");
    let weak = confirm(&reset_code, "weak").await.unwrap_err();
    assert_eq!(code(&weak), "InvalidPasswordException");
    confirm(&reset_code, "Reset-passw0rd!").await.unwrap();
    let again = confirm(&reset_code, "Other-passw0rd!").await.unwrap_err();
    assert_eq!(code(&again), "ExpiredCodeException");
    app.password_sign_in(&pool, "quinn", "Reset-passw0rd!")
        .await
        .unwrap();

    let unknown = app
        .idp
        .forgot_password()
        .client_id(&pool.client_id)
        .username("nobody")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&unknown), "UserNotFoundException");
    let no_code = app
        .idp
        .confirm_forgot_password()
        .client_id(&pool.client_id)
        .username("quinn")
        .confirmation_code("123456")
        .password("Reset-passw0rd!")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&no_code), "ExpiredCodeException");
}

#[tokio::test]
async fn admin_reset_then_confirm_forgot_password_confirms_the_user() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "rita").await;
    app.idp
        .admin_reset_user_password()
        .user_pool_id(&pool.pool_id)
        .username("rita")
        .send()
        .await
        .unwrap();
    let reset_code = app.latest_code(&pool.pool_id, "rita").await;
    app.idp
        .confirm_forgot_password()
        .client_id(&pool.client_id)
        .username("rita")
        .confirmation_code(reset_code)
        .password("After-reset-1!")
        .send()
        .await
        .unwrap();
    let user = app.admin_get_user(&pool, "rita").await.unwrap();
    assert_eq!(user.user_status().unwrap().as_str(), "CONFIRMED");
    app.password_sign_in(&pool, "rita", "After-reset-1!")
        .await
        .unwrap();
}

#[tokio::test]
async fn account_recovery_setting_picks_the_medium() {
    use aws_sdk_cognitoidentityprovider::types::{
        AccountRecoverySettingType, RecoveryOptionNameType, RecoveryOptionType,
    };
    let app = spawn().await;
    let pool = app.pool().await;
    let recovery = |first: RecoveryOptionNameType, second: Option<RecoveryOptionNameType>| {
        let mut setting = AccountRecoverySettingType::builder().recovery_mechanisms(
            RecoveryOptionType::builder()
                .name(first)
                .priority(1)
                .build()
                .unwrap(),
        );
        if let Some(second) = second {
            setting = setting.recovery_mechanisms(
                RecoveryOptionType::builder()
                    .name(second)
                    .priority(2)
                    .build()
                    .unwrap(),
            );
        }
        setting.build()
    };
    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("walt")
        .user_attributes(attr("email", "walt@example.com"))
        .user_attributes(attr("email_verified", "true"))
        .user_attributes(attr("phone_number", "+15555550123"))
        .user_attributes(attr("phone_number_verified", "true"))
        .temporary_password("Temp-Passw0rd!")
        .message_action(aws_sdk_cognitoidentityprovider::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    app.idp
        .admin_set_user_password()
        .user_pool_id(&pool.pool_id)
        .username("walt")
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    let forgot = || {
        app.idp
            .forgot_password()
            .client_id(&pool.client_id)
            .username("walt")
            .send()
    };
    // Without a setting: the phone first, as Cognito's legacy behaviour.
    let sent = forgot().await.unwrap();
    assert_eq!(
        sent.code_delivery_details().unwrap().attribute_name(),
        Some("phone_number")
    );

    for (setting, expected) in [
        (
            recovery(
                RecoveryOptionNameType::VerifiedEmail,
                Some(RecoveryOptionNameType::VerifiedPhoneNumber),
            ),
            Some("email"),
        ),
        (recovery(RecoveryOptionNameType::AdminOnly, None), None),
    ] {
        app.idp
            .update_user_pool()
            .user_pool_id(&pool.pool_id)
            .auto_verified_attributes(
                aws_sdk_cognitoidentityprovider::types::VerifiedAttributeType::Email,
            )
            .account_recovery_setting(setting)
            .send()
            .await
            .unwrap();
        match expected {
            Some(attribute) => {
                let sent = forgot().await.unwrap();
                let details = sent.code_delivery_details().unwrap();
                assert_eq!(details.attribute_name(), Some(attribute));
            }
            None => {
                let err = forgot().await.unwrap_err();
                assert_eq!(code(&err), "InvalidParameterException");
            }
        }
    }
}
