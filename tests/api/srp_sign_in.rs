//! USER_SRP_AUTH: the PASSWORD_VERIFIER challenge answered as Cognito's clients answer it.

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ChallengeNameType, ExplicitAuthFlowsType,
};

use crate::common::*;

/// A pool whose client allows SRP, with a confirmed user "sam".
async fn srp_pool(app: &TestApp) -> Pool {
    let spec = PoolSpec::standard().flows(&[
        ExplicitAuthFlowsType::AllowUserSrpAuth,
        ExplicitAuthFlowsType::AllowUserPasswordAuth,
        ExplicitAuthFlowsType::AllowRefreshTokenAuth,
    ]);
    let pool = app.pool_with(spec).await;
    app.confirmed_user(&pool, "sam").await;
    pool
}

struct Verifier {
    params: std::collections::HashMap<String, String>,
    a: String,
    big_a: String,
}

async fn start(app: &TestApp, pool: &Pool, username: &str) -> Verifier {
    let (a, big_a) = srp::client::ephemeral();
    let out = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("SRP_A", &big_a)
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.challenge_name(),
        Some(&ChallengeNameType::PasswordVerifier)
    );
    let params = out.challenge_parameters.unwrap();
    for name in [
        "SALT",
        "SECRET_BLOCK",
        "SRP_B",
        "USERNAME",
        "USER_ID_FOR_SRP",
    ] {
        assert!(params.contains_key(name), "{name} missing");
    }
    Verifier { params, a, big_a }
}

fn claim(pool: &Pool, v: &Verifier, password: &str, timestamp: &str) -> String {
    let user_id = &v.params["USER_ID_FOR_SRP"];
    let pool_name = srp::pool_name(&pool.pool_id);
    srp::client::claim(
        pool_name,
        user_id,
        password,
        (&v.a, &v.big_a),
        &v.params,
        timestamp,
    )
}

async fn answer(
    app: &TestApp,
    pool: &Pool,
    v: &Verifier,
    signature: &str,
    timestamp: &str,
) -> Result<
    aws_sdk_cognitoidentityprovider::operation::respond_to_auth_challenge::RespondToAuthChallengeOutput,
    String,
>{
    app.respond(
        pool,
        ChallengeNameType::PasswordVerifier,
        None,
        &[
            ("USERNAME", &v.params["USER_ID_FOR_SRP"]),
            ("PASSWORD_CLAIM_SECRET_BLOCK", &v.params["SECRET_BLOCK"]),
            ("PASSWORD_CLAIM_SIGNATURE", signature),
            ("TIMESTAMP", timestamp),
        ],
    )
    .await
    .map_err(|e| code(&e))
}

#[tokio::test]
async fn srp_sign_in_gives_tokens() {
    let app = spawn().await;
    let pool = srp_pool(&app).await;
    let v = start(&app, &pool, "sam").await;
    assert_eq!(v.params["USER_ID_FOR_SRP"], "sam");
    let ts = srp_timestamp();
    let out = answer(&app, &pool, &v, &claim(&pool, &v, PASSWORD, &ts), &ts)
        .await
        .unwrap();
    let result = out.authentication_result.unwrap();
    assert!(result.id_token.is_some() && result.refresh_token.is_some());
    let me = app
        .idp
        .get_user()
        .access_token(result.access_token.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.username(), "sam");
}

#[tokio::test]
async fn srp_refuses_wrong_passwords_replays_stale_timestamps_and_bad_a() {
    let app = spawn().await;
    let pool = srp_pool(&app).await;

    let v = start(&app, &pool, "sam").await;
    let ts = srp_timestamp();
    assert_eq!(
        answer(
            &app,
            &pool,
            &v,
            &claim(&pool, &v, "Wr0ng-password!", &ts),
            &ts
        )
        .await
        .unwrap_err(),
        "NotAuthorizedException"
    );

    let v = start(&app, &pool, "sam").await;
    let ts = srp_timestamp();
    let good = claim(&pool, &v, PASSWORD, &ts);
    answer(&app, &pool, &v, &good, &ts).await.unwrap();
    assert_eq!(
        answer(&app, &pool, &v, &good, &ts).await.unwrap_err(),
        "NotAuthorizedException",
        "a challenge is answered once"
    );

    let v = start(&app, &pool, "sam").await;
    let stale = srp::format_timestamp(chrono::Utc::now() - chrono::Duration::minutes(20));
    assert_eq!(
        answer(&app, &pool, &v, &claim(&pool, &v, PASSWORD, &stale), &stale)
            .await
            .unwrap_err(),
        "NotAuthorizedException"
    );

    for bad_a in ["0", "zz-not-hex"] {
        let err = app
            .idp
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::UserSrpAuth)
            .auth_parameters("USERNAME", "sam")
            .auth_parameters("SRP_A", bad_a)
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&err), "InvalidParameterException", "SRP_A {bad_a}");
    }

    let err = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", "nobody")
        .auth_parameters("SRP_A", srp::client::ephemeral().1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException");
}

#[tokio::test]
async fn srp_must_be_enabled_on_the_client() {
    let app = spawn().await;
    let pool = app.pool().await; // password, admin and refresh flows only
    let err = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", "sam")
        .auth_parameters("SRP_A", srp::client::ephemeral().1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}

#[tokio::test]
async fn unknown_users_get_a_decoy_challenge_when_existence_is_hidden() {
    let app = spawn().await;
    let pool = srp_pool(&app).await;
    app.idp
        .update_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .prevent_user_existence_errors(
            aws_sdk_cognitoidentityprovider::types::PreventUserExistenceErrorTypes::Enabled,
        )
        .send()
        .await
        .unwrap();
    let ghost = start(&app, &pool, "ghost").await;
    let again = start(&app, &pool, "ghost").await;
    assert_eq!(
        ghost.params["SALT"], again.params["SALT"],
        "a user's salt does not change"
    );
    let ts = srp_timestamp();
    let err = answer(
        &app,
        &pool,
        &ghost,
        &claim(&pool, &ghost, PASSWORD, &ts),
        &ts,
    )
    .await
    .unwrap_err();
    assert_eq!(err, "NotAuthorizedException");
    // A real user with a wrong password looks the same.
    let real = start(&app, &pool, "sam").await;
    let err = answer(
        &app,
        &pool,
        &real,
        &claim(&pool, &real, "Wr0ng-password!", &ts),
        &ts,
    )
    .await
    .unwrap_err();
    assert_eq!(err, "NotAuthorizedException");
}
