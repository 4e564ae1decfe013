//! Who may reach Cognito Sync: an identity its own datasets only, within its role's
//! policies; the pool operations the administrator only.

use aws_credential_types::Credentials;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn another_identitys_credentials_are_refused() {
    let app = spawn().await;
    let pool = app.sync_pool().await;
    let (me, other) = (app.guest(&pool).await, app.guest(&pool).await);
    let mine = app.device(&me).await;
    mine.push(&pool, "prefs", vec![put("a", "1", 0)])
        .await
        .unwrap();
    let theirs = app.device(&other).await;
    let read = theirs
        .sync
        .list_records()
        .identity_pool_id(&pool)
        .identity_id(&me)
        .dataset_name("prefs")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&read), "NotAuthorizedException");
    assert_eq!(read.raw_response().unwrap().status().as_u16(), 403);
    let delete = theirs
        .sync
        .delete_dataset()
        .identity_pool_id(&pool)
        .identity_id(&me)
        .dataset_name("prefs")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&delete), "NotAuthorizedException");
    let other_pool = app.sync_pool().await;
    let elsewhere = mine
        .sync
        .list_datasets()
        .identity_pool_id(&other_pool)
        .identity_id(&me)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&elsewhere), "NotAuthorizedException");
    assert_eq!(mine.pull(&pool, "prefs", 0).await.count, 1, "still there");
    let unsigned = app
        .http
        .get(format!(
            "{}/identitypools/{pool}/identities/{me}/datasets",
            app.base
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), 403);
}

#[tokio::test]
async fn the_roles_policies_decide_and_a_deny_wins() {
    let app = spawn().await;
    let pool = app.sync_pool().await;
    create_role(&app, "Guest", &trust(&pool, "unauthenticated")).await;
    let own = "arn:aws:cognito-sync:us-east-1:000000000000:identitypool/\
               ${cognito-identity.amazonaws.com:aud}/identity/${cognito-identity.amazonaws.com:sub}";
    put_policy(
        &app,
        "Guest",
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "cognito-sync:*", "Resource": [own, format!("{own}/*")]},
            {"Effect": "Deny", "Action": "cognito-sync:DeleteDataset",
             "Resource": format!("{own}/dataset/keep")}]}),
    )
    .await;
    let id = app.guest(&pool).await;
    let phone = app.device(&id).await;
    phone
        .push(&pool, "keep", vec![put("a", "1", 0)])
        .await
        .unwrap();
    phone
        .push(&pool, "scratch", vec![put("a", "1", 0)])
        .await
        .unwrap();
    let delete = |name: &'static str| {
        phone
            .sync
            .delete_dataset()
            .identity_pool_id(&pool)
            .identity_id(&id)
            .dataset_name(name)
            .send()
    };
    let denied = delete("keep").await.unwrap_err();
    assert_eq!(code(&denied), "NotAuthorizedException");
    assert!(
        message(&denied).contains("DeleteDataset"),
        "{}",
        message(&denied)
    );
    delete("scratch").await.unwrap();
    let listed = phone
        .sync
        .list_datasets()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.count, 1);
}

#[tokio::test]
async fn a_role_without_sync_permissions_is_refused() {
    let app = spawn().await;
    let pool = app.sync_pool().await;
    create_role(&app, "Guest", &trust(&pool, "unauthenticated")).await;
    put_policy(
        &app,
        "Guest",
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "cognito-identity:*", "Resource": "*"}]}),
    )
    .await;
    let id = app.guest(&pool).await;
    let phone = app.device(&id).await;
    let refused = phone
        .sync
        .list_records()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .dataset_name("prefs")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&refused), "NotAuthorizedException");
}

#[tokio::test]
async fn pool_operations_take_developer_credentials_only() {
    let app = spawn().await;
    let pool = app.sync_pool().await;
    let id = app.guest(&pool).await;
    let phone = app.device(&id).await;
    let refused = phone
        .sync
        .get_identity_pool_configuration()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&refused), "NotAuthorizedException");
    let usage = phone
        .sync
        .describe_identity_pool_usage()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&usage), "NotAuthorizedException");
    phone
        .push(&pool, "prefs", vec![put("a", "12", 0)])
        .await
        .unwrap();
    let admin = app.sync_admin();
    let described = admin
        .describe_identity_pool_usage()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap()
        .identity_pool_usage
        .unwrap();
    assert_eq!(described.data_storage, Some(3));
    assert_eq!(described.sync_sessions_count, Some(1));
    let listed = admin.list_identity_pool_usage().send().await.unwrap();
    assert_eq!(listed.count, 1);
    // Developer credentials reach every identity's data.
    let read = admin
        .list_records()
        .identity_pool_id(&pool)
        .identity_id(&id)
        .dataset_name("prefs")
        .send()
        .await
        .unwrap();
    assert_eq!(read.records()[0].value.as_deref(), Some("12"));
    let missing = admin
        .describe_identity_pool_usage()
        .identity_pool_id("us-east-1:00000000-0000-0000-0000-000000000000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&missing), "ResourceNotFoundException");
}

#[tokio::test]
async fn with_admin_credentials_configured_only_they_are_developer_credentials() {
    let (key, secret) = (
        "AKIACOGNATEADMIN",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSYNCKEY123",
    );
    let app = spawn_with(|c| Config {
        admin_access_key_id: Some(key.into()),
        admin_secret_access_key: Some(Secret::new(secret)),
        master_key: Some(Secret::new(Sealer::generate_key())),
        ..c
    })
    .await;
    let pool = app.sync_pool().await;
    let wrong = sync_client(
        &app.base,
        Credentials::new(key, "not-the-secret", None, None, "x"),
    );
    let refused = wrong
        .get_cognito_events()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&refused), "InvalidSignatureException");
    let events = app
        .sync_admin()
        .get_cognito_events()
        .identity_pool_id(&pool)
        .send()
        .await
        .unwrap();
    assert!(events.events().is_none_or(|e| e.is_empty()));
}
