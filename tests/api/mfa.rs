//! MFA: pool configuration, software tokens, SMS and email codes, and the sign-in challenges.

use aws_sdk_cognitoidentityprovider::types::{
    ChallengeNameType, EmailMfaConfigType, EmailMfaSettingsType, SmsMfaConfigType,
    SmsMfaSettingsType, SoftwareTokenMfaConfigType, SoftwareTokenMfaSettingsType, UserPoolMfaType,
};

use crate::common::*;

async fn configure(app: &TestApp, pool: &Pool, mode: UserPoolMfaType) {
    let out = app
        .idp
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.pool_id)
        .software_token_mfa_configuration(
            SoftwareTokenMfaConfigType::builder().enabled(true).build(),
        )
        .sms_mfa_configuration(
            SmsMfaConfigType::builder()
                .sms_authentication_message("Code {####}")
                .build(),
        )
        .email_mfa_configuration(EmailMfaConfigType::builder().subject("Your code").build())
        .mfa_configuration(mode.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(out.mfa_configuration(), Some(&mode));
    let read = app
        .idp
        .get_user_pool_mfa_config()
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap();
    assert!(read.software_token_mfa_configuration().unwrap().enabled());
    assert_eq!(read.mfa_configuration(), Some(&mode));
}

#[tokio::test]
async fn software_token_mfa_end_to_end() {
    let app = spawn().await;
    let pool = app.pool().await;
    configure(&app, &pool, UserPoolMfaType::Optional).await;
    app.confirmed_user(&pool, "tina").await;
    let token = app.access_token(&pool, "tina").await;

    let err = app
        .idp
        .set_user_mfa_preference()
        .access_token(&token)
        .software_token_mfa_settings(
            SoftwareTokenMfaSettingsType::builder()
                .enabled(true)
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&err),
        "InvalidParameterException",
        "TOTP must be verified first"
    );

    let secret = app
        .idp
        .associate_software_token()
        .access_token(&token)
        .send()
        .await
        .unwrap()
        .secret_code
        .unwrap();
    let wrong = wrong_totp(&secret);
    let err = app
        .idp
        .verify_software_token()
        .access_token(&token)
        .user_code(wrong)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "EnableSoftwareTokenMFAException");
    let verified = app
        .idp
        .verify_software_token()
        .access_token(&token)
        .user_code(totp::code_at(&secret, now_secs()).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status().unwrap().as_str(), "SUCCESS");
    let me = app
        .idp
        .get_user()
        .access_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.user_mfa_setting_list(), ["SOFTWARE_TOKEN_MFA"]);
    assert_eq!(me.preferred_mfa_setting(), Some("SOFTWARE_TOKEN_MFA"));

    let challenge = app.password_sign_in(&pool, "tina", PASSWORD).await.unwrap();
    assert_eq!(
        challenge.challenge_name(),
        Some(&ChallengeNameType::SoftwareTokenMfa)
    );
    assert!(challenge.authentication_result.is_none());
    let session = challenge.session.unwrap();
    let respond = |session: &str, code: &str| {
        app.respond(
            &pool,
            ChallengeNameType::SoftwareTokenMfa,
            Some(session),
            &[("USERNAME", "tina"), ("SOFTWARE_TOKEN_MFA_CODE", code)],
        )
    };
    let err = respond(&session, "12345x").await.unwrap_err();
    assert_eq!(code(&err), "CodeMismatchException");
    // The verification spent the current step; the next step's code is still within the window.
    let next = totp::code_at(&secret, now_secs() + 30).unwrap();
    let done = respond(&session, &next).await.unwrap();
    assert!(done.authentication_result.unwrap().access_token.is_some());
    let err = respond(&session, &next).await.unwrap_err();
    assert_eq!(
        code(&err),
        "NotAuthorizedException",
        "a session is answered once"
    );

    let again = app.password_sign_in(&pool, "tina", PASSWORD).await.unwrap();
    let err = respond(again.session().unwrap(), &next).await.unwrap_err();
    assert_eq!(
        code(&err),
        "CodeMismatchException",
        "a TOTP code cannot be used twice"
    );
}

#[tokio::test]
async fn required_mfa_sets_up_a_software_token_during_sign_in() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "uma").await;
    configure(&app, &pool, UserPoolMfaType::On).await;

    let challenge = app.password_sign_in(&pool, "uma", PASSWORD).await.unwrap();
    assert_eq!(
        challenge.challenge_name(),
        Some(&ChallengeNameType::MfaSetup)
    );
    assert_eq!(
        challenge.challenge_parameters().unwrap()["MFAS_CAN_SETUP"],
        "[\"SOFTWARE_TOKEN_MFA\"]"
    );
    let associated = app
        .idp
        .associate_software_token()
        .session(challenge.session.unwrap())
        .send()
        .await
        .unwrap();
    let secret = associated.secret_code.unwrap();
    let verified = app
        .idp
        .verify_software_token()
        .session(associated.session.unwrap())
        .user_code(totp::code_at(&secret, now_secs()).unwrap())
        .send()
        .await
        .unwrap();
    let session = verified.session.unwrap();
    let done = app
        .respond(
            &pool,
            ChallengeNameType::MfaSetup,
            Some(&session),
            &[("USERNAME", "uma")],
        )
        .await
        .unwrap();
    assert!(done.authentication_result.is_some());
    let user = app.admin_get_user(&pool, "uma").await.unwrap();
    assert_eq!(user.user_mfa_setting_list(), ["SOFTWARE_TOKEN_MFA"]);
}

