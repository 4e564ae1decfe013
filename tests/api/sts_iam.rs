//! STS and IAM in the Query protocol, and the credentials identity pools hand out checked
//! for real: by aws-sdk-sts, signed form posts, and the authorizer endpoint.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sdk_cognitoidentity::types::Credentials as IdentityCredentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use serde_json::{json, Value};

use crate::common::*;

/// Signs a request with `creds` for `service`: the headers to send with it.
fn signed(
    creds: &Credentials,
    service: &str,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Vec<(String, String)> {
    let identity = creds.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name(service)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let signable = SignableRequest::new(
        method,
        url,
        headers.iter().copied(),
        SignableBody::Bytes(body.as_bytes()),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut out: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    out.extend(
        instructions
            .headers()
            .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    out
}

/// An IAM call signed as the administrator: its status and XML.
pub async fn iam(app: &TestApp, params: &[(&str, &str)]) -> (u16, String) {
    let mut all = vec![("Version", "2010-05-08")];
    all.extend_from_slice(params);
    let body = serde_urlencoded::to_string(&all).unwrap();
    let url = format!("{}/", app.base);
    let creds = Credentials::new("AKIDTEST", "test-secret", None, None, "test");
    let headers = signed(
        &creds,
        "iam",
        "POST",
        &url,
        &[("content-type", "application/x-www-form-urlencoded")],
        &body,
    );
    let mut req = app.http.post(&url).body(body);
    for (k, v) in headers {
        req = req.header(k, v);
    }
    let reply = req.send().await.unwrap();
    (reply.status().as_u16(), reply.text().await.unwrap())
}

fn trust(pool: &str, amr: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": pool},
            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr}}}]})
    .to_string()
}

