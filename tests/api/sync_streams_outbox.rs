//! Cognito Streams through the durable stream outbox: a change is enqueued in its write's
//! transaction and reaches the sink exactly once, after retries when the sink is down and
//! after a restart when the server stopped first; BulkPublish stays IN_PROGRESS until every
//! dataset it enqueued is delivered, and is FAILED when one is given up.

use std::sync::{Arc, Mutex};

use actix_web::{web, App, HttpResponse, HttpServer};
use aws_sdk_cognitosync as cs;
use cs::types::{CognitoStreams, StreamingStatus};
use serde_json::Value;

use crate::common::*;
use crate::push_mocks::eventually;

const STREAM: &str = "sync-events";

#[derive(Default)]
struct SinkState {
    /// Requests to answer 500 before accepting again.
    fail_next: usize,
    /// Answer 500 to everything while set.
    down: bool,
    requests: usize,
    accepted: Vec<Value>,
}

/// A stream sink that can be down (500) for a while, keeping what it accepted.
struct Sink {
    url: String,
    state: Arc<Mutex<SinkState>>,
}

impl Sink {
    async fn start() -> Sink {
        let state = Arc::new(Mutex::new(SinkState::default()));
        let shared = web::Data::from(state.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(shared.clone())
                .default_service(web::to(answer))
        })
        .workers(1)
        .bind("127.0.0.1:0")
        .unwrap();
        let port = server.addrs()[0].port();
        tokio::spawn(server.run());
        Sink {
            url: format!("http://127.0.0.1:{port}/records"),
            state,
        }
    }

    fn fail_next(&self, n: usize) {
        self.state.lock().unwrap().fail_next = n;
    }

    fn set_down(&self, down: bool) {
        self.state.lock().unwrap().down = down;
    }

    fn requests(&self) -> usize {
        self.state.lock().unwrap().requests
    }

    fn accepted(&self) -> Vec<Value> {
        self.state.lock().unwrap().accepted.clone()
    }
}

async fn answer(body: web::Bytes, state: web::Data<Mutex<SinkState>>) -> HttpResponse {
    let mut state = state.lock().unwrap();
    state.requests += 1;
    if state.down || state.fail_next > 0 {
        state.fail_next = state.fail_next.saturating_sub(1);
        return HttpResponse::InternalServerError().finish();
    }
    state
        .accepted
        .push(serde_json::from_slice(&body).unwrap_or(Value::Null));
    HttpResponse::Ok().finish()
}

/// A server streaming to `sink`, looking for due rows every 50 ms.
async fn stream_app(sink: &Sink, worker: bool) -> TestApp {
    let url = sink.url.clone();
    spawn_with(move |c| Config {
        sync_stream_urls: [(STREAM.to_string(), url)].into(),
        push_worker: worker,
        push_poll_ms: 50,
        ..c
    })
    .await
}

async fn enable_stream(app: &TestApp, pool: &str) {
    let streams = CognitoStreams::builder()
        .stream_name(STREAM)
        .role_arn("arn:aws:iam::000000000000:role/CognitoStreams")
        .streaming_status(StreamingStatus::Enabled)
        .build();
    app.sync_admin()
        .set_identity_pool_configuration()
        .identity_pool_id(pool)
        .cognito_streams(streams)
        .send()
        .await
        .unwrap();
}

async fn outbox_rows(app: &TestApp) -> i64 {
    app.sql_i64("SELECT COUNT(*) FROM stream_outbox").await
}

async fn bulk_details(app: &TestApp, pool: &str) -> (String, Option<String>, bool) {
    let details = app
        .sync_admin()
        .get_bulk_publish_details()
        .identity_pool_id(pool)
        .send()
        .await
        .unwrap();
    let status = details.bulk_publish_status().unwrap().as_str().to_string();
    let done = details.bulk_publish_complete_time().is_some();
    (status, details.failure_message().map(str::to_string), done)
}

#[tokio::test]
async fn a_sink_that_fails_then_recovers_gets_the_change_exactly_once() {
    let sink = Sink::start().await;
    sink.fail_next(1);
    let app = stream_app(&sink, true).await;
    let pool = app.sync_pool().await;
    enable_stream(&app, &pool).await;
    let id = app.guest(&pool).await;
    let phone = app.device(&id).await;
    phone
        .push(&pool, "prefs", vec![put("theme", "dark", 0)])
        .await
        .unwrap();
    eventually("the failed attempt is recorded", || async {
        app.sql_i64(
            "SELECT COUNT(*) FROM stream_outbox WHERE attempts = 1 \
             AND last_error IS NOT NULL AND claimed_until = 0",
        )
        .await
            == 1
    })
    .await;
    let wait = app
        .sql_i64("SELECT next_attempt_at - created_at FROM stream_outbox")
        .await;
    assert!(wait >= 2_000, "the retry waits: {wait} ms");
    assert!(sink.accepted().is_empty());
    assert_eq!(sink.requests(), 1);
    // A refused write enqueues nothing.
    let stale = phone
        .push(&pool, "prefs", vec![put("theme", "light", 0)])
        .await
        .unwrap_err();
    assert_eq!(code(&stale), "ResourceConflictException");
    assert_eq!(outbox_rows(&app).await, 1);

    app.sql("UPDATE stream_outbox SET next_attempt_at = 0")
        .await;
    eventually("the retry delivered and the outbox is empty", || async {
        sink.accepted().len() == 1 && outbox_rows(&app).await == 0
    })
    .await;
    let record = &sink.accepted()[0];
    assert_eq!(record["identityId"], id.as_str());
    assert_eq!(record["dataSetName"], "prefs");
    assert_eq!(record["kinesisSyncRecords"][0]["value"], "dark");
    // A later change is delivered at once, and nothing twice.
    phone
        .push(&pool, "prefs", vec![put("theme", "light", 1)])
        .await
        .unwrap();
    eventually("the next change arrived", || async {
        sink.accepted().len() == 2 && outbox_rows(&app).await == 0
    })
    .await;
    assert_eq!(sink.accepted()[1]["syncCount"], 2);
    assert_eq!(sink.requests(), 3, "one failure, then each record once");
}

