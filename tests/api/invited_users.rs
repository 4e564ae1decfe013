//! Invited users at their first sign-in: the NEW_PASSWORD_REQUIRED challenge, and temporary
//! passwords that expire.

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::{ChallengeNameType, DeliveryMediumType};

use crate::common::*;

/// Invites `username` by email and starts their first sign-in with the temporary password sent.
async fn invited_sign_in(
    app: &TestApp,
    pool: &Pool,
    username: &str,
) -> idp::operation::initiate_auth::InitiateAuthOutput {
    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username(username)
        .user_attributes(attr("email", &format!("{username}@example.com")))
        .desired_delivery_mediums(DeliveryMediumType::Email)
        .send()
        .await
        .unwrap();
    let temporary = app.latest_code(&pool.pool_id, username).await;
    app.password_sign_in(pool, username, &temporary)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_invited_user_sets_a_new_password_at_first_sign_in() {
    let app = spawn().await;
    let pool = app.pool().await;
    let started = invited_sign_in(&app, &pool, "sam").await;
    assert_eq!(
        started.challenge_name(),
        Some(&ChallengeNameType::NewPasswordRequired)
    );
    let done = app
        .respond(
            &pool,
            ChallengeNameType::NewPasswordRequired,
            Some(started.session().unwrap()),
            &[("USERNAME", "sam"), ("NEW_PASSWORD", "Chosen-passw0rd!")],
        )
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());
    let user = app.admin_get_user(&pool, "sam").await.unwrap();
    assert_eq!(user.user_status().unwrap().as_str(), "CONFIRMED");
    // The index follows the status change made by the challenge.
    let listed = app
        .idp
        .list_users()
        .user_pool_id(&pool.pool_id)
        .filter("cognito:user_status = \"CONFIRMED\"")
        .send()
        .await
        .unwrap();
    assert_eq!(listed.users().len(), 1);
    app.password_sign_in(&pool, "sam", "Chosen-passw0rd!")
        .await
        .unwrap();
}

#[tokio::test]
async fn new_password_answers_are_checked_and_may_be_corrected() {
    let app = spawn().await;
    let pool = app.pool().await;
    let started = invited_sign_in(&app, &pool, "tess").await;
    let session = started.session().unwrap().to_string();
    let answer = |password: &str, email: &str| {
        app.respond(
            &pool,
            ChallengeNameType::NewPasswordRequired,
            Some(&session),
            &[
                ("USERNAME", "tess"),
                ("NEW_PASSWORD", password),
                ("userAttributes.email", email),
            ],
        )
    };
    let err = answer("Chosen-passw0rd!", "not an email")
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = answer("weak", "tess@example.org").await.unwrap_err();
    assert_eq!(code(&err), "InvalidPasswordException");
    let done = answer("Chosen-passw0rd!", "tess@example.org")
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());
    let user = app.admin_get_user(&pool, "tess").await.unwrap();
    let email = user
        .user_attributes()
        .iter()
        .find(|a| a.name() == "email")
        .unwrap();
    assert_eq!(email.value(), Some("tess@example.org"));
}

#[tokio::test]
async fn temporary_passwords_expire() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("walt")
        .temporary_password("Tempor4ry-pass!")
        .message_action(idp::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    // Eight days pass; the pool's default validity is seven.
    app.sql("UPDATE users SET updated_at = updated_at - 691200000")
        .await;
    let err = app
        .password_sign_in(&pool, "walt", "Tempor4ry-pass!")
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    assert_eq!(
        message(&err),
        "Temporary password has expired and must be reset by an administrator."
    );
}
