//! PreAuthentication, PostAuthentication and PreTokenGeneration (V1 and V2, on sign-in and on
//! refresh), run through a Lambda Invoke API.

use std::sync::Arc;

use aws_sdk_cognitoidentityprovider::types::{
    AuthFlowType, LambdaConfigType, PreTokenGenerationLambdaVersionType,
    PreTokenGenerationVersionConfigType,
};
use serde_json::json;

use crate::common::*;
use crate::triggers_lambda::*;

async fn pool_with_config(app: &TestApp, config: LambdaConfigType) -> Pool {
    app.pool_with(PoolSpec::standard().pool(move |p| p.lambda_config(config)))
        .await
}

async fn sign_in_with_metadata(app: &TestApp, pool: &Pool, username: &str) -> AuthResult {
    app.idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", username)
        .auth_parameters("PASSWORD", PASSWORD)
        .client_metadata("app", "web")
        .send()
        .await
}

#[tokio::test]
async fn pre_and_post_authentication_see_the_sign_in() {
    let lambda = serve(vec![("PreAuth", pass()), ("PostAuth", pass())]).await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .pre_authentication(arn("PreAuth"))
        .post_authentication(arn("PostAuth"))
        .build();
    let pool = pool_with_config(&app, config).await;
    app.confirmed_user(&pool, "dana").await;
    sign_in_with_metadata(&app, &pool, "dana").await.unwrap();

    let pre = &lambda.events("PreAuth")[0];
    assert_envelope(
        pre,
        "PreAuthentication_Authentication",
        &pool,
        "dana",
        Some(&pool.client_id),
    );
    assert_eq!(
        pre["request"]["userAttributes"]["email"],
        "dana@example.com"
    );
    assert_eq!(
        pre["request"]["userAttributes"]["cognito:user_status"],
        "CONFIRMED"
    );
    assert_eq!(pre["request"]["userNotFound"], false);
    assert_eq!(pre["request"]["validationData"], json!({"app": "web"}));
    assert_eq!(pre["response"], json!({}));

    let post = &lambda.events("PostAuth")[0];
    assert_envelope(
        post,
        "PostAuthentication_Authentication",
        &pool,
        "dana",
        Some(&pool.client_id),
    );
    assert_eq!(post["request"]["newDeviceUsed"], false);
    assert_eq!(post["request"]["clientMetadata"], json!({"app": "web"}));
    assert!(post["request"]["userAttributes"]["sub"].is_string());
}

