//! Upstream identity providers on loopback, started by the tests: an OpenID provider
//! (discovery, authorize, token with PKCE, JWKS, userinfo) and a Facebook-style provider
//! (dialog, access_token, graph `me` and `app`). Each records what it was asked.
//! Shared with the browser tests (tests/browser), which include this file by path.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};
use sha2::Digest;

use crate::common::TestApp;

pub const CLIENT_ID: &str = "upstream-client";
pub const CLIENT_SECRET: &str = "upstream-secret";
pub const FACEBOOK_APP: &str = "424242";

/// What the mock signs in as next, and what it saw.
#[derive(Default)]
pub struct Seen {
    /// The claims of the user who signs in at the next authorize (OIDC) or dialog (Facebook).
    pub user: Value,
    /// When set, the next authorize answers with this error instead of a code.
    pub refuse: Option<String>,
    /// When set, the token endpoint answers 400.
    pub token_fails: bool,
    /// When set, authorize shows a page whose "Allow" button the user presses (as a browser
    /// does), instead of sending the browser back at once.
    pub consent: bool,
    /// Every authorize request's query.
    pub authorize: Vec<HashMap<String, String>>,
    /// Every token request's form.
    pub token: Vec<HashMap<String, String>>,
    codes: HashMap<String, (Value, HashMap<String, String>)>,
    access: HashMap<String, Value>,
}

struct Shared {
    seen: Mutex<Seen>,
    pem: String,
    jwks: Value,
    base: Mutex<String>,
}

pub struct Upstream {
    pub base: String,
    shared: Arc<Shared>,
}

impl Upstream {
    pub fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.shared.seen.lock().unwrap()
    }

    pub fn sign_in_as(&self, user: Value) {
        self.seen().user = user;
    }

    /// An ID token of this provider for `aud`, with `claims` (iss, aud, exp, iat added).
    pub fn id_token(&self, iss: &str, aud: &str, claims: Value) -> String {
        sign(&self.shared.pem, iss, aud, claims)
    }

    /// A Facebook-style access token for `user` (a graph `me` object).
    pub fn facebook_token(&self, user: Value) -> String {
        let token = format!("fb-{}", uuid::Uuid::new_v4().simple());
        self.seen().access.insert(token.clone(), user);
        token
    }
}

