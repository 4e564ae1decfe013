//! Lockout after repeated wrong passwords (password sign-in, SRP and ChangePassword), and what
//! ends it, with the passage of time simulated in the database.

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::ExplicitAuthFlowsType;

use crate::common::*;

#[tokio::test]
async fn five_wrong_passwords_lock_the_user_out_for_growing_times() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "lena").await;
    let locked_until =
        || app.sql_i64("SELECT COALESCE(MAX(locked_until), 0) FROM sign_in_failures");

    for _ in 0..4 {
        let err = app
            .password_sign_in(&pool, "lena", "Wr0ng-password!")
            .await
            .unwrap_err();
        assert_eq!(message(&err), "Incorrect username or password.");
    }
    assert_eq!(locked_until().await, 0, "four failures do not lock");
    let before = now_ms();
    app.password_sign_in(&pool, "lena", "Wr0ng-password!")
        .await
        .unwrap_err();
    let first_lock = locked_until().await - before;
    assert!(
        (900..=1500).contains(&first_lock),
        "the fifth failure locks for a second: {first_lock}"
    );

    // While locked, even the right password is refused.
    app.sql("UPDATE sign_in_failures SET locked_until = locked_until + 3600000")
        .await;
    let err = app
        .password_sign_in(&pool, "lena", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    assert_eq!(message(&err), "Password attempts exceeded");

    // Time passes; the next failure locks for twice as long.
    app.sql("UPDATE sign_in_failures SET locked_until = 0")
        .await;
    let before = now_ms();
    app.password_sign_in(&pool, "lena", "Wr0ng-password!")
        .await
        .unwrap_err();
    let second_lock = locked_until().await - before;
    assert!(
        second_lock > first_lock + 500,
        "{second_lock} after {first_lock}"
    );

    // After it, the right password works and the count starts again.
    app.sql("UPDATE sign_in_failures SET locked_until = 0")
        .await;
    app.password_sign_in(&pool, "lena", PASSWORD).await.unwrap();
    assert_eq!(
        app.sql_i64("SELECT COUNT(*) FROM sign_in_failures").await,
        0
    );
}

#[tokio::test]
async fn srp_sign_in_is_locked_out_too() {
    let app = spawn().await;
    let spec = PoolSpec::standard().flows(&[
        ExplicitAuthFlowsType::AllowUserPasswordAuth,
        ExplicitAuthFlowsType::AllowUserSrpAuth,
    ]);
    let pool = app.pool_with(spec).await;
    app.confirmed_user(&pool, "milo").await;
    for _ in 0..5 {
        app.password_sign_in(&pool, "milo", "Wr0ng-password!")
            .await
            .unwrap_err();
    }
    app.sql("UPDATE sign_in_failures SET locked_until = locked_until + 3600000")
        .await;
    let (_, big_a) = srp::client::ephemeral();
    let challenge = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", "milo")
        .auth_parameters("SRP_A", big_a)
        .send()
        .await
        .unwrap();
    let p = challenge.challenge_parameters().unwrap();
    let err = app
        .respond(
            &pool,
            aws_sdk_cognitoidentityprovider::types::ChallengeNameType::PasswordVerifier,
            None,
            &[
                ("USERNAME", "milo"),
                ("PASSWORD_CLAIM_SECRET_BLOCK", &p["SECRET_BLOCK"]),
                ("PASSWORD_CLAIM_SIGNATURE", "AAAA"),
                ("TIMESTAMP", &srp_timestamp()),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(message(&err), "Password attempts exceeded");
}

#[tokio::test]
async fn change_password_guesses_count_toward_lockout() {
    let app = spawn().await;
    let pool = app.pool().await;
    let access = app.signed_in_user(&pool, "uma").await.access_token.unwrap();
    let attempt = |previous: &'static str| {
        app.idp
            .change_password()
            .access_token(&access)
            .previous_password(previous)
            .proposed_password("New-passw0rd!")
            .send()
    };
    let mut replies = Vec::new();
    for _ in 0..10 {
        replies.push(message(&attempt("Wrong-passw0rd!").await.unwrap_err()));
    }
    assert!(replies[..5]
        .iter()
        .all(|m| m == "Incorrect username or password."));
    // From the fifth failure on the user is locked out for a growing time; however slow this
    // machine, some later attempt falls inside a lock.
    assert!(
        replies[5..]
            .iter()
            .any(|m| m == "Password attempts exceeded"),
        "{replies:?}"
    );
}

#[tokio::test]
async fn invited_users_cannot_reset_and_a_new_password_ends_a_lockout() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("vera")
        .user_attributes(attr("email", "vera@example.com"))
        .user_attributes(attr("email_verified", "true"))
        .message_action(idp::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    let err = app
        .idp
        .forgot_password()
        .client_id(&pool.client_id)
        .username("vera")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");

    app.idp
        .admin_set_user_password()
        .user_pool_id(&pool.pool_id)
        .username("vera")
        .password(PASSWORD)
        .permanent(true)
        .send()
        .await
        .unwrap();
    let mut locked = false;
    for _ in 0..10 {
        let err = app
            .password_sign_in(&pool, "vera", "Wrong-passw0rd!")
            .await
            .unwrap_err();
        locked |= message(&err) == "Password attempts exceeded";
    }
    assert!(locked);
    app.idp
        .admin_set_user_password()
        .user_pool_id(&pool.pool_id)
        .username("vera")
        .password("Fresh-passw0rd!")
        .permanent(true)
        .send()
        .await
        .unwrap();
    app.password_sign_in(&pool, "vera", "Fresh-passw0rd!")
        .await
        .unwrap();
}