#[tokio::test]
async fn a_refusing_authentication_trigger_issues_no_tokens() {
    let no: Function = Arc::new(|_| Reply::Error("Account under review".into()));
    let lambda = serve(vec![("PreNo", no.clone()), ("PostNo", no)]).await;
    let app = spawn_for(&lambda).await;
    let pre = LambdaConfigType::builder()
        .pre_authentication(arn("PreNo"))
        .build();
    let pool = pool_with_config(&app, pre).await;
    app.confirmed_user(&pool, "erin").await;
    let err = app
        .password_sign_in(&pool, "erin", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserLambdaValidationException");
    assert_eq!(
        message(&err),
        "PreAuthentication failed with error Account under review."
    );

    let post = LambdaConfigType::builder()
        .post_authentication(arn("PostNo"))
        .build();
    let pool = pool_with_config(&app, post).await;
    app.confirmed_user(&pool, "frank").await;
    let err = app
        .password_sign_in(&pool, "frank", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(
        message(&err),
        "PostAuthentication failed with error Account under review."
    );
    assert_eq!(app.sql_i64("SELECT COUNT(*) FROM refresh_tokens").await, 0);
}

#[tokio::test]
async fn pre_token_generation_v1_changes_id_token_claims_and_groups() {
    let answer = json!({"claimsOverrideDetails": {
        "claimsToAddOrOverride": {"tenant": "acme", "email": "alias@example.com", "sub": "forged"},
        "claimsToSuppress": ["email_verified"],
        "groupOverrideDetails": {"groupsToOverride": ["admins"], "iamRolesToOverride": [], "preferredRole": null}
    }});
    let lambda = serve(vec![("Tokens", respond_with(answer))]).await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .pre_token_generation(arn("Tokens"))
        .build();
    let pool = pool_with_config(&app, config).await;
    app.confirmed_user(&pool, "gina").await;
    app.idp
        .create_group()
        .user_pool_id(&pool.pool_id)
        .group_name("readers")
        .send()
        .await
        .unwrap();
    app.idp
        .admin_add_user_to_group()
        .user_pool_id(&pool.pool_id)
        .username("gina")
        .group_name("readers")
        .send()
        .await
        .unwrap();
    let tokens = sign_in_with_metadata(&app, &pool, "gina")
        .await
        .unwrap()
        .authentication_result
        .unwrap();

    let event = &lambda.events("Tokens")[0];
    assert_envelope(
        event,
        "TokenGeneration_Authentication",
        &pool,
        "gina",
        Some(&pool.client_id),
    );
    assert_eq!(
        event["request"]["groupConfiguration"]["groupsToOverride"],
        json!(["readers"])
    );
    assert_eq!(
        event["request"]["groupConfiguration"]["iamRolesToOverride"],
        json!([])
    );
    assert_eq!(
        event["request"]["userAttributes"]["email"],
        "gina@example.com"
    );
    assert_eq!(event["request"]["clientMetadata"], json!({"app": "web"}));
    assert!(
        event["request"].get("scopes").is_none(),
        "version 1 has no scopes"
    );
    assert_eq!(event["response"], json!({"claimsOverrideDetails": null}));

    let id = claims(tokens.id_token().unwrap());
    assert_eq!(id["tenant"], "acme");
    assert_eq!(id["email"], "alias@example.com");
    assert!(id.get("email_verified").is_none());
    assert_ne!(id["sub"], "forged", "sub cannot be changed");
    assert_eq!(id["cognito:groups"], json!(["admins"]));
    let access = claims(tokens.access_token().unwrap());
    assert_eq!(access["cognito:groups"], json!(["admins"]));
    assert!(
        access.get("tenant").is_none(),
        "version 1 leaves the access token's claims"
    );
}

#[tokio::test]
async fn pre_token_generation_v2_changes_both_tokens_and_scopes_also_on_refresh() {
    let answer = json!({"claimsAndScopeOverrideDetails": {
        "idTokenGeneration": {"claimsToAddOrOverride": {"plan": "gold"}, "claimsToSuppress": ["email"]},
        "accessTokenGeneration": {
            "claimsToAddOrOverride": {"tenant": "acme", "roles": ["editor", "viewer"]},
            "claimsToSuppress": [],
            "scopesToAdd": ["orders/read"],
            "scopesToSuppress": []
        }
    }});
    let lambda = serve(vec![("TokensV2", respond_with(answer))]).await;
    let app = spawn_for(&lambda).await;
    let version = PreTokenGenerationVersionConfigType::builder()
        .lambda_version(PreTokenGenerationLambdaVersionType::V20)
        .lambda_arn(arn("TokensV2"))
        .build()
        .unwrap();
    let config = LambdaConfigType::builder()
        .pre_token_generation_config(version)
        .build();
    let pool = pool_with_config(&app, config).await;
    app.confirmed_user(&pool, "hank").await;
    let tokens = app.tokens(&pool, "hank").await;

    let event = &lambda.events("TokensV2")[0];
    assert_eq!(event["version"], "2");
    assert_eq!(event["triggerSource"], "TokenGeneration_Authentication");
    assert_eq!(
        event["request"]["scopes"],
        json!(["aws.cognito.signin.user.admin"])
    );
    assert_eq!(
        event["response"],
        json!({"claimsAndScopeOverrideDetails": null})
    );

    let check = |id_token: &str, access_token: &str| {
        let id = claims(id_token);
        assert_eq!(id["plan"], "gold");
        assert!(id.get("email").is_none());
        let access = claims(access_token);
        assert_eq!(access["tenant"], "acme");
        assert_eq!(access["roles"], json!(["editor", "viewer"]));
        assert_eq!(access["scope"], "aws.cognito.signin.user.admin orders/read");
    };
    check(tokens.id_token().unwrap(), tokens.access_token().unwrap());

    let refreshed = app
        .idp
        .initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(AuthFlowType::RefreshTokenAuth)
        .auth_parameters("REFRESH_TOKEN", tokens.refresh_token().unwrap())
        .send()
        .await
        .unwrap()
        .authentication_result
        .unwrap();
    let event = &lambda.events("TokensV2")[1];
    assert_eq!(event["triggerSource"], "TokenGeneration_RefreshTokens");
    check(
        refreshed.id_token().unwrap(),
        refreshed.access_token().unwrap(),
    );
}

#[tokio::test]
async fn a_failing_pre_token_generation_issues_and_stores_no_token() {
    let no: Function = Arc::new(|_| Reply::Error("claims service down".into()));
    let lambda = serve(vec![("TokensNo", no)]).await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .pre_token_generation(arn("TokensNo"))
        .build();
    let pool = pool_with_config(&app, config).await;
    app.confirmed_user(&pool, "ivy").await;
    let err = app
        .password_sign_in(&pool, "ivy", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UserLambdaValidationException");
    assert_eq!(
        message(&err),
        "PreTokenGeneration failed with error claims service down."
    );
    assert_eq!(app.sql_i64("SELECT COUNT(*) FROM refresh_tokens").await, 0);
}
