//! Identity-pool credentials and IAM, further: PrincipalTagAttributeMap as session tags that
//! policies read, credentials that outlive the server that issued them, and IAM's role
//! operations driven by aws-sdk-iam.

use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Region};
use aws_sdk_iam as iam_sdk;
use cognate::startup::Application;
use serde_json::json;

use crate::common::*;
use crate::sts_iam::authorize;

fn iam_client(app: &TestApp) -> iam_sdk::Client {
    let conf = iam_sdk::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(&app.base)
        .credentials_provider(iam_sdk::config::Credentials::new(
            "AKIDTEST",
            "test-secret",
            None,
            None,
            "test",
        ))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(iam_sdk::config::retry::RetryConfig::disabled())
        .build();
    iam_sdk::Client::from_conf(conf)
}

/// The enhanced flow's credentials of `username`, signed in to `pool`.
async fn credentials_of(
    app: &TestApp,
    pool: &Pool,
    identity_pool: &str,
    username: &str,
) -> aws_credential_types::Credentials {
    let token = app.id_token(pool, username).await;
    let ci = app.identity();
    let id = ci
        .get_id()
        .identity_pool_id(identity_pool)
        .logins(provider_of(pool), &token)
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    let got = ci
        .get_credentials_for_identity()
        .identity_id(&id)
        .logins(provider_of(pool), &token)
        .send()
        .await
        .unwrap();
    sdk_creds(got.credentials().unwrap())
}

