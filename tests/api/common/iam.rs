//! IAM and temporary credentials in tests: SigV4-signed Query calls, roles with trust and
//! inline policies, and SDK credentials from the ones an identity pool issues.

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sdk_cognitoidentity::types::Credentials as IdentityCredentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use serde_json::{json, Value};

use super::TestApp;

/// Signs a request with `creds` for `service`: the headers to send with it.
pub fn signed(
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

pub fn trust(pool: &str, amr: &str) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": pool},
            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr}}}]})
    .to_string()
}

pub async fn create_role(app: &TestApp, name: &str, trust: &str) {
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

pub async fn put_policy(app: &TestApp, role: &str, policy: Value) {
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

pub fn sdk_creds(c: &IdentityCredentials) -> Credentials {
    Credentials::new(
        c.access_key_id().unwrap(),
        c.secret_key().unwrap(),
        c.session_token().map(String::from),
        None,
        "identity",
    )
}
