//! What a production identity server cannot let through: device calls without the owner's
//! token, self-verified addresses, codes guessed in parallel or across reissues, lockouts
//! outrun by parallel guesses, and TOTP codes replayed.

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::{AttributeType, ChallengeNameType, UserPoolMfaType};
use serde_json::json;
use tokio::task::JoinSet;

use crate::common::*;

const IDP: &str = "AWSCognitoIdentityProviderService";

/// Turns MFA to `mode` with software tokens, and with `sms` SMS too.
async fn mfa_with_totp(app: &TestApp, pool: &Pool, mode: UserPoolMfaType, sms: bool) {
    let totp = idp::types::SoftwareTokenMfaConfigType::builder()
        .enabled(true)
        .build();
    app.idp
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.pool_id)
        .mfa_configuration(mode)
        .software_token_mfa_configuration(totp)
        .set_sms_mfa_configuration(sms.then(|| idp::types::SmsMfaConfigType::builder().build()))
        .send()
        .await
        .unwrap();
}

/// The `__type` of a raw AWS JSON reply.
async fn kind_of(reply: reqwest::Response) -> String {
    let body: serde_json::Value = reply.json().await.unwrap();
    body["__type"].as_str().unwrap_or("none").to_string()
}

#[tokio::test]
async fn public_device_operations_need_the_owners_token_never_a_pool_and_username() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "dora").await;
    for (op, extra) in [
        ("ListDevices", json!({})),
        ("GetDevice", json!({"DeviceKey": "us-east-1_0000dead-beef"})),
        (
            "ForgetDevice",
            json!({"DeviceKey": "us-east-1_0000dead-beef"}),
        ),
        (
            "UpdateDeviceStatus",
            json!({"DeviceKey": "us-east-1_0000dead-beef", "DeviceRememberedStatus": "remembered"}),
        ),
    ] {
        let mut body = json!({"UserPoolId": pool.pool_id, "Username": "dora"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let reply = app
            .raw(&format!("{IDP}.{op}"), &body.to_string(), false)
            .await;
        assert_eq!(reply.status(), 400, "{op}");
        let kind = kind_of(reply).await;
        assert!(
            kind == "InvalidParameterException" || kind == "NotAuthorizedException",
            "{op} without an access token answered {kind}"
        );
        // The Admin form of the same call needs a signature, even locally.
        let admin = app
            .raw(&format!("{IDP}.Admin{op}"), &body.to_string(), false)
            .await;
        assert_eq!(
            kind_of(admin).await,
            "MissingAuthenticationTokenException",
            "Admin{op}"
        );
    }
}

#[tokio::test]
async fn users_cannot_mark_their_own_email_or_phone_verified() {
    let app = spawn().await;
    let pool = app.pool().await;
    let err = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("mallory")
        .password(PASSWORD)
        .user_attributes(attr("email", "victim@example.com"))
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    assert!(
        message(&err).contains("email_verified"),
        "{}",
        message(&err)
    );

    // NEW_PASSWORD_REQUIRED: the flag is refused, and a changed email is unverified.
    let invite = |name: &'static str| {
        app.idp
            .admin_create_user()
            .user_pool_id(&pool.pool_id)
            .username(name)
            .temporary_password("Temp-0rary!")
            .user_attributes(attr("email", &format!("{name}@example.com")))
            .user_attributes(attr("email_verified", "true"))
            .message_action(idp::types::MessageActionType::Suppress)
            .send()
    };
    invite("ivan").await.unwrap();
    let first = app
        .password_sign_in(&pool, "ivan", "Temp-0rary!")
        .await
        .unwrap();
    assert_eq!(
        first.challenge_name(),
        Some(&ChallengeNameType::NewPasswordRequired)
    );
    let err = app
        .respond(
            &pool,
            ChallengeNameType::NewPasswordRequired,
            first.session(),
            &[
                ("USERNAME", "ivan"),
                ("NEW_PASSWORD", PASSWORD),
                ("userAttributes.email", "victim@example.com"),
                ("userAttributes.email_verified", "true"),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    let done = app
        .respond(
            &pool,
            ChallengeNameType::NewPasswordRequired,
            first.session(),
            &[
                ("USERNAME", "ivan"),
                ("NEW_PASSWORD", PASSWORD),
                ("userAttributes.email", "ivan.new@example.com"),
            ],
        )
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());
    let user = app.admin_get_user(&pool, "ivan").await.unwrap();
    let attributes: &[AttributeType] = user.user_attributes();
    assert_eq!(value_of(attributes, "email"), Some("ivan.new@example.com"));
    assert_eq!(value_of(attributes, "email_verified"), Some("false"));
    let sent = app.outbox(&pool.pool_id, "ivan").await;
    assert_eq!(
        sent[0]["purpose"], "VERIFY_ATTRIBUTE",
        "the new email gets a code"
    );
}

/// A confirmed user with a verified email, and a ForgotPassword code sent to it.
async fn user_with_reset_code(app: &TestApp, pool: &Pool, name: &str) -> String {
    app.confirmed_user(pool, name).await;
    app.idp
        .forgot_password()
        .client_id(&pool.client_id)
        .username(name)
        .send()
        .await
        .unwrap();
    app.latest_code(&pool.pool_id, name).await
}

/// Fires `n` ConfirmForgotPassword calls at once with `code`; their error codes.
async fn parallel_guesses(
    app: &TestApp,
    pool: &Pool,
    name: &str,
    code_: &str,
    n: usize,
) -> Vec<String> {
    let mut set = JoinSet::new();
    for _ in 0..n {
        let request = app
            .idp
            .confirm_forgot_password()
            .client_id(&pool.client_id)
            .username(name)
            .password("N3w-password!")
            .confirmation_code(code_);
        set.spawn(async move { request.send().await.map_err(|e| code(&e)) });
    }
    let mut out = Vec::new();
    while let Some(done) = set.join_next().await {
        out.push(done.unwrap().err().unwrap_or_else(|| "Ok".into()));
    }
    out
}

#[tokio::test]
async fn parallel_code_guesses_never_pass_the_attempt_limit_even_across_reissues() {
    let app = spawn().await;
    let pool = app.pool().await;
    let good = user_with_reset_code(&app, &pool, "gus").await;
    let wrong = if good == "111111" { "222222" } else { "111111" };
    let answers = parallel_guesses(&app, &pool, "gus", wrong, 50).await;
    let evaluated = answers
        .iter()
        .filter(|a| *a == "CodeMismatchException")
        .count();
    let refused = answers
        .iter()
        .filter(|a| *a == "LimitExceededException")
        .count();
    assert_eq!((evaluated, refused), (5, 45), "{answers:?}");

    // A new code does not reset the guesses spent on the old one.
    app.idp
        .forgot_password()
        .client_id(&pool.client_id)
        .username("gus")
        .send()
        .await
        .unwrap();
    let fresh = app.latest_code(&pool.pool_id, "gus").await;
    let err = app
        .idp
        .confirm_forgot_password()
        .client_id(&pool.client_id)
        .username("gus")
        .password("N3w-password!")
        .confirmation_code(fresh)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "LimitExceededException");
    assert_eq!(
        message(&err),
        "Attempt limit exceeded, please try after some time."
    );

    // Once the window has passed, the newest code works.
    app.sql("UPDATE codes SET window_started_at = window_started_at - 3600001")
        .await;
    app.idp
        .forgot_password()
        .client_id(&pool.client_id)
        .username("gus")
        .send()
        .await
        .unwrap();
    let newest = app.latest_code(&pool.pool_id, "gus").await;
    app.idp
        .confirm_forgot_password()
        .client_id(&pool.client_id)
        .username("gus")
        .password("N3w-password!")
        .confirmation_code(newest)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn codes_are_issued_at_most_five_times_an_hour() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "hal").await;
    let forgot = || {
        app.idp
            .forgot_password()
            .client_id(&pool.client_id)
            .username("hal")
            .send()
    };
    for _ in 0..5 {
        forgot().await.unwrap();
    }
    let err = forgot().await.unwrap_err();
    assert_eq!(code(&err), "LimitExceededException");
    assert_eq!(
        app.outbox(&pool.pool_id, "hal").await.len(),
        6,
        "sign-up code + 5"
    );
    app.sql("UPDATE codes SET window_started_at = window_started_at - 3600001")
        .await;
    forgot().await.unwrap();
}