#[tokio::test]
async fn principal_tags_decide_policy_conditions() {
    let app = spawn().await;
    let pool = app.pool().await;
    let identity_pool = app.identity_pool(Some(&pool), false).await;
    app.default_roles(&identity_pool).await;
    create_role(&app, "Auth", &trust(&identity_pool, "authenticated")).await;
    let api = "arn:aws:execute-api:us-east-1:000000000000:api";
    put_policy(&app, "Auth", json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": format!("{api}/GET/admin/*"),
         "Condition": {"StringEquals": {"aws:PrincipalTag/user": "alice"}}},
        {"Effect": "Allow", "Action": "execute-api:Invoke",
         "Resource": format!("{api}/GET/clients/${{aws:PrincipalTag/client}}")}]}))
    .await;
    app.identity()
        .set_principal_tag_attribute_map()
        .identity_pool_id(&identity_pool)
        .identity_provider_name(provider_of(&pool))
        .use_defaults(false)
        .principal_tags("user", "cognito:username")
        .principal_tags("client", "aud")
        .send()
        .await
        .unwrap();

    let alice = credentials_of(&app, &pool, &identity_pool, "alice").await;
    let bob = credentials_of(&app, &pool, &identity_pool, "bob").await;
    let admin = format!("{api}/GET/admin/report");
    let (status, allowed) = authorize(&app, &alice, &admin, false).await;
    assert_eq!(
        (status, allowed["decision"].as_str()),
        (200, Some("Allow")),
        "{allowed}"
    );
    let (_, denied) = authorize(&app, &bob, &admin, false).await;
    assert_eq!(denied["decision"], "Deny", "{denied}");
    let own_client = format!("{api}/GET/clients/{}", pool.client_id);
    let (_, by_variable) = authorize(&app, &bob, &own_client, false).await;
    assert_eq!(by_variable["decision"], "Allow", "{by_variable}");
    let (_, other_client) = authorize(&app, &bob, &format!("{api}/GET/clients/other"), false).await;
    assert_eq!(other_client["decision"], "Deny", "{other_client}");
}

#[tokio::test]
async fn credentials_work_on_a_second_server_sharing_the_database() {
    let app = spawn().await;
    let pool = app.pool().await;
    let identity_pool = app.identity_pool(Some(&pool), false).await;
    app.default_roles(&identity_pool).await;
    create_role(&app, "Auth", &trust(&identity_pool, "authenticated")).await;
    let creds = credentials_of(&app, &pool, &identity_pool, "carol").await;

    // A second instance on the same database and master key, as after a restart.
    let second = Application::build(app.config.clone()).await.unwrap();
    let base = second.public_url().to_string();
    assert_ne!(base, app.base);
    tokio::spawn(second.run_until_stopped());
    let sts = sts_client(
        &base,
        creds.access_key_id(),
        creds.secret_access_key(),
        creds.session_token(),
    );
    let me = sts.get_caller_identity().send().await.unwrap();
    assert_eq!(
        me.arn(),
        Some("arn:aws:sts::000000000000:assumed-role/Auth/CognitoIdentityCredentials")
    );
    let tampered = sts_client(
        &base,
        creds.access_key_id(),
        &"y".repeat(40),
        creds.session_token(),
    );
    let err = tampered.get_caller_identity().send().await.unwrap_err();
    assert_eq!(code(&err), "SignatureDoesNotMatch");
}

#[tokio::test]
async fn aws_sdk_iam_manages_roles_and_their_policies() {
    let app = spawn().await;
    let iam = iam_client(&app);
    let doc = trust("us-east-1:x", "authenticated");
    let created = iam
        .create_role()
        .role_name("Reader")
        .path("/app/")
        .assume_role_policy_document(&doc)
        .max_session_duration(7200)
        .send()
        .await
        .unwrap();
    let role = created.role().unwrap();
    assert_eq!(role.arn(), "arn:aws:iam::000000000000:role/app/Reader");
    assert!(role.role_id().starts_with("AROA"), "{}", role.role_id());
    let err = iam
        .create_role()
        .role_name("Reader")
        .assume_role_policy_document(&doc)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "EntityAlreadyExists");
    let err = iam
        .create_role()
        .role_name("Bad")
        .assume_role_policy_document("{not json")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "MalformedPolicyDocument");

    let got = iam.get_role().role_name("Reader").send().await.unwrap();
    let got = got.role().unwrap();
    assert_eq!(got.max_session_duration(), Some(7200));
    let stored: serde_json::Value = serde_json::from_str(&urlencoding_decode(
        got.assume_role_policy_document().unwrap(),
    ))
    .unwrap();
    assert_eq!(
        stored,
        serde_json::from_str::<serde_json::Value>(&doc).unwrap()
    );
    let listed = iam.list_roles().send().await.unwrap();
    let names: Vec<&str> = listed.roles().iter().map(|r| r.role_name()).collect();
    assert_eq!(names, ["Reader"]);

    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})
    .to_string();
    iam.put_role_policy()
        .role_name("Reader")
        .policy_name("main")
        .policy_document(&policy)
        .send()
        .await
        .unwrap();
    let err = iam
        .put_role_policy()
        .role_name("Nobody")
        .policy_name("main")
        .policy_document(&policy)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NoSuchEntity");
    let names = iam
        .list_role_policies()
        .role_name("Reader")
        .send()
        .await
        .unwrap();
    assert_eq!(names.policy_names(), ["main"]);
    let got = iam
        .get_role_policy()
        .role_name("Reader")
        .policy_name("main")
        .send()
        .await
        .unwrap();
    assert_eq!(got.policy_name(), "main");
    assert!(urlencoding_decode(got.policy_document()).contains("s3:GetObject"));
    let err = iam
        .get_role_policy()
        .role_name("Reader")
        .policy_name("other")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NoSuchEntity");

    let err = iam
        .delete_role()
        .role_name("Reader")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "DeleteConflict", "a role with policies stays");
    let new_trust = trust("us-east-1:y", "authenticated");
    iam.update_assume_role_policy()
        .role_name("Reader")
        .policy_document(&new_trust)
        .send()
        .await
        .unwrap();
    let got = iam.get_role().role_name("Reader").send().await.unwrap();
    assert!(
        urlencoding_decode(got.role().unwrap().assume_role_policy_document().unwrap())
            .contains("us-east-1:y")
    );
    let err = iam
        .update_assume_role_policy()
        .role_name("Reader")
        .policy_document("[]")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "MalformedPolicyDocument");

    iam.delete_role_policy()
        .role_name("Reader")
        .policy_name("main")
        .send()
        .await
        .unwrap();
    assert!(iam
        .list_role_policies()
        .role_name("Reader")
        .send()
        .await
        .unwrap()
        .policy_names()
        .is_empty());
    iam.delete_role().role_name("Reader").send().await.unwrap();
    let err = iam.get_role().role_name("Reader").send().await.unwrap_err();
    assert_eq!(code(&err), "NoSuchEntity");
    let err = iam
        .delete_role()
        .role_name("Reader")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NoSuchEntity");
}

/// IAM returns policy documents URL-encoded (RFC 3986), as the SDK hands them over.
fn urlencoding_decode(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}
