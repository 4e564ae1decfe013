//! Serving browsers safely: CORS for the unsigned operations only, the DNS-rebinding guard of
//! local mode, and the security headers on every reply.

use reqwest::header::HeaderMap;

use crate::common::*;

const ORIGIN: &str = "https://app.example";
const IDP: &str = "AWSCognitoIdentityProviderService";
const SIGNATURE: &str =
    "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/cognito-idp/aws4_request, \
                         SignedHeaders=host;x-amz-date, Signature=00";

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).map(|v| v.to_str().unwrap())
}

impl TestApp {
    /// An AWS JSON call as a page on `origin` makes it, signed or not, with an optional `Host`.
    async fn browser_call(
        &self,
        op: &str,
        body: &str,
        signed: bool,
        host: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self
            .http
            .post(&self.base)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", format!("{IDP}.{op}"))
            .header("origin", ORIGIN)
            .body(body.to_string());
        if signed {
            req = req.header("authorization", SIGNATURE);
        }
        if let Some(host) = host {
            req = req.header("host", host);
        }
        req.send().await.unwrap()
    }

    async fn outbox_with_host(&self, host: &str) -> reqwest::Response {
        self.http
            .get(format!("{}/_dev/outbox", self.base))
            .header("host", host)
            .header("origin", ORIGIN)
            .send()
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn a_preflight_for_initiate_auth_is_answered() {
    let app = spawn().await;
    let reply = app
        .http
        .request(reqwest::Method::OPTIONS, &app.base)
        .header("origin", ORIGIN)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-amz-target,x-amz-user-agent",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let h = reply.headers();
    assert_eq!(header(h, "access-control-allow-origin"), Some("*"));
    assert_eq!(header(h, "access-control-allow-methods"), Some("POST"));
    let allowed = header(h, "access-control-allow-headers").unwrap();
    for name in ["content-type", "x-amz-target", "x-amz-user-agent"] {
        assert!(allowed.contains(name), "{allowed}");
    }
    assert!(!allowed.contains("authorization"), "{allowed}");
}

#[tokio::test]
async fn unsigned_replies_carry_cors_and_signed_ones_never() {
    let app = spawn().await;
    let pool = app.pool().await;
    let body = format!(
        r#"{{"ClientId":"{}","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{{"USERNAME":"nobody","PASSWORD":"Wr0ng-password!"}}}}"#,
        pool.client_id
    );
    // An error of an unsigned operation, readable by the page.
    let reply = app.browser_call("InitiateAuth", &body, false, None).await;
    assert_eq!(reply.status(), 400);
    let h = reply.headers();
    assert_eq!(header(h, "access-control-allow-origin"), Some("*"));
    let exposed = header(h, "access-control-expose-headers").unwrap();
    assert!(exposed.contains("x-amzn-requestid") && exposed.contains("x-amzn-errortype"));

    let reply = app
        .browser_call("ListUserPools", r#"{"MaxResults":5}"#, true, None)
        .await;
    assert_eq!(reply.status(), 200);
    assert_eq!(header(reply.headers(), "access-control-allow-origin"), None);

    let reply = app
        .http
        .get(format!("{}/_dev/outbox", app.base))
        .header("origin", ORIGIN)
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(header(reply.headers(), "access-control-allow-origin"), None);
}

#[tokio::test]
async fn configured_origins_are_the_only_ones_allowed() {
    let app = spawn_with(|c| Config {
        cors_origins: vec![ORIGIN.into()],
        ..c
    })
    .await;
    let body = r#"{"ClientId":"none","Username":"x","Password":"y"}"#;
    let reply = app.browser_call("SignUp", body, false, None).await;
    assert_eq!(
        header(reply.headers(), "access-control-allow-origin"),
        Some(ORIGIN)
    );
    assert_eq!(header(reply.headers(), "vary"), Some("Origin"));
    let reply = app
        .http
        .post(&app.base)
        .header("x-amz-target", format!("{IDP}.SignUp"))
        .header("origin", "https://other.example")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(header(reply.headers(), "access-control-allow-origin"), None);
}

#[tokio::test]
async fn a_rebinding_host_is_refused_admin_calls_and_the_outbox() {
    let app = spawn().await;
    let pool = app.pool().await;
    let list = r#"{"MaxResults":5}"#;
    for host in [
        "evil.example",
        "evil.example:9229",
        "127.0.0.1.evil.example",
    ] {
        let reply = app
            .browser_call("ListUserPools", list, true, Some(host))
            .await;
        assert_eq!(reply.status(), 403, "{host}");
        assert_eq!(
            header(reply.headers(), "x-amzn-errortype"),
            Some("AccessDeniedException")
        );
        assert_eq!(app.outbox_with_host(host).await.status(), 403, "{host}");
    }
    // Unsigned operations are for any page, under any name.
    let body = format!(
        r#"{{"ClientId":"{}","Username":"pia","Password":"{PASSWORD}"}}"#,
        pool.client_id
    );
    let reply = app
        .browser_call("SignUp", &body, false, Some("evil.example"))
        .await;
    assert_eq!(reply.status(), 200);
    // Loopback names and the public URL's host are this server.
    let port = app.base.rsplit(':').next().unwrap();
    for host in [format!("localhost:{port}"), format!("[::1]:{port}")] {
        let reply = app
            .browser_call("ListUserPools", list, true, Some(&host))
            .await;
        assert_eq!(reply.status(), 200, "{host}");
        assert_eq!(app.outbox_with_host(&host).await.status(), 200, "{host}");
    }
}

#[tokio::test]
async fn replies_carry_nosniff_and_token_replies_no_store() {
    let app = spawn().await;
    let pool = app.pool().await;
    let health = app
        .http
        .get(format!("{}/health", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(health.headers(), "x-content-type-options"),
        Some("nosniff")
    );

    app.confirmed_user(&pool, "quinn").await;
    let body = format!(
        r#"{{"ClientId":"{}","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{{"USERNAME":"quinn","PASSWORD":"{PASSWORD}"}}}}"#,
        pool.client_id
    );
    let tokens = app.browser_call("InitiateAuth", &body, false, None).await;
    assert_eq!(tokens.status(), 200);
    let error = app.browser_call("InitiateAuth", "{}", false, None).await;
    let outbox = app.outbox_with_host("127.0.0.1").await;
    for reply in [tokens, error, outbox] {
        let h = reply.headers();
        assert_eq!(header(h, "x-content-type-options"), Some("nosniff"));
        assert_eq!(header(h, "cache-control"), Some("no-store"));
    }
}
