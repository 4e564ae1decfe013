//! Per-core rows for the OAuth2 token endpoint (`POST /oauth2/token`, form-encoded):
//! `client_credentials` for a confidential client with a resource server's scope, its
//! secret in HTTP Basic, and `refresh_token` for the signed-in users with the public client.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::json;

use crate::percore::{call, drive, simple, Row};
use crate::server::Server;
use crate::wire::{Conn, Requests};

/// A form POST to `/oauth2/token`, with an `Authorization: Basic` header when `basic` is set.
fn token_request(rq: &Requests, form: &str, basic: Option<&str>) -> Vec<u8> {
    let auth = basic.map_or(String::new(), |b| {
        format!("Authorization: Basic {}\r\n", STANDARD.encode(b))
    });
    format!(
        "POST /oauth2/token HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         {auth}Content-Length: {}\r\n\r\n{form}",
        rq.addr,
        form.len()
    )
    .into_bytes()
}

/// Form-encodes a value (RFC 3986 unreserved characters kept).
fn enc(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The token endpoint rows; `refresh` holds the users' refresh tokens from `client_id`.
pub async fn rows(
    server: &Server,
    rq: &Requests,
    (pool_id, client_id): (&str, &str),
    refresh: Vec<String>,
    (k, count): (usize, usize),
    want: impl Fn(&str) -> bool,
) -> Vec<Row> {
    let (machine, user) = (
        "/oauth2/token client_credentials",
        "/oauth2/token refresh_token",
    );
    let mut rows = Vec::new();
    if want(machine) {
        let server_body = json!({"UserPoolId": pool_id, "Identifier": "bench", "Name": "bench",
            "Scopes": [{"ScopeName": "read", "ScopeDescription": "read"}]});
        call(server, &rq.idp("CreateResourceServer", &server_body, true)).await;
        let client = json!({"UserPoolId": pool_id, "ClientName": "machine", "GenerateSecret": true,
            "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["client_credentials"],
            "AllowedOAuthScopes": ["bench/read"]});
        let created = call(server, &rq.idp("CreateUserPoolClient", &client, true)).await;
        let c = &created["UserPoolClient"];
        let basic = format!(
            "{}:{}",
            c["ClientId"].as_str().unwrap(),
            c["ClientSecret"].as_str().unwrap()
        );
        let request = token_request(rq, "grant_type=client_credentials", Some(&basic));
        check(server, &request).await;
        rows.push(drive(server, machine, k, count, simple(move |_| request.clone())).await);
    }
    if want(user) {
        let requests: Vec<_> = refresh
            .iter()
            .map(|t| {
                let form = format!(
                    "grant_type=refresh_token&client_id={}&refresh_token={}",
                    enc(client_id),
                    enc(t)
                );
                token_request(rq, &form, None)
            })
            .collect();
        check(server, &requests[0]).await;
        let op = simple(move |i| requests[i % requests.len()].clone());
        rows.push(drive(server, user, k, count, op).await);
    }
    rows
}

/// The request answers 200 with an access token (set-up, outside the measurement).
async fn check(server: &Server, request: &[u8]) {
    let mut conn = Conn::open(&server.addr).await.unwrap();
    let reply = conn.call(request).await.unwrap();
    let body = String::from_utf8_lossy(&reply.body).to_string();
    assert_eq!(reply.status, 200, "{body}");
    assert!(body.contains("access_token"), "{body}");
}
