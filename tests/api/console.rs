//! The admin web console, driven as a browser without JavaScript drives it: plain GETs and
//! form POSTs with the CSRF token each page carries; sign-in with an admin token outside
//! local mode, and each user action seen afterwards in AdminGetUser.

use aws_sdk_cognitoidentityprovider::types::{MessageActionType, UserStatusType};
use reqwest::Method;
use serde_json::json;

use crate::common::*;

/// A client that keeps what the server says (no redirects followed, cookies sent by hand).
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub struct Got {
    pub status: u16,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

pub async fn go(
    app: &TestApp,
    cookie: Option<&str>,
    method: Method,
    path: &str,
    form: &[(&str, &str)],
) -> Got {
    let mut req = browser().request(method.clone(), format!("{}{path}", app.base));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    if method == Method::POST {
        req = req.form(form);
    }
    let res = req.send().await.unwrap();
    Got {
        status: res.status().as_u16(),
        headers: res.headers().clone(),
        body: res.text().await.unwrap(),
    }
}

pub async fn page(app: &TestApp, path: &str) -> String {
    let got = go(app, None, Method::GET, path, &[]).await;
    assert_eq!(got.status, 200, "{path}: {}", got.body);
    assert_eq!(got.headers["x-frame-options"], "DENY");
    got.body
}

pub fn csrf(body: &str) -> String {
    let at = body
        .find("name=\"csrf\" value=\"")
        .expect("a form with a CSRF token")
        + 19;
    body[at..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn local_mode_pages_list_search_page_and_act_on_users() {
    let app = spawn().await;
    let pool = app.pool().await;
    let secret_client = app
        .client_for(&pool.pool_id, |c| {
            c.client_name("backend").generate_secret(true)
        })
        .await;
    for i in 0..21 {
        let create = app.idp.admin_create_user().user_pool_id(&pool.pool_id);
        let create = create
            .username(format!("user{i:02}"))
            .message_action(MessageActionType::Suppress);
        create.send().await.unwrap();
    }
    app.confirmed_user(&pool, "mia").await;
    app.sign_up(&pool, "una", "una@example.com").await;
    app.rest(
        Method::POST,
        "/identity-pools",
        Some(json!({"IdentityPoolName": "guests", "AllowUnauthenticatedIdentities": true})),
    )
    .await;

    assert!(page(&app, "/admin/").await.contains(&pool.pool_id));
    let pool_page = page(&app, &format!("/admin/pools/{}", pool.pool_id)).await;
    assert!(
        pool_page.contains("App clients") && pool_page.contains("backend"),
        "{pool_page}"
    );

    // The secret is hidden until the reveal form (with its CSRF token) is posted.
    let client_path = format!(
        "/admin/pools/{}/clients/{}",
        pool.pool_id,
        secret_client.client_id().unwrap()
    );
    let client_page = page(&app, &client_path).await;
    let secret = secret_client.client_secret().unwrap();
    assert!(!client_page.contains(secret) && client_page.contains("hidden"));
    let reveal = format!("{client_path}/reveal");
    let forged = go(&app, None, Method::POST, &reveal, &[("csrf", "nope")]).await;
    assert_eq!(forged.status, 403);
    let token = csrf(&client_page);
    let shown = go(&app, None, Method::POST, &reveal, &[("csrf", &token)]).await;
    assert!(shown.body.contains(secret));

    // Users: filtered, and paged 20 at a time.
    let users = format!("/admin/pools/{}/users", pool.pool_id);
    let found = page(&app, &format!("{users}?filter=username%20%3D%20%22mia%22")).await;
    assert!(
        found.contains(">mia<") && !found.contains(">user00<"),
        "{found}"
    );
    let first = page(&app, &users).await;
    let next = first
        .split("href=\"")
        .find(|s| s.contains("cursor="))
        .expect("a next page");
    let next = next
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let second = page(&app, &next).await;
    assert!(
        second.contains(">user") || second.contains(">una<") || second.contains(">mia<"),
        "{second}"
    );
    assert!(!second.contains("Next page"), "{next}: {second}");

    // A user's actions: those that destroy ask first.
    let user = format!("{users}/mia");
    let user_page = page(&app, &user).await;
    assert!(user_page.contains("CONFIRMED"), "{user_page}");
    let token = csrf(&user_page);
    let asked = go(
        &app,
        None,
        Method::POST,
        &format!("{user}/disable"),
        &[("csrf", &token)],
    )
    .await;
    assert!(asked.body.contains("Are you sure?"));
    assert!(app.admin_get_user(&pool, "mia").await.unwrap().enabled);
    let yes = [("csrf", token.as_str()), ("confirmed", "yes")];
    let done = go(&app, None, Method::POST, &format!("{user}/disable"), &yes).await;
    assert!(done.body.contains("Disabled."), "{}", done.body);
    assert!(!app.admin_get_user(&pool, "mia").await.unwrap().enabled);
    go(
        &app,
        None,
        Method::POST,
        &format!("{user}/enable"),
        &[("csrf", &token)],
    )
    .await;
    assert!(app.admin_get_user(&pool, "mia").await.unwrap().enabled);
    let signed_out = go(
        &app,
        None,
        Method::POST,
        &format!("{user}/global-sign-out"),
        &yes,
    )
    .await;
    assert!(signed_out.body.contains("Signed out everywhere."));
    go(
        &app,
        None,
        Method::POST,
        &format!("{user}/reset-password"),
        &yes,
    )
    .await;
    assert_eq!(
        app.user_status(&pool, "mia").await,
        UserStatusType::ResetRequired
    );
    go(
        &app,
        None,
        Method::POST,
        &format!("{users}/una/confirm"),
        &[("csrf", &token)],
    )
    .await;
    assert_eq!(
        app.user_status(&pool, "una").await,
        UserStatusType::Confirmed
    );
    let missing = go(
        &app,
        None,
        Method::POST,
        &format!("{users}/nobody/enable"),
        &[("csrf", &token)],
    )
    .await;
    assert!(missing.body.contains("UserNotFound"), "{}", missing.body);

    assert!(page(&app, "/admin/identity-pools").await.contains("guests"));
    assert!(page(&app, "/admin/outbox")
        .await
        .contains("una@example.com"));
    let audit = app.rest(Method::GET, "/audit?limit=1000", None).await;
    let surfaces: Vec<&str> = audit.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["surface"].as_str())
        .collect();
    assert!(surfaces.contains(&"console"), "{surfaces:?}");
}

#[tokio::test]
async fn outside_local_mode_the_console_needs_an_admin_token() {
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
    let anonymous = go(&app, None, Method::GET, "/admin/", &[]).await;
    assert_eq!(
        (anonymous.status, &anonymous.headers["location"]),
        (303, &"/admin/sign-in".parse().unwrap())
    );
    assert!(page(&app, "/admin/sign-in").await.contains("Admin token"));
    assert_eq!(
        go(&app, None, Method::GET, "/admin/outbox", &[])
            .await
            .status,
        303
    );

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
    let token = String::from_utf8(made.stdout).unwrap().trim().to_string();
    let wrong = go(
        &app,
        None,
        Method::POST,
        "/admin/sign-in",
        &[("token", "cgt_nope")],
    )
    .await;
    assert!(wrong.body.contains("not valid"));
    let signed_in = go(
        &app,
        None,
        Method::POST,
        "/admin/sign-in",
        &[("token", &token)],
    )
    .await;
    assert_eq!(signed_in.status, 303);
    let set_cookie = signed_in.headers["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_string();

    let made = app
        .rest_as(
            Some(&token),
            Method::POST,
            "/pools",
            Some(json!({"PoolName": "strict"})),
        )
        .await;
    let home = go(&app, Some(&cookie), Method::GET, "/admin/", &[]).await;
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains(made.body["Id"].as_str().unwrap())
            && home.body.contains("Sign out (console)")
    );
    assert_eq!(
        go(&app, Some(&cookie), Method::GET, "/admin/outbox", &[])
            .await
            .status,
        404
    );

    // Forms need the session's CSRF token; sign-out forgets the cookie.
    let forged = go(
        &app,
        Some(&cookie),
        Method::POST,
        "/admin/sign-out",
        &[("csrf", "x")],
    )
    .await;
    assert_eq!(forged.status, 403);
    let out = go(
        &app,
        Some(&cookie),
        Method::POST,
        "/admin/sign-out",
        &[("csrf", &csrf(&home.body))],
    )
    .await;
    assert_eq!(out.status, 303);
    assert!(out.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let revoked_elsewhere = go(
        &app,
        Some("cognate_admin=cgt_forged"),
        Method::GET,
        "/admin/",
        &[],
    )
    .await;
    assert_eq!(revoked_elsewhere.status, 303);
}
