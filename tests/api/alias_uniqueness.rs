//! Each sign-in alias value held by one user, enforced by the database: concurrent sign-ups
//! and creations with one email leave exactly one holder, and a write that slips past the
//! check before it is still refused.

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::{AliasAttributeType, MessageActionType, UsernameAttributeType};

use crate::common::*;

const RACERS: usize = 12;

#[tokio::test]
async fn concurrent_sign_ups_with_one_email_as_username_leave_one_user() {
    let app = spawn().await;
    let pool = app
        .pool_with(
            PoolSpec::standard().pool(|p| p.username_attributes(UsernameAttributeType::Email)),
        )
        .await;
    let attempts = (0..RACERS).map(|_| {
        app.idp
            .sign_up()
            .client_id(&pool.client_id)
            .username("race@example.com")
            .password(PASSWORD)
            .send()
    });
    let results = all_at_once(attempts).await;
    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{results:?}");
    for err in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(code(err), "UsernameExistsException");
    }
    let holders = app
        .sql_i64(&format!(
            "SELECT COUNT(*) FROM users WHERE pool_id = '{}'",
            pool.pool_id
        ))
        .await;
    assert_eq!(holders, 1);
}

#[tokio::test]
async fn concurrent_creations_with_one_verified_email_alias_leave_one_holder() {
    let app = spawn().await;
    let pool = app
        .pool_with(PoolSpec::standard().pool(|p| p.alias_attributes(AliasAttributeType::Email)))
        .await;
    let attempts = (0..RACERS).map(|i| {
        app.idp
            .admin_create_user()
            .user_pool_id(&pool.pool_id)
            .username(format!("racer{i}"))
            .user_attributes(attr("email", "shared@example.com"))
            .user_attributes(attr("email_verified", "true"))
            .message_action(MessageActionType::Suppress)
            .send()
    });
    let results = all_at_once(attempts).await;
    let won = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(won, 1, "{results:?}");
    for err in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(code(err), "AliasExistsException");
        assert_eq!(
            message(err),
            "An account with the given email already exists."
        );
    }
    let claims = app
        .sql_i64("SELECT COUNT(*) FROM user_aliases WHERE value = 'shared@example.com'")
        .await;
    assert_eq!(claims, 1);
}

/// AdminCreateUser with a verified email.
async fn create_with_email(
    app: &TestApp,
    pool: &Pool,
    username: &str,
    email: &str,
    force: bool,
) -> Result<(), String> {
    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username(username)
        .user_attributes(attr("email", email))
        .user_attributes(attr("email_verified", "true"))
        .force_alias_creation(force)
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| code(&e))
}

#[tokio::test]
async fn the_database_refuses_a_second_holder_that_the_check_missed() {
    let app = spawn().await;
    let pool = app
        .pool_with(PoolSpec::standard().pool(|p| p.alias_attributes(AliasAttributeType::Email)))
        .await;
    create_with_email(&app, &pool, "first", "one@example.com", false)
        .await
        .unwrap();
    // Blind the check that runs before the write, as a concurrent write would.
    app.sql("DELETE FROM user_attribute_index WHERE name LIKE 'alias:%'")
        .await;
    let second = create_with_email(&app, &pool, "second", "one@example.com", false).await;
    assert_eq!(second.unwrap_err(), "AliasExistsException");
    let err = app.admin_get_user(&pool, "second").await.unwrap_err();
    assert_eq!(code(&err), "UserNotFoundException", "nothing was written");

    // Updates are held to it too: verifying a taken email through an admin update.
    create_with_email(&app, &pool, "third", "three@example.com", false)
        .await
        .unwrap();
    app.sql("DELETE FROM user_attribute_index WHERE name LIKE 'alias:%'")
        .await;
    let err = app
        .idp
        .admin_update_user_attributes()
        .user_pool_id(&pool.pool_id)
        .username("third")
        .user_attributes(attr("email", "one@example.com"))
        .user_attributes(attr("email_verified", "true"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "AliasExistsException");
}

#[tokio::test]
async fn force_alias_creation_moves_the_claim() {
    let app = spawn().await;
    let pool = app
        .pool_with(PoolSpec::standard().pool(|p| p.alias_attributes(AliasAttributeType::Email)))
        .await;
    create_with_email(&app, &pool, "before", "moved@example.com", false)
        .await
        .unwrap();
    create_with_email(&app, &pool, "after", "moved@example.com", true)
        .await
        .unwrap();
    let holder = app
        .admin_get_user(&pool, "moved@example.com")
        .await
        .unwrap();
    assert_eq!(holder.username(), "after");
    let sub = value_of(holder.user_attributes(), "sub")
        .unwrap()
        .to_string();
    let claimed = app
        .sql_i64(&format!(
            "SELECT COUNT(*) FROM user_aliases WHERE value = 'moved@example.com' AND sub = '{sub}'"
        ))
        .await;
    assert_eq!(claimed, 1);
}

#[tokio::test]
async fn claims_of_users_stored_before_claims_existed_are_filled_in_at_start_up() {
    let app = spawn().await;
    let pool = app
        .pool_with(PoolSpec::standard().pool(|p| p.alias_attributes(AliasAttributeType::Email)))
        .await;
    create_with_email(&app, &pool, "early", "early@example.com", false)
        .await
        .unwrap();
    app.sql("DELETE FROM user_aliases").await;
    app.db().await.close().await;
    let claims = app
        .sql_i64("SELECT COUNT(*) FROM user_aliases WHERE value = 'early@example.com'")
        .await;
    assert_eq!(claims, 1);
}

/// Runs every future at once and collects their outputs in order.
async fn all_at_once<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}
