//! Self-service calls made with an access token, and token revocation.

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::{AuthFlowType, DeliveryMediumType, MfaOptionType};

use crate::common::*;

async fn user_attr(app: &TestApp, access: &str, name: &str) -> Option<String> {
    let me = app
        .idp
        .get_user()
        .access_token(access)
        .send()
        .await
        .unwrap();
    value_of(me.user_attributes(), name).map(String::from)
}

#[tokio::test]
async fn update_verify_and_delete_own_attributes() {
    let app = spawn().await;
    let pool = app.pool().await;
    let access = app.signed_in_user(&pool, "mia").await.access_token.unwrap();

    let reply = app
        .idp
        .update_user_attributes()
        .access_token(&access)
        .user_attributes(attr("email", "mia@new.example.com"))
        .user_attributes(attr("family_name", "Smith"))
        .send()
        .await
        .unwrap();
    let details = reply.code_delivery_details_list();
    assert_eq!(details.len(), 1);
    assert_eq!(details[0].attribute_name(), Some("email"));
    assert_eq!(
        details[0].delivery_medium(),
        Some(&DeliveryMediumType::Email)
    );
    assert_eq!(
        user_attr(&app, &access, "email_verified").await.as_deref(),
        Some("false")
    );
    assert_eq!(
        user_attr(&app, &access, "family_name").await.as_deref(),
        Some("Smith")
    );
    let message = &app.outbox(&pool.pool_id, "mia").await[0];
    assert_eq!(message["purpose"], "VERIFY_ATTRIBUTE");
    assert_eq!(message["destination"], "mia@new.example.com");
    let code_sent = message["code"].as_str().unwrap().to_string();

    let wrong = app
        .idp
        .verify_user_attribute()
        .access_token(&access)
        .attribute_name("email")
        .code("000000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&wrong), "CodeMismatchException");
    app.idp
        .verify_user_attribute()
        .access_token(&access)
        .attribute_name("email")
        .code(&code_sent)
        .send()
        .await
        .unwrap();
    assert_eq!(
        user_attr(&app, &access, "email_verified").await.as_deref(),
        Some("true")
    );
    // A code works once.
    let reused = app
        .idp
        .verify_user_attribute()
        .access_token(&access)
        .attribute_name("email")
        .code(&code_sent)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&reused), "ExpiredCodeException");

    // A fresh code on request.
    let sent = app
        .idp
        .get_user_attribute_verification_code()
        .access_token(&access)
        .attribute_name("email")
        .send()
        .await
        .unwrap();
    assert_eq!(
        sent.code_delivery_details().unwrap().destination(),
        Some("m***@n***")
    );
    let err = app
        .idp
        .get_user_attribute_verification_code()
        .access_token(&access)
        .attribute_name("phone_number")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");

    let unauthorized = app
        .idp
        .update_user_attributes()
        .access_token(&access)
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&unauthorized), "NotAuthorizedException");
    let unknown = app
        .idp
        .update_user_attributes()
        .access_token(&access)
        .user_attributes(attr("shoe_size", "44"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&unknown), "InvalidParameterException");

    app.idp
        .delete_user_attributes()
        .access_token(&access)
        .user_attribute_names("family_name")
        .send()
        .await
        .unwrap();
    assert_eq!(user_attr(&app, &access, "family_name").await, None);

    let bad_token = app
        .idp
        .update_user_attributes()
        .access_token("not-a-token")
        .user_attributes(attr("family_name", "X"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&bad_token), "NotAuthorizedException");
}

#[tokio::test]
async fn delete_user_and_set_user_settings() {
    let app = spawn().await;
    let pool = app.pool().await;
    let access = app
        .signed_in_user(&pool, "noah")
        .await
        .access_token
        .unwrap();
    let option = MfaOptionType::builder()
        .delivery_medium(DeliveryMediumType::Sms)
        .attribute_name("phone_number")
        .build();
    app.idp
        .set_user_settings()
        .access_token(&access)
        .mfa_options(option.clone())
        .send()
        .await
        .unwrap();
    let user = app.admin_get_user(&pool, "noah").await.unwrap();
    assert_eq!(user.mfa_options(), std::slice::from_ref(&option));
    let own = app
        .idp
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    assert_eq!(own.mfa_options(), &[option]);

    app.idp
        .delete_user()
        .access_token(&access)
        .send()
        .await
        .unwrap();
    let gone = app.admin_get_user(&pool, "noah").await.unwrap_err();
    assert_eq!(code(&gone), "UserNotFoundException");
    let after = app
        .idp
        .get_user()
        .access_token(&access)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&after), "NotAuthorizedException");
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

#[tokio::test]
async fn held_back_email_changes_apply_once_verified() {
    let app = spawn().await;
    let spec = PoolSpec::standard()
        .pool(|p| {
            p.user_attribute_update_settings(
                idp::types::UserAttributeUpdateSettingsType::builder()
                    .attributes_require_verification_before_update(
                        idp::types::VerifiedAttributeType::Email,
                    )
                    .build(),
            )
        })
        .flows(&[idp::types::ExplicitAuthFlowsType::AllowUserPasswordAuth]);
    let pool = app.pool_with(spec).await;
    let access = app
        .signed_in_user(&pool, "pete")
        .await
        .access_token
        .unwrap();

    let reply = app
        .idp
        .update_user_attributes()
        .access_token(&access)
        .user_attributes(attr("email", "pete@new.example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.code_delivery_details_list().len(), 1);
    // The old, verified email stays in force meanwhile.
    assert_eq!(
        user_attr(&app, &access, "email").await.as_deref(),
        Some("pete@example.com")
    );
    assert_eq!(
        user_attr(&app, &access, "email_verified").await.as_deref(),
        Some("true")
    );
    let message = &app.outbox(&pool.pool_id, "pete").await[0];
    assert_eq!(message["destination"], "pete@new.example.com");
    let sent = message["code"].as_str().unwrap().to_string();

    app.idp
        .verify_user_attribute()
        .access_token(&access)
        .attribute_name("email")
        .code(sent)
        .send()
        .await
        .unwrap();
    assert_eq!(
        user_attr(&app, &access, "email").await.as_deref(),
        Some("pete@new.example.com")
    );
    assert_eq!(
        user_attr(&app, &access, "email_verified").await.as_deref(),
        Some("true")
    );
}
