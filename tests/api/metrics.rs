//! `/metrics` in the Prometheus text format, parsed by a Prometheus parser, with counters that
//! move with traffic; and `/health/live` and `/health/ready`.

use std::collections::HashMap;

use crate::common::*;

/// The scrape, parsed: each sample's value by metric name and its labels.
async fn scrape(app: &TestApp) -> prometheus_parse::Scrape {
    let res = app
        .http
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.contains("text"), "{content_type}");
    let text = res.text().await.unwrap();
    let lines = text.lines().map(|l| Ok(l.to_string()));
    prometheus_parse::Scrape::parse(lines).unwrap()
}

/// The sum of the samples of `name` whose labels include every one of `labels`.
fn value(scrape: &prometheus_parse::Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|s| s.metric == name)
        .filter(|s| labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .map(|s| match s.value {
            prometheus_parse::Value::Counter(v)
            | prometheus_parse::Value::Gauge(v)
            | prometheus_parse::Value::Untyped(v) => v,
            prometheus_parse::Value::Histogram(ref buckets) => {
                buckets.iter().map(|b| b.count).fold(0.0, f64::max)
            }
            _ => 0.0,
        })
        .sum()
}

#[tokio::test]
async fn counters_move_with_traffic() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "mia").await;
    let before = scrape(&app).await;

    app.tokens(&pool, "mia").await;
    app.password_sign_in(&pool, "mia", "Wr0ng-password!")
        .await
        .unwrap_err();
    for _ in 0..5 {
        let _ = app.password_sign_in(&pool, "mia", "Wr0ng-password!").await;
    }
    let after = scrape(&app).await;

    let requests = |s: &prometheus_parse::Scrape| {
        value(
            s,
            "cognate_requests_total",
            &[("surface", "cognito-idp"), ("operation", "InitiateAuth")],
        )
    };
    assert_eq!(requests(&after) - requests(&before), 7.0);
    let latency = value(
        &after,
        "cognate_request_duration_seconds_count",
        &[("surface", "cognito-idp"), ("operation", "InitiateAuth")],
    );
    assert!(latency >= 7.0, "latency histogram count: {latency}");

    let signed_in = |s: &prometheus_parse::Scrape| {
        value(
            s,
            "cognate_sign_ins_total",
            &[("flow", "USER_PASSWORD_AUTH"), ("outcome", "tokens")],
        )
    };
    assert_eq!(signed_in(&after) - signed_in(&before), 1.0);
    let refused = value(
        &after,
        "cognate_sign_ins_total",
        &[
            ("flow", "USER_PASSWORD_AUTH"),
            ("outcome", "NotAuthorizedException"),
        ],
    );
    assert!(refused >= 6.0, "refused sign-ins: {refused}");
    assert!(value(&after, "cognate_lockouts_total", &[]) >= 1.0);

    // The sign-up's confirmation code went by email.
    assert!(
        value(&after, "cognate_codes_sent_total", &[("medium", "EMAIL")]) >= 1.0,
        "{:?}",
        after.samples.iter().map(|s| &s.metric).collect::<Vec<_>>()
    );
    // The gauges are there with their current values.
    assert!(value(&after, "cognate_hash_workers", &[]) >= 1.0);
    let names: Vec<&str> = after.samples.iter().map(|s| s.metric.as_str()).collect();
    assert!(names.contains(&"cognate_hash_queue_depth"), "{names:?}");
    let connections = value(&after, "cognate_db_connections", &[]);
    assert!(connections >= 1.0, "db connections: {connections}");
}

#[tokio::test]
async fn the_admin_api_is_counted_by_route() {
    let app = spawn().await;
    app.pool().await;
    let scraped = scrape(&app).await;
    let created = value(
        &scraped,
        "cognate_requests_total",
        &[("surface", "cognito-idp"), ("operation", "CreateUserPool")],
    );
    assert_eq!(created, 1.0);
    // Plain routes are labelled by their pattern, never by the path asked for.
    app.http
        .get(format!(
            "{}/us-east-1_nobody/.well-known/jwks.json",
            app.base
        ))
        .send()
        .await
        .unwrap();
    let scraped = scrape(&app).await;
    let jwks: HashMap<String, String> = scraped
        .samples
        .iter()
        .find(|s| s.metric == "cognate_requests_total" && s.labels.get("surface") == Some("http"))
        .map(|s| {
            [("operation", s.labels.get("operation").unwrap_or_default())]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap();
    assert!(jwks["operation"].starts_with("GET /"), "{jwks:?}");
    assert!(!jwks["operation"].contains("us-east-1_nobody"), "{jwks:?}");
}

#[tokio::test]
async fn liveness_and_readiness() {
    let app = spawn().await;
    for path in ["/health", "/health/live", "/health/ready"] {
        let res = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["status"], "ok", "{path}");
    }

    // A migration the database has not applied makes the server not ready, though live.
    app.sql("DELETE FROM _sqlx_migrations WHERE version = 1")
        .await;
    let res = app
        .http
        .get(format!("{}/health/ready", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["migrations"], "pending");
    let live = app
        .http
        .get(format!("{}/health/live", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), 200);
}

#[tokio::test]
async fn trigger_invocations_and_failures_are_counted_by_source_and_outcome() {
    use crate::triggers_lambda::{arn, respond_with, serve, spawn_for, Function, Reply};
    use aws_sdk_cognitoidentityprovider::types::LambdaConfigType;
    use std::sync::Arc;

    let refuse: Function = Arc::new(|event| {
        match event
            .pointer("/request/userAttributes/email")
            .and_then(|v| v.as_str())
        {
            Some(e) if e.ends_with("@blocked.example") => Reply::Error("blocked".into()),
            _ => Reply::Event(event),
        }
    });
    let lambda = serve(vec![
        ("PreSignUp", refuse),
        ("PostConfirmation", respond_with(serde_json::json!({}))),
    ])
    .await;
    let app = spawn_for(&lambda).await;
    let config = LambdaConfigType::builder()
        .pre_sign_up(arn("PreSignUp"))
        .post_confirmation(arn("PostConfirmation"))
        .build();
    let pool = app
        .pool_with(PoolSpec::standard().pool(move |p| p.lambda_config(config)))
        .await;
    let before = scrape(&app).await;
    app.sign_up(&pool, "ana", "ana@example.com").await;
    app.admin_confirm_sign_up(&pool, "ana").await.unwrap();
    let refused = app
        .idp
        .sign_up()
        .client_id(&pool.client_id)
        .username("bob")
        .password(PASSWORD)
        .user_attributes(attr("email", "bob@blocked.example"))
        .send()
        .await;
    assert_eq!(code(&refused.unwrap_err()), "UserLambdaValidationException");
    let after = scrape(&app).await;

    let moved = |name: &str, labels: &[(&str, &str)]| {
        value(&after, name, labels) - value(&before, name, labels)
    };
    let invoked = "cognate_trigger_invocations_total";
    let failed = "cognate_trigger_failures_total";
    let sign_up = ("source", "PreSignUp_SignUp");
    assert_eq!(moved(invoked, &[sign_up, ("outcome", "ok")]), 1.0);
    assert_eq!(
        moved(invoked, &[sign_up, ("outcome", "function_error")]),
        1.0
    );
    assert_eq!(
        moved(failed, &[sign_up, ("outcome", "function_error")]),
        1.0
    );
    let confirmed = ("source", "PostConfirmation_ConfirmSignUp");
    assert_eq!(moved(invoked, &[confirmed, ("outcome", "ok")]), 1.0);
    assert_eq!(moved(failed, &[confirmed]), 0.0);
}
