//! The sync WebSockets are routed per identity: a change reaches only its identity's
//! sockets, and a socket whose client stops reading is closed with 1013 (try again later)
//! once its queue is full, while the identity's other sockets keep receiving.

use std::time::Duration;

use futures_util::StreamExt;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::MaybeTlsStream;

use crate::common::*;
use crate::push_mocks::*;
use crate::push_setup::*;
use crate::push_ws::*;

/// The value of one sample of `/metrics`.
async fn metric(app: &TestApp, name: &str) -> f64 {
    let text = app
        .http
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in /metrics"))
}

/// A socket whose client reads as little as the kernel allows: a tiny receive buffer, so
/// that the server's writes stall soon once the test stops reading it.
async fn stalled_socket(url: &str) -> Socket {
    let address = url
        .trim_start_matches("ws://")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let tcp = tokio::net::TcpSocket::new_v4().unwrap();
    tcp.set_recv_buffer_size(4096).unwrap();
    let stream = tcp.connect(address).await.unwrap();
    let (socket, _) = tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(stream))
        .await
        .expect("the socket opens");
    socket
}

#[tokio::test]
async fn a_socket_that_stops_reading_is_closed_with_1013_and_its_siblings_keep_receiving() {
    const BURST: i64 = 8;
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let app = push_app_with(&fcm, &apns, |c| Config {
        push_socket_queue: 2 * BURST as usize,
        // Small, so that the stalled client's connection fills after kilobytes.
        http_send_buffer: Some(4096),
        ..c
    })
    .await;
    let db = app.db().await;
    let (pool, identity) = pool_and_identity(&app, &db, &[]).await;
    let who = (pool.as_str(), identity.as_str());
    // The longest dataset name makes each SyncTrigger as large as it gets.
    let dataset = "n".repeat(128);
    let writer = device(&db, who, "GCM", "writer", &[&dataset]).await;
    let reading = device(&db, who, "GCM", "reading", &[&dataset]).await;
    let stalling = device(&db, who, "GCM", "stalling", &[&dataset]).await;
    let creds = credentials(&app, &pool, &identity).await;
    let url = |device: &str| presigned(&app.base, &creds, &query(&pool, &identity, device));
    let (mut reader, _) = tokio_tungstenite::connect_async(url(&reading))
        .await
        .unwrap();
    let mut stalled = stalled_socket(&url(&stalling)).await;
    assert_eq!(metric(&app, "cognate_sync_websockets").await, 2.0);

    // Bursts of changes, each read in full by one socket and not at all by the other, until
    // the stalled one's queue overflows.
    let mut count = 0;
    for _ in 0..100 {
        for _ in 0..BURST {
            count += 1;
            change(&db, who, &dataset, count, Some(&writer)).await;
        }
        for expected in count - BURST + 1..=count {
            assert_eq!(
                next_trigger(&mut reader).await["data"]["syncCount"],
                expected
            );
        }
        if metric(&app, "cognate_sync_websockets_fell_behind_total").await >= 1.0 {
            break;
        }
    }
    assert_eq!(
        metric(&app, "cognate_sync_websockets_fell_behind_total").await,
        1.0,
        "only the stalled socket fell behind, after {count} changes"
    );
    eprintln!("the stalled socket fell behind after {count} changes");
    assert_eq!(
        metric(&app, "cognate_sync_websockets").await,
        1.0,
        "it left the registry"
    );
    // The reading socket is unaffected.
    change(&db, who, &dataset, count + 1, Some(&writer)).await;
    assert_eq!(
        next_trigger(&mut reader).await["data"]["syncCount"],
        count + 1
    );

    // The stalled socket gets what was queued for it, in order and without a gap, then the
    // close that tells its client to reconnect and pull.
    let mut received = 0;
    let close = loop {
        let message = tokio::time::timeout(Duration::from_secs(5), stalled.next())
            .await
            .expect("the stalled socket is drained and closed")
            .expect("a close frame before the end")
            .unwrap();
        match message {
            Message::Text(text) => {
                let trigger: serde_json::Value = serde_json::from_str(&text).unwrap();
                received += 1;
                assert_eq!(trigger["data"]["syncCount"], received, "no gap");
            }
            Message::Close(frame) => break frame.expect("a close code"),
            _ => {}
        }
    };
    assert_eq!(close.code, CloseCode::Again, "1013: try again later");
    assert!(
        received < count,
        "it missed changes ({received} of {count})"
    );
    assert_eq!(metric(&app, "cognate_sync_websockets").await, 1.0);
}

#[tokio::test]
async fn a_socket_receives_nothing_of_another_identitys_changes() {
    let (fcm, apns) = (MockFcm::start().await, MockApns::start().await);
    let app = push_app(&fcm, &apns, false).await;
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
    let (me, them) = (
        (pool.as_str(), mine.as_str()),
        (pool.as_str(), theirs.as_str()),
    );
    let my_phone = device(&db, me, "GCM", "my-phone", &["notes"]).await;
    let their_phone = device(&db, them, "GCM", "their-phone", &["notes"]).await;
    let their_laptop = device(&db, them, "GCM", "their-laptop", &["notes"]).await;
    let creds = credentials(&app, &pool, &mine).await;
    let url = presigned(&app.base, &creds, &query(&pool, &mine, &my_phone));
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let their_creds = credentials(&app, &pool, &theirs).await;
    let their_url = presigned(
        &app.base,
        &their_creds,
        &query(&pool, &theirs, &their_phone),
    );
    let (mut their_socket, _) = tokio_tungstenite::connect_async(their_url).await.unwrap();

    // Their changes reach their socket and not mine; my change is the first mine receives.
    for count in 1..=3 {
        change(&db, them, "notes", count, Some(&their_laptop)).await;
    }
    assert_eq!(
        next_trigger(&mut their_socket).await["data"]["syncCount"],
        1
    );
    change(&db, me, "notes", 1, None).await;
    let trigger = next_trigger(&mut socket).await;
    assert_eq!(trigger["data"]["identityId"], mine.as_str());
    assert_eq!(trigger["data"]["syncCount"], 1);
    for count in 2..=3 {
        let trigger = next_trigger(&mut their_socket).await;
        assert_eq!(trigger["data"]["identityId"], theirs.as_str());
        assert_eq!(trigger["data"]["syncCount"], count);
    }
}
