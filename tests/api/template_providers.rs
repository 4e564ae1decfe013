//! The sample template's `AWS::Cognito::UserPoolIdentityProvider` and `UserPoolUser` once
//! imported: a changed provider is updated in place by logical id, and a broken provider or
//! user in a template already imported changes nothing.

use std::path::{Path, PathBuf};

use reqwest::Method;
use serde_json::Value;

use crate::common::*;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pools.yaml")
}

async fn import(app: &TestApp, path: &Path) -> anyhow::Result<Value> {
    let report = startup::import_template(&app.config, path, Some("shop")).await?;
    Ok(serde_json::to_value(report).unwrap())
}

async fn google_scopes(app: &TestApp, pool_id: &str) -> String {
    let google = app
        .idp
        .describe_identity_provider()
        .user_pool_id(pool_id)
        .provider_name("Google")
        .send()
        .await
        .unwrap()
        .identity_provider
        .unwrap();
    google.provider_details().unwrap()["authorize_scopes"].clone()
}

async fn audit_count(app: &TestApp) -> usize {
    let r = app.rest(Method::GET, "/audit?limit=1000", None).await;
    r.body["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_changed_provider_is_updated_and_a_broken_provider_or_user_changes_nothing() {
    let app = spawn().await;
    let first = import(&app, &sample()).await.unwrap();
    let pool_id = first["resources"]["UserPool"].as_str().unwrap().to_string();
    assert_eq!(first["resources"]["GoogleSignIn"], "Google");

    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample()).unwrap();
    let changed = text.replace("openid email profile", "openid email");
    let path = dir.path().join("changed.yaml");
    std::fs::write(&path, &changed).unwrap();
    let second = import(&app, &path).await.unwrap();
    assert_eq!(second["updated"], serde_json::json!(["GoogleSignIn"]));
    assert_eq!(second["created"], serde_json::json!([]));
    assert_eq!(google_scopes(&app, &pool_id).await, "openid email");
    let providers = app
        .idp
        .list_identity_providers()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(providers.providers().len(), 1, "updated, not made again");

    let audited = audit_count(&app).await;
    let broken = [
        changed.replace("IdpIdentifiers: [gmail.com]", "IdpIdentifiers: gmail.com"),
        changed.replace("ProviderType: Google", "ProviderType: Myspace"),
        changed.replace("MessageAction: SUPPRESS", "MessageAction: SHOUT"),
        changed.replace("Username: admin@example.com", "Username: [admin]"),
    ];
    for (i, t) in broken.iter().enumerate() {
        // The pool's name changes too: a partial import would show it.
        let t = t.replace("-users\"", "-people\"");
        let path = dir.path().join(format!("broken{i}.yaml"));
        std::fs::write(&path, t).unwrap();
        let err = match import(&app, &path).await {
            Ok(report) => panic!("template {i} was imported: {report}"),
            Err(e) => e.to_string(),
        };
        assert!(err.contains("nothing was changed"), "template {i}: {err}");
    }
    assert_eq!(
        audit_count(&app).await,
        audited,
        "a broken import changed something"
    );
    assert_eq!(google_scopes(&app, &pool_id).await, "openid email");
    let pool = app
        .idp
        .describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap();
    assert_eq!(pool.name(), Some("shop-users"));

    let again = import(&app, &path_of(&dir, &changed)).await.unwrap();
    assert_eq!(again["unchanged"].as_array().unwrap().len(), 10);
}

fn path_of(dir: &tempfile::TempDir, text: &str) -> PathBuf {
    let path = dir.path().join("again.yaml");
    std::fs::write(&path, text).unwrap();
    path
}
