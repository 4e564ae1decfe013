//! Pools and clients are cached in memory (src/store/config_cache.rs): a change made through
//! any instance is seen by the next request to every instance, with nothing stale served.

use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider as idp;
use cognate::startup::Application;
use idp::types::ExplicitAuthFlowsType;

use crate::common::*;

/// Takes ALLOW_USER_PASSWORD_AUTH away from the pool's client, through `idp`.
async fn forbid_password_sign_in(idp: &idp::Client, pool: &Pool) {
    idp.update_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .send()
        .await
        .unwrap();
}

async fn password_sign_in_with(idp: &idp::Client, pool: &Pool) -> Result<(), String> {
    idp.initiate_auth()
        .client_id(&pool.client_id)
        .auth_flow(idp::types::AuthFlowType::UserPasswordAuth)
        .auth_parameters("USERNAME", "alice")
        .auth_parameters("PASSWORD", PASSWORD)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| code(&e))
}

#[tokio::test]
async fn a_changed_or_deleted_client_or_pool_is_never_served_from_the_cache() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "alice").await;
    // Read (and cached) by the sign-in.
    password_sign_in_with(&app.idp, &pool).await.unwrap();

    forbid_password_sign_in(&app.idp, &pool).await;
    let refused = password_sign_in_with(&app.idp, &pool).await;
    assert_eq!(refused.unwrap_err(), "InvalidParameterException");

    app.idp
        .delete_user_pool_client()
        .user_pool_id(&pool.pool_id)
        .client_id(&pool.client_id)
        .send()
        .await
        .unwrap();
    let gone = password_sign_in_with(&app.idp, &pool).await;
    assert_eq!(gone.unwrap_err(), "ResourceNotFoundException");

    // A pool's deletion takes its clients, cached or not.
    let other = app.pool().await;
    app.confirmed_user(&other, "alice").await;
    password_sign_in_with(&app.idp, &other).await.unwrap();
    app.idp
        .delete_user_pool()
        .user_pool_id(&other.pool_id)
        .send()
        .await
        .unwrap();
    let gone = password_sign_in_with(&app.idp, &other).await;
    assert_eq!(gone.unwrap_err(), "ResourceNotFoundException");
}

/// With PostgreSQL, a second instance on the same database: it hears of the change through
/// the database (LISTEN/NOTIFY), so its cached client is dropped. SQLite is one instance.
#[tokio::test]
async fn another_instance_hears_of_a_changed_client_through_the_database() {
    let app = spawn().await;
    if app.database_url.starts_with("sqlite:") {
        return;
    }
    let pool = app.pool().await;
    app.confirmed_user(&pool, "alice").await;
    let second = Application::build(app.config.clone()).await.unwrap();
    let second_idp = sdk_client(second.public_url(), "AKIDTEST", "test-secret");
    tokio::spawn(second.run_until_stopped());
    // The second instance caches the client (its LISTEN may come up a moment after it
    // starts: until it does, it reads through, so either way it signs in).
    password_sign_in_with(&second_idp, &pool).await.unwrap();
    password_sign_in_with(&second_idp, &pool).await.unwrap();

    forbid_password_sign_in(&app.idp, &pool).await;
    // The announcement is asynchronous: allow it a bounded moment to arrive.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match password_sign_in_with(&second_idp, &pool).await {
            Err(code) => {
                assert_eq!(code, "InvalidParameterException");
                break;
            }
            Ok(()) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await
            }
            Ok(()) => panic!("the second instance still serves the old client after 10 s"),
        }
    }
}
