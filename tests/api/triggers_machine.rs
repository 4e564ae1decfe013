//! PreTokenGeneration version 3 on client_credentials tokens (TokenGeneration_ClientCredentials);
//! versions 1 and 2 are not called for machines, as in Cognito.

use aws_sdk_cognitoidentityprovider::types::{
    LambdaConfigType, OAuthFlowType, PreTokenGenerationLambdaVersionType,
    PreTokenGenerationVersionConfigType, ResourceServerScopeType,
};
use serde_json::{json, Value};

use crate::common::*;
use crate::triggers_lambda::*;

async fn machine_token(version: PreTokenGenerationLambdaVersionType) -> (Lambda, Value, String) {
    let answer = json!({"claimsAndScopeOverrideDetails": {"accessTokenGeneration": {
        "claimsToAddOrOverride": {"tenant": "acme", "client_id": "forged"},
        "scopesToAdd": ["orders/write"],
        "scopesToSuppress": ["orders/read"]
    }}});
    let lambda = serve(vec![("Machine", respond_with(answer))]).await;
    let app = spawn_for(&lambda).await;
    let config = PreTokenGenerationVersionConfigType::builder()
        .lambda_version(version)
        .lambda_arn(arn("Machine"))
        .build()
        .unwrap();
    let config = LambdaConfigType::builder()
        .pre_token_generation_config(config)
        .build();
    let pool = app
        .pool_with(PoolSpec::standard().pool(move |p| p.lambda_config(config)))
        .await;
    let scope = |name: &str| {
        ResourceServerScopeType::builder()
            .scope_name(name)
            .scope_description(name)
            .build()
            .unwrap()
    };
    app.idp
        .create_resource_server()
        .user_pool_id(&pool.pool_id)
        .identifier("orders")
        .name("orders")
        .scopes(scope("read"))
        .scopes(scope("write"))
        .send()
        .await
        .unwrap();
    let machine = app
        .client_for(&pool.pool_id, |c| {
            c.generate_secret(true)
                .allowed_o_auth_flows_user_pool_client(true)
                .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
                .allowed_o_auth_scopes("orders/read")
        })
        .await;
    let id = machine.client_id().unwrap().to_string();
    let reply = app
        .http
        .post(format!("{}/oauth2/token", app.base))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id.as_str()),
            ("client_secret", machine.client_secret().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let tokens: Value = reply.json().await.unwrap();
    let access = claims(tokens["access_token"].as_str().unwrap());
    (lambda, access, id)
}

#[tokio::test]
async fn version_3_changes_client_credentials_tokens() {
    let (lambda, access, id) = machine_token(PreTokenGenerationLambdaVersionType::V30).await;
    assert_eq!(access["tenant"], "acme");
    assert_eq!(access["client_id"], id.as_str(), "protected claims stay");
    assert_eq!(access["scope"], "orders/write");

    let events = lambda.events("Machine");
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event["version"], "3");
    assert_eq!(event["triggerSource"], "TokenGeneration_ClientCredentials");
    assert_eq!(event["callerContext"]["clientId"], id.as_str());
    assert_eq!(event["request"]["scopes"], json!(["orders/read"]));
    assert_eq!(event["request"]["userAttributes"], json!({}));
    assert_eq!(event["request"]["groupConfiguration"], Value::Null);
    assert_eq!(
        event["response"],
        json!({"claimsAndScopeOverrideDetails": null})
    );
}

#[tokio::test]
async fn version_2_is_not_called_for_machines() {
    let (lambda, access, _) = machine_token(PreTokenGenerationLambdaVersionType::V20).await;
    assert!(lambda.events("Machine").is_empty());
    assert_eq!(access["scope"], "orders/read");
    assert!(access.get("tenant").is_none());
}
