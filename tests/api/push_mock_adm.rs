//! Amazon Device Messaging, mocked on loopback: its OAuth2 token endpoint (client
//! credentials) and its send endpoint, checking the headers ADM requires and recording what
//! it received; registration ids marked dead are answered `Unregistered`.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::{json, Value};

pub const ADM_CLIENT_ID: &str = "amzn1.application-oa2-client.mock";
pub const ADM_CLIENT_SECRET: &str = "mock-client-secret";
const ACCESS_TOKEN: &str = "Atc|mock-adm-access-token";

/// One message ADM accepted: the registration id and the data.
#[derive(Clone, Debug)]
pub struct AdmMessage {
    pub registration_id: String,
    pub data: Value,
}

#[derive(Default)]
struct AdmState {
    messages: Mutex<Vec<AdmMessage>>,
    token_requests: AtomicUsize,
    dead: Mutex<HashSet<String>>,
    refused: Mutex<Vec<String>>,
}

pub struct MockAdm {
    pub url: String,
    state: Arc<AdmState>,
}

async fn adm_token(
    state: web::Data<Arc<AdmState>>,
    form: web::Form<Vec<(String, String)>>,
) -> HttpResponse {
    state.token_requests.fetch_add(1, Ordering::SeqCst);
    let field = |n: &str| form.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    let valid = field("grant_type") == Some("client_credentials")
        && field("scope") == Some("messaging:push")
        && field("client_id") == Some(ADM_CLIENT_ID)
        && field("client_secret") == Some(ADM_CLIENT_SECRET);
    if !valid {
        return HttpResponse::BadRequest().json(json!({"error": "invalid_client"}));
    }
    HttpResponse::Ok().json(json!({
        "access_token": ACCESS_TOKEN,
        "expires_in": 3600,
        "scope": "messaging:push",
        "token_type": "bearer",
    }))
}

async fn adm_send(
    state: web::Data<Arc<AdmState>>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<Value>,
) -> HttpResponse {
    let header = |n: &str| req.headers().get(n).and_then(|v| v.to_str().ok());
    if header("authorization") != Some(&format!("Bearer {ACCESS_TOKEN}")) {
        return HttpResponse::Unauthorized().json(json!({"reason": "AccessTokenExpired"}));
    }
    let typed = header("x-amzn-type-version") == Some("com.amazon.device.messaging.ADMMessage@1.0")
        && header("x-amzn-accept-type") == Some("com.amazon.device.messaging.ADMSendResult@1.0");
    if !typed {
        return HttpResponse::BadRequest().json(json!({"reason": "InvalidType"}));
    }
    let registration_id = path.into_inner();
    if state.dead.lock().unwrap().contains(&registration_id) {
        state.refused.lock().unwrap().push(registration_id);
        return HttpResponse::BadRequest().json(json!({"reason": "Unregistered"}));
    }
    state.messages.lock().unwrap().push(AdmMessage {
        registration_id: registration_id.clone(),
        data: body["data"].clone(),
    });
    HttpResponse::Ok().json(json!({ "registrationID": registration_id }))
}

impl MockAdm {
    pub async fn start() -> MockAdm {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(AdmState::default());
        let shared = web::Data::new(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(shared.clone())
                .route("/auth/o2/token", web::post().to(adm_token))
                .route(
                    "/messaging/registrations/{id}/messages",
                    web::post().to(adm_send),
                )
        })
        .workers(1)
        .listen(listener)
        .unwrap();
        tokio::spawn(server.run());
        MockAdm { url, state }
    }

    pub fn messages(&self) -> Vec<AdmMessage> {
        self.state.messages.lock().unwrap().clone()
    }

    pub fn token_requests(&self) -> usize {
        self.state.token_requests.load(Ordering::SeqCst)
    }

    /// The registration ids answered `Unregistered`, once per attempt.
    pub fn refused(&self) -> Vec<String> {
        self.state.refused.lock().unwrap().clone()
    }

    pub fn unregister(&self, registration_id: &str) {
        let mut dead = self.state.dead.lock().unwrap();
        dead.insert(registration_id.to_string());
    }
}
