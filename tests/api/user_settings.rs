//! SetUserSettings and AdminSetUserSettings (the legacy MFAOptions), and DeleteUser.

use aws_sdk_cognitoidentityprovider::types::{DeliveryMediumType, MfaOptionType};

use crate::common::*;

#[tokio::test]
async fn admin_set_user_settings_stores_mfa_options() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "liam").await;
    let option = MfaOptionType::builder()
        .delivery_medium(DeliveryMediumType::Sms)
        .attribute_name("phone_number")
        .build();
    app.idp
        .admin_set_user_settings()
        .user_pool_id(&pool.pool_id)
        .username("liam")
        .mfa_options(option.clone())
        .send()
        .await
        .unwrap();
    let user = app.admin_get_user(&pool, "liam").await.unwrap();
    assert_eq!(user.mfa_options(), &[option]);

    let bad = MfaOptionType::builder()
        .delivery_medium(DeliveryMediumType::Email)
        .attribute_name("email")
        .build();
    let err = app
        .idp
        .admin_set_user_settings()
        .user_pool_id(&pool.pool_id)
        .username("liam")
        .mfa_options(bad)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
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
