//! User attributes changed by administrators and by users themselves: verification of new
//! values, custom attributes and their constraints, and changes held back until verified.

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::DeliveryMediumType;

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
