//! The periodic sweep of expired rows: sessions, codes and refresh tokens whose deadline has
//! passed are deleted, live ones stay, and answering a challenge no longer cleans up after
//! others. Deadlines are moved in the database instead of sleeping.

use aws_sdk_cognitoidentityprovider::types::{ChallengeNameType, MessageActionType};

use crate::common::*;

const TEMPORARY: &str = "Tempor4ry-pass!";

/// A server whose own periodic sweep is off, so that only the test sweeps.
async fn without_background_sweep() -> TestApp {
    spawn_with(|c| Config {
        sweep_interval_secs: 0,
        ..c
    })
    .await
}

/// An invited user's NEW_PASSWORD_REQUIRED session token.
async fn challenge_session(app: &TestApp, pool: &Pool, username: &str) -> String {
    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username(username)
        .temporary_password(TEMPORARY)
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
    let reply = app
        .password_sign_in(pool, username, TEMPORARY)
        .await
        .unwrap();
    assert_eq!(
        reply.challenge_name(),
        Some(&ChallengeNameType::NewPasswordRequired)
    );
    reply.session.unwrap()
}

/// Rows of `table` that belong to the user named `username`.
async fn rows_of(app: &TestApp, table: &str, username: &str) -> i64 {
    app.sql_i64(&format!(
        "SELECT COUNT(*) FROM {table} WHERE sub IN (SELECT sub FROM users WHERE username = '{username}')"
    ))
    .await
}

/// Moves the deadline of `username`'s rows in `table` to `at` (epoch ms).
async fn expire(app: &TestApp, table: &str, username: &str, at: i64) {
    app.sql(&format!(
        "UPDATE {table} SET expires_at = {at} WHERE sub IN \
         (SELECT sub FROM users WHERE username = '{username}')"
    ))
    .await;
}

#[tokio::test]
async fn the_sweep_removes_expired_rows_and_keeps_live_ones() {
    let app = without_background_sweep().await;
    let pool = app.pool().await;
    for name in ["code-live", "code-counted", "code-gone"] {
        app.sign_up(&pool, name, &format!("{name}@example.com"))
            .await;
    }
    for name in ["session-live", "session-gone"] {
        challenge_session(&app, &pool, name).await;
    }
    for name in ["token-live", "token-recent", "token-gone"] {
        app.signed_in_user(&pool, name).await;
    }
    expire(&app, "codes", "code-gone", 0).await;
    // An expired code whose limit window is still open keeps its row: it holds the count of
    // guesses and codes sent, which waiting must not reset.
    expire(&app, "codes", "code-counted", 0).await;
    app.sql(
        "UPDATE codes SET window_started_at = 0 WHERE sub IN \
         (SELECT sub FROM users WHERE username = 'code-gone')",
    )
    .await;
    expire(&app, "auth_sessions", "session-gone", 0).await;
    // Expired a minute ago: still kept, since access tokens of its session may live a day.
    expire(&app, "refresh_tokens", "token-recent", now_ms() - 60_000).await;
    expire(
        &app,
        "refresh_tokens",
        "token-gone",
        now_ms() - 2 * 86_400_000,
    )
    .await;
    // A long-expired token of a session that lives on (as rotation leaves behind) stays too.
    app.sql(
        "INSERT INTO refresh_tokens (token_hash, pool_id, client_id, sub, origin_jti, auth_time, \
         expires_at, revoked_at, created_at, device_key) SELECT 'old-' || token_hash, pool_id, \
         client_id, sub, origin_jti, auth_time, 0, revoked_at, created_at, device_key \
         FROM refresh_tokens WHERE sub IN (SELECT sub FROM users WHERE username = 'token-live')",
    )
    .await;

    let swept = sweep::run(&app.db().await).await.unwrap();
    assert_eq!(
        (swept.sessions, swept.codes, swept.refresh_tokens),
        (1, 1, 1)
    );
    assert_eq!(rows_of(&app, "codes", "code-gone").await, 0);
    assert_eq!(rows_of(&app, "codes", "code-live").await, 1);
    assert_eq!(rows_of(&app, "codes", "code-counted").await, 1);
    assert_eq!(rows_of(&app, "auth_sessions", "session-gone").await, 0);
    assert_eq!(rows_of(&app, "auth_sessions", "session-live").await, 1);
    assert_eq!(rows_of(&app, "refresh_tokens", "token-gone").await, 0);
    assert_eq!(rows_of(&app, "refresh_tokens", "token-recent").await, 1);
    assert_eq!(rows_of(&app, "refresh_tokens", "token-live").await, 2);

    // Live rows still work: the code confirms.
    let code = app.latest_code(&pool.pool_id, "code-live").await;
    app.confirm_sign_up(&pool, "code-live", code).await.unwrap();
    assert_eq!(sweep::run(&app.db().await).await.unwrap().codes, 0);
}

