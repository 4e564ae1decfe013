//! GetTokensFromRefreshToken and refresh-token rotation.

use aws_sdk_cognitoidentityprovider as idp;
use idp::operation::get_tokens_from_refresh_token::builders::GetTokensFromRefreshTokenFluentBuilder;
use idp::types::{AuthFlowType, ExplicitAuthFlowsType, FeatureType, RefreshTokenRotationType};

use crate::common::*;

/// A client with rotation (and a secret), and a signed-in user's refresh token.
async fn rotating(app: &TestApp, grace: i32) -> (Pool, String, String) {
    let pool = app.pool().await;
    let client = app
        .client_for(&pool.pool_id, |c| {
            c.client_name("rotating")
                .generate_secret(true)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowAdminUserPasswordAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
                .refresh_token_rotation(
                    RefreshTokenRotationType::builder()
                        .feature(FeatureType::Enabled)
                        .retry_grace_period_seconds(grace)
                        .build()
                        .unwrap(),
                )
        })
        .await;
    app.confirmed_user(&pool, "otto").await;
    let secret = client.client_secret.unwrap();
    let client_id = client.client_id.unwrap();
    let hash = secret_hash(&secret, "otto", &client_id);
    let refresh = app
        .idp
        .admin_initiate_auth()
        .user_pool_id(&pool.pool_id)
        .client_id(&client_id)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "otto")
        .auth_parameters("PASSWORD", PASSWORD)
        .auth_parameters("SECRET_HASH", hash)
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap()
        .refresh_token
        .unwrap();
    let pool = Pool {
        pool_id: pool.pool_id,
        client_id,
    };
    (pool, secret, refresh)
}

/// GetTokensFromRefreshToken for `token`, with the client's secret.
fn with_secret(
    app: &TestApp,
    pool: &Pool,
    secret: &str,
    token: &str,
) -> GetTokensFromRefreshTokenFluentBuilder {
    app.idp
        .get_tokens_from_refresh_token()
        .client_id(&pool.client_id)
        .client_secret(secret)
        .refresh_token(token)
}

#[tokio::test]
async fn without_rotation_the_refresh_token_stays() {
    let app = spawn().await;
    let pool = app.pool().await;
    let refresh = app
        .signed_in_user(&pool, "nils")
        .await
        .refresh_token
        .unwrap();
    for _ in 0..2 {
        let out = app
            .idp
            .get_tokens_from_refresh_token()
            .client_id(&pool.client_id)
            .refresh_token(&refresh)
            .send()
            .await
            .unwrap();
        let result = out.authentication_result.unwrap();
        assert!(result.access_token.is_some() && result.refresh_token.is_none());
    }
    let err = app
        .idp
        .get_tokens_from_refresh_token()
        .client_id(&pool.client_id)
        .refresh_token("forged")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
}

#[tokio::test]
async fn rotation_replaces_the_refresh_token() {
    let app = spawn().await;
    let (pool, secret, first) = rotating(&app, 0).await;
    let err = app
        .idp
        .get_tokens_from_refresh_token()
        .client_id(&pool.client_id)
        .refresh_token(&first)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&err),
        "NotAuthorizedException",
        "the client secret is required"
    );

    let rotate = |token: &str| with_secret(&app, &pool, &secret, token).send();
    let out = rotate(&first).await.unwrap().authentication_result.unwrap();
    let second = out.refresh_token.clone().unwrap();
    assert_ne!(second, first);
    app.idp
        .get_user()
        .access_token(out.access_token.unwrap())
        .send()
        .await
        .unwrap();
    let err = rotate(&first).await.unwrap_err();
    assert_eq!(
        code(&err),
        "NotAuthorizedException",
        "without grace the old token is spent"
    );
    let third = rotate(&second)
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    assert!(third.refresh_token.is_some());

    let err = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", third.refresh_token.unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&err),
        "InvalidParameterException",
        "rotation needs GetTokensFromRefreshToken"
    );
}

#[tokio::test]
async fn the_grace_period_allows_a_retry() {
    let app = spawn().await;
    let (pool, secret, first) = rotating(&app, 60).await;
    for _ in 0..2 {
        let out = with_secret(&app, &pool, &secret, &first)
            .send()
            .await
            .unwrap();
        assert!(out.authentication_result.unwrap().refresh_token.is_some());
    }
    // When the grace period has passed, the old token no longer works.
    app.sql(&format!(
        "UPDATE refresh_tokens SET expires_at = {} WHERE expires_at < {}",
        now_ms() - 1,
        now_ms() + 61_000
    ))
    .await;
    let err = with_secret(&app, &pool, &secret, &first)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
}

#[tokio::test]
async fn bad_rotation_settings_are_refused() {
    let app = spawn().await;
    let pool = app.pool().await;
    let err = app
        .idp
        .create_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_name("bad")
        .refresh_token_rotation(
            RefreshTokenRotationType::builder()
                .feature(FeatureType::Enabled)
                .retry_grace_period_seconds(90)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}
