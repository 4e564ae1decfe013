//! The JWKS and discovery documents are served from bytes rendered once per pool, with an
//! ETag and Cache-Control, answer a matching If-None-Match with 304, and stop being served the
//! moment their pool is deleted.

use reqwest::StatusCode;
use serde_json::Value;

use crate::common::*;

async fn get(app: &TestApp, path: &str, etag: Option<&str>) -> reqwest::Response {
    let mut request = app.http.get(format!("{}{path}", app.base));
    if let Some(etag) = etag {
        request = request.header("if-none-match", etag);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn documents_carry_an_etag_and_answer_a_held_one_with_304() {
    let app = spawn().await;
    let pool = app.pool().await;
    for (path, key) in [
        (format!("/{}/.well-known/jwks.json", pool.pool_id), "keys"),
        (
            format!("/{}/.well-known/openid-configuration", pool.pool_id),
            "jwks_uri",
        ),
    ] {
        let first = get(&app, &path, None).await;
        assert_eq!(first.status(), StatusCode::OK, "{path}");
        let headers = first.headers().clone();
        assert_eq!(headers["cache-control"], "public, max-age=300");
        assert_eq!(headers["content-type"], "application/json");
        let etag = headers["etag"].to_str().unwrap().to_string();
        assert!(
            etag.starts_with('"') && etag.ends_with('"') && etag.len() > 10,
            "{etag}"
        );
        let body: Value = first.json().await.unwrap();
        assert!(body.get(key).is_some(), "{body}");

        // The same bytes, and the same ETag, on every request.
        let again = get(&app, &path, None).await;
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert_eq!(again.json::<Value>().await.unwrap(), body);

        let held = get(&app, &path, Some(&etag)).await;
        assert_eq!(held.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(held.headers()["etag"].to_str().unwrap(), etag);
        assert!(held.bytes().await.unwrap().is_empty());

        let other = get(&app, &path, Some("\"something-else\"")).await;
        assert_eq!(other.status(), StatusCode::OK);
    }
    // The two pools' documents differ, and so do their tags.
    let second = app.pool().await;
    let tag = |r: reqwest::Response| r.headers()["etag"].to_str().unwrap().to_string();
    let a = tag(get(
        &app,
        &format!("/{}/.well-known/jwks.json", pool.pool_id),
        None,
    )
    .await);
    let b = tag(get(
        &app,
        &format!("/{}/.well-known/jwks.json", second.pool_id),
        None,
    )
    .await);
    assert_ne!(a, b);
}

#[tokio::test]
async fn a_deleted_pool_has_no_documents_any_more() {
    let app = spawn().await;
    let pool = app.pool().await;
    let paths = [
        format!("/{}/.well-known/jwks.json", pool.pool_id),
        format!("/{}/.well-known/openid-configuration", pool.pool_id),
    ];
    for path in &paths {
        assert_eq!(get(&app, path, None).await.status(), StatusCode::OK);
    }
    app.idp
        .delete_user_pool()
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap();
    for path in &paths {
        let gone = get(&app, path, None).await;
        assert_eq!(gone.status(), StatusCode::NOT_FOUND, "{path}");
        let body: Value = gone.json().await.unwrap();
        assert!(body["message"].as_str().unwrap().contains("does not exist"));
    }
}
