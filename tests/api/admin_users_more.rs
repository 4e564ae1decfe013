//! Administrators' attribute changes, global sign-out and user settings.

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::{AuthFlowType, DeliveryMediumType, MfaOptionType};

use crate::common::*;

async fn attributes(app: &TestApp, pool: &Pool, username: &str) -> Vec<(String, String)> {
    pairs(
        app.admin_get_user(pool, username)
            .await
            .unwrap()
            .user_attributes(),
    )
}

fn get<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn admin_update_and_delete_user_attributes() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "jack").await;
    assert_eq!(
        get(&attributes(&app, &pool, "jack").await, "email_verified"),
        Some("true")
    );
    app.idp
        .admin_update_user_attributes()
        .user_pool_id(&pool.pool_id)
        .username("jack")
        .user_attributes(attr("email", "jack@new.example.com"))
        .user_attributes(attr("given_name", "Jack"))
        .send()
        .await
        .unwrap();
    let attrs = attributes(&app, &pool, "jack").await;
    assert_eq!(get(&attrs, "email"), Some("jack@new.example.com"));
    assert_eq!(get(&attrs, "email_verified"), Some("false"));
    assert_eq!(get(&attrs, "given_name"), Some("Jack"));
    let messages = app.outbox(&pool.pool_id, "jack").await;
    assert_eq!(messages[0]["purpose"], "VERIFY_ATTRIBUTE");
    assert_eq!(messages[0]["destination"], "jack@new.example.com");

    // Marked verified by the administrator: no code, stays verified.
    app.idp
        .admin_update_user_attributes()
        .user_pool_id(&pool.pool_id)
        .username("jack")
        .user_attributes(attr("email", "jack@third.example.com"))
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        app.outbox(&pool.pool_id, "jack").await.len(),
        messages.len()
    );
    assert_eq!(
        get(&attributes(&app, &pool, "jack").await, "email_verified"),
        Some("true")
    );

    for bad in [
        attr("shoe_size", "44"),
        attr("sub", "x"),
        attr("email", "not-an-email"),
    ] {
        let err = app
            .idp
            .admin_update_user_attributes()
            .user_pool_id(&pool.pool_id)
            .username("jack")
            .user_attributes(bad)
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&err), "InvalidParameterException");
    }

    app.idp
        .admin_delete_user_attributes()
        .user_pool_id(&pool.pool_id)
        .username("jack")
        .user_attribute_names("given_name")
        .send()
        .await
        .unwrap();
    assert_eq!(
        get(&attributes(&app, &pool, "jack").await, "given_name"),
        None
    );
    let err = app
        .idp
        .admin_delete_user_attributes()
        .user_pool_id(&pool.pool_id)
        .username("jack")
        .user_attribute_names("sub")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = app
        .idp
        .admin_update_user_attributes()
        .user_pool_id(&pool.pool_id)
        .username("nobody")
        .user_attributes(attr("given_name", "N"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException");
}

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
async fn custom_attribute_constraints_are_enforced() {
    let app = spawn().await;
    let schema = |name: &str, kind: idp::types::AttributeDataType| {
        idp::types::SchemaAttributeType::builder()
            .name(name)
            .attribute_data_type(kind)
            .mutable(true)
    };
    let spec = PoolSpec::bare().pool(move |p| {
        p.schema(
            schema("age", idp::types::AttributeDataType::Number)
                .number_attribute_constraints(
                    idp::types::NumberAttributeConstraintsType::builder()
                        .min_value("0")
                        .max_value("120")
                        .build(),
                )
                .build(),
        )
        .schema(
            schema("team", idp::types::AttributeDataType::String)
                .string_attribute_constraints(
                    idp::types::StringAttributeConstraintsType::builder()
                        .min_length("2")
                        .max_length("4")
                        .build(),
                )
                .build(),
        )
    });
    let pool_id = app.pool_with(spec).await.pool_id;
    let create = |attrs: Vec<idp::types::AttributeType>| {
        app.idp
            .admin_create_user()
            .user_pool_id(&pool_id)
            .username("olive")
            .set_user_attributes(Some(attrs))
            .message_action(idp::types::MessageActionType::Suppress)
            .send()
    };
    for bad in [
        attr("custom:age", "121"),
        attr("custom:age", "-1"),
        attr("custom:age", "old"),
        attr("custom:team", "x"),
        attr("custom:team", "toolong"),
        attr("email_verified", "yes"),
    ] {
        let err = create(vec![bad.clone()]).await.unwrap_err();
        assert_eq!(code(&err), "InvalidParameterException", "{bad:?}");
    }
    create(vec![attr("custom:age", "42"), attr("custom:team", "ops")])
        .await
        .unwrap();
    let err = app
        .idp
        .admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("olive")
        .user_attributes(attr("custom:age", "500"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    assert!(message(&err).contains("custom:age"), "{}", message(&err));
    app.idp
        .admin_update_user_attributes()
        .user_pool_id(&pool_id)
        .username("olive")
        .user_attributes(attr("custom:age", "43"))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn add_custom_attributes_extends_the_schema() {
    let app = spawn().await;
    let pool = app.pool().await;
    let attribute = |name: &str| {
        idp::types::SchemaAttributeType::builder()
            .name(name)
            .attribute_data_type(idp::types::AttributeDataType::String)
            .build()
    };
    // Unknown until added.
    let err = app
        .idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("pia")
        .user_attributes(attr("custom:team", "ops"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    app.idp
        .add_custom_attributes()
        .user_pool_id(&pool.pool_id)
        .custom_attributes(attribute("team"))
        .send()
        .await
        .unwrap();
    let described = app
        .idp
        .describe_user_pool()
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap();
    let schema = described.user_pool().unwrap().schema_attributes();
    let team = schema
        .iter()
        .find(|a| a.name() == Some("custom:team"))
        .expect("custom:team in the schema");
    assert_eq!(team.mutable(), Some(true));
    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username("pia")
        .user_attributes(attr("custom:team", "ops"))
        .message_action(idp::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();

    let again = app
        .idp
        .add_custom_attributes()
        .user_pool_id(&pool.pool_id)
        .custom_attributes(attribute("team"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&again), "InvalidParameterException");
    let too_long = app
        .idp
        .add_custom_attributes()
        .user_pool_id(&pool.pool_id)
        .custom_attributes(attribute("a_very_long_attribute_name"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&too_long), "InvalidParameterException");
    let no_pool = app
        .idp
        .add_custom_attributes()
        .user_pool_id("us-east-1_missing")
        .custom_attributes(attribute("x"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&no_pool), "ResourceNotFoundException");
}
