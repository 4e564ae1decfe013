//! Per-core rows for identity pools: the credential exchange (GetCredentialsForIdentity with
//! a user pool's ID token: the token verified, credentials issued and stored) and the
//! authorizer (`POST /_cognate/authorize`: a SigV4 signature checked with those credentials,
//! then the role's policies evaluated, with a policy variable).

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use serde_json::{json, Value};

use crate::percore::{call, drive, simple, Row};
use crate::server::Server;
use crate::wire::Requests;

const PASSWORD: &str = "Bench-passw0rd!";
const API: &str = "arn:aws:execute-api:us-east-1:000000000000:bench";

/// The identity rows, for users `user0..` signed up and confirmed with PASSWORD.
pub async fn rows(
    server: &Server,
    rq: &Requests,
    (pool_id, client_id): (&str, &str),
    (k, users, count): (usize, usize, usize),
    want: impl Fn(&str) -> bool,
) -> Vec<Row> {
    let (credentials, authorize) = ("GetCredentialsForIdentity", "POST /_cognate/authorize");
    if !want(credentials) && !want(authorize) {
        return Vec::new();
    }
    let provider = format!("cognito-idp.us-east-1.amazonaws.com/{pool_id}");
    let identity_pool = set_up(server, rq, &provider, client_id).await;
    let mut logins = Vec::new();
    for i in 0..users.clamp(1, 32) {
        let id_token = sign_in(server, rq, client_id, i).await;
        let get_id = json!({"IdentityPoolId": identity_pool, "Logins": {&provider: &id_token}});
        let reply = call(server, &rq.identity("GetId", &get_id, false)).await;
        let identity_id = reply["IdentityId"].as_str().unwrap().to_string();
        logins.push((identity_id, id_token));
    }
    let mut rows = Vec::new();
    if want(credentials) {
        let (r, l, p) = (rq.clone(), logins.clone(), provider.clone());
        let op = simple(move |i| {
            let (id, token) = &l[i % l.len()];
            let body = json!({"IdentityId": id, "Logins": {&p: token}});
            r.identity("GetCredentialsForIdentity", &body, false)
        });
        rows.push(drive(server, credentials, k, count, op).await);
    }
    if want(authorize) {
        let (id, token) = &logins[0];
        let body = json!({"IdentityId": id, "Logins": {&provider: token}});
        let reply = call(
            server,
            &rq.identity("GetCredentialsForIdentity", &body, false),
        )
        .await;
        let request = authorize_request(&reply["Credentials"], id);
        let check = call(server, &rq.post_json("/_cognate/authorize", &request)).await;
        assert_eq!(check["decision"], "Allow", "{check}");
        let r = rq.clone();
        let op = simple(move |_| r.post_json("/_cognate/authorize", &request));
        rows.push(drive(server, authorize, k, count, op).await);
    }
    rows
}

/// An identity pool for the user pool's client, its authenticated role defined in IAM with a
/// trust policy for the pool and a permission policy that reads the identity's id.
async fn set_up(server: &Server, rq: &Requests, provider: &str, client_id: &str) -> String {
    let create = json!({"IdentityPoolName": "bench", "AllowUnauthenticatedIdentities": false,
        "CognitoIdentityProviders": [{"ProviderName": provider, "ClientId": client_id}]});
    let pool = call(server, &rq.identity("CreateIdentityPool", &create, true)).await;
    let identity_pool = pool["IdentityPoolId"].as_str().unwrap().to_string();
    let trust = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": identity_pool}}}]});
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "execute-api:Invoke",
         "Resource": format!("{API}/GET/items/${{cognito-identity.amazonaws.com:sub}}")},
        {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": format!("{API}/GET/admin/*")}]});
    for form in [
        vec![
            ("Action", "CreateRole".to_string()),
            ("RoleName", "BenchAuth".into()),
            ("AssumeRolePolicyDocument", trust.to_string()),
        ],
        vec![
            ("Action", "PutRolePolicy".to_string()),
            ("RoleName", "BenchAuth".into()),
            ("PolicyName", "main".into()),
            ("PolicyDocument", policy.to_string()),
        ],
    ] {
        let mut conn = crate::wire::Conn::open(&server.addr).await.unwrap();
        let reply = conn.call(&rq.iam(&form)).await.unwrap();
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
    }
    let roles = json!({"IdentityPoolId": identity_pool,
        "Roles": {"authenticated": "arn:aws:iam::000000000000:role/BenchAuth"}});
    call(server, &rq.identity("SetIdentityPoolRoles", &roles, true)).await;
    identity_pool
}

async fn sign_in(server: &Server, rq: &Requests, client_id: &str, i: usize) -> String {
    let body = json!({"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": format!("user{i}"), "PASSWORD": PASSWORD}});
    let reply = call(server, &rq.idp("InitiateAuth", &body, false)).await;
    reply["AuthenticationResult"]["IdToken"]
        .as_str()
        .unwrap()
        .to_string()
}

/// What a backend sends the authorizer: a request its client signed with `creds`, and the
/// action and resource to decide (the identity's own item: an Allow through the variable).
fn authorize_request(creds: &Value, identity_id: &str) -> Value {
    let s = |k: &str| creds[k].as_str().unwrap().to_string();
    let creds = Credentials::new(
        s("AccessKeyId"),
        s("SecretKey"),
        Some(s("SessionToken")),
        None,
        "bench",
    );
    let url = "https://api.example.test/items?page=1";
    let identity = creds.into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("execute-api")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let host = [("host", "api.example.test")];
    let signable =
        SignableRequest::new("GET", url, host.into_iter(), SignableBody::Bytes(b"")).unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut headers = serde_json::Map::new();
    headers.insert("host".into(), "api.example.test".into());
    for (k, v) in instructions.headers() {
        headers.insert(k.to_string(), v.into());
    }
    json!({"method": "GET", "url": url, "headers": headers, "body": "",
        "action": "execute-api:Invoke", "resource": format!("{API}/GET/items/{identity_id}")})
}