#[tokio::test]
async fn a_change_written_before_a_stop_is_streamed_after_restart() {
    let sink = Sink::start().await;
    // The first server delivers nothing: as if it were killed before its drain ran.
    let first = stream_app(&sink, false).await;
    let pool = first.sync_pool().await;
    enable_stream(&first, &pool).await;
    let id = first.guest(&pool).await;
    first
        .device(&id)
        .await
        .push(&pool, "notes", vec![put("title", "hello", 0)])
        .await
        .unwrap();
    assert_eq!(outbox_rows(&first).await, 1, "acknowledged, so enqueued");
    assert_eq!(sink.requests(), 0);

    let config = Config {
        push_worker: true,
        ..first.config.clone()
    };
    let second = Application::build(config)
        .await
        .expect("a second server starts");
    tokio::spawn(second.run_until_stopped());
    eventually("the restarted server streamed the change", || async {
        sink.accepted().len() == 1 && outbox_rows(&first).await == 0
    })
    .await;
    let record = &sink.accepted()[0];
    assert_eq!(record["dataSetName"], "notes");
    assert_eq!(record["syncCount"], 1);
    assert_eq!(sink.requests(), 1);
}

#[tokio::test]
async fn bulk_publish_is_in_progress_until_every_dataset_is_delivered() {
    let sink = Sink::start().await;
    let app = stream_app(&sink, true).await;
    let pool = app.sync_pool().await;
    let mut written = Vec::new();
    for datasets in [&["alpha", "beta"][..], &["gamma"][..]] {
        let id = app.guest(&pool).await;
        let device = app.device(&id).await;
        for name in datasets {
            device
                .push(&pool, name, vec![put("k", name, 0)])
                .await
                .unwrap();
            written.push((id.clone(), name.to_string()));
        }
    }
    assert_eq!(outbox_rows(&app).await, 0, "nothing streams while disabled");
    enable_stream(&app, &pool).await;
    sink.set_down(true);
    let admin = app.sync_admin();
    admin
        .bulk_publish()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap();
    eventually("every dataset was tried once", || async {
        app.sql_i64("SELECT COUNT(*) FROM stream_outbox WHERE attempts = 1 AND claimed_until = 0")
            .await
            == 3
    })
    .await;
    let (status, _, done) = bulk_details(&app, &pool).await;
    assert_eq!((status.as_str(), done), ("IN_PROGRESS", false));
    let again = admin
        .bulk_publish()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&again), "DuplicateRequestException");

    sink.set_down(false);
    app.sql("UPDATE stream_outbox SET next_attempt_at = 0")
        .await;
    eventually("the run succeeded", || async {
        bulk_details(&app, &pool).await.0 == "SUCCEEDED"
    })
    .await;
    let (_, failure, done) = bulk_details(&app, &pool).await;
    assert!(done && failure.is_none());
    let mut got: Vec<(String, String)> = sink
        .accepted()
        .iter()
        .map(|r| {
            assert_eq!(r["kinesisSyncRecords"][0]["value"], r["dataSetName"]);
            let field = |k: &str| r[k].as_str().unwrap().to_string();
            (field("identityId"), field("dataSetName"))
        })
        .collect();
    got.sort();
    written.sort();
    assert_eq!(got, written);
    assert_eq!(outbox_rows(&app).await, 0);
    let after = admin
        .bulk_publish()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&after), "AlreadyStreamedException");
}

#[tokio::test]
async fn bulk_publish_fails_when_a_record_is_given_up() {
    let sink = Sink::start().await;
    sink.set_down(true);
    let app = stream_app(&sink, true).await;
    let pool = app.sync_pool().await;
    let id = app.guest(&pool).await;
    app.device(&id)
        .await
        .push(&pool, "game", vec![put("score", "1", 0)])
        .await
        .unwrap();
    enable_stream(&app, &pool).await;
    let admin = app.sync_admin();
    admin
        .bulk_publish()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap();
    eventually("the record was tried", || async {
        app.sql_i64("SELECT COUNT(*) FROM stream_outbox WHERE attempts = 1 AND claimed_until = 0")
            .await
            == 1
    })
    .await;
    assert_eq!(bulk_details(&app, &pool).await.0, "IN_PROGRESS");
    // The next attempt is the last one allowed.
    app.sql("UPDATE stream_outbox SET attempts = 9, next_attempt_at = 0")
        .await;
    eventually("the run failed", || async {
        bulk_details(&app, &pool).await.0 == "FAILED"
    })
    .await;
    let (_, failure, done) = bulk_details(&app, &pool).await;
    assert!(done);
    let failure = failure.expect("a FailureMessage");
    assert!(failure.contains("500"), "{failure}");
    assert_eq!(outbox_rows(&app).await, 0, "given up");
    assert!(sink.accepted().is_empty());
    // A failed run may be retried at once.
    sink.set_down(false);
    admin
        .bulk_publish()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap();
    eventually("the second run succeeded", || async {
        bulk_details(&app, &pool).await.0 == "SUCCEEDED"
    })
    .await;
    assert_eq!(sink.accepted().len(), 1);
}
