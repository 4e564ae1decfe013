//! Choice-based sign-in (USER_AUTH): PREFERRED_CHALLENGE, SELECT_CHALLENGE, one-time codes as
//! the first factor, and GetUserAuthFactors.

use aws_sdk_cognitoidentityprovider::types::{
    AuthFactorType, AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType, SignInPolicyType,
    UserPoolPolicyType,
};

use crate::common::*;

/// A pool allowing password, email and SMS codes first, a USER_AUTH client, and "ola" with an
/// email address and a phone number.
async fn choice_pool(app: &TestApp) -> Pool {
    let spec = PoolSpec::bare()
        .pool(|p| {
            p.policies(
                UserPoolPolicyType::builder()
                    .sign_in_policy(
                        SignInPolicyType::builder()
                            .allowed_first_auth_factors(AuthFactorType::Password)
                            .allowed_first_auth_factors(AuthFactorType::EmailOtp)
                            .allowed_first_auth_factors(AuthFactorType::SmsOtp)
                            .build(),
                    )
                    .build(),
            )
        })
        .flows(&[
            ExplicitAuthFlowsType::AllowUserAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ]);
    let pool = app.pool_with(spec).await;
    app.sign_up_with(
        &pool,
        "ola",
        &[
            ("email", "ola@example.com"),
            ("phone_number", "+15555550199"),
        ],
    )
    .await;
    app.admin_confirm_sign_up(&pool, "ola").await.unwrap();
    pool
}

fn user_auth(
    app: &TestApp,
    pool: &Pool,
) -> aws_sdk_cognitoidentityprovider::operation::initiate_auth::builders::InitiateAuthFluentBuilder
{
    app.idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserAuth)
        .auth_parameters("USERNAME", "ola")
}

#[tokio::test]
async fn select_challenge_then_an_email_code() {
    let app = spawn().await;
    let pool = choice_pool(&app).await;
    let select = user_auth(&app, &pool).send().await.unwrap();
    assert_eq!(
        select.challenge_name(),
        Some(&ChallengeNameType::SelectChallenge)
    );
    let offered: Vec<&str> = select
        .available_challenges()
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(
        offered,
        ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]
    );
    let otp = app
        .respond(
            &pool,
            ChallengeNameType::SelectChallenge,
            Some(select.session().unwrap()),
            &[("USERNAME", "ola"), ("ANSWER", "EMAIL_OTP")],
        )
        .await
        .unwrap();
    assert_eq!(otp.challenge_name(), Some(&ChallengeNameType::EmailOtp));
    assert_eq!(
        otp.challenge_parameters().unwrap()["CODE_DELIVERY_DESTINATION"],
        "o***@e***"
    );
    let code = app.latest_code(&pool.pool_id, "ola").await;
    let done = app
        .respond(
            &pool,
            ChallengeNameType::EmailOtp,
            Some(otp.session().unwrap()),
            &[("USERNAME", "ola"), ("EMAIL_OTP_CODE", &code)],
        )
        .await
        .unwrap();
    assert!(done.authentication_result.unwrap().access_token.is_some());
}

