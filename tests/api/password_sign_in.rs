//! Password sign-in's errors, the flows a client must allow, hidden user existence, and the
//! SECRET_HASH of clients with a secret.

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, ExplicitAuthFlowsType, PreventUserExistenceErrorTypes,
};

use crate::common::*;

#[tokio::test]
async fn sign_in_errors() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.sign_up(&pool, "gina", "gina@example.com").await;
    let err = app
        .password_sign_in(&pool, "gina", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserNotConfirmedException");
    let err = app
        .password_sign_in(&pool, "gina", "Wr0ng-password")
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    assert_eq!(message(&err), "Incorrect username or password.");
    let err = app
        .password_sign_in(&pool, "nobody", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException");

    let err = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", "not-a-token")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");

    let err = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "gina")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");

    let err = app
        .idp
        .get_user()
        .access_token("not.a.token")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
}

#[tokio::test]
async fn flows_must_be_enabled_on_the_client() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "hank").await;
    let srp_only = app
        .client_for(&pool.pool_id, |c| {
            c.client_name("srp only")
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        })
        .await
        .client_id
        .unwrap();
    let other = Pool {
        pool_id: pool.pool_id.clone(),
        client_id: srp_only.clone(),
    };
    let err = app
        .password_sign_in(&other, "hank", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    assert_eq!(
        message(&err),
        "USER_PASSWORD_AUTH flow not enabled for this client"
    );
    let err = app
        .idp
        .admin_initiate_auth()
        .user_pool_id(&pool.pool_id)
        .client_id(&srp_only)
        .auth_flow(AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "hank")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    // A refresh token is bound to the client it was issued to.
    let refresh = app.tokens(&pool, "hank").await.refresh_token.unwrap();
    let err = app
        .idp
        .initiate_auth()
        .client_id(&srp_only)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", refresh)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
}

#[tokio::test]
async fn prevent_user_existence_errors_hides_unknown_users() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.idp
        .update_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .prevent_user_existence_errors(PreventUserExistenceErrorTypes::Enabled)
        .send()
        .await
        .unwrap();
    let err = app
        .password_sign_in(&pool, "nobody", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    assert_eq!(message(&err), "Incorrect username or password.");
}

#[tokio::test]
async fn clients_with_a_secret_need_the_secret_hash() {
    let app = spawn().await;
    let pool = app.pool().await;
    let client = app
        .client_for(&pool.pool_id, |c| {
            c.client_name("confidential")
                .generate_secret(true)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
                .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        })
        .await;
    let (id, secret) = (client.client_id.unwrap(), client.client_secret.unwrap());
    let err = app
        .idp
        .sign_up()
        .client_id(&id)
        .username("ivan")
        .password(PASSWORD)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    assert!(message(&err).contains("SECRET_HASH was not received"));
    let err = app
        .idp
        .sign_up()
        .client_id(&id)
        .secret_hash(secret_hash("wrong", "ivan", &id))
        .username("ivan")
        .password(PASSWORD)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    assert!(message(&err).contains("Unable to verify secret hash"));
    app.idp
        .sign_up()
        .client_id(&id)
        .secret_hash(secret_hash(&secret, "ivan", &id))
        .username("ivan")
        .password(PASSWORD)
        .user_attributes(attr("email", "ivan@example.com"))
        .send()
        .await
        .unwrap();
    app.admin_confirm_sign_up(&pool, "ivan").await.unwrap();
    let signed_in = app
        .idp
        .initiate_auth()
        .client_id(&id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "ivan")
        .auth_parameters("PASSWORD", PASSWORD)
        .auth_parameters("SECRET_HASH", secret_hash(&secret, "ivan", &id))
        .send()
        .await
        .unwrap();
    assert!(signed_in.authentication_result.is_some());
}