#[tokio::test]
async fn answering_a_challenge_leaves_the_sweeping_to_the_sweep() {
    let app = without_background_sweep().await;
    let pool = app.pool().await;
    let live = challenge_session(&app, &pool, "answering").await;
    let stale = challenge_session(&app, &pool, "stale").await;
    expire(&app, "auth_sessions", "stale", 0).await;

    app.respond(
        &pool,
        ChallengeNameType::NewPasswordRequired,
        Some(&live),
        &[("USERNAME", "answering"), ("NEW_PASSWORD", PASSWORD)],
    )
    .await
    .unwrap();
    assert_eq!(rows_of(&app, "auth_sessions", "stale").await, 1);

    // An expired session is not answered, even before the sweep removes it.
    let err = app
        .respond(
            &pool,
            ChallengeNameType::NewPasswordRequired,
            Some(&stale),
            &[("USERNAME", "stale"), ("NEW_PASSWORD", PASSWORD)],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NotAuthorizedException");
    sweep::run(&app.db().await).await.unwrap();
    assert_eq!(rows_of(&app, "auth_sessions", "stale").await, 0);
}

#[tokio::test]
async fn the_sweep_removes_the_hosted_uis_expired_sessions_and_csrf_tokens() {
    let app = without_background_sweep().await;
    let pool = app.pool().await;
    let (past, future) = (now_ms() - 1_000, now_ms() + 3_600_000);
    for (id, expires_at) in [("gone", past), ("live", future)] {
        app.sql(&format!(
            "INSERT INTO hosted_sessions (id, pool_id, sub, auth_time, expires_at, created_at) \
             VALUES ('{id}', '{}', 'someone', 0, {expires_at}, 0)",
            pool.pool_id
        ))
        .await;
        app.sql(&format!(
            "INSERT INTO hosted_csrf (id, expires_at, created_at) VALUES ('{id}', {expires_at}, 0)"
        ))
        .await;
    }
    let swept = sweep::run(&app.db().await).await.unwrap();
    assert_eq!(swept.hosted, 2);
    for table in ["hosted_sessions", "hosted_csrf"] {
        let count = app.sql_i64(&format!("SELECT COUNT(*) FROM {table}")).await;
        let left = app.sql_text(&format!("SELECT id FROM {table}")).await;
        assert_eq!((count, left.as_str()), (1, "live"), "{table}");
    }
}

#[tokio::test]
async fn the_sweep_removes_expired_sync_sessions_and_keeps_live_ones() {
    let app = without_background_sweep().await;
    let pool = app.sync_pool().await;
    let id = app.guest(&pool).await;
    let device = app.device(&id).await;
    let stale = device.pull(&pool, "stale", 0).await.sync_session_token;
    let live = device.pull(&pool, "live", 0).await.sync_session_token;
    assert!(stale.is_some() && live.is_some());
    app.sql("UPDATE sync_sessions SET expires_at = 0 WHERE dataset_name = 'stale'")
        .await;

    let swept = sweep::run(&app.db().await).await.unwrap();
    assert_eq!(swept.sync_sessions, 1);
    let left = app.sql_text("SELECT dataset_name FROM sync_sessions").await;
    assert_eq!(left, "live");

    // The live session still writes; the swept one is refused as unknown.
    let write = |dataset: &'static str, token: String| {
        device
            .sync
            .update_records()
            .identity_pool_id(&pool)
            .identity_id(&id)
            .dataset_name(dataset)
            .record_patches(put("k", "v", 0))
            .sync_session_token(token)
            .send()
    };
    write("live", live.unwrap()).await.unwrap();
    let err = write("stale", stale.unwrap()).await.unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    assert_eq!(sweep::run(&app.db().await).await.unwrap().sync_sessions, 0);
}
