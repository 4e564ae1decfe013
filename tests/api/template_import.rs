//! Pools as code: the sample SAM template imported twice (the second run changes nothing),
//! changed (only what changed is updated), broken (nothing changes), by the CLI with
//! `--outputs` and by COGNATE_IMPORT at start.

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

async fn pool_count(app: &TestApp) -> usize {
    let listed = app
        .idp
        .list_user_pools()
        .max_results(60)
        .send()
        .await
        .unwrap();
    listed.user_pools().len()
}

async fn audit_count(app: &TestApp) -> usize {
    let r = app.rest(Method::GET, "/audit?limit=1000", None).await;
    r.body["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn the_sample_is_imported_once_and_a_second_run_changes_nothing() {
    let app = spawn().await;
    let first = import(&app, &sample()).await.unwrap();
    assert_eq!(
        first["created"],
        serde_json::json!([
            "UserPool",
            "WebClient",
            "Admins",
            "FirstAdmin",
            "GoogleSignIn",
            "HostedUi",
            "IdentityPool",
            "OrdersApi",
            "SignedInRole",
            "IdentityPoolRoles"
        ])
    );
    assert_eq!(first["skipped"][0], "Api (AWS::Serverless::Function)");
    let pool_id = first["resources"]["UserPool"].as_str().unwrap().to_string();
    assert_eq!(first["outputs"]["UserPoolId"], pool_id.as_str());
    assert!(first["outputs"]["UserPoolArn"]
        .as_str()
        .unwrap()
        .ends_with(&format!("userpool/{pool_id}")));

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
    let policy = pool.policies().unwrap().password_policy().unwrap();
    assert_eq!(policy.minimum_length(), Some(10));
    assert!(pool
        .schema_attributes()
        .iter()
        .any(|a| a.name() == Some("custom:plan")));
    let client_id = first["resources"]["WebClient"].as_str().unwrap();
    let client = app
        .idp
        .describe_user_pool_client()
        .user_pool_id(&pool_id)
        .client_id(client_id)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap();
    assert_eq!(client.client_name(), Some("shop-web"));
    let group = app
        .idp
        .get_group()
        .user_pool_id(&pool_id)
        .group_name("admins")
        .send()
        .await
        .unwrap()
        .group
        .unwrap();
    assert!(group.description().unwrap().contains(&pool_id));
    app.idp
        .admin_get_user()
        .user_pool_id(&pool_id)
        .username("admin@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(first["outputs"]["GoogleProvider"], "Google");
    let google = app
        .idp
        .describe_identity_provider()
        .user_pool_id(&pool_id)
        .provider_name("Google")
        .send()
        .await
        .unwrap()
        .identity_provider
        .unwrap();
    assert_eq!(google.idp_identifiers(), ["gmail.com"]);
    assert_eq!(
        google.provider_details().unwrap()["client_id"],
        "shop-google-client"
    );
    assert_eq!(
        google.attribute_mapping().unwrap()["given_name"],
        "given_name"
    );

    let audited = audit_count(&app).await;
    let second = import(&app, &sample()).await.unwrap();
    assert_eq!(second["created"], serde_json::json!([]));
    assert_eq!(second["updated"], serde_json::json!([]));
    assert_eq!(second["unchanged"].as_array().unwrap().len(), 10);
    assert_eq!(second["resources"], first["resources"]);
    assert_eq!(pool_count(&app).await, 1);
    assert_eq!(
        audit_count(&app).await,
        audited,
        "the second run changed something"
    );

    // A change to one resource updates that one alone.
    let dir = tempfile::tempdir().unwrap();
    let changed = dir.path().join("shop.yaml");
    let text = std::fs::read_to_string(sample()).unwrap();
    std::fs::write(&changed, text.replace("Precedence: 1", "Precedence: 7")).unwrap();
    let third = import(&app, &changed).await.unwrap();
    assert_eq!(third["updated"], serde_json::json!(["Admins"]));
    let group = app
        .idp
        .get_group()
        .user_pool_id(&pool_id)
        .group_name("admins")
        .send()
        .await
        .unwrap()
        .group
        .unwrap();
    assert_eq!(group.precedence(), Some(7));
}

#[tokio::test]
async fn a_broken_template_changes_nothing() {
    let app = spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample()).unwrap();
    let broken = [
        // The pool is fine; the client's flow is not one Cognito knows.
        text.replace("ALLOW_USER_SRP_AUTH", "ALLOW_TELEPATHY"),
        text.replace("!Ref AppName, web", "!Ref Nowhere, web"),
        text.replace("Precedence: 1", "Precedence: !If [x, 1, 2]"),
        // The provider's details lack what CreateIdentityProvider requires.
        text.replace("        authorize_scopes: openid email profile\n", ""),
        text.replace("ProviderType: Google", "ProviderType: Myspace"),
        "Resources: [unclosed".to_string(),
    ];
    for (i, t) in broken.iter().enumerate() {
        let path = dir.path().join(format!("broken{i}.yaml"));
        std::fs::write(&path, t).unwrap();
        let err = import(&app, &path).await.unwrap_err().to_string();
        assert!(!err.is_empty());
        assert_eq!(pool_count(&app).await, 0, "template {i} made a pool: {err}");
    }
    assert_eq!(audit_count(&app).await, 0);
    let path = dir.path().join("broken0.yaml");
    let err = import(&app, &path).await.unwrap_err().to_string();
    assert!(
        err.contains("WebClient") && err.contains("nothing was changed"),
        "{err}"
    );
    let path = dir.path().join("broken3.yaml");
    let err = import(&app, &path).await.unwrap_err().to_string();
    assert!(
        err.contains("GoogleSignIn") && err.contains("authorize_scopes"),
        "{err}"
    );
}

#[tokio::test]
async fn the_cli_writes_the_outputs_and_cognate_import_imports_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_with(|c| Config {
        import: Some(sample()),
        ..c
    })
    .await;
    assert_eq!(
        pool_count(&app).await,
        1,
        "COGNATE_IMPORT imported at start"
    );

    let outputs = dir.path().join("outputs.json");
    let mut cli = std::process::Command::new(env!("CARGO_BIN_EXE_cognate"));
    cli.args(["import"])
        .arg(sample())
        .arg("--outputs")
        .arg(&outputs)
        .env("COGNATE_DATABASE_URL", &app.config.database_url);
    if let Some(key) = &app.config.master_key {
        cli.env("COGNATE_MASTER_KEY", key.expose());
    }
    let run = cli.output().unwrap();
    assert!(run.status.success(), "{run:?}");
    let report: Value = serde_json::from_slice(&std::fs::read(&outputs).unwrap()).unwrap();
    // The same stack (the file's name) as at start: nothing new.
    assert_eq!(
        report["unchanged"].as_array().unwrap().len(),
        10,
        "{report}"
    );
    let printed: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(printed, report);
    assert_eq!(pool_count(&app).await, 1);
}