#[tokio::test]
async fn preferred_password_srp_and_sms_code() {
    let app = spawn().await;
    let pool = choice_pool(&app).await;

    let direct = user_auth(&app, &pool)
        .auth_parameters("PREFERRED_CHALLENGE", "PASSWORD")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap();
    assert!(direct.authentication_result.is_some());
    let err = user_auth(&app, &pool)
        .auth_parameters("PREFERRED_CHALLENGE", "PASSWORD")
        .auth_parameters("PASSWORD", "Wr0ng-password!")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");

    let (a, big_a) = srp::client::ephemeral();
    let verifier = user_auth(&app, &pool)
        .auth_parameters("PREFERRED_CHALLENGE", "PASSWORD_SRP")
        .auth_parameters("SRP_A", &big_a)
        .send()
        .await
        .unwrap();
    assert_eq!(
        verifier.challenge_name(),
        Some(&ChallengeNameType::PasswordVerifier)
    );
    let p = verifier.challenge_parameters().unwrap();
    let ts = srp_timestamp();
    let sig = srp::client::claim(
        srp::pool_name(&pool.pool_id),
        &p["USER_ID_FOR_SRP"],
        PASSWORD,
        (&a, &big_a),
        p,
        &ts,
    );
    let done = app
        .respond(
            &pool,
            ChallengeNameType::PasswordVerifier,
            None,
            &[
                ("USERNAME", "ola"),
                ("PASSWORD_CLAIM_SECRET_BLOCK", &p["SECRET_BLOCK"]),
                ("PASSWORD_CLAIM_SIGNATURE", &sig),
                ("TIMESTAMP", &ts),
            ],
        )
        .await
        .unwrap();
    assert!(done.authentication_result.is_some());

    let sms = user_auth(&app, &pool)
        .auth_parameters("PREFERRED_CHALLENGE", "SMS_OTP")
        .send()
        .await
        .unwrap();
    assert_eq!(sms.challenge_name(), Some(&ChallengeNameType::SmsOtp));
    let message = &app.outbox(&pool.pool_id, "ola").await[0];
    assert_eq!(message["medium"], "SMS");
    let wrong = app
        .respond(
            &pool,
            ChallengeNameType::SmsOtp,
            Some(sms.session().unwrap()),
            &[("USERNAME", "ola"), ("SMS_OTP_CODE", "00000x")],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&wrong), "CodeMismatchException");
    let done = app
        .respond(
            &pool,
            ChallengeNameType::SmsOtp,
            Some(sms.session().unwrap()),
            &[
                ("USERNAME", "ola"),
                ("SMS_OTP_CODE", message["code"].as_str().unwrap()),
            ],
        )
        .await
        .unwrap();
    assert!(
        done.authentication_result.is_some(),
        "a wrong code may be retried in the same session"
    );
}

#[tokio::test]
async fn the_pool_policy_limits_the_choices() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.idp
        .update_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserAuth)
        .send()
        .await
        .unwrap();
    app.confirmed_user(&pool, "pia").await;
    let select = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserAuth)
        .auth_parameters("USERNAME", "pia")
        .send()
        .await
        .unwrap();
    let offered: Vec<&str> = select
        .available_challenges()
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(
        offered,
        ["PASSWORD", "PASSWORD_SRP"],
        "only PASSWORD is allowed by default"
    );
    let err = app
        .respond(
            &pool,
            ChallengeNameType::SelectChallenge,
            Some(select.session().unwrap()),
            &[("USERNAME", "pia"), ("ANSWER", "EMAIL_OTP")],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");

    let factors = app
        .idp
        .admin_get_user_auth_factors()
        .user_pool_id(&pool.pool_id)
        .username("pia")
        .send()
        .await
        .unwrap();
    let configured: Vec<&str> = factors
        .configured_user_auth_factors()
        .iter()
        .map(|f| f.as_str())
        .collect();
    assert_eq!(configured, ["PASSWORD", "EMAIL_OTP"]);

    let err = app
        .idp
        .create_user_pool()
        .pool_name("no password")
        .policies(
            UserPoolPolicyType::builder()
                .sign_in_policy(
                    SignInPolicyType::builder()
                        .allowed_first_auth_factors(AuthFactorType::EmailOtp)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");

    let other = app.pool().await; // a client without ALLOW_USER_AUTH
    let err = app
        .idp
        .initiate_auth()
        .client_id(&other.client_id)
        .auth_flow(AuthFlowType::UserAuth)
        .auth_parameters("USERNAME", "pia")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}

#[tokio::test]
async fn get_user_auth_factors_by_access_token() {
    let app = spawn().await;
    let pool = choice_pool(&app).await;
    let tokens = user_auth(&app, &pool)
        .auth_parameters("PREFERRED_CHALLENGE", "PASSWORD")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    let factors = app
        .idp
        .get_user_auth_factors()
        .access_token(tokens.access_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(factors.username(), "ola");
    let configured: Vec<&str> = factors
        .configured_user_auth_factors()
        .iter()
        .map(|f| f.as_str())
        .collect();
    assert_eq!(configured, ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]);
}