async fn create_role(app: &TestApp, name: &str, trust: &str) {
    let (status, body) = iam(
        app,
        &[
            ("Action", "CreateRole"),
            ("RoleName", name),
            ("AssumeRolePolicyDocument", trust),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

async fn put_policy(app: &TestApp, role: &str, policy: Value) {
    let doc = policy.to_string();
    let (status, body) = iam(
        app,
        &[
            ("Action", "PutRolePolicy"),
            ("RoleName", role),
            ("PolicyName", "main"),
            ("PolicyDocument", &doc),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

fn sdk_creds(c: &IdentityCredentials) -> Credentials {
    Credentials::new(
        c.access_key_id().unwrap(),
        c.secret_key().unwrap(),
        c.session_token().map(String::from),
        None,
        "identity",
    )
}

/// A signed-in user of a user pool, their identity and its enhanced-flow credentials.
async fn signed_in_credentials(app: &TestApp) -> (String, String, Credentials) {
    let pool = app.pool().await;
    let identity_pool = app.identity_pool(Some(&pool), true).await;
    app.default_roles(&identity_pool).await;
    create_role(app, "Auth", &trust(&identity_pool, "authenticated")).await;
    let token = app.id_token(&pool, "alice").await;
    let ci = app.identity();
    let id = ci
        .get_id()
        .identity_pool_id(&identity_pool)
        .logins(provider_of(&pool), &token)
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    let got = ci
        .get_credentials_for_identity()
        .identity_id(&id)
        .logins(provider_of(&pool), &token)
        .send()
        .await
        .unwrap();
    (identity_pool, id, sdk_creds(got.credentials().unwrap()))
}

#[tokio::test]
async fn iam_roles_and_their_policies_are_managed_with_the_query_protocol() {
    let app = spawn().await;
    let doc = trust("us-east-1:x", "authenticated");
    create_role(&app, "Reader", &doc).await;
    let (status, body) = iam(
        &app,
        &[
            ("Action", "CreateRole"),
            ("RoleName", "Reader"),
            ("AssumeRolePolicyDocument", &doc),
        ],
    )
    .await;
    assert_eq!(
        (status, body.contains("<Code>EntityAlreadyExists</Code>")),
        (409, true),
        "{body}"
    );
    let (status, body) = iam(&app, &[("Action", "GetRole"), ("RoleName", "Reader")]).await;
    assert_eq!(status, 200);
    assert!(
        body.contains("<Arn>arn:aws:iam::000000000000:role/Reader</Arn>"),
        "{body}"
    );
    let (status, body) = iam(
        &app,
        &[
            ("Action", "CreateRole"),
            ("RoleName", "Bad"),
            ("AssumeRolePolicyDocument", "{not json"),
        ],
    )
    .await;
    assert_eq!(
        (status, body.contains("MalformedPolicyDocument")),
        (400, true),
        "{body}"
    );
    put_policy(&app, "Reader", json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]})).await;
    let (_, body) = iam(
        &app,
        &[("Action", "ListRolePolicies"), ("RoleName", "Reader")],
    )
    .await;
    assert!(body.contains("<member>main</member>"), "{body}");
    let (_, body) = iam(
        &app,
        &[
            ("Action", "GetRolePolicy"),
            ("RoleName", "Reader"),
            ("PolicyName", "main"),
        ],
    )
    .await;
    assert!(
        body.contains("s3%3AGetObject"),
        "documents are URL-encoded: {body}"
    );
    let (status, body) = iam(&app, &[("Action", "DeleteRole"), ("RoleName", "Reader")]).await;
    assert_eq!(
        (status, body.contains("DeleteConflict")),
        (409, true),
        "{body}"
    );
    let (status, _) = iam(
        &app,
        &[
            ("Action", "UpdateAssumeRolePolicy"),
            ("RoleName", "Reader"),
            ("PolicyDocument", &trust("us-east-1:y", "authenticated")),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let (_, body) = iam(&app, &[("Action", "ListRoles")]).await;
    assert!(
        body.contains("<RoleName>Reader</RoleName>") && body.contains("us-east-1%3Ay"),
        "{body}"
    );
    iam(
        &app,
        &[
            ("Action", "DeleteRolePolicy"),
            ("RoleName", "Reader"),
            ("PolicyName", "main"),
        ],
    )
    .await;
    let (status, _) = iam(&app, &[("Action", "DeleteRole"), ("RoleName", "Reader")]).await;
    assert_eq!(status, 200);
    let (status, body) = iam(&app, &[("Action", "GetRole"), ("RoleName", "Reader")]).await;
    assert_eq!(
        (status, body.contains("<Code>NoSuchEntity</Code>")),
        (404, true),
        "{body}"
    );
}

#[tokio::test]
async fn enhanced_flow_credentials_are_checked_by_sigv4_and_expire() {
    let app = spawn().await;
    let (_, _, creds) = signed_in_credentials(&app).await;
    let token = creds.session_token().unwrap().to_string();
    let sts = sts_client(
        &app.base,
        creds.access_key_id(),
        creds.secret_access_key(),
        Some(&token),
    );
    let me = sts.get_caller_identity().send().await.unwrap();
    assert_eq!(
        me.arn(),
        Some("arn:aws:sts::000000000000:assumed-role/Auth/CognitoIdentityCredentials")
    );
    assert_eq!(me.account(), Some("000000000000"));
    let tampered = sts_client(
        &app.base,
        creds.access_key_id(),
        "x".repeat(40).as_str(),
        Some(&token),
    );
    let e = tampered.get_caller_identity().send().await.unwrap_err();
    assert_eq!(code(&e), "SignatureDoesNotMatch");
    let wrong_token = sts_client(
        &app.base,
        creds.access_key_id(),
        creds.secret_access_key(),
        Some("forged"),
    );
    assert_eq!(
        code(&wrong_token.get_caller_identity().send().await.unwrap_err()),
        "InvalidClientTokenId"
    );
    let unknown = sts_client(
        &app.base,
        "ASIAUNKNOWNUNKNOWN00",
        creds.secret_access_key(),
        Some(&token),
    );
    assert_eq!(
        code(&unknown.get_caller_identity().send().await.unwrap_err()),
        "InvalidClientTokenId"
    );
    app.sql("UPDATE temp_credentials SET expires_at = 1").await;
    assert_eq!(
        code(&sts.get_caller_identity().send().await.unwrap_err()),
        "ExpiredToken"
    );
}

#[tokio::test]
async fn a_trust_policy_for_another_pool_is_a_configuration_error() {
    let app = spawn().await;
    let identity_pool = app.identity_pool(None, true).await;
    app.default_roles(&identity_pool).await;
    create_role(
        &app,
        "Guest",
        &trust(
            "us-east-1:00000000-0000-0000-0000-000000000000",
            "unauthenticated",
        ),
    )
    .await;
    let ci = app.identity();
    let id = ci
        .get_id()
        .identity_pool_id(&identity_pool)
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    let e = ci
        .get_credentials_for_identity()
        .identity_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "InvalidIdentityPoolConfigurationException");
    iam(
        &app,
        &[
            ("Action", "UpdateAssumeRolePolicy"),
            ("RoleName", "Guest"),
            ("PolicyDocument", &trust(&identity_pool, "unauthenticated")),
        ],
    )
    .await;
    ci.get_credentials_for_identity()
        .identity_id(&id)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn basic_flow_assumes_a_role_whose_trust_admits_the_token() {
    let app = spawn().await;
    let pool = app.pool().await;
    let identity_pool = app.identity_pool(Some(&pool), true).await;
    create_role(&app, "Web", &trust(&identity_pool, "authenticated")).await;
    let token = app.id_token(&pool, "bob").await;
    let ci = app.identity();
    let id = ci
        .get_id()
        .identity_pool_id(&identity_pool)
        .logins(provider_of(&pool), &token)
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    let openid = ci
        .get_open_id_token()
        .identity_id(&id)
        .logins(provider_of(&pool), &token)
        .send()
        .await
        .unwrap();
    let sts = sts_client(&app.base, "AKIDTEST", "test-secret", None);
    let assumed = sts
        .assume_role_with_web_identity()
        .role_arn("arn:aws:iam::000000000000:role/Web")
        .role_session_name("web-session")
        .web_identity_token(openid.token().unwrap())
        .duration_seconds(900)
        .send()
        .await
        .unwrap();
    assert_eq!(assumed.subject_from_web_identity_token(), Some(id.as_str()));
    let c = assumed.credentials().unwrap();
    let expires = c.expiration().secs();
    assert!((expires - (now_secs() as i64 + 900)).abs() < 30);
    let as_web = sts_client(
        &app.base,
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
    );
    let me = as_web.get_caller_identity().send().await.unwrap();
    assert_eq!(
        me.arn(),
        Some("arn:aws:sts::000000000000:assumed-role/Web/web-session")
    );
    // A guest's token has amr unauthenticated: this trust policy refuses it.
    let guest = ci
        .get_id()
        .identity_pool_id(&identity_pool)
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    let guest_token = ci
        .get_open_id_token()
        .identity_id(&guest)
        .send()
        .await
        .unwrap();
    let e = sts
        .assume_role_with_web_identity()
        .role_arn("arn:aws:iam::000000000000:role/Web")
        .role_session_name("guest")
        .web_identity_token(guest_token.token().unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "AccessDenied");
    let forged = sts
        .assume_role_with_web_identity()
        .role_arn("arn:aws:iam::000000000000:role/Web")
        .role_session_name("x1")
        .web_identity_token(format!("{}x", openid.token().unwrap()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&forged), "InvalidIdentityToken");
}

async fn authorize(
    app: &TestApp,
    creds: &Credentials,
    resource: &str,
    tamper: bool,
) -> (u16, Value) {
    let url = "https://api.example.test/items?page=1";
    let headers = signed(
        creds,
        "execute-api",
        "GET",
        url,
        &[("host", "api.example.test")],
        "",
    );
    let headers: serde_json::Map<String, Value> = headers
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    // Tampering: the URL the backend saw is not the one the client signed.
    let seen = if tamper {
        "https://api.example.test/items?page=2"
    } else {
        url
    };
    let request = json!({"method": "GET", "url": seen,
        "headers": headers, "body": "", "action": "execute-api:Invoke", "resource": resource});
    let reply = app
        .http
        .post(format!("{}/_cognate/authorize", app.base))
        .json(&request)
        .send()
        .await
        .unwrap();
    (reply.status().as_u16(), reply.json().await.unwrap())
}

#[tokio::test]
async fn the_authorizer_applies_the_roles_policies_with_variables_and_denies() {
    let app = spawn().await;
    let (identity_pool, id, creds) = signed_in_credentials(&app).await;
    let api = "arn:aws:execute-api:us-east-1:000000000000:api";
    put_policy(&app, "Auth", json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "execute-api:Invoke",
         "Resource": format!("{api}/GET/items/${{cognito-identity.amazonaws.com:sub}}*")},
        {"Effect": "Allow", "Action": "execute-api:*", "Resource": format!("{api}/GET/public/*")},
        {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": format!("{api}/GET/public/secret")}]})).await;
    let (status, own) = authorize(&app, &creds, &format!("{api}/GET/items/{id}"), false).await;
    assert_eq!(
        (status, own["decision"].as_str()),
        (200, Some("Allow")),
        "{own}"
    );
    assert_eq!(own["principal"]["identityId"], id.as_str());
    assert_eq!(own["principal"]["identityPoolId"], identity_pool.as_str());
    let (_, other) = authorize(
        &app,
        &creds,
        &format!("{api}/GET/items/us-east-1:someone-else"),
        false,
    )
    .await;
    assert_eq!(other["decision"], "Deny", "{other}");
    let (_, public) = authorize(&app, &creds, &format!("{api}/GET/public/news"), false).await;
    assert_eq!(public["decision"], "Allow", "{public}");
    let (_, secret) = authorize(&app, &creds, &format!("{api}/GET/public/secret"), false).await;
    assert_eq!(
        secret["decision"], "Deny",
        "an explicit Deny wins: {secret}"
    );
    assert!(
        secret["reason"].as_str().unwrap().contains("denies"),
        "{secret}"
    );
    let (status, tampered) = authorize(&app, &creds, &format!("{api}/GET/items/{id}"), true).await;
    assert_eq!(
        (status, tampered["decision"].as_str()),
        (403, Some("Deny")),
        "{tampered}"
    );
    assert!(
        tampered["reason"]
            .as_str()
            .unwrap()
            .contains("SignatureDoesNotMatch"),
        "{tampered}"
    );
}
