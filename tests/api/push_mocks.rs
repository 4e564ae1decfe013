//! The push services, mocked on loopback: FCM (its OAuth2 token endpoint and HTTP v1
//! messages:send, over HTTP/1) and APNs (HTTP/2 cleartext), each checking the credentials
//! the server signs with and recording what it received.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use aws_lc_rs::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
use serde_json::{json, Value};

/// One message FCM accepted or refused: the device token and the data.
#[derive(Clone, Debug)]
pub struct FcmMessage {
    pub token: String,
    pub data: Value,
}

#[derive(Default)]
struct FcmState {
    public_pem: String,
    token_uri: String,
    messages: Mutex<Vec<FcmMessage>>,
    token_requests: AtomicUsize,
    /// Sends answered 503 before one succeeds.
    failures: AtomicUsize,
    dead: Mutex<HashSet<String>>,
}

pub struct MockFcm {
    pub url: String,
    /// The service-account JSON to configure the platform application with.
    pub account: String,
    state: Arc<FcmState>,
}

const ACCESS_TOKEN: &str = "ya29.mock-access-token";

async fn fcm_token(
    state: web::Data<Arc<FcmState>>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    state.token_requests.fetch_add(1, Ordering::SeqCst);
    let field = |n: &str| form.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let grant = field("grant_type").unwrap_or_default();
    let assertion = field("assertion").unwrap_or_default();
    let key = DecodingKey::from_rsa_pem(state.public_pem.as_bytes()).unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[&state.token_uri]);
    let valid = jsonwebtoken::decode::<Value>(&assertion, &key, &validation);
    match valid {
        Ok(t)
            if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer"
                && t.claims["scope"] == "https://www.googleapis.com/auth/firebase.messaging"
                && t.claims["iss"] == "cognate@mock-project.iam.gserviceaccount.com" =>
        {
            HttpResponse::Ok().json(
                json!({"access_token": ACCESS_TOKEN, "expires_in": 3599, "token_type": "Bearer"}),
            )
        }
        _ => HttpResponse::BadRequest().json(json!({"error": "invalid_grant"})),
    }
}

async fn fcm_send(
    state: web::Data<Arc<FcmState>>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<Value>,
) -> HttpResponse {
    let bearer = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok());
    if bearer != Some(&format!("Bearer {ACCESS_TOKEN}")) || path.as_str() != "mock-project" {
        return HttpResponse::Unauthorized().json(json!({"error": {"status": "UNAUTHENTICATED"}}));
    }
    let token = body["message"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let message = FcmMessage {
        token: token.clone(),
        data: body["message"]["data"].clone(),
    };
    if state.dead.lock().unwrap().contains(&token) {
        state.messages.lock().unwrap().push(message);
        return HttpResponse::NotFound().json(json!({"error": {"code": 404, "status": "NOT_FOUND",
            "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": "UNREGISTERED"}]}}));
    }
    let failing = state.failures.load(Ordering::SeqCst);
    if failing > 0 {
        state.failures.store(failing - 1, Ordering::SeqCst);
        return HttpResponse::ServiceUnavailable().finish();
    }
    state.messages.lock().unwrap().push(message);
    HttpResponse::Ok().json(json!({"name": "projects/mock-project/messages/1"}))
}

fn pem_base64(der: &[u8], label: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

impl MockFcm {
    pub async fn start() -> MockFcm {
        let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
        let private_pem = key.to_pkcs8_pem(LineEnding::LF).unwrap().to_string();
        let public_pem = key
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let token_uri = format!("{url}/token");
        let state = Arc::new(FcmState {
            public_pem,
            token_uri: token_uri.clone(),
            ..Default::default()
        });
        let shared = web::Data::new(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(shared.clone())
                .route("/token", web::post().to(fcm_token))
                .route(
                    "/v1/projects/{project}/messages:send",
                    web::post().to(fcm_send),
                )
        })
        .workers(1)
        .listen(listener)
        .unwrap();
        tokio::spawn(server.run());
        let account = json!({
            "type": "service_account",
            "project_id": "mock-project",
            "private_key_id": "key-1",
            "private_key": private_pem,
            "client_email": "cognate@mock-project.iam.gserviceaccount.com",
            "token_uri": token_uri,
        })
        .to_string();
        MockFcm {
            url,
            account,
            state,
        }
    }

    pub fn messages(&self) -> Vec<FcmMessage> {
        self.state.messages.lock().unwrap().clone()
    }

    pub fn token_requests(&self) -> usize {
        self.state.token_requests.load(Ordering::SeqCst)
    }

    pub fn fail_next(&self, sends: usize) {
        self.state.failures.store(sends, Ordering::SeqCst);
    }

    pub fn unregister(&self, token: &str) {
        self.state.dead.lock().unwrap().insert(token.to_string());
    }
}

