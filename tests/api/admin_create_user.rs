//! AdminCreateUser: invitations, generated temporary passwords, message actions, bad input, and
//! invitations that cannot be delivered.

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::{DeliveryMediumType, MessageActionType, UserStatusType};

use crate::common::*;

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
async fn an_undeliverable_invitation_creates_no_user() {
    // A port nobody listens on: every SMTP connection is refused.
    let app = spawn_with_smtp(unused_port()).await;
    let pool = app.pool().await;
    let err = app
        .idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("tess")
        .user_attributes(attr("email", "tess@example.com"))
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "CodeDeliveryFailureException");
    let missing = app.admin_get_user(&pool, "tess").await.unwrap_err();
    assert_eq!(code(&missing), "UserNotFoundException");
}