#[tokio::test]
async fn email_and_sms_codes_and_choosing_between_them() {
    let app = spawn().await;
    let pool = app.pool().await;
    configure(&app, &pool, UserPoolMfaType::Optional).await;
    app.sign_up_with(
        &pool,
        "vic",
        &[
            ("email", "vic@example.com"),
            ("phone_number", "+15555550123"),
        ],
    )
    .await;
    app.admin_confirm_sign_up(&pool, "vic").await.unwrap();

    app.idp
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool.pool_id)
        .username("vic")
        .email_mfa_settings(EmailMfaSettingsType::builder().enabled(true).build())
        .send()
        .await
        .unwrap();
    let challenge = app.password_sign_in(&pool, "vic", PASSWORD).await.unwrap();
    assert_eq!(
        challenge.challenge_name(),
        Some(&ChallengeNameType::EmailOtp)
    );
    let params = challenge.challenge_parameters().unwrap();
    assert_eq!(params["CODE_DELIVERY_DELIVERY_MEDIUM"], "EMAIL");
    assert_eq!(params["CODE_DELIVERY_DESTINATION"], "v***@e***");
    let message = &app.outbox(&pool.pool_id, "vic").await[0];
    assert_eq!(message["purpose"], "MFA");
    let done = app
        .respond(
            &pool,
            ChallengeNameType::EmailOtp,
            Some(challenge.session().unwrap()),
            &[
                ("USERNAME", "vic"),
                ("EMAIL_OTP_CODE", message["code"].as_str().unwrap()),
            ],
        )
        .await
        .unwrap();
    assert!(done.authentication_result.is_some());

    app.idp
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool.pool_id)
        .username("vic")
        .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).build())
        .send()
        .await
        .unwrap();
    let choose = app.password_sign_in(&pool, "vic", PASSWORD).await.unwrap();
    assert_eq!(
        choose.challenge_name(),
        Some(&ChallengeNameType::SelectMfaType)
    );
    let choices: Vec<String> =
        serde_json::from_str(&choose.challenge_parameters().unwrap()["MFAS_CAN_CHOOSE"]).unwrap();
    assert_eq!(choices, ["SMS_MFA", "EMAIL_OTP"]);
    let sms = app
        .respond(
            &pool,
            ChallengeNameType::SelectMfaType,
            Some(choose.session().unwrap()),
            &[("USERNAME", "vic"), ("ANSWER", "SMS_MFA")],
        )
        .await
        .unwrap();
    assert_eq!(sms.challenge_name(), Some(&ChallengeNameType::SmsMfa));
    assert_eq!(
        sms.challenge_parameters().unwrap()["CODE_DELIVERY_DESTINATION"],
        "+*******0123"
    );
    let message = &app.outbox(&pool.pool_id, "vic").await[0];
    assert_eq!(message["medium"], "SMS");
    let done = app
        .respond(
            &pool,
            ChallengeNameType::SmsMfa,
            Some(sms.session().unwrap()),
            &[
                ("USERNAME", "vic"),
                ("SMS_MFA_CODE", message["code"].as_str().unwrap()),
            ],
        )
        .await
        .unwrap();
    assert!(done.authentication_result.is_some());
    let user = app.admin_get_user(&pool, "vic").await.unwrap();
    assert_eq!(user.user_mfa_setting_list(), ["SMS_MFA", "EMAIL_OTP"]);
}

#[tokio::test]
async fn mfa_configuration_errors() {
    let app = spawn().await;
    let pool = app.pool().await;
    let err = app
        .idp
        .set_user_pool_mfa_config()
        .user_pool_id(&pool.pool_id)
        .mfa_configuration(UserPoolMfaType::On)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException", "ON needs a factor");
    app.confirmed_user(&pool, "walt").await;
    let err = app
        .idp
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool.pool_id)
        .username("walt")
        .sms_mfa_settings(SmsMfaSettingsType::builder().enabled(true).build())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException", "no phone number");
    // With MFA off, sign-in ends in tokens whatever the user set.
    let out = app.password_sign_in(&pool, "walt", PASSWORD).await.unwrap();
    assert!(out.authentication_result.is_some());
}

#[tokio::test]
async fn challenge_sessions_expire() {
    let app = spawn().await;
    let pool = app.pool().await;
    configure(&app, &pool, UserPoolMfaType::Optional).await;
    app.confirmed_user(&pool, "xavi").await;
    app.idp
        .admin_set_user_mfa_preference()
        .user_pool_id(&pool.pool_id)
        .username("xavi")
        .email_mfa_settings(EmailMfaSettingsType::builder().enabled(true).build())
        .send()
        .await
        .unwrap();
    let challenge = app.password_sign_in(&pool, "xavi", PASSWORD).await.unwrap();
    let otp = app.latest_code(&pool.pool_id, "xavi").await;
    // The client's AuthSessionValidity (three minutes) has passed.
    app.sql("UPDATE auth_sessions SET expires_at = expires_at - 180001")
        .await;
    let err = app
        .respond(
            &pool,
            ChallengeNameType::EmailOtp,
            Some(challenge.session().unwrap()),
            &[("USERNAME", "xavi"), ("EMAIL_OTP_CODE", &otp)],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    assert!(
        message(&err).contains("session is expired"),
        "{}",
        message(&err)
    );
}
