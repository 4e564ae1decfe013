//! GlobalSignOut, AdminUserGlobalSignOut and RevokeToken: the tokens they stop.

use aws_sdk_cognitoidentityprovider::types::AuthFlowType;

use crate::common::*;

#[tokio::test]
async fn admin_user_global_sign_out_revokes_refresh_and_access_tokens() {
    let app = spawn().await;
    let pool = app.pool().await;
    let result = app.signed_in_user(&pool, "kate").await;
    let access = result.access_token().unwrap();
    let refresh = result.refresh_token().unwrap();
    app.idp
        .get_user()
        .access_token(access)
        .send()
        .await
        .unwrap();

    app.idp
        .admin_user_global_sign_out()
        .user_pool_id(&pool.pool_id)
        .username("kate")
        .send()
        .await
        .unwrap();
    let err = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", refresh)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    assert_eq!(message(&err), "Refresh Token has been revoked");
    let err = app
        .idp
        .get_user()
        .access_token(access)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    assert_eq!(message(&err), "Access Token has been revoked");

    // A new sign-in works again.
    let access = app.access_token(&pool, "kate").await;
    app.idp
        .get_user()
        .access_token(access)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn global_sign_out_and_revoke_token() {
    let app = spawn().await;
    let pool = app.pool().await;
    let tokens = app.signed_in_user(&pool, "olga").await;
    let (access, refresh) = (tokens.access_token.unwrap(), tokens.refresh_token.unwrap());
    let refresh_with = |token: String| {
        app.idp
            .initiate_auth()
            .client_id(&pool.client_id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", token)
            .send()
    };
    refresh_with(refresh.clone()).await.unwrap();

    // RevokeToken: the refresh token and the access tokens of its session stop working.
    let err = app
        .idp
        .revoke_token()
        .client_id(&pool.client_id)
        .token(&access)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UnsupportedTokenTypeException");
    app.idp
        .revoke_token()
        .client_id(&pool.client_id)
        .token(&refresh)
        .send()
        .await
        .unwrap();
    let err = refresh_with(refresh.clone()).await.unwrap_err();
    assert_eq!(message(&err), "Refresh Token has been revoked");
    let err = app
        .idp
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    assert_eq!(message(&err), "Access Token has been revoked");

    // GlobalSignOut ends every other session of the user.
    let first = app.tokens(&pool, "olga").await;
    let second = app.tokens(&pool, "olga").await;
    app.idp
        .global_sign_out()
        .access_token(first.access_token().unwrap())
        .send()
        .await
        .unwrap();
    for token in [
        first.access_token().unwrap(),
        second.access_token().unwrap(),
    ] {
        let err = app
            .idp
            .get_user()
            .access_token(token)
            .send()
            .await
            .unwrap_err();
        assert_eq!(message(&err), "Access Token has been revoked");
    }
    let err = refresh_with(second.refresh_token().unwrap().to_string())
        .await
        .unwrap_err();
    assert_eq!(message(&err), "Refresh Token has been revoked");
}
