//! CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool, ListUserPools.

use aws_sdk_cognitoidentityprovider::types::{
    AttributeDataType, PasswordPolicyType, SchemaAttributeType, UserPoolPolicyType,
};

use crate::common::*;

#[tokio::test]
async fn a_new_pool_is_described_with_cognitos_defaults() {
    let app = spawn().await;
    let created = app
        .idp
        .create_user_pool()
        .pool_name("defaults")
        .schema(
            SchemaAttributeType::builder()
                .name("tenant")
                .attribute_data_type(AttributeDataType::String)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    let id = created.id().unwrap();
    let (region, suffix) = id.split_once('_').unwrap();
    assert_eq!(region, "us-east-1");
    assert_eq!(suffix.len(), 9);
    assert_eq!(
        created.arn(),
        Some(format!("arn:aws:cognito-idp:us-east-1:000000000000:userpool/{id}").as_str())
    );

    let pool = app
        .idp
        .describe_user_pool()
        .user_pool_id(id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(pool.name(), Some("defaults"));
    let policy = pool.policies().unwrap().password_policy().unwrap();
    assert_eq!(policy.minimum_length(), Some(8));
    assert!(policy.require_uppercase());
    assert!(policy.require_symbols());
    assert_eq!(policy.temporary_password_validity_days(), 7);
    assert_eq!(pool.mfa_configuration().unwrap().as_str(), "OFF");
    assert_eq!(pool.deletion_protection().unwrap().as_str(), "INACTIVE");
    assert!(pool.lambda_config().is_some());
    assert_eq!(
        pool.verification_message_template()
            .unwrap()
            .default_email_option()
            .unwrap()
            .as_str(),
        "CONFIRM_WITH_CODE"
    );
    assert!(!pool
        .admin_create_user_config()
        .unwrap()
        .allow_admin_create_user_only());
    assert_eq!(pool.estimated_number_of_users(), 0);
    let names: Vec<&str> = pool
        .schema_attributes()
        .iter()
        .filter_map(|a| a.name())
        .collect();
    for expected in [
        "sub",
        "email",
        "email_verified",
        "phone_number",
        "updated_at",
        "custom:tenant",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} missing from {names:?}"
        );
    }
    let sub = pool
        .schema_attributes()
        .iter()
        .find(|a| a.name() == Some("sub"))
        .unwrap();
    assert_eq!(sub.mutable(), Some(false));
    assert_eq!(sub.required(), Some(true));
}

#[tokio::test]
async fn update_resets_what_it_leaves_out_and_delete_removes_the_pool() {
    let app = spawn().await;
    let id = app
        .idp
        .create_user_pool()
        .pool_name("before")
        .policies(
            UserPoolPolicyType::builder()
                .password_policy(PasswordPolicyType::builder().minimum_length(12).build())
                .build(),
        )
        .auto_verified_attributes(
            aws_sdk_cognitoidentityprovider::types::VerifiedAttributeType::Email,
        )
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let before = app
        .idp
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(
        before
            .policies()
            .unwrap()
            .password_policy()
            .unwrap()
            .minimum_length(),
        Some(12)
    );
    assert!(!before
        .policies()
        .unwrap()
        .password_policy()
        .unwrap()
        .require_uppercase());

    app.idp
        .update_user_pool()
        .user_pool_id(&id)
        .mfa_configuration(aws_sdk_cognitoidentityprovider::types::UserPoolMfaType::Optional)
        .send()
        .await
        .unwrap();
    let after = app
        .idp
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(after.mfa_configuration().unwrap().as_str(), "OPTIONAL");
    assert_eq!(
        after
            .policies()
            .unwrap()
            .password_policy()
            .unwrap()
            .minimum_length(),
        Some(8)
    );
    assert!(after.auto_verified_attributes().is_empty());
    assert_eq!(after.name(), Some("before"));

    let err = app
        .idp
        .update_user_pool()
        .user_pool_id(&id)
        .mfa_configuration(
            aws_sdk_cognitoidentityprovider::types::UserPoolMfaType::from("SOMETIMES"),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");

    app.idp
        .delete_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let err = app
        .idp
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
    assert!(message(&err).contains(&id));
    let err = app
        .idp
        .delete_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
}

#[tokio::test]
async fn list_user_pools_pages_through_every_pool_once() {
    let app = spawn().await;
    let mut created = Vec::new();
    for n in 0..5 {
        let pool = app
            .idp
            .create_user_pool()
            .pool_name(format!("p{n}"))
            .send()
            .await
            .unwrap();
        created.push(pool.user_pool.unwrap().id.unwrap());
    }
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = app
            .idp
            .list_user_pools()
            .max_results(2)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        assert!(page.user_pools().len() <= 2);
        seen.extend(
            page.user_pools()
                .iter()
                .map(|p| p.id().unwrap().to_string()),
        );
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, created);
    let err = app
        .idp
        .list_user_pools()
        .max_results(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = app
        .idp
        .list_user_pools()
        .max_results(10)
        .next_token("garbage!")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
}

#[tokio::test]
async fn bad_pool_settings_are_invalid_parameters() {
    let app = spawn().await;
    let err = app
        .idp
        .create_user_pool()
        .pool_name("bad/name")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = app
        .idp
        .create_user_pool()
        .pool_name("both")
        .alias_attributes(aws_sdk_cognitoidentityprovider::types::AliasAttributeType::Email)
        .username_attributes(aws_sdk_cognitoidentityprovider::types::UsernameAttributeType::Email)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = app
        .idp
        .create_user_pool()
        .pool_name("short")
        .policies(
            UserPoolPolicyType::builder()
                .password_policy(PasswordPolicyType::builder().minimum_length(3).build())
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = app
        .idp
        .describe_user_pool()
        .user_pool_id("us-east-1_missing0")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
}
