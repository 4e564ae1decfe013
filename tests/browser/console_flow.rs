//! The admin console in Chromium: in local mode (no sign-in on loopback) an administrator finds
//! a user with the filter language, opens them, disables them after confirming, and the AWS
//! API sees it; the pages fit a 390-pixel-wide phone; outside local mode the console asks for
//! an admin token first, refuses a wrong one and signs out.

use std::time::Duration;

use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};

use crate::common::*;
use crate::Driver;

fn attribute(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

/// A confirmed user with an email and a name.
async fn person(app: &TestApp, pool: &Pool, username: &str, name: &str) {
    let create = app.idp.admin_create_user().user_pool_id(&pool.pool_id);
    create
        .username(username)
        .message_action(MessageActionType::Suppress)
        .user_attributes(attribute("email", &format!("{username}@example.com")))
        .user_attributes(attribute("email_verified", "true"))
        .user_attributes(attribute("name", name))
        .send()
        .await
        .unwrap();
    let set = app
        .idp
        .admin_set_user_password()
        .user_pool_id(&pool.pool_id);
    let set = set.username(username).password(PASSWORD).permanent(true);
    set.send().await.unwrap();
}

/// A pool that looks like a product's: clients, a group, a dozen people, one signed in.
async fn shop(app: &TestApp) -> Pool {
    let pool = app
        .pool_with(PoolSpec::standard().pool(|p| p.pool_name("Acme shop")))
        .await;
    app.client_for(&pool.pool_id, |c| {
        c.client_name("orders-backend").generate_secret(true)
    })
    .await;
    app.pool_with(PoolSpec::standard().pool(|p| p.pool_name("Acme staff")))
        .await;
    let people = [
        ("ana.silva", "Ana Silva"),
        ("anabel.ortiz", "Anabel Ortiz"),
        ("bruno.costa", "Bruno Costa"),
        ("chen.wei", "Chen Wei"),
        ("dmitri.ivanov", "Dmitri Ivanov"),
        ("elena.rossi", "Elena Rossi"),
        ("farah.khan", "Farah Khan"),
        ("grace.lee", "Grace Lee"),
    ];
    for (username, name) in people {
        person(app, &pool, username, name).await;
    }
    let group = app.idp.create_group().user_pool_id(&pool.pool_id);
    let group = group.group_name("support").description("Support staff");
    group.send().await.unwrap();
    let add = app
        .idp
        .admin_add_user_to_group()
        .user_pool_id(&pool.pool_id);
    add.username("ana.silva")
        .group_name("support")
        .send()
        .await
        .unwrap();
    app.tokens(&pool, "ana.silva").await;
    pool
}

/// Waits until the page's URL satisfies `ok`, within a bounded number of looks.
async fn until_url(driver: &Driver, ok: impl Fn(&url::Url) -> bool) -> url::Url {
    for _ in 0..200 {
        let url = driver.client.current_url().await.unwrap();
        if ok(&url) {
            return url;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the browser never reached the page expected");
}

/// The page's width against the viewport's: nothing sticks out sideways on a phone.
async fn fits_the_viewport(driver: &Driver) {
    let widths = driver
        .client
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    let (page, viewport) = (widths[0].as_i64().unwrap(), widths[1].as_i64().unwrap());
    assert!(viewport <= 400, "a phone-wide viewport: {viewport}");
    assert!(
        page <= viewport,
        "the page is {page}px wide on a {viewport}px phone"
    );
}

#[tokio::test]
async fn find_a_user_with_a_filter_and_disable_them_after_confirming() {
    let Some(driver) = crate::browser().await else {
        return;
    };
    let app = spawn().await;
    let pool = shop(&app).await;

    driver
        .client
        .goto(&format!("{}/admin/", app.base))
        .await
        .unwrap();
    assert_eq!(driver.text("h1").await, "User pools");
    assert!(driver.text("main").await.contains("Acme staff"));
    driver.screenshots("console-pools").await;
    let to_pool = format!("a[href=\"/admin/pools/{}\"]", pool.pool_id);
    driver.click(&to_pool).await;
    driver.wait_for(".tabs").await;
    assert!(driver.text("main").await.contains("orders-backend"));
    driver.click(".tabs a[href$=\"/users\"]").await;
    driver.wait_for("#filter").await;

    // The filter language: a prefix of the email finds the two Anas and no one else.
    driver.fill("#filter", "email ^= \"ana\"").await;
    driver.click("#search").await;
    until_url(&driver, |u| {
        u.query().is_some_and(|q| q.contains("filter="))
    })
    .await;
    let found = driver.text("#users").await;
    assert!(
        found.contains("ana.silva") && found.contains("anabel.ortiz") && !found.contains("bruno"),
        "{found}"
    );
    driver.screenshots("console-users").await;

    driver.click("#users a[href$=\"/users/ana.silva\"]").await;
    until_url(&driver, |u| u.path().ends_with("/users/ana.silva")).await;
    assert_eq!(driver.text("h1").await, "ana.silva");
    assert!(driver.text("#attributes").await.contains("Ana Silva"));
    assert!(driver.text("#groups").await.contains("support"));
    assert!(driver.text("#sessions").await.contains(&pool.client_id));
    driver.screenshots("console-user").await;

    // Disable asks first; nothing happens until "Yes".
    driver.click("form[action$=\"/disable\"] button").await;
    driver.wait_for("#confirm").await;
    assert_eq!(driver.text("h1").await, "Are you sure?");
    assert!(
        app.admin_get_user(&pool, "ana.silva")
            .await
            .unwrap()
            .enabled
    );
    driver.click("#confirm form button").await;
    assert_eq!(driver.text(".notice").await, "Disabled.");
    let seen = app.admin_get_user(&pool, "ana.silva").await.unwrap();
    assert!(!seen.enabled, "AdminGetUser sees the user disabled");
    assert!(driver.text("#profile").await.contains("Disabled"));

    // On a phone: the user's page and the list fit the screen's width.
    driver.client.set_window_size(390, 844).await.unwrap();
    let users = format!("{}/admin/pools/{}/users", app.base, pool.pool_id);
    driver
        .client
        .goto(&format!("{users}/ana.silva"))
        .await
        .unwrap();
    driver.wait_for("#profile").await;
    fits_the_viewport(&driver).await;
    driver.client.goto(&users).await.unwrap();
    driver.wait_for("#users").await;
    fits_the_viewport(&driver).await;
    driver.client.set_window_size(1280, 900).await.unwrap();
    driver.quit().await;
}

/// An admin token made with the CLI, as an operator makes one.
fn admin_token(app: &TestApp, key: &str, secret: &str) -> String {
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_cognate"))
        .args(["admin-token", "create", "--name", "console"])
        .env("COGNATE_DATABASE_URL", &app.config.database_url)
        .env(
            "COGNATE_MASTER_KEY",
            app.config.master_key.as_ref().unwrap().expose(),
        )
        .env("COGNATE_ADMIN_ACCESS_KEY_ID", key)
        .env("COGNATE_ADMIN_SECRET_ACCESS_KEY", secret)
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    String::from_utf8(made.stdout).unwrap().trim().to_string()
}

#[tokio::test]
async fn outside_local_mode_sign_in_with_an_admin_token_and_out() {
    let Some(driver) = crate::browser().await else {
        return;
    };
    let (key, secret) = (
        "AKIACOGNATEADMIN",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCOGNATEKEY",
    );
    let app = spawn_with(|c| Config {
        admin_access_key_id: Some(key.into()),
        admin_secret_access_key: Some(Secret::new(secret)),
        master_key: Some(Secret::new(Sealer::generate_key())),
        ..c
    })
    .await;
    let token = admin_token(&app, key, secret);

    driver
        .client
        .goto(&format!("{}/admin/", app.base))
        .await
        .unwrap();
    driver.arrived_at("/admin/sign-in").await;
    driver.fill("#token", "cgt_not-a-token").await;
    driver.click("form[action=\"/admin/sign-in\"] button").await;
    assert!(driver.text(".error").await.contains("not valid"));
    driver.fill("#token", &token).await;
    driver.click("form[action=\"/admin/sign-in\"] button").await;
    driver.arrived_at("/admin/").await;
    assert_eq!(driver.text("h1").await, "User pools");
    let sign_out = "form[action=\"/admin/sign-out\"] button";
    assert_eq!(driver.text(sign_out).await, "Sign out (console)");
    assert!(
        !driver.text("nav").await.contains("Dev outbox"),
        "no outbox outside local mode"
    );

    driver.click(sign_out).await;
    driver.arrived_at("/admin/sign-in").await;
    driver
        .client
        .goto(&format!("{}/admin/", app.base))
        .await
        .unwrap();
    driver.arrived_at("/admin/sign-in").await;
    driver.quit().await;
}
