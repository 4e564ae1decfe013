//! Administrators' user management, driven through the AWS SDK.

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
async fn admin_create_user_sends_an_invitation_with_the_temporary_password() {
    let app = spawn().await;
    let pool = app.pool().await;
    let created = app
        .idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("carol")
        .temporary_password("Temp-Passw0rd!")
        .user_attributes(attr("email", "carol@example.com"))
        .user_attributes(attr("email_verified", "true"))
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .unwrap()
        .user
        .unwrap();
    assert_eq!(created.username(), Some("carol"));
    assert_eq!(
        created.user_status(),
        Some(&UserStatusType::ForceChangePassword)
    );
    assert!(created.enabled());
    let attrs = created.attributes();
    assert_eq!(attrs[0].name(), "sub");
    assert!(attrs
        .iter()
        .any(|a| a.name() == "email" && a.value() == Some("carol@example.com")));

    let messages = app.outbox(&pool.pool_id, "carol").await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["purpose"], "INVITATION");
    assert_eq!(messages[0]["medium"], "EMAIL");
    assert_eq!(messages[0]["destination"], "carol@example.com");
    let body = messages[0]["body"].as_str().unwrap();
    assert!(
        body.contains("carol") && body.contains("Temp-Passw0rd!"),
        "{body}"
    );
    assert_eq!(
        app.user_status(&pool, "carol").await,
        UserStatusType::ForceChangePassword
    );

    let again = app
        .idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("carol")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&again), "UsernameExistsException");
}

#[tokio::test]
async fn generated_passwords_follow_the_policy_and_templates_are_used() {
    let app = spawn().await;
    let spec = PoolSpec::bare().pool(|p| {
        p.admin_create_user_config(
            idp::types::AdminCreateUserConfigType::builder()
                .invite_message_template(
                    idp::types::MessageTemplateType::builder()
                        .email_subject("Welcome")
                        .email_message("Hi {username}, use {####} to sign in.")
                        .build(),
                )
                .build(),
        )
    });
    let pool_id = app.pool_with(spec).await.pool_id;
    app.idp
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username("dave")
        .user_attributes(attr("email", "dave@example.com"))
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .unwrap();
    let messages = app.outbox(&pool_id, "dave").await;
    assert_eq!(messages[0]["subject"], "Welcome");
    let password = messages[0]["code"].as_str().unwrap();
    assert_eq!(
        messages[0]["body"].as_str().unwrap(),
        format!("Hi dave, use {password} to sign in.")
    );
    assert!(password.len() >= 12);
    assert!(password.chars().any(|c| c.is_ascii_uppercase()));
    assert!(password.chars().any(|c| c.is_ascii_lowercase()));
    assert!(password.chars().any(|c| c.is_ascii_digit()));
    assert!(password.chars().any(|c| !c.is_ascii_alphanumeric()));

    // RESEND replaces the temporary password and sends it again.
    app.idp
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username("dave")
        .message_action(MessageActionType::Resend)
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .unwrap();
    let messages = app.outbox(&pool_id, "dave").await;
    assert_eq!(messages.len(), 2);
    assert_ne!(messages[0]["code"], messages[1]["code"]);

    let err = app
        .idp
        .admin_create_user()
        .user_pool_id(&pool_id)
        .username("nobody")
        .message_action(MessageActionType::Resend)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException");
}

#[tokio::test]
async fn admin_create_user_rejects_bad_input_without_writing() {
    let app = spawn().await;
    let pool = app.pool().await;
    let weak = app
        .idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("erin")
        .temporary_password("short")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&weak), "InvalidPasswordException");

    let bad_action = app
        .idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("erin")
        .message_action(MessageActionType::from("SHOUT"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&bad_action), "InvalidParameterException");

    let no_phone = app
        .idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("erin")
        .user_attributes(attr("email", "erin@example.com"))
        .desired_delivery_mediums(DeliveryMediumType::Sms)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&no_phone), "InvalidParameterException");

    let bad_attr = app
        .idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("erin")
        .user_attributes(attr("shoe_size", "44"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&bad_attr), "InvalidParameterException");

    let missing = app.admin_get_user(&pool, "erin").await.unwrap_err();
    assert_eq!(code(&missing), "UserNotFoundException");

    let no_pool = app
        .idp
        .admin_create_user()
        .user_pool_id("us-east-1_nothere")
        .username("erin")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&no_pool), "ResourceNotFoundException");

    // SUPPRESS creates the user without any message.
    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("erin")
        .user_attributes(attr("email", "erin@example.com"))
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    assert!(app.outbox(&pool.pool_id, "erin").await.is_empty());
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
