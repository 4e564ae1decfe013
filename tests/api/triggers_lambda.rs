//! A small Lambda Invoke API for the trigger tests: functions written in the test as closures,
//! served on loopback port 0 at `/2015-03-31/functions/{name}/invocations`, each call kept.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::Value;

use crate::common::*;

/// What a test function answers with.
pub enum Reply {
    /// The event, its `response` filled in.
    Event(Value),
    /// The function threw: Lambda's 200 with `X-Amz-Function-Error`.
    Error(String),
    /// Something that is not an event.
    Raw(&'static str),
    /// The event, after a delay (longer than the server's timeout in the slow tests).
    Slow(Duration, Value),
}

pub type Function = Arc<dyn Fn(Value) -> Reply + Send + Sync>;

/// One invocation as the function saw it.
#[derive(Clone, Debug)]
pub struct Call {
    pub function: String,
    pub event: Value,
    pub signed: bool,
}

pub struct Lambda {
    pub endpoint: String,
    calls: Arc<Mutex<Vec<Call>>>,
}

impl Lambda {
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    /// The events function `name` received, in order.
    pub fn events(&self, name: &str) -> Vec<Value> {
        self.calls()
            .into_iter()
            .filter(|c| c.function == name)
            .map(|c| c.event)
            .collect()
    }
}

pub fn arn(name: &str) -> String {
    format!("arn:aws:lambda:us-east-1:123456789012:function:{name}")
}

/// A function that answers each event with `response` as its response.
pub fn respond_with(response: Value) -> Function {
    Arc::new(move |mut event: Value| {
        event["response"] = response.clone();
        Reply::Event(event)
    })
}

/// A function that returns the event unchanged.
pub fn pass() -> Function {
    Arc::new(Reply::Event)
}

struct Served {
    functions: HashMap<String, Function>,
    calls: Arc<Mutex<Vec<Call>>>,
}

async fn invoke(req: HttpRequest, body: web::Bytes, served: web::Data<Served>) -> HttpResponse {
    let name = req.match_info().get("name").unwrap_or_default().to_string();
    let event: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let signed = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("AWS4-HMAC-SHA256") && v.contains("/lambda/aws4_request"));
    served.calls.lock().unwrap().push(Call {
        function: name.clone(),
        event: event.clone(),
        signed,
    });
    let Some(function) = served.functions.get(&name) else {
        return HttpResponse::NotFound()
            .insert_header(("x-amzn-ErrorType", "ResourceNotFoundException"))
            .json(serde_json::json!({"Type": "User", "Message": "Function not found"}));
    };
    match function(event) {
        Reply::Event(event) => HttpResponse::Ok().json(event),
        Reply::Slow(delay, event) => {
            tokio::time::sleep(delay).await;
            HttpResponse::Ok().json(event)
        }
        Reply::Error(message) => HttpResponse::Ok()
            .insert_header(("X-Amz-Function-Error", "Unhandled"))
            .json(serde_json::json!({"errorType": "Error", "errorMessage": message})),
        Reply::Raw(text) => HttpResponse::Ok().body(text),
    }
}

/// Serves `functions` by name on loopback port 0.
pub async fn serve(functions: Vec<(&str, Function)>) -> Lambda {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let served = web::Data::new(Served {
        functions: functions
            .into_iter()
            .map(|(n, f)| (n.to_string(), f))
            .collect(),
        calls: calls.clone(),
    });
    let server = HttpServer::new(move || {
        App::new().app_data(served.clone()).route(
            "/2015-03-31/functions/{name}/invocations",
            web::post().to(invoke),
        )
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    Lambda {
        endpoint: format!("http://127.0.0.1:{port}"),
        calls,
    }
}

/// A server that invokes triggers at `lambda`, with a timeout short enough for the slow tests.
pub async fn spawn_for(lambda: &Lambda) -> TestApp {
    let endpoint = lambda.endpoint.clone();
    spawn_with(move |c| Config {
        lambda_endpoint: Some(endpoint),
        trigger_timeout_ms: 300,
        ..c
    })
    .await
}

/// The envelope every event has, checked field by field.
pub fn assert_envelope(
    event: &Value,
    source: &str,
    pool: &Pool,
    user_name: &str,
    client: Option<&str>,
) {
    assert_eq!(event["version"], "1", "{event}");
    assert_eq!(event["triggerSource"], source, "{event}");
    assert_eq!(event["region"], "us-east-1");
    assert_eq!(event["userPoolId"], pool.pool_id.as_str());
    assert_eq!(event["userName"], user_name);
    let caller = &event["callerContext"];
    assert!(caller["awsSdkVersion"].is_string(), "{event}");
    match client {
        Some(id) => assert_eq!(caller["clientId"], id),
        None => assert!(caller["clientId"].is_string()),
    }
    assert!(
        event["request"].is_object() && event["response"].is_object(),
        "{event}"
    );
}
