//! With PreventUserExistenceErrors ENABLED, nothing tells an unknown username from a real
//! one: the same error, the same shape, the same time, as Cognito's "Managing user
//! existence error responses" describes for each operation.

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::{
    AccountRecoverySettingType, AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType,
    PreventUserExistenceErrorTypes, RecoveryOptionNameType, RecoveryOptionType,
};

use crate::common::*;

/// A pool whose client hides user existence, allowing password, SRP and choice-based
/// sign-in, with the confirmed user "kate" and the unconfirmed user "una".
async fn hiding_pool(app: &TestApp, spec: PoolSpec) -> Pool {
    let spec = spec
        .client(|c| c.prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled))
        .flows(&[
            ExplicitAuthFlowsType::AllowUserPasswordAuth,
            ExplicitAuthFlowsType::AllowUserSrpAuth,
            ExplicitAuthFlowsType::AllowUserAuth,
            ExplicitAuthFlowsType::AllowRefreshTokenAuth,
        ]);
    let pool = app.pool_with(spec).await;
    app.confirmed_user(&pool, "kate").await;
    app.sign_up(&pool, "una", "una@example.com").await;
    pool
}

#[tokio::test]
async fn confirmations_answer_unknown_users_as_they_answer_a_wrong_code() {
    let app = spawn().await;
    let pool = hiding_pool(&app, PoolSpec::standard()).await;
    let known = app
        .confirm_sign_up(&pool, "una", "000000x")
        .await
        .unwrap_err();
    let unknown = app
        .confirm_sign_up(&pool, "nobody", "000000x")
        .await
        .unwrap_err();
    assert_eq!(code(&unknown), "CodeMismatchException");
    assert_eq!(
        (code(&known), message(&known)),
        (code(&unknown), message(&unknown))
    );

    let confirm_forgot = |name: &'static str| {
        app.idp
            .confirm_forgot_password()
            .client_id(&pool.client_id)
            .username(name)
            .password("N3w-password!")
            .confirmation_code("123456")
            .send()
    };
    app.idp
        .forgot_password()
        .client_id(&pool.client_id)
        .username("kate")
        .send()
        .await
        .unwrap();
    let code_now = app.latest_code(&pool.pool_id, "kate").await;
    if code_now != "123456" {
        let known = confirm_forgot("kate").await.unwrap_err();
        let unknown = confirm_forgot("nobody").await.unwrap_err();
        assert_eq!(code(&unknown), "CodeMismatchException");
        assert_eq!(
            (code(&known), message(&known)),
            (code(&unknown), message(&unknown))
        );
    }
}

#[tokio::test]
async fn code_deliveries_are_simulated_for_unknown_users() {
    let app = spawn().await;
    let pool = hiding_pool(&app, PoolSpec::standard()).await;
    let resend = |name: &'static str| {
        app.idp
            .resend_confirmation_code()
            .client_id(&pool.client_id)
            .username(name)
            .send()
    };
    let known = resend("una").await.unwrap();
    let unknown = resend("nobody").await.unwrap();
    let details = |d: Option<&idp::types::CodeDeliveryDetailsType>| {
        let d = d.unwrap();
        (
            d.delivery_medium().cloned(),
            d.attribute_name().map(String::from),
        )
    };
    assert_eq!(
        details(known.code_delivery_details()),
        details(unknown.code_delivery_details())
    );
    assert!(app.outbox(&pool.pool_id, "nobody").await.is_empty());
}

#[tokio::test]
async fn simulated_password_resets_follow_the_pools_recovery_setting() {
    let app = spawn().await;
    let by_phone = AccountRecoverySettingType::builder()
        .recovery_mechanisms(
            RecoveryOptionType::builder()
                .name(RecoveryOptionNameType::VerifiedPhoneNumber)
                .priority(1)
                .build()
                .unwrap(),
        )
        .build();
    let pool = hiding_pool(
        &app,
        PoolSpec::standard().pool(move |p| p.account_recovery_setting(by_phone)),
    )
    .await;
    let reply = app
        .idp
        .forgot_password()
        .client_id(&pool.client_id)
        .username("nobody")
        .send()
        .await
        .unwrap();
    let details = reply.code_delivery_details().unwrap();
    assert_eq!(details.delivery_medium().unwrap().as_str(), "SMS");
    assert_eq!(details.attribute_name(), Some("phone_number"));
    assert!(details.destination().unwrap().starts_with('+'));
}

#[tokio::test]
async fn srp_decoys_look_like_real_users_in_email_as_username_pools() {
    let app = spawn().await;
    let spec = PoolSpec::bare()
        .pool(|p| {
            p.username_attributes(idp::types::UsernameAttributeType::Email)
                .username_configuration(
                    idp::types::UsernameConfigurationType::builder()
                        .case_sensitive(false)
                        .build()
                        .unwrap(),
                )
        })
        .client(|c| c.prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled))
        .flows(&[ExplicitAuthFlowsType::AllowUserSrpAuth]);
    let pool = app.pool_with(spec).await;
    let start = |name: &'static str| {
        let (_, big_a) = srp::client::ephemeral();
        app.idp
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .auth_parameters("USERNAME", name)
            .auth_parameters("SRP_A", big_a)
            .send()
    };
    let lower = start("ghost@example.com").await.unwrap();
    let upper = start("GHOST@example.com").await.unwrap();
    let params = |o: &idp::operation::initiate_auth::InitiateAuthOutput| {
        o.challenge_parameters().unwrap().clone()
    };
    let (lower, upper) = (params(&lower), params(&upper));
    let id = &lower["USER_ID_FOR_SRP"];
    let uuid_shaped = id.len() == 36 && id.chars().filter(|c| *c == '-').count() == 4;
    assert!(
        uuid_shaped,
        "the stored username of such a pool is a UUID: {id}"
    );
    assert_eq!(lower["USERNAME"], *id);
    assert_eq!(
        lower["SALT"], upper["SALT"],
        "in a case-insensitive pool the salt ignores letter case"
    );
    assert_eq!(lower["USER_ID_FOR_SRP"], upper["USER_ID_FOR_SRP"]);
}

