//! Secrets at rest: signing keys, TOTP secrets and client secrets are stored sealed with the
//! master key, bound to their row; plaintext rows of older versions are sealed at start-up;
//! `rotate-master-key` moves every value to a new key at once.

use crate::common::*;

/// A pool, a client with a secret and a confirmed user with a TOTP secret: one of each
/// sealed value. Returns the pool, the client's secret and the TOTP secret.
async fn one_of_each(app: &TestApp) -> (Pool, String, String) {
    let pool = app.pool().await;
    let client = app
        .client_for(&pool.pool_id, |c| c.generate_secret(true))
        .await;
    app.confirmed_user(&pool, "sam").await;
    let token = app.access_token(&pool, "sam").await;
    let totp = app
        .idp
        .associate_software_token()
        .access_token(&token)
        .send()
        .await
        .unwrap()
        .secret_code
        .unwrap();
    (pool, client.client_secret.unwrap(), totp)
}

/// The master key id that each stored secret names (`cog1:{key id}:...`), all of them.
async fn stored_key_ids(app: &TestApp) -> Vec<String> {
    let mut ids = Vec::new();
    for query in [
        "SELECT private_key_pem FROM signing_keys ORDER BY kid LIMIT 1",
        "SELECT secret FROM user_pool_clients WHERE secret IS NOT NULL",
        "SELECT totp_secret FROM user_mfa WHERE totp_secret IS NOT NULL",
    ] {
        let stored = app.sql_text(query).await;
        assert!(stored.starts_with("cog1:"), "not sealed: {stored}");
        ids.push(stored.split(':').nth(1).unwrap().to_string());
    }
    ids
}

#[tokio::test]
async fn secrets_are_stored_sealed_and_still_work() {
    let app = spawn().await;
    let (pool, client_secret, totp) = one_of_each(&app).await;
    let pem = app
        .sql_text("SELECT private_key_pem FROM signing_keys LIMIT 1")
        .await;
    assert!(!pem.contains("PRIVATE KEY"), "{pem}");
    let stored = app
        .sql_text("SELECT secret FROM user_pool_clients WHERE secret IS NOT NULL")
        .await;
    assert!(!stored.contains(&client_secret), "{stored}");
    let stored = app.sql_text("SELECT totp_secret FROM user_mfa").await;
    assert!(!stored.contains(&totp), "{stored}");
    let ids = stored_key_ids(&app).await;
    assert!(ids.iter().all(|id| id == &ids[0]), "{ids:?}");

    // Opened where they are used: tokens are signed, the TOTP code checks.
    let token = app.access_token(&pool, "sam").await;
    let verified = app
        .idp
        .verify_software_token()
        .access_token(&token)
        .user_code(totp::code_at(&totp, now_secs()).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status().unwrap().as_str(), "SUCCESS");
}

#[tokio::test]
async fn a_sealed_value_copied_into_another_row_does_not_open() {
    let app = spawn().await;
    let pool = app.pool().await;
    let first = app
        .client_for(&pool.pool_id, |c| c.generate_secret(true))
        .await;
    let second = app
        .client_for(&pool.pool_id, |c| c.generate_secret(true))
        .await;
    let (a, b) = (first.client_id.unwrap(), second.client_id.unwrap());
    app.sql(&format!(
        "UPDATE user_pool_clients SET secret = (SELECT secret FROM user_pool_clients WHERE id = '{a}') \
         WHERE id = '{b}'"
    ))
    .await;
    let err = app
        .idp
        .describe_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_id(&b)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InternalErrorException");
}

#[tokio::test]
async fn plaintext_secrets_of_older_versions_are_sealed_at_start_up() {
    let app = spawn().await;
    let pool = app.pool().await;
    let client = app
        .client_for(&pool.pool_id, |c| c.generate_secret(true))
        .await;
    let id = client.client_id.unwrap();
    let plaintext = "plaintextsecretfromanolderversion0123456789";
    app.sql(&format!(
        "UPDATE user_pool_clients SET secret = '{plaintext}' WHERE id = '{id}'"
    ))
    .await;

    // Start-up (here: the same database opened again) seals what it finds in plaintext.
    app.db().await.close().await;
    let stored = app
        .sql_text(&format!(
            "SELECT secret FROM user_pool_clients WHERE id = '{id}'"
        ))
        .await;
    assert!(
        stored.starts_with("cog1:") && !stored.contains(plaintext),
        "{stored}"
    );
    let described = app
        .idp
        .describe_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.user_pool_client().unwrap().client_secret(),
        Some(plaintext)
    );
}

/// A second server on `app`'s database with `master_key`, and its SDK client.
async fn restart_with(app: &TestApp, master_key: &str) -> aws_sdk_cognitoidentityprovider::Client {
    let config = Config {
        master_key: Some(Secret::new(master_key)),
        ..app.config.clone()
    };
    let server = Application::build(config).await.expect("server starts");
    let base = server.public_url().to_string();
    tokio::spawn(server.run_until_stopped());
    sdk_client(&base, "AKIDTEST", "test-secret")
}

#[tokio::test]
async fn rotation_reseals_every_value_under_the_new_key() {
    let old = Sealer::generate_key();
    let app = spawn_with(|c| Config {
        master_key: Some(Secret::new(old.clone())),
        ..c
    })
    .await;
    let (pool, _, _) = one_of_each(&app).await;
    let before = stored_key_ids(&app).await;

    // The wrong current key moves nothing: all or none.
    let wrong = Config {
        master_key: Some(Secret::new(Sealer::generate_key())),
        ..app.config.clone()
    };
    let new = Sealer::generate_key();
    assert!(startup::rotate_master_key(&wrong, &new).await.is_err());
    assert_eq!(stored_key_ids(&app).await, before);

    let moved = startup::rotate_master_key(&app.config, &new).await.unwrap();
    assert!(
        moved >= 4,
        "two signing keys, a client secret, a TOTP secret: {moved}"
    );
    let after = stored_key_ids(&app).await;
    let new_id = Sealer::from_base64(&new).unwrap().key_id().to_string();
    assert!(after.iter().all(|id| *id == new_id), "{after:?}");

    // A server with the new key reads everything; the old key no longer opens anything.
    let idp = restart_with(&app, &new).await;
    let described = idp
        .describe_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap();
    assert!(described.user_pool_client().is_some());
    let secrets = idp
        .list_user_pool_clients()
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap();
    assert!(!secrets.user_pool_clients().is_empty());
    let stale = restart_with(&app, &old).await;
    let err = stale
        .admin_initiate_auth()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .auth_flow(aws_sdk_cognitoidentityprovider::types::AuthFlowType::AdminUserPasswordAuth)
        .auth_parameters("USERNAME", "sam")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InternalErrorException");
}

#[tokio::test]
async fn rotation_rewrites_the_local_key_file() {
    let app = spawn().await;
    if app.config.master_key.is_some() {
        return; // PostgreSQL runs use a configured key; the key file is SQLite's local mode.
    }
    let path = app.config.master_key_file();
    assert!(path.exists());
    one_of_each(&app).await;
    let new = Sealer::generate_key();
    startup::rotate_master_key(&app.config, &new).await.unwrap();
    let from_file = startup::sealer(&app.config).unwrap();
    assert_eq!(
        from_file.key_id(),
        Sealer::from_base64(&new).unwrap().key_id()
    );
    let pool_id = app.sql_text("SELECT id FROM user_pools LIMIT 1").await;
    let idp = restart_with(&app, &new).await;
    idp.describe_user_pool()
        .user_pool_id(&pool_id)
        .send()
        .await
        .unwrap();
}
