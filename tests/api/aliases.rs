//! Signing in with an alias (AliasAttributes) or with email as the username
//! (UsernameAttributes), and keeping those values unique.

use aws_sdk_cognitoidentityprovider as idp;
use idp::operation::create_user_pool::builders::CreateUserPoolFluentBuilder;
use idp::types::{AliasAttributeType, ExplicitAuthFlowsType, UsernameAttributeType};

use crate::common::*;

/// A pool that verifies email, with `adjust`ed settings, and a client allowing the password and
/// refresh flows.
fn aliases(
    adjust: impl FnOnce(CreateUserPoolFluentBuilder) -> CreateUserPoolFluentBuilder + 'static,
) -> PoolSpec {
    PoolSpec::standard().pool(adjust).flows(&[
        ExplicitAuthFlowsType::AllowUserPasswordAuth,
        ExplicitAuthFlowsType::AllowRefreshTokenAuth,
    ])
}

#[tokio::test]
async fn verified_emails_and_preferred_usernames_sign_in_as_aliases() {
    let app = spawn().await;
    let pool = app
        .pool_with(aliases(|b| {
            b.alias_attributes(AliasAttributeType::Email)
                .alias_attributes(AliasAttributeType::PreferredUsername)
        }))
        .await;
    app.sign_up(&pool, "alice", "alice@example.com").await;
    // Not an alias until verified.
    let err = app
        .password_sign_in(&pool, "alice@example.com", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException");
    let code_sent = app.latest_code(&pool.pool_id, "alice").await;
    app.confirm_sign_up(&pool, "alice", code_sent)
        .await
        .unwrap();
    app.password_sign_in(&pool, "alice@example.com", PASSWORD)
        .await
        .unwrap();
    let user = app
        .admin_get_user(&pool, "alice@example.com")
        .await
        .unwrap();
    assert_eq!(user.username(), "alice");

    // A second user cannot verify the same email.
    app.sign_up(&pool, "bob", "alice@example.com").await;
    let code_sent = app.latest_code(&pool.pool_id, "bob").await;
    let err = app
        .confirm_sign_up(&pool, "bob", code_sent)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "AliasExistsException");

    app.idp
        .admin_update_user_attributes()
        .user_pool_id(&pool.pool_id)
        .username("alice")
        .user_attributes(attr("preferred_username", "ally"))
        .send()
        .await
        .unwrap();
    app.password_sign_in(&pool, "ally", PASSWORD).await.unwrap();
    let err = app
        .idp
        .admin_update_user_attributes()
        .user_pool_id(&pool.pool_id)
        .username("bob")
        .user_attributes(attr("preferred_username", "ally"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "AliasExistsException");
}

#[tokio::test]
async fn email_as_username() {
    let app = spawn().await;
    let pool = app
        .pool_with(aliases(|b| {
            b.username_attributes(UsernameAttributeType::Email)
        }))
        .await;
    let signed_up = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("jane@example.com")
        .password(PASSWORD)
        .send()
        .await
        .unwrap();
    let sub = signed_up.user_sub().to_string();
    let user = app.admin_get_user(&pool, "jane@example.com").await.unwrap();
    // The username is the sub; the email is an attribute.
    assert_eq!(user.username(), sub);
    assert!(user
        .user_attributes()
        .iter()
        .any(|a| a.name() == "email" && a.value() == Some("jane@example.com")));
    let code_sent = app.latest_code(&pool.pool_id, &sub).await;
    app.confirm_sign_up(&pool, "jane@example.com", code_sent)
        .await
        .unwrap();
    app.password_sign_in(&pool, "jane@example.com", PASSWORD)
        .await
        .unwrap();

    let again = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("jane@example.com")
        .password(PASSWORD)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&again), "UsernameExistsException");
    let not_email = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("jane")
        .password(PASSWORD)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&not_email), "InvalidParameterException");
    let admin = app
        .idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("jane@example.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&admin), "UsernameExistsException");
}

#[tokio::test]
async fn force_alias_creation_moves_a_verified_email() {
    let app = spawn().await;
    let pool = app
        .pool_with(aliases(|b| b.alias_attributes(AliasAttributeType::Email)))
        .await;
    app.confirmed_user(&pool, "old").await;
    let create = |force: bool| {
        app.idp
            .admin_create_user()
            .user_pool_id(&pool.pool_id)
            .username("new")
            .user_attributes(attr("email", "old@example.com"))
            .user_attributes(attr("email_verified", "true"))
            .force_alias_creation(force)
            .message_action(idp::types::MessageActionType::Suppress)
            .send()
    };
    let err = create(false).await.unwrap_err();
    assert_eq!(code(&err), "AliasExistsException");
    create(true).await.unwrap();
    let previous = app.admin_get_user(&pool, "old").await.unwrap();
    let verified = value_of(previous.user_attributes(), "email_verified");
    assert_eq!(verified, Some("false"));
    let by_alias = app.admin_get_user(&pool, "old@example.com").await.unwrap();
    assert_eq!(by_alias.username(), "new");
}

#[tokio::test]
async fn case_insensitive_pools_match_aliases_in_any_case() {
    let app = spawn().await;
    let pool = app
        .pool_with(aliases(|b| {
            b.username_attributes(UsernameAttributeType::Email)
                .username_configuration(
                    idp::types::UsernameConfigurationType::builder()
                        .case_sensitive(false)
                        .build()
                        .unwrap(),
                )
        }))
        .await;
    app.idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("Kim@Example.com")
        .password(PASSWORD)
        .send()
        .await
        .unwrap();
    app.admin_confirm_sign_up(&pool, "kim@example.com")
        .await
        .unwrap();
    app.password_sign_in(&pool, "KIM@EXAMPLE.COM", PASSWORD)
        .await
        .unwrap();
    let again = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("kim@example.COM")
        .password(PASSWORD)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&again), "UsernameExistsException");

    // A case-sensitive pool keeps them apart.
    let strict = app
        .pool_with(aliases(|b| {
            b.username_attributes(UsernameAttributeType::Email)
        }))
        .await;
    for name in ["Lee@example.com", "lee@example.com"] {
        app.idp
            .sign_up()
            .client_id(&strict.client_id)
            .username(name)
            .password(PASSWORD)
            .send()
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn usernames_may_not_look_like_the_pools_alias_attributes() {
    let app = spawn().await;
    let pool = app
        .pool_with(aliases(|b| {
            b.alias_attributes(AliasAttributeType::Email)
                .alias_attributes(AliasAttributeType::PhoneNumber)
        }))
        .await;
    let sign_up = |username: &'static str| {
        app.idp
            .sign_up()
            .client_id(&pool.client_id)
            .username(username)
            .password(PASSWORD)
            .user_attributes(attr("email", "someone@example.com"))
            .send()
    };
    let err = sign_up("someone@example.com").await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    assert_eq!(
        message(&err),
        "Username cannot be of email format, since user pool is configured for email alias."
    );
    let err = sign_up("+15550001111").await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = app
        .idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("boss@example.com")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    sign_up("someone").await.unwrap();
}