#[tokio::test]
async fn choice_based_sign_in_offers_unknown_users_the_pools_challenges() {
    let app = spawn().await;
    let pool = hiding_pool(&app, PoolSpec::standard()).await;
    let start = |name: &'static str| {
        app.idp
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::UserAuth)
            .auth_parameters("USERNAME", name)
            .send()
    };
    let known = start("kate").await.unwrap();
    let unknown = start("nobody").await.unwrap();
    assert_eq!(
        unknown.challenge_name(),
        Some(&ChallengeNameType::SelectChallenge)
    );
    assert_eq!(known.challenge_name(), unknown.challenge_name());
    assert_eq!(known.available_challenges(), unknown.available_challenges());
    let answer = app
        .respond(
            &pool,
            ChallengeNameType::SelectChallenge,
            unknown.session(),
            &[
                ("USERNAME", "nobody"),
                ("ANSWER", "PASSWORD"),
                ("PASSWORD", PASSWORD),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(message(&answer), "Incorrect username or password.");
}

/// What a caller sees after `n` calls of `call` for `name`: the last answer, as its code.
async fn nth_answer<F, Fut, T, E>(n: usize, name: &'static str, call: F) -> String
where
    F: Fn(&'static str) -> Fut,
    Fut: std::future::Future<Output = Result<T, E>>,
    E: idp::error::ProvideErrorMetadata,
{
    let mut last = String::new();
    for _ in 0..n {
        last = match call(name).await {
            Ok(_) => "ok".into(),
            Err(e) => e.code().unwrap_or_default().to_string(),
        };
    }
    last
}

#[tokio::test]
async fn unknown_users_meet_the_code_limits_real_users_meet() {
    let app = spawn().await;
    let pool = &hiding_pool(&app, PoolSpec::standard()).await;
    let app = &app;
    let forgot = |name: &'static str| {
        app.idp
            .forgot_password()
            .client_id(&pool.client_id)
            .username(name)
            .send()
    };
    // Five codes an hour, then Cognito's LimitExceededException, for anyone.
    for name in ["kate", "nobody"] {
        assert_eq!(nth_answer(5, name, forgot).await, "ok", "{name}");
        assert_eq!(
            nth_answer(1, name, forgot).await,
            "LimitExceededException",
            "{name}"
        );
    }
    // Five wrong guesses at a reset code, then the limit, for anyone.
    let guess = |name: &'static str| {
        app.idp
            .confirm_forgot_password()
            .client_id(&pool.client_id)
            .username(name)
            .confirmation_code("000000")
            .password("An0ther-passw0rd!")
            .send()
    };
    for name in ["kate", "nobody"] {
        assert_eq!(
            nth_answer(5, name, guess).await,
            "CodeMismatchException",
            "{name}"
        );
        assert_eq!(
            nth_answer(1, name, guess).await,
            "LimitExceededException",
            "{name}"
        );
    }
    // The same for confirmation codes: resent five times, then refused.
    let resend = |name: &'static str| {
        app.idp
            .resend_confirmation_code()
            .client_id(&pool.client_id)
            .username(name)
            .send()
    };
    // una was sent one code at sign-up already.
    assert_eq!(nth_answer(4, "una", resend).await, "ok");
    assert_eq!(nth_answer(5, "nobody2", resend).await, "ok");
    for name in ["una", "nobody2"] {
        assert_eq!(
            nth_answer(1, name, resend).await,
            "LimitExceededException",
            "{name}"
        );
    }
}

#[tokio::test]
async fn unknown_users_are_locked_out_after_wrong_srp_proofs_as_real_users_are() {
    let app = spawn().await;
    let pool = hiding_pool(&app, PoolSpec::standard()).await;
    for name in ["kate", "nobody"] {
        let mut last = String::new();
        for _ in 0..6 {
            let (_, big_a) = srp::client::ephemeral();
            let challenge = app
                .idp
                .initiate_auth()
                .client_id(&pool.client_id)
                .auth_flow(AuthFlowType::UserSrpAuth)
                .auth_parameters("USERNAME", name)
                .auth_parameters("SRP_A", big_a)
                .send()
                .await
                .unwrap();
            let p = challenge.challenge_parameters().unwrap();
            let err = app
                .respond(
                    &pool,
                    ChallengeNameType::PasswordVerifier,
                    None,
                    &[
                        ("USERNAME", p["USER_ID_FOR_SRP"].as_str()),
                        ("PASSWORD_CLAIM_SECRET_BLOCK", p["SECRET_BLOCK"].as_str()),
                        (
                            "PASSWORD_CLAIM_SIGNATURE",
                            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                        ),
                        ("TIMESTAMP", &srp_timestamp()),
                    ],
                )
                .await
                .unwrap_err();
            last = message(&err);
        }
        assert_eq!(last, "Password attempts exceeded", "{name}");
    }
}
