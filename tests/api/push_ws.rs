//! The sync WebSocket: opened with a URL presigned with the identity's temporary
//! credentials, it receives the SyncTrigger of every change to a dataset its device is
//! subscribed to, live, on every instance sharing the database.

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    sign, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use futures_util::StreamExt;
use serde_json::Value;
use tokio_tungstenite::tungstenite::Message;

use crate::common::*;
use crate::push_mocks::*;
use crate::push_setup::*;

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A guest identity's temporary credentials (key, secret, session token).
pub async fn credentials(app: &TestApp, pool: &str, identity: &str) -> (String, String, String) {
    app.default_roles(pool).await;
    let c = app
        .identity()
        .get_credentials_for_identity()
        .identity_id(identity)
        .send()
        .await
        .unwrap()
        .credentials
        .unwrap();
    (
        c.access_key_id.unwrap(),
        c.secret_key.unwrap(),
        c.session_token.unwrap(),
    )
}

/// The WebSocket URL of `base`, presigned with `creds` for cognito-sync.
pub fn presigned(base: &str, creds: &(String, String, String), query: &str) -> String {
    let identity = aws_credential_types::Credentials::new(
        &creds.0,
        &creds.1,
        Some(creds.2.clone()),
        None,
        "test",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(Duration::from_secs(300));
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("cognito-sync")
        .time(SystemTime::now())
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let url = format!("{base}/_cognate/sync/ws?{query}");
    let host = base.trim_start_matches("http://").to_string();
    let headers = [("host", host.as_str())];
    let signable =
        SignableRequest::new("GET", &url, headers.into_iter(), SignableBody::Bytes(&[])).unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut request = http::Request::builder().uri(&url).body(()).unwrap();
    instructions.apply_to_request_http1x(&mut request);
    request.uri().to_string().replacen("http://", "ws://", 1)
}

pub fn query(pool: &str, identity: &str, device: &str) -> String {
    let enc = |s: &str| s.replace(':', "%3A");
    format!(
        "IdentityPoolId={}&IdentityId={}&DeviceId={device}",
        enc(pool),
        enc(identity)
    )
}

/// The next text message, within five seconds.
pub async fn next_trigger(socket: &mut Socket) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("a push within five seconds")
            .expect("the socket is open")
            .unwrap();
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).unwrap();
        }
    }
}

#[tokio::test]
async fn a_websocket_receives_the_sync_trigger_live() {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let app = push_app(&fcm, &apns, true).await;
    let db = app.db().await;
    let (pool, identity) = pool_and_identity(&app, &db, &[]).await;
    let who = (pool.as_str(), identity.as_str());
    let browser = device(&db, who, "GCM", "browser", &["notes"]).await;
    let phone = device(&db, who, "GCM", "phone", &["notes", "photos"]).await;
    let creds = credentials(&app, &pool, &identity).await;
    let url = presigned(&app.base, &creds, &query(&pool, &identity, &browser));
    let (mut socket, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("the socket opens");

    // Its own write, and a dataset it does not follow, are not pushed to it.
    change(&db, who, "notes", 1, Some(&browser)).await;
    change(&db, who, "photos", 1, Some(&phone)).await;
    change(&db, who, "notes", 2, Some(&phone)).await;
    let trigger = next_trigger(&mut socket).await;
    let data = &trigger["data"];
    assert_eq!(data["source"], "cognito-sync");
    assert_eq!(data["type"], "SyncTrigger");
    assert_eq!(data["identityPoolId"], pool.as_str());
    assert_eq!(data["identityId"], identity.as_str());
    assert_eq!(data["datasetName"], "notes");
    assert_eq!(data["syncCount"], 2);
}

#[tokio::test]
async fn a_websocket_for_another_identity_is_refused() {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let app = push_app(&fcm, &apns, true).await;
    let db = app.db().await;
    let (pool, mine) = pool_and_identity(&app, &db, &[]).await;
    let theirs = app
        .identity()
        .get_id()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    let creds = credentials(&app, &pool, &mine).await;
    let their_device = device(&db, (&pool, &theirs), "GCM", "theirs", &["notes"]).await;
    let url = presigned(&app.base, &creds, &query(&pool, &theirs, &their_device));
    match tokio_tungstenite::connect_async(url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403)
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // Nor may it speak for another identity's device under its own identity.
    let url = presigned(&app.base, &creds, &query(&pool, &mine, &their_device));
    match tokio_tungstenite::connect_async(url).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 400)
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // An unsigned URL is refused too.
    let bare = format!(
        "{}/_cognate/sync/ws?{}",
        app.base.replacen("http://", "ws://", 1),
        query(&pool, &mine, &their_device)
    );
    assert!(tokio_tungstenite::connect_async(bare).await.is_err());
}

/// Two instances on one database (PostgreSQL: LISTEN/NOTIFY; SQLite: each instance follows
/// the shared changes log): an UpdateRecords through the first reaches the sockets of both,
/// and the two outbox workers deliver the FCM push exactly once.
#[tokio::test]
async fn two_instances_on_one_database_both_push_live() {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let first = push_app(&fcm, &apns, true).await;
    let second = Application::build(first.config.clone())
        .await
        .expect("a second instance");
    let second_base = second.public_url().to_string();
    tokio::spawn(second.run_until_stopped());
    let gcm = gcm_application(&sns_client(&first), &fcm, "android").await;
    let db = first.db().await;
    let (pool, identity) = pool_and_identity(&first, &db, &[&gcm]).await;
    let who = (pool.as_str(), identity.as_str());
    let laptop = device(&db, who, "GCM", "laptop", &["notes"]).await;
    let phone = device(&db, who, "GCM", "phone", &["notes"]).await;
    let creds = credentials(&first, &pool, &identity).await;
    let on_first = presigned(&first.base, &creds, &query(&pool, &identity, &laptop));
    let on_second = presigned(&second_base, &creds, &query(&pool, &identity, &phone));
    let (mut a, _) = tokio_tungstenite::connect_async(on_first).await.unwrap();
    let (mut b, _) = tokio_tungstenite::connect_async(on_second).await.unwrap();
    let writer = first.device(&identity).await;
    writer
        .push(&pool, "notes", vec![put("title", "hello", 0)])
        .await
        .unwrap();
    assert_eq!(next_trigger(&mut a).await["data"]["syncCount"], 1);
    assert_eq!(next_trigger(&mut b).await["data"]["syncCount"], 1);
    eventually("both devices got their FCM push", || async {
        fcm.messages().len() >= 2 && first.sql_i64("SELECT COUNT(*) FROM push_outbox").await == 0
    })
    .await;
    let mut tokens: Vec<String> = fcm.messages().into_iter().map(|m| m.token).collect();
    tokens.sort();
    assert_eq!(
        tokens,
        ["laptop", "phone"],
        "exactly once each, with two workers"
    );
}