/// Fires `n` wrong password sign-ins at once; how many were checked and how many refused.
async fn parallel_wrong_passwords(
    app: &TestApp,
    pool: &Pool,
    name: &str,
    n: usize,
) -> (usize, usize) {
    let mut set = JoinSet::new();
    for _ in 0..n {
        let request = app
            .idp
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(idp::types::AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", name)
            .auth_parameters("PASSWORD", "Wr0ng-password!");
        set.spawn(async move { request.send().await.map_err(|e| message(&e)) });
    }
    let (mut checked, mut refused) = (0, 0);
    while let Some(done) = set.join_next().await {
        match done.unwrap().err().as_deref() {
            Some("Incorrect username or password.") => checked += 1,
            // Locked out, or waiting while as many guesses as may fail are being checked.
            Some("Password attempts exceeded" | "Too many requests") => refused += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    (checked, refused)
}

#[tokio::test]
async fn parallel_wrong_passwords_are_counted_before_they_are_checked() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "pia").await;
    assert_eq!(
        parallel_wrong_passwords(&app, &pool, "pia", 50).await,
        (5, 45)
    );
    // The lock expires: one guess, and only one, is checked before the next lock.
    app.sql("UPDATE sign_in_failures SET locked_until = 0")
        .await;
    assert_eq!(
        parallel_wrong_passwords(&app, &pool, "pia", 50).await,
        (1, 49)
    );
    assert_eq!(
        app.sql_i64("SELECT failures FROM sign_in_failures").await,
        6,
        "every checked guess was counted"
    );
}

#[tokio::test]
async fn unknown_users_are_locked_out_like_known_ones_where_existence_is_hidden() {
    let app = spawn().await;
    let pool = app
        .pool_with(PoolSpec::standard().client(|c| {
            c.prevent_user_existence_errors(idp::types::PreventUserExistenceErrorTypes::Enabled)
        }))
        .await;
    assert_eq!(
        parallel_wrong_passwords(&app, &pool, "ghost", 20).await,
        (5, 15)
    );
}

#[tokio::test]
async fn a_software_token_code_verifies_once() {
    let app = spawn().await;
    let pool = app.pool().await;
    let token = app
        .signed_in_user(&pool, "vera")
        .await
        .access_token
        .unwrap();
    let secret = app.associate_totp(&token).await;
    let code_now = totp::code_at(&secret, now_secs()).unwrap();
    let verify = |c: String| {
        app.idp
            .verify_software_token()
            .access_token(&token)
            .user_code(c)
            .send()
    };
    verify(code_now.clone()).await.unwrap();
    // The same code again, for the same secret: its time step is spent.
    let err = verify(code_now).await.unwrap_err();
    assert_eq!(code(&err), "EnableSoftwareTokenMFAException");
}

#[tokio::test]
async fn users_with_sms_and_totp_and_no_preference_choose_their_factor() {
    let app = spawn().await;
    let pool = app.pool().await;
    mfa_with_totp(&app, &pool, UserPoolMfaType::Optional, true).await;
    app.sign_up_with(
        &pool,
        "sam",
        &[
            ("email", "sam@example.com"),
            ("phone_number", "+15550001111"),
        ],
    )
    .await;
    app.admin_confirm_sign_up(&pool, "sam").await.unwrap();
    let token = app.access_token(&pool, "sam").await;
    let sms = idp::types::SmsMfaSettingsType::builder()
        .enabled(true)
        .build();
    app.idp
        .set_user_mfa_preference()
        .access_token(&token)
        .sms_mfa_settings(sms)
        .send()
        .await
        .unwrap();
    let secret = app.associate_totp(&token).await;
    app.idp
        .verify_software_token()
        .access_token(&token)
        .user_code(totp::code_at(&secret, now_secs()).unwrap())
        .send()
        .await
        .unwrap();
    let challenge = app.password_sign_in(&pool, "sam", PASSWORD).await.unwrap();
    assert_eq!(
        challenge.challenge_name(),
        Some(&ChallengeNameType::SelectMfaType)
    );
}

#[tokio::test]
async fn a_wrong_code_during_mfa_setup_keeps_the_session_the_client_holds() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "ulla").await;
    mfa_with_totp(&app, &pool, UserPoolMfaType::On, false).await;
    let challenge = app.password_sign_in(&pool, "ulla", PASSWORD).await.unwrap();
    let associated = app
        .idp
        .associate_software_token()
        .session(challenge.session.unwrap())
        .send()
        .await
        .unwrap();
    let secret = associated.secret_code.unwrap();
    let session = associated.session.unwrap();
    let wrong = wrong_totp(&secret);
    let verify = |c: String| {
        app.idp
            .verify_software_token()
            .session(&session)
            .user_code(c)
            .send()
    };
    let err = verify(wrong).await.unwrap_err();
    assert_eq!(code(&err), "EnableSoftwareTokenMFAException");
    // The same session, a right code: set-up goes on.
    let verified = verify(totp::code_at(&secret, now_secs()).unwrap())
        .await
        .unwrap();
    let done = app
        .respond(
            &pool,
            ChallengeNameType::MfaSetup,
            verified.session(),
            &[("USERNAME", "ulla")],
        )
        .await
        .unwrap();
    assert!(done.authentication_result().is_some());
}
