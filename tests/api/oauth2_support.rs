//! What the OAuth2 tests share: a pool with an OAuth client, a browser-like HTTP client that
//! keeps cookies by hand and never follows redirects, and the hosted login walked through.

use aws_sdk_cognitoidentityprovider::types::{OAuthFlowType, ResourceServerScopeType};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::Digest;

use crate::common::*;

pub const CALLBACK: &str = "http://localhost:4200/callback";
pub const LOGOUT: &str = "http://localhost:4200/signed-out";

/// A pool with a resource server and a public code-flow client.
pub async fn oauth_pool(app: &TestApp) -> Pool {
    let pool = app.pool().await;
    app.idp
        .create_resource_server()
        .user_pool_id(&pool.pool_id)
        .identifier("orders")
        .name("orders")
        .scopes(
            ResourceServerScopeType::builder()
                .scope_name("read")
                .scope_description("read orders")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let client = app
        .client_for(&pool.pool_id, |c| {
            c.allowed_o_auth_flows_user_pool_client(true)
                .allowed_o_auth_flows(OAuthFlowType::Code)
                .allowed_o_auth_flows(OAuthFlowType::Implicit)
                .allowed_o_auth_scopes("openid")
                .allowed_o_auth_scopes("email")
                .allowed_o_auth_scopes("orders/read")
                .callback_urls(CALLBACK)
                .logout_urls(LOGOUT)
                .supported_identity_providers("COGNITO")
        })
        .await;
    Pool {
        pool_id: pool.pool_id,
        client_id: client.client_id.unwrap(),
    }
}

/// A browser without JavaScript: cookies kept by name, redirects reported, not followed.
pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
    pub cookies: Vec<(String, String)>,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: app.base.clone(),
            cookies: Vec::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, reply: &reqwest::Response) {
        for value in reply.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            self.cookies.retain(|(name, _)| name != k);
            if !v.is_empty() && !text.contains("Max-Age=0") {
                self.cookies.push((k.to_string(), v.to_string()));
            }
        }
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub async fn get(&mut self, path: &str) -> reqwest::Response {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        };
        let reply = self
            .http
            .get(url)
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.keep(&reply);
        reply
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let reply = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.keep(&reply);
        reply
    }
}

pub fn location(reply: &reqwest::Response) -> String {
    reply
        .headers()
        .get("location")
        .unwrap_or_else(|| panic!("a redirect, got {}", reply.status()))
        .to_str()
        .unwrap()
        .to_string()
}

/// The value of hidden field `name` in a page.
pub fn field(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page
        .find(&marker)
        .unwrap_or_else(|| panic!("{name} in {page}"))
        + marker.len();
    let end = page[start..].find('"').unwrap() + start;
    page[start..end]
        .replace("&#43;", "+")
        .replace("&#x2f;", "/")
        .replace("&#x3d;", "=")
}

/// The query parameter `name` of a URL.
pub fn param(url: &str, name: &str) -> Option<String> {
    let parsed = url::Url::parse(url).unwrap();
    let from_query = parsed
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned());
    from_query.or_else(|| {
        url::form_urlencoded::parse(parsed.fragment().unwrap_or_default().as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    })
}

/// A PKCE pair: (verifier, S256 challenge).
pub fn pkce() -> (String, String) {
    let verifier = format!(
        "verifier-{}-0123456789abcdefghijklmnop",
        uuid::Uuid::new_v4()
    );
    let challenge = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

pub fn authorize_query(pool: &Pool, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![
        ("response_type", "code"),
        ("client_id", pool.client_id.as_str()),
        ("redirect_uri", CALLBACK),
    ];
    pairs.extend_from_slice(extra);
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// From `/oauth2/authorize` to the login page's form: the page's HTML.
pub async fn open_login(browser: &mut Browser, query: &str) -> (String, String) {
    let reply = browser.get(&format!("/oauth2/authorize?{query}")).await;
    assert_eq!(reply.status(), 302);
    let login = location(&reply);
    assert!(login.starts_with("/login?"), "{login}");
    let page = browser.get(&login).await;
    assert_eq!(page.status(), 200);
    (login, page.text().await.unwrap())
}

/// Signs in on the login page; the reply to the form.
pub async fn submit_password(
    browser: &mut Browser,
    login: &str,
    page: &str,
    username: &str,
    password: &str,
) -> reqwest::Response {
    let csrf = field(page, "_csrf");
    browser
        .post(
            login,
            &[
                ("_csrf", &csrf),
                ("username", username),
                ("password", password),
            ],
        )
        .await
}

/// The whole hosted login with PKCE: the code the app receives and the PKCE verifier.
pub async fn code_login(
    app: &TestApp,
    browser: &mut Browser,
    pool: &Pool,
    user: &str,
) -> (String, String) {
    let (verifier, challenge) = pkce();
    let query = authorize_query(
        pool,
        &[
            ("scope", "openid email orders/read"),
            ("state", "st-1"),
            ("nonce", "n-0S6"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    );
    let (login, page) = open_login(browser, &query).await;
    let reply = submit_password(browser, &login, &page, user, PASSWORD).await;
    let to = location(&reply);
    assert!(to.starts_with(CALLBACK), "{to}");
    assert_eq!(param(&to, "state").as_deref(), Some("st-1"));
    let _ = app;
    (param(&to, "code").expect("a code"), verifier)
}

/// Exchanges a code at the token endpoint.
pub async fn exchange(app: &TestApp, pool: &Pool, code: &str, verifier: &str) -> reqwest::Response {
    app.http
        .post(format!("{}/oauth2/token", app.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", pool.client_id.as_str()),
            ("code", code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .unwrap()
}
