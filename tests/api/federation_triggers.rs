//! The Lambda triggers Cognito runs at a federated sign-in: PreSignUp (ExternalProvider) and
//! PostConfirmation (ConfirmSignUp) at the first one, Pre/PostAuthentication at each later
//! one, PreTokenGeneration as a hosted sign-in; a PreSignUp that refuses stores nobody.

use aws_sdk_cognitoidentityprovider::types::LambdaConfigType;
use serde_json::json;

use crate::common::*;
use crate::federation_login::{federated_login, with_providers};
use crate::federation_mock as mock;
use crate::oauth2_support::*;
use crate::triggers_lambda::*;

#[tokio::test]
async fn a_first_federated_sign_in_runs_pre_sign_up_external_provider() {
    let up = mock::start().await;
    let lambda = serve(vec![
        ("pre", respond_with(json!({"autoVerifyEmail": true}))),
        ("confirmed", pass()),
        ("pre-auth", pass()),
        ("post-auth", pass()),
        ("tokens", pass()),
    ])
    .await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .pre_sign_up(arn("pre"))
        .post_confirmation(arn("confirmed"))
        .pre_authentication(arn("pre-auth"))
        .post_authentication(arn("post-auth"))
        .pre_token_generation(arn("tokens"))
        .build();
    let pool = app
        .pool_with(PoolSpec::standard().pool(move |p| p.lambda_config(config)))
        .await;
    let pool = with_providers(&app, &up, pool).await;
    up.sign_in_as(json!({"sub": "t-1", "email": "tee@corp.example", "name": "Tee"}));
    let mut browser = Browser::new(&app);
    let (code, verifier, _) =
        federated_login(&mut browser, &pool, ("identity_provider", "Corp")).await;
    assert_eq!(exchange(&app, &pool, &code, &verifier).await.status(), 200);

    let pre = lambda.events("pre");
    assert_eq!(pre.len(), 1);
    let event = &pre[0];
    assert_envelope(
        event,
        "PreSignUp_ExternalProvider",
        &pool,
        "Corp_t-1",
        Some(&pool.client_id),
    );
    let attributes = &event["request"]["userAttributes"];
    assert_eq!(attributes["email"], "tee@corp.example");
    assert_eq!(attributes["name"], "Tee");
    assert!(attributes["identities"]
        .as_str()
        .unwrap()
        .contains("\"providerName\":\"Corp\""));
    let confirmed = lambda.events("confirmed");
    assert_eq!(confirmed.len(), 1);
    assert_eq!(
        confirmed[0]["triggerSource"],
        "PostConfirmation_ConfirmSignUp"
    );
    let post = lambda.events("post-auth");
    assert_eq!(
        post[0]["triggerSource"],
        "PostAuthentication_Authentication"
    );
    let tokens = lambda.events("tokens");
    assert_eq!(tokens[0]["triggerSource"], "TokenGeneration_HostedAuth");
    // autoVerifyEmail was honoured.
    let user = app.admin_get_user(&pool, "Corp_t-1").await.unwrap();
    assert_eq!(
        value_of(user.user_attributes(), "email_verified"),
        Some("true")
    );

    // The second sign-in is no sign-up: PreAuthentication runs, PreSignUp does not.
    let mut browser = Browser::new(&app);
    federated_login(&mut browser, &pool, ("identity_provider", "Corp")).await;
    assert_eq!(lambda.events("pre").len(), 1);
    assert_eq!(lambda.events("confirmed").len(), 1);
    let pre_auth = lambda.events("pre-auth");
    assert_eq!(pre_auth.len(), 1);
    assert_eq!(
        pre_auth[0]["triggerSource"],
        "PreAuthentication_Authentication"
    );
    assert_eq!(lambda.events("post-auth").len(), 2);
}

#[tokio::test]
async fn a_pre_sign_up_that_refuses_leaves_no_user() {
    let up = mock::start().await;
    let refuse: Function = std::sync::Arc::new(|_| Reply::Error("not from this company".into()));
    let lambda = serve(vec![("pre", refuse)]).await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder().pre_sign_up(arn("pre")).build();
    let pool = app
        .pool_with(PoolSpec::standard().pool(move |p| p.lambda_config(config)))
        .await;
    let pool = with_providers(&app, &up, pool).await;
    up.sign_in_as(json!({"sub": "t-2", "email": "no@corp.example"}));
    let mut browser = Browser::new(&app);
    let query = authorize_query(&pool, &[("identity_provider", "Corp")]);
    let reply = browser.get(&format!("/oauth2/authorize?{query}")).await;
    let back = location(&browser.get(&location(&reply)).await);
    let path = back.trim_start_matches(&browser.base).to_string();
    let page = browser.get(&path).await;
    assert_eq!(page.status(), 400);
    let text = page.text().await.unwrap();
    assert!(
        text.contains("PreSignUp failed with error not from this company"),
        "{text}"
    );
    let listed = app
        .idp
        .list_users()
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap();
    assert!(listed.users().is_empty());
}
