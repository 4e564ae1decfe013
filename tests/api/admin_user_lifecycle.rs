//! An administrator setting and resetting passwords, disabling, enabling and deleting users.

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::{DeliveryMediumType, MessageActionType, UserStatusType};

use crate::common::*;

async fn create(app: &TestApp, pool: &Pool, username: &str, password: Option<&str>) {
    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username(username)
        .set_temporary_password(password.map(String::from))
        .user_attributes(attr("email", &format!("{username}@example.com")))
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn admin_set_user_password_sets_the_status() {
    let app = spawn().await;
    let pool = app.pool().await;
    create(&app, &pool, "frank", Some("Temp-Passw0rd!")).await;
    app.idp
        .admin_set_user_password()
        .user_pool_id(&pool.pool_id)
        .username("frank")
        .password("Brand-new-passw0rd")
        .permanent(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        app.user_status(&pool, "frank").await,
        UserStatusType::Confirmed
    );
    let tokens = app
        .password_sign_in(&pool, "frank", "Brand-new-passw0rd")
        .await
        .unwrap();
    assert!(tokens.authentication_result.is_some());

    app.idp
        .admin_set_user_password()
        .user_pool_id(&pool.pool_id)
        .username("frank")
        .password("Another-passw0rd")
        .permanent(false)
        .send()
        .await
        .unwrap();
    assert_eq!(
        app.user_status(&pool, "frank").await,
        UserStatusType::ForceChangePassword
    );

    let weak = app
        .idp
        .admin_set_user_password()
        .user_pool_id(&pool.pool_id)
        .username("frank")
        .password("weak")
        .permanent(true)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&weak), "InvalidPasswordException");
    let unknown = app
        .idp
        .admin_set_user_password()
        .user_pool_id(&pool.pool_id)
        .username("ghost")
        .password("Another-passw0rd")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&unknown), "UserNotFoundException");
}

#[tokio::test]
async fn disabled_users_cannot_sign_in_until_enabled_and_deleted_users_are_gone() {
    let app = spawn().await;
    let pool = app.pool().await;
    let before = app.signed_in_user(&pool, "gina").await;
    app.idp
        .admin_disable_user()
        .user_pool_id(&pool.pool_id)
        .username("gina")
        .send()
        .await
        .unwrap();
    let user = app.admin_get_user(&pool, "gina").await.unwrap();
    assert!(!user.enabled());
    let err = app
        .password_sign_in(&pool, "gina", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    assert_eq!(message(&err), "User is disabled.");

    app.idp
        .admin_enable_user()
        .user_pool_id(&pool.pool_id)
        .username("gina")
        .send()
        .await
        .unwrap();
    app.password_sign_in(&pool, "gina", PASSWORD).await.unwrap();
    // Tokens from before the user was disabled stay revoked.
    let err = app
        .idp
        .get_user()
        .access_token(before.access_token().unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(message(&err), "Access Token has been revoked");
    let err = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(idp::types::AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", before.refresh_token().unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(message(&err), "Refresh Token has been revoked");

    app.idp
        .admin_delete_user()
        .user_pool_id(&pool.pool_id)
        .username("gina")
        .send()
        .await
        .unwrap();
    let gone = app.admin_get_user(&pool, "gina").await.unwrap_err();
    assert_eq!(code(&gone), "UserNotFoundException");
    let again = app
        .idp
        .admin_delete_user()
        .user_pool_id(&pool.pool_id)
        .username("gina")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&again), "UserNotFoundException");
    let disable = app
        .idp
        .admin_disable_user()
        .user_pool_id(&pool.pool_id)
        .username("gina")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&disable), "UserNotFoundException");
}

#[tokio::test]
async fn admin_reset_user_password_requires_a_reset() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "hank").await;
    app.idp
        .admin_reset_user_password()
        .user_pool_id(&pool.pool_id)
        .username("hank")
        .send()
        .await
        .unwrap();
    assert_eq!(
        app.user_status(&pool, "hank").await,
        UserStatusType::ResetRequired
    );
    let messages = app.outbox(&pool.pool_id, "hank").await;
    assert_eq!(messages[0]["purpose"], "FORGOT_PASSWORD");
    assert_eq!(messages[0]["code"].as_str().unwrap().len(), 6);
    let err = app
        .password_sign_in(&pool, "hank", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "PasswordResetRequiredException");

    // Without a verified email or phone there is nowhere to send the code.
    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("ivy")
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    let err = app
        .idp
        .admin_reset_user_password()
        .user_pool_id(&pool.pool_id)
        .username("ivy")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    assert_eq!(
        app.user_status(&pool, "ivy").await,
        UserStatusType::ForceChangePassword
    );
}
