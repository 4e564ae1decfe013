//! CreateUserPoolClient, DescribeUserPoolClient, UpdateUserPoolClient, DeleteUserPoolClient,
//! ListUserPoolClients.

use aws_sdk_cognitoidentityprovider::types::{
    ExplicitAuthFlowsType, TimeUnitsType, TokenValidityUnitsType,
};

use crate::common::*;

#[tokio::test]
async fn clients_are_created_described_updated_listed_and_deleted() {
    let app = spawn().await;
    let pool = app.pool().await;
    let created = app
        .idp
        .create_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_name("with secret")
        .generate_secret(true)
        .access_token_validity(30)
        .token_validity_units(
            TokenValidityUnitsType::builder()
                .access_token(TimeUnitsType::Minutes)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    let id = created.client_id().unwrap().to_string();
    assert_eq!(id.len(), 26);
    assert_eq!(created.client_secret().unwrap().len(), 51);
    assert_eq!(created.refresh_token_validity(), 30);
    assert_eq!(created.auth_session_validity(), Some(3));
    assert_eq!(created.enable_token_revocation(), Some(true));
    let flows: Vec<&str> = created
        .explicit_auth_flows()
        .iter()
        .map(|f| f.as_str())
        .collect();
    assert_eq!(
        flows,
        [
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_CUSTOM_AUTH"
        ]
    );

    let described = app
        .idp
        .describe_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_id(&id)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(described.client_secret(), created.client_secret());
    assert_eq!(described.access_token_validity(), Some(30));

    let updated = app
        .idp
        .update_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_id(&id)
        .client_name("renamed")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(updated.client_name(), Some("renamed"));
    assert_eq!(
        updated.access_token_validity(),
        None,
        "left out, so back to the default"
    );
    assert_eq!(updated.client_secret(), created.client_secret());

    let mut ids = Vec::new();
    let mut token = None;
    loop {
        let page = app
            .idp
            .list_user_pool_clients()
            .user_pool_id(&pool.pool_id)
            .max_results(1)
            .set_next_token(token)
            .send()
            .await
            .unwrap();
        ids.extend(
            page.user_pool_clients()
                .iter()
                .map(|c| c.client_id().unwrap().to_string()),
        );
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(ids, vec![pool.client_id.clone(), id.clone()]);

    app.idp
        .delete_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_id(&id)
        .send()
        .await
        .unwrap();
    let err = app
        .idp
        .describe_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
}

#[tokio::test]
async fn bad_client_settings_are_invalid_parameters() {
    let app = spawn().await;
    let pool = app.pool().await;
    let attempt = |flows: Vec<ExplicitAuthFlowsType>, access: Option<i32>| {
        app.idp
            .create_user_pool_client()
            .user_pool_id(&pool.pool_id)
            .client_name("bad")
            .set_explicit_auth_flows(Some(flows))
            .set_access_token_validity(access)
            .send()
    };
    let err = attempt(
        vec![
            ExplicitAuthFlowsType::UserPasswordAuth,
            ExplicitAuthFlowsType::AllowUserSrpAuth,
        ],
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = attempt(vec![], Some(48)).await.unwrap_err();
    assert_eq!(
        code(&err),
        "InvalidParameterException",
        "48 hours is beyond a day"
    );
    let err = attempt(vec![ExplicitAuthFlowsType::from("ALLOW_EVERYTHING")], None)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = app
        .idp
        .create_user_pool_client()
        .user_pool_id("us-east-1_nothere1")
        .client_name("orphan")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
}

#[tokio::test]
async fn read_and_write_attributes_are_enforced_for_the_client() {
    use aws_sdk_cognitoidentityprovider::types::{AttributeDataType, SchemaAttributeType};
    let app = spawn().await;
    let spec = PoolSpec::bare()
        .pool(|p| {
            p.schema(
                SchemaAttributeType::builder()
                    .name("tier")
                    .attribute_data_type(AttributeDataType::String)
                    .build(),
            )
        })
        .client(|c| {
            c.read_attributes("email")
                .write_attributes("email")
                .write_attributes("name")
        })
        .flows(&[ExplicitAuthFlowsType::AllowUserPasswordAuth]);
    let pool = app.pool_with(spec).await;
    let err = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("ines")
        .password(PASSWORD)
        .user_attributes(attr("custom:tier", "gold"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    app.sign_up_with(
        &pool,
        "ines",
        &[("email", "ines@example.com"), ("name", "Ines")],
    )
    .await;
    app.admin_confirm_sign_up(&pool, "ines").await.unwrap();
    // An administrator is not limited by the client.
    app.idp
        .admin_update_user_attributes()
        .user_pool_id(&pool.pool_id)
        .username("ines")
        .user_attributes(attr("custom:tier", "gold"))
        .send()
        .await
        .unwrap();

    let tokens = app.tokens(&pool, "ines").await;
    let id = claims(tokens.id_token().unwrap());
    assert_eq!(id["email"], "ines@example.com");
    assert!(
        id.get("name").is_none() && id.get("custom:tier").is_none(),
        "{id}"
    );

    let access = tokens.access_token().unwrap();
    let me = app
        .idp
        .get_user()
        .access_token(access)
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = me.user_attributes().iter().map(|a| a.name()).collect();
    assert_eq!(names, ["sub", "email"]);
    let err = app
        .idp
        .update_user_attributes()
        .access_token(access)
        .user_attributes(attr("custom:tier", "platinum"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    app.idp
        .update_user_attributes()
        .access_token(access)
        .user_attributes(attr("name", "Inès"))
        .send()
        .await
        .unwrap();

    for (read, write) in [
        (Some("nope"), None),
        (None, Some("email_verified")),
        (None, Some("sub")),
    ] {
        let err = app
            .idp
            .create_user_pool_client()
            .user_pool_id(&pool.pool_id)
            .client_name("bad lists")
            .set_read_attributes(read.map(|r| vec![r.to_string()]))
            .set_write_attributes(write.map(|w| vec![w.to_string()]))
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            code(&err),
            "InvalidParameterException",
            "{read:?} {write:?}"
        );
    }
}
