//! SignUp, ConfirmSignUp, ResendConfirmationCode and AdminConfirmSignUp, and their errors.

use crate::common::*;

#[tokio::test]
async fn sign_up_errors() {
    let app = spawn().await;
    let pool = app.pool().await;
    let sign_up = |username: &str, password: &str| {
        app.idp
            .sign_up()
            .client_id(&pool.client_id)
            .username(username)
            .password(password)
            .user_attributes(attr("email", "x@example.com"))
            .send()
    };
    let err = sign_up("weak", "password").await.unwrap_err();
    assert_eq!(code(&err), "InvalidPasswordException");
    assert!(
        message(&err).starts_with("Password did not conform with policy"),
        "{}",
        message(&err)
    );
    sign_up("dave", PASSWORD).await.unwrap();
    let err = sign_up("dave", PASSWORD).await.unwrap_err();
    assert_eq!(code(&err), "UsernameExistsException");
    let err = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("erin")
        .password(PASSWORD)
        .user_attributes(attr("favourite_colour", "blue"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = app
        .idp
        .sign_up()
        .client_id("nosuchclient")
        .username("erin")
        .password(PASSWORD)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");

    let err = app
        .confirm_sign_up(&pool, "dave", "000000x")
        .await
        .unwrap_err();
    assert_eq!(code(&err), "CodeMismatchException");
    let err = app
        .confirm_sign_up(&pool, "nobody", "123456")
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException");
}

#[tokio::test]
async fn confirmation_codes_stop_working_after_five_wrong_guesses() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.sign_up(&pool, "frank", "frank@example.com").await;
    let good = app.latest_code(&pool.pool_id, "frank").await;
    let wrong = if good == "111111" { "222222" } else { "111111" };
    for _ in 0..5 {
        let err = app
            .confirm_sign_up(&pool, "frank", wrong)
            .await
            .unwrap_err();
        assert_eq!(code(&err), "CodeMismatchException");
    }
    let err = app.confirm_sign_up(&pool, "frank", good).await.unwrap_err();
    assert_eq!(code(&err), "LimitExceededException");
}

#[tokio::test]
async fn resend_confirmation_code_replaces_the_old_code() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.sign_up(&pool, "bob", "bob@example.com").await;
    let first = app.latest_code(&pool.pool_id, "bob").await;
    let resent = app
        .idp
        .resend_confirmation_code()
        .client_id(&pool.client_id)
        .username("bob")
        .send()
        .await
        .unwrap();
    assert_eq!(
        resent.code_delivery_details().unwrap().destination(),
        Some("b***@e***")
    );
    let messages = app.outbox(&pool.pool_id, "bob").await;
    assert_eq!(messages.len(), 2);
    let second = messages[0]["code"].as_str().unwrap().to_string();
    // Six random digits each: the same code twice would be a one-in-a-million accident,
    // and a server that resent the old code would fail here every time.
    assert_ne!(first, second, "a resent code is a new code");
    let err = app.confirm_sign_up(&pool, "bob", first).await.unwrap_err();
    assert_eq!(code(&err), "CodeMismatchException");
    app.confirm_sign_up(&pool, "bob", second).await.unwrap();
    let err = app
        .idp
        .resend_confirmation_code()
        .client_id(&pool.client_id)
        .username("bob")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}

#[tokio::test]
async fn admin_confirm_sign_up_lets_the_user_sign_in() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.sign_up(&pool, "carol", "carol@example.com").await;
    app.admin_confirm_sign_up(&pool, "carol").await.unwrap();
    let id = app.tokens(&pool, "carol").await.id_token.unwrap();
    let claims = claims(&id);
    // An admin confirmation does not verify the email address.
    assert!(claims.get("email_verified").is_none());
    let err = app.admin_confirm_sign_up(&pool, "carol").await.unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
}