/// One push APNs received.
#[derive(Clone, Debug)]
pub struct ApnsPush {
    pub device_token: String,
    pub push_type: String,
    pub topic: String,
    pub body: Value,
}

struct ApnsState {
    public_key: Vec<u8>,
    /// Pushes come authenticated by a client certificate (over TLS in production; this
    /// cleartext mock cannot see it), with no provider token.
    certificates: bool,
    pushes: Mutex<Vec<ApnsPush>>,
    dead: Mutex<HashSet<String>>,
}

pub struct MockApns {
    pub url: String,
    pub key_pem: String,
    state: Arc<ApnsState>,
}

pub const APNS_KEY_ID: &str = "ABC123DEFG";
pub const APNS_TEAM_ID: &str = "TEAM123456";
pub const APNS_BUNDLE_ID: &str = "com.example.notes";

impl ApnsState {
    /// The status and body APNs answers a request with.
    fn answer(&self, parts: &http::request::Parts, body: &[u8]) -> (u16, String) {
        let header = |n: &str| {
            parts
                .headers
                .get(n)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let jwt = header("authorization")
            .strip_prefix("bearer ")
            .unwrap_or_default()
            .to_string();
        let mut validation = Validation::new(Algorithm::ES256);
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        let key = DecodingKey::from_ec_der(&self.public_key);
        let verified = jsonwebtoken::decode::<Value>(&jwt, &key, &validation);
        let trusted = match self.certificates {
            true => header("authorization").is_empty(),
            false => verified.is_ok_and(|t| {
                t.header.kid.as_deref() == Some(APNS_KEY_ID) && t.claims["iss"] == APNS_TEAM_ID
            }),
        };
        if !trusted {
            return (403, json!({"reason": "InvalidProviderToken"}).to_string());
        }
        let device_token = parts
            .uri
            .path()
            .strip_prefix("/3/device/")
            .unwrap_or_default()
            .to_string();
        if self.dead.lock().unwrap().contains(&device_token) {
            return (
                410,
                json!({"reason": "Unregistered", "timestamp": 1}).to_string(),
            );
        }
        self.pushes.lock().unwrap().push(ApnsPush {
            device_token,
            push_type: header("apns-push-type"),
            topic: header("apns-topic"),
            body: serde_json::from_slice(body).unwrap_or(Value::Null),
        });
        (200, String::new())
    }
}

async fn apns_connection(socket: tokio::net::TcpStream, state: Arc<ApnsState>) {
    let Ok(mut conn) = h2::server::handshake(socket).await else {
        return;
    };
    while let Some(Ok((request, mut respond))) = conn.accept().await {
        let state = state.clone();
        tokio::spawn(async move {
            let (parts, mut body) = request.into_parts();
            let mut bytes = Vec::new();
            while let Some(Ok(chunk)) = body.data().await {
                let _ = body.flow_control().release_capacity(chunk.len());
                bytes.extend_from_slice(&chunk);
            }
            let (status, reply) = state.answer(&parts, &bytes);
            let response = http::Response::builder().status(status).body(()).unwrap();
            let Ok(mut send) = respond.send_response(response, reply.is_empty()) else {
                return;
            };
            if !reply.is_empty() {
                let _ = send.send_data(bytes::Bytes::from(reply), true);
            }
        });
    }
}

impl MockApns {
    pub async fn start() -> MockApns {
        MockApns::start_with(false).await
    }

    /// An APNs for applications created with a certificate: pushes carry no provider token.
    pub async fn start_for_certificates() -> MockApns {
        MockApns::start_with(true).await
    }

    async fn start_with(certificates: bool) -> MockApns {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref()).unwrap();
        let state = Arc::new(ApnsState {
            public_key: pair.public_key().as_ref().to_vec(),
            certificates,
            pushes: Mutex::default(),
            dead: Mutex::default(),
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let serving = state.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(apns_connection(socket, serving.clone()));
            }
        });
        MockApns {
            url,
            key_pem: pem_base64(pkcs8.as_ref(), "PRIVATE KEY"),
            state,
        }
    }

    pub fn pushes(&self) -> Vec<ApnsPush> {
        self.state.pushes.lock().unwrap().clone()
    }

    pub fn unregister(&self, token: &str) {
        self.state.dead.lock().unwrap().insert(token.to_string());
    }
}

/// Waits (bounded, polling the condition) until `done` holds; panics with `what` if it never does.
pub async fn eventually<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..200 {
        if done().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("timed out waiting until {what}");
}
