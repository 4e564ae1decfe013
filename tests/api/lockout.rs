//! Lockout after repeated wrong passwords, with the passage of time simulated in the database.

use aws_sdk_cognitoidentityprovider::types::ExplicitAuthFlowsType;

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
