//! ListUsers: filters, AttributesToGet, limits and pagination.

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::MessageActionType;

use crate::common::*;

async fn add(app: &TestApp, pool: &Pool, username: &str, email: &str, given: &str) {
    app.idp
        .admin_create_user()
        .user_pool_id(&pool.pool_id)
        .username(username)
        .user_attributes(attr("email", email))
        .user_attributes(attr("given_name", given))
        .message_action(MessageActionType::Suppress)
        .send()
        .await
        .unwrap();
}

async fn names(app: &TestApp, pool: &Pool, filter: &str) -> Vec<String> {
    app.idp
        .list_users()
        .user_pool_id(&pool.pool_id)
        .filter(filter)
        .send()
        .await
        .unwrap()
        .users()
        .iter()
        .map(|u| u.username().unwrap().to_string())
        .collect()
}

async fn people(app: &TestApp) -> Pool {
    let pool = app.pool().await;
    add(app, &pool, "zoe", "zoe@example.com", "Zoe").await;
    add(app, &pool, "john", "john@example.com", "John").await;
    add(app, &pool, "joan", "joan@other.org", "Joan").await;
    add(app, &pool, "max", "max@example.com", "Jo").await;
    pool
}

#[tokio::test]
async fn exact_and_prefix_filters() {
    let app = spawn().await;
    let pool = people(&app).await;
    assert_eq!(
        names(&app, &pool, r#"email = "john@example.com""#).await,
        ["john"]
    );
    assert_eq!(
        names(&app, &pool, r#"email ^= "jo""#).await,
        ["joan", "john"]
    );
    assert_eq!(
        names(&app, &pool, r#"given_name ^= "Jo""#).await,
        ["max", "joan", "john"]
    );
    assert_eq!(names(&app, &pool, r#"given_name = "Jo""#).await, ["max"]);
    // Beyond the Basic Multilingual Plane too: U+10FFFF closes the prefix range.
    add(&app, &pool, "emo", "emo@example.com", "Jo\u{1F600}").await;
    assert_eq!(
        names(&app, &pool, "given_name ^= \"Jo\u{1F600}\"").await,
        ["emo"]
    );
    assert_eq!(names(&app, &pool, r#"given_name ^= "Jo""#).await.len(), 4);
    app.idp
        .admin_delete_user()
        .user_pool_id(&pool.pool_id)
        .username("emo")
        .send()
        .await
        .unwrap();
    assert_eq!(
        names(&app, &pool, r#"username ^= "j""#).await,
        ["joan", "john"]
    );
    assert!(names(&app, &pool, r#"email = "nobody@example.com""#)
        .await
        .is_empty());

    // Status filters follow writes to the user.
    app.idp
        .admin_disable_user()
        .user_pool_id(&pool.pool_id)
        .username("zoe")
        .send()
        .await
        .unwrap();
    assert_eq!(names(&app, &pool, r#"status = "Disabled""#).await, ["zoe"]);
    assert_eq!(names(&app, &pool, r#"status = "Enabled""#).await.len(), 3);
    assert_eq!(names(&app, &pool, r#"status = "disabled""#).await, ["zoe"]);
    assert_eq!(names(&app, &pool, r#"status ^= "DIS""#).await, ["zoe"]);
    app.idp
        .admin_set_user_password()
        .user_pool_id(&pool.pool_id)
        .username("max")
        .password("Perm4nent-pass!")
        .permanent(true)
        .send()
        .await
        .unwrap();
    assert_eq!(
        names(&app, &pool, r#"cognito:user_status = "CONFIRMED""#).await,
        ["max"]
    );
    app.idp
        .admin_update_user_attributes()
        .user_pool_id(&pool.pool_id)
        .username("max")
        .user_attributes(attr("email", "maxine@example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(names(&app, &pool, r#"email ^= "maxine""#).await, ["max"]);
    assert!(names(&app, &pool, r#"email = "max@example.com""#)
        .await
        .is_empty());

    let sub = app
        .admin_get_user(&pool, "joan")
        .await
        .unwrap()
        .user_attributes()[0]
        .value()
        .unwrap()
        .to_string();
    assert_eq!(
        names(&app, &pool, &format!(r#"sub = "{sub}""#)).await,
        ["joan"]
    );

    app.idp
        .admin_delete_user()
        .user_pool_id(&pool.pool_id)
        .username("joan")
        .send()
        .await
        .unwrap();
    assert_eq!(names(&app, &pool, r#"email ^= "jo""#).await, ["john"]);
}

#[tokio::test]
async fn bad_filters_and_limits_are_invalid_parameters() {
    let app = spawn().await;
    let pool = people(&app).await;
    for filter in [
        "email",
        r#"email = john"#,
        r#"email ~ "john""#,
        r#"shoe_size = "44""#,
        r#"email = "unterminated"#,
    ] {
        let err = app
            .idp
            .list_users()
            .user_pool_id(&pool.pool_id)
            .filter(filter)
            .send()
            .await
            .unwrap_err();
        assert_eq!(code(&err), "InvalidParameterException", "{filter}");
    }
    let err = app
        .idp
        .list_users()
        .user_pool_id(&pool.pool_id)
        .limit(61)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = app
        .idp
        .list_users()
        .user_pool_id(&pool.pool_id)
        .pagination_token("bogus")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = app
        .idp
        .list_users()
        .user_pool_id(&pool.pool_id)
        .attributes_to_get("shoe_size")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = app
        .idp
        .list_users()
        .user_pool_id("us-east-1_missing")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
}

/// Every username a filter matches, one user per page.
async fn one_by_one(app: &TestApp, pool: &Pool, filter: &str) -> Vec<String> {
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = app
            .idp
            .list_users()
            .user_pool_id(&pool.pool_id)
            .filter(filter)
            .limit(1)
            .set_pagination_token(token)
            .send()
            .await
            .unwrap();
        seen.extend(
            page.users()
                .iter()
                .map(|u| u.username().unwrap().to_string()),
        );
        token = page.pagination_token;
        if token.is_none() {
            return seen;
        }
    }
}

#[tokio::test]
async fn pagination_walks_equal_and_distinct_values() {
    let app = spawn().await;
    let pool = people(&app).await;
    // Equal values are ordered by sub; every user comes exactly once.
    let mut same = one_by_one(
        &app,
        &pool,
        r#"cognito:user_status = "FORCE_CHANGE_PASSWORD""#,
    )
    .await;
    same.sort();
    assert_eq!(same, ["joan", "john", "max", "zoe"]);
    assert_eq!(
        one_by_one(&app, &pool, r#"given_name ^= "Jo""#).await,
        ["max", "joan", "john"]
    );
    assert_eq!(
        one_by_one(&app, &pool, r#"email ^= "zz""#).await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn pages_are_stable_and_attributes_can_be_chosen() {
    let app = spawn().await;
    let pool = people(&app).await;
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = app
            .idp
            .list_users()
            .user_pool_id(&pool.pool_id)
            .limit(3)
            .set_pagination_token(token)
            .attributes_to_get("email")
            .send()
            .await
            .unwrap();
        for user in page.users() {
            let attrs = user.attributes();
            assert_eq!(attrs.len(), 1);
            assert_eq!(attrs[0].name(), "email");
            assert!(user.user_create_date().is_some());
            seen.push(user.username().unwrap().to_string());
        }
        token = page.pagination_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, ["joan", "john", "max", "zoe"]);

    let all = app
        .idp
        .list_users()
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(all.users().len(), 4);
    assert!(all.pagination_token().is_none());
    let first = &all.users()[0];
    assert_eq!(first.attributes()[0].name(), "sub");
    assert_eq!(
        first.user_status().unwrap().as_str(),
        "FORCE_CHANGE_PASSWORD"
    );
}