fn sign(pem: &str, iss: &str, aud: &str, claims: Value) -> String {
    let now = chrono_now();
    let mut body = json!({"iss": iss, "aud": aud, "iat": now, "exp": now + 600});
    for (k, v) in claims.as_object().unwrap() {
        body[k] = v.clone();
    }
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some("mock-key".into());
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
    jsonwebtoken::encode(&header, &body, &key).unwrap()
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

type Data = web::Data<Arc<Shared>>;
type Query = web::Query<HashMap<String, String>>;

async fn discovery(data: Data) -> HttpResponse {
    let base = data.base.lock().unwrap().clone();
    HttpResponse::Ok().json(json!({
        "issuer": base,
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "userinfo_endpoint": format!("{base}/userinfo"),
        "jwks_uri": format!("{base}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn serve_jwks(data: Data) -> HttpResponse {
    HttpResponse::Ok().json(data.jwks.clone())
}

fn back(q: &HashMap<String, String>, pairs: &[(&str, &str)]) -> HttpResponse {
    let mut url = url::Url::parse(&q["redirect_uri"]).unwrap();
    url.query_pairs_mut().extend_pairs(pairs);
    HttpResponse::Found()
        .insert_header(("location", url.to_string()))
        .finish()
}

/// Both providers' authorize pages: the user signs in at once (or refuses), or, with
/// `consent` set, once they press "Allow" on the page.
async fn authorize(data: Data, q: Query) -> HttpResponse {
    let consent = {
        let mut seen = data.seen.lock().unwrap();
        seen.authorize.push(q.0.clone());
        seen.consent
    };
    if consent {
        return consent_page(&q);
    }
    answer(&data, &q)
}

/// The "Allow" button's target.
async fn allow(data: Data, q: Query) -> HttpResponse {
    answer(&data, &q)
}

fn answer(data: &Data, q: &HashMap<String, String>) -> HttpResponse {
    let mut seen = data.seen.lock().unwrap();
    let state = q.get("state").cloned().unwrap_or_default();
    if let Some(error) = seen.refuse.take() {
        return back(q, &[("error", &error), ("state", &state)]);
    }
    let code = format!("code-{}", uuid::Uuid::new_v4().simple());
    let user = seen.user.clone();
    seen.codes.insert(code.clone(), (user, q.clone()));
    back(q, &[("code", &code), ("state", &state)])
}

/// A form that carries the authorize query to `/allow`.
fn consent_page(q: &HashMap<String, String>) -> HttpResponse {
    let escape = |v: &str| {
        v.replace('&', "&amp;")
            .replace('"', "&quot;")
            .replace('<', "&lt;")
    };
    let fields: String = q
        .iter()
        .map(|(k, v)| {
            format!(
                r#"<input type="hidden" name="{}" value="{}">"#,
                escape(k),
                escape(v)
            )
        })
        .collect();
    HttpResponse::Ok().content_type("text/html").body(format!(
        r#"<!doctype html><title>Mock provider</title><h1 id="mock-provider">Mock provider</h1>
<form method="get" action="/allow">{fields}<button id="allow" type="submit">Allow</button></form>"#
    ))
}

fn basic_or_form(req: &HttpRequest, form: &HashMap<String, String>) -> (String, String) {
    let basic = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|p| {
            p.split_once(':')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        });
    basic.unwrap_or_else(|| {
        (
            form.get("client_id").cloned().unwrap_or_default(),
            form.get("client_secret").cloned().unwrap_or_default(),
        )
    })
}

/// The OpenID token endpoint: client authenticated, the code once, PKCE S256 checked.
async fn token(
    req: HttpRequest,
    data: Data,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let base = data.base.lock().unwrap().clone();
    let mut seen = data.seen.lock().unwrap();
    seen.token.push(form.0.clone());
    let refused = HttpResponse::BadRequest().json(json!({"error": "invalid_grant"}));
    if seen.token_fails || basic_or_form(&req, &form) != (CLIENT_ID.into(), CLIENT_SECRET.into()) {
        return refused;
    }
    let Some((user, asked)) = form.get("code").and_then(|c| seen.codes.remove(c)) else {
        return refused;
    };
    let verifier = form.get("code_verifier").cloned().unwrap_or_default();
    let challenge = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    if asked.get("code_challenge") != Some(&challenge)
        || form.get("redirect_uri") != asked.get("redirect_uri")
    {
        return refused;
    }
    let mut claims = user.clone();
    claims["nonce"] = json!(asked.get("nonce"));
    let id_token = sign(&data.pem, &base, CLIENT_ID, claims);
    let access = format!("at-{}", uuid::Uuid::new_v4().simple());
    seen.access.insert(access.clone(), user);
    HttpResponse::Ok().json(json!({
        "access_token": access, "token_type": "Bearer", "expires_in": 3600, "id_token": id_token,
    }))
}

fn bearer_user(req: &HttpRequest, q: &HashMap<String, String>, data: &Data) -> Option<Value> {
    let header = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(String::from);
    let token = header.or_else(|| q.get("access_token").cloned())?;
    data.seen.lock().unwrap().access.get(&token).cloned()
}

async fn userinfo(req: HttpRequest, data: Data, q: Query) -> HttpResponse {
    match bearer_user(&req, &q, &data) {
        Some(user) => HttpResponse::Ok().json(json!({
            "sub": user["sub"], "department": "engineering",
        })),
        None => HttpResponse::Unauthorized().finish(),
    }
}

/// Facebook's token endpoint: a GET with the app's id and secret in the query.
async fn facebook_token(data: Data, q: Query) -> HttpResponse {
    let mut seen = data.seen.lock().unwrap();
    seen.token.push(q.0.clone());
    let ok = q.get("client_id").map(String::as_str) == Some(FACEBOOK_APP)
        && q.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET);
    let Some((user, _)) = q
        .get("code")
        .and_then(|c| seen.codes.remove(c))
        .filter(|_| ok)
    else {
        return HttpResponse::BadRequest().json(json!({"error": {"message": "bad code"}}));
    };
    let access = format!("fb-{}", uuid::Uuid::new_v4().simple());
    seen.access.insert(access.clone(), user);
    HttpResponse::Ok()
        .json(json!({"access_token": access, "token_type": "bearer", "expires_in": 5000}))
}

/// Graph `me`: the fields asked for, of the token's user.
async fn me(req: HttpRequest, data: Data, q: Query) -> HttpResponse {
    let Some(user) = bearer_user(&req, &q, &data) else {
        return HttpResponse::BadRequest()
            .json(json!({"error": {"message": "Invalid OAuth access token."}}));
    };
    let fields = q.get("fields").cloned().unwrap_or("id".into());
    let mut out = serde_json::Map::new();
    for f in fields.split(',') {
        if let Some(v) = user.get(f) {
            out.insert(f.to_string(), v.clone());
        }
    }
    HttpResponse::Ok().json(Value::Object(out))
}

/// Graph `app`: the app a token was issued to.
async fn app(req: HttpRequest, data: Data, q: Query) -> HttpResponse {
    match bearer_user(&req, &q, &data) {
        Some(_) => HttpResponse::Ok().json(json!({"id": FACEBOOK_APP})),
        None => HttpResponse::BadRequest()
            .json(json!({"error": {"message": "Invalid OAuth access token."}})),
    }
}

fn key_pair() -> (String, Value) {
    let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
    let pem = key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
    let n = URL_SAFE_NO_PAD.encode(key.n().to_bytes_be());
    let e = URL_SAFE_NO_PAD.encode(key.e().to_bytes_be());
    let jwks = json!({"keys": [{"kty": "RSA", "kid": "mock-key", "use": "sig", "alg": "RS256", "n": n, "e": e}]});
    (pem, jwks)
}

/// Both providers on one loopback port.
pub async fn start() -> Upstream {
    let (pem, jwks) = key_pair();
    let shared = Arc::new(Shared {
        seen: Mutex::new(Seen::default()),
        pem,
        jwks,
        base: Mutex::new(String::new()),
    });
    let data = web::Data::new(shared.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route(
                "/.well-known/openid-configuration",
                web::get().to(discovery),
            )
            .route("/jwks", web::get().to(serve_jwks))
            .route("/authorize", web::get().to(authorize))
            .route("/allow", web::get().to(allow))
            .route("/token", web::post().to(token))
            .route("/userinfo", web::get().to(userinfo))
            .route("/dialog/oauth", web::get().to(authorize))
            .route("/oauth/access_token", web::get().to(facebook_token))
            .route("/me", web::get().to(me))
            .route("/app", web::get().to(app))
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let base = format!("http://127.0.0.1:{}", server.addrs()[0].port());
    *shared.base.lock().unwrap() = base.clone();
    tokio::spawn(server.run());
    Upstream { base, shared }
}

/// An OIDC provider `Corp` (discovery at `up`, `email`, `name` and the userinfo's
/// `department` as `nickname` mapped, identifier `corp.example.com`) and a Facebook provider
/// whose endpoints are `up`'s, in `pool_id`.
pub async fn add_providers(app: &TestApp, up: &Upstream, pool_id: &str) {
    app.idp
        .create_identity_provider()
        .user_pool_id(pool_id)
        .provider_name("Corp")
        .provider_type("OIDC".into())
        .provider_details("client_id", CLIENT_ID)
        .provider_details("client_secret", CLIENT_SECRET)
        .provider_details("authorize_scopes", "openid email profile")
        .provider_details("oidc_issuer", &up.base)
        .provider_details("attributes_request_method", "GET")
        .attribute_mapping("email", "email")
        .attribute_mapping("name", "name")
        .attribute_mapping("nickname", "department")
        .idp_identifiers("corp.example.com")
        .send()
        .await
        .unwrap();
    app.idp
        .create_identity_provider()
        .user_pool_id(pool_id)
        .provider_name("Facebook")
        .provider_type("Facebook".into())
        .provider_details("client_id", FACEBOOK_APP)
        .provider_details("client_secret", CLIENT_SECRET)
        .provider_details("authorize_scopes", "public_profile,email")
        .provider_details("authorize_url", format!("{}/dialog/oauth", up.base))
        .provider_details("token_url", format!("{}/oauth/access_token", up.base))
        .provider_details("attributes_url", format!("{}/me?fields=", up.base))
        .attribute_mapping("email", "email")
        .attribute_mapping("name", "name")
        .send()
        .await
        .unwrap();
}
