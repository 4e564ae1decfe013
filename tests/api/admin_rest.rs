//! The REST admin API under /admin/api/v1: every route, its errors as problem+json, its
//! authentication (bearer tokens, SigV4, local mode) and its OpenAPI document.

use aws_sdk_cognitoidentityprovider as idp;
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::*;

const KEY: &str = "AKIACOGNATEADMIN";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCOGNATEKEY";

async fn new_pool(app: &TestApp, name: &str) -> String {
    let r = app
        .rest(Method::POST, "/pools", Some(json!({"PoolName": name})))
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body["Id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn pools_are_created_read_patched_paged_and_deleted() {
    let app = spawn().await;
    let id = new_pool(&app, "one").await;
    new_pool(&app, "two").await;
    new_pool(&app, "three").await;

    let got = app.rest(Method::GET, &format!("/pools/{id}"), None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["Name"], "one");
    let min_length = got.body["Policies"]["PasswordPolicy"]["MinimumLength"].clone();

    // PATCH changes what it names and keeps the rest (UpdateUserPool alone would reset it).
    let patched = app
        .rest(
            Method::PATCH,
            &format!("/pools/{id}"),
            Some(json!({"UserPoolTags": {"team": "id"}})),
        )
        .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    assert_eq!(patched.body["UserPoolTags"]["team"], "id");
    assert_eq!(
        patched.body["Policies"]["PasswordPolicy"]["MinimumLength"],
        min_length
    );
    let described = app
        .idp
        .describe_user_pool()
        .user_pool_id(&id)
        .send()
        .await
        .unwrap();
    let tags = described.user_pool.unwrap().user_pool_tags.unwrap();
    assert_eq!(tags["team"], "id");

    // Cursor pagination.
    let first = app.rest(Method::GET, "/pools?limit=2", None).await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 2);
    let cursor = first.body["next_cursor"].as_str().unwrap().to_string();
    let second = app
        .rest(
            Method::GET,
            &format!("/pools?limit=2&cursor={cursor}"),
            None,
        )
        .await;
    assert_eq!(second.body["items"].as_array().unwrap().len(), 1);
    assert!(second.body.get("next_cursor").is_none());

    let bad = app.rest(Method::GET, "/pools?limit=0", None).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.problem(), "InvalidParameterException");
    let bad = app.rest(Method::GET, "/pools?limit=many", None).await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.problem(), "InvalidParameterException");

    let gone = app
        .rest(Method::DELETE, &format!("/pools/{id}"), None)
        .await;
    assert_eq!(gone.status, 204);
    let missing = app.rest(Method::GET, &format!("/pools/{id}"), None).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.problem(), "ResourceNotFoundException");
    assert_eq!(missing.body["status"], 404);
    assert!(missing.body["detail"].as_str().unwrap().len() > 5);
    let invalid = app
        .rest(Method::POST, "/pools", Some(json!({"PoolName": ""})))
        .await;
    assert_eq!(invalid.status, 400);
    assert_eq!(invalid.problem(), "InvalidParameterException");
    let not_json = app.rest(Method::POST, "/pools", Some(json!([1]))).await;
    assert_eq!(not_json.status, 400);
}

#[tokio::test]
async fn clients_are_managed_under_their_pool() {
    let app = spawn().await;
    let pool = new_pool(&app, "apps").await;
    let base = format!("/pools/{pool}/clients");
    let made = app
        .rest(
            Method::POST,
            &base,
            Some(json!({"ClientName": "web", "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]})),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let client = made.body["ClientId"].as_str().unwrap().to_string();

    let patched = app
        .rest(
            Method::PATCH,
            &format!("{base}/{client}"),
            Some(json!({"ClientName": "web-2"})),
        )
        .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    assert_eq!(patched.body["ClientName"], "web-2");
    // The flows it did not name are kept.
    assert_eq!(
        patched.body["ExplicitAuthFlows"],
        json!(["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    );
    let listed = app.rest(Method::GET, &base, None).await;
    assert_eq!(listed.body["items"][0]["ClientName"], "web-2");
    let got = app
        .rest(Method::GET, &format!("{base}/{client}"), None)
        .await;
    assert_eq!(got.body["ClientId"], client.as_str());
    assert_eq!(
        app.rest(Method::DELETE, &format!("{base}/{client}"), None)
            .await
            .status,
        204
    );
    let missing = app
        .rest(Method::GET, &format!("{base}/{client}"), None)
        .await;
    assert_eq!(missing.problem(), "ResourceNotFoundException");
}

#[tokio::test]
async fn users_are_listed_by_filter_patched_and_acted_on() {
    let app = spawn().await;
    let pool = app.pool().await;
    let users = format!("/pools/{}/users", pool.pool_id);
    for name in ["ana", "anton", "bea"] {
        let made = app
            .rest(
                Method::POST,
                &users,
                Some(json!({
                    "Username": name, "MessageAction": "SUPPRESS",
                    "UserAttributes": [
                        {"Name": "email", "Value": format!("{name}@example.com")},
                        {"Name": "email_verified", "Value": "true"}
                    ]
                })),
            )
            .await;
        assert_eq!(made.status, 201, "{:?}", made.body);
        assert_eq!(made.body["Username"], name);
    }
    let taken = app
        .rest(Method::POST, &users, Some(json!({"Username": "ana"})))
        .await;
    assert_eq!(taken.status, 409);
    assert_eq!(taken.problem(), "UsernameExistsException");

    let filtered = app
        .rest(
            Method::GET,
            &format!("{users}?filter=email%20%5E%3D%20%22an%22"),
            None,
        )
        .await;
    assert_eq!(filtered.status, 200, "{:?}", filtered.body);
    let names: Vec<&str> = filtered.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["Username"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"ana") && names.contains(&"anton"));
    let bad = app
        .rest(Method::GET, &format!("{users}?filter=nonsense"), None)
        .await;
    assert_eq!(bad.problem(), "InvalidParameterException");
    let page = app
        .rest(Method::GET, &format!("{users}?limit=2"), None)
        .await;
    let cursor = page.body["next_cursor"].as_str().unwrap();
    let rest = app
        .rest(
            Method::GET,
            &format!("{users}?limit=2&cursor={cursor}"),
            None,
        )
        .await;
    assert_eq!(rest.body["items"].as_array().unwrap().len(), 1);

    // PATCH sets and deletes attributes.
    let patched = app
        .rest(
            Method::PATCH,
            &format!("{users}/ana"),
            Some(json!({"attributes": {"given_name": "Ana", "email": null}})),
        )
        .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    let attrs = patched.body["UserAttributes"].as_array().unwrap();
    assert!(attrs
        .iter()
        .any(|a| a["Name"] == "given_name" && a["Value"] == "Ana"));
    assert!(!attrs.iter().any(|a| a["Name"] == "email"));

    // The actions, each seen through the AWS API.
    let act = |action: &str| {
        let path = format!("{users}/bea/{action}");
        let app = &app;
        async move { app.rest(Method::POST, &path, None).await.status }
    };
    assert_eq!(act("disable").await, 204);
    let get = || {
        app.idp
            .admin_get_user()
            .user_pool_id(&pool.pool_id)
            .username("bea")
            .send()
    };
    assert!(!get().await.unwrap().enabled);
    assert_eq!(act("enable").await, 204);
    assert!(get().await.unwrap().enabled);
    let set = app
        .rest(
            Method::POST,
            &format!("{users}/bea/set-password"),
            Some(json!({"password": PASSWORD, "permanent": true})),
        )
        .await;
    assert_eq!(set.status, 204, "{:?}", set.body);
    assert_eq!(
        get().await.unwrap().user_status,
        Some(idp::types::UserStatusType::Confirmed)
    );
    let weak = app
        .rest(
            Method::POST,
            &format!("{users}/bea/set-password"),
            Some(json!({"password": "short", "permanent": true})),
        )
        .await;
    assert_eq!(weak.problem(), "InvalidPasswordException");
    assert_eq!(act("global-sign-out").await, 204);
    assert_eq!(act("reset-password").await, 204);
    assert_eq!(
        get().await.unwrap().user_status,
        Some(idp::types::UserStatusType::ResetRequired)
    );

    // confirm: a user who signed up and has not confirmed.
    app.sign_up(&pool, "cai", "cai@example.com").await;
    assert_eq!(
        app.rest(Method::POST, &format!("{users}/cai/confirm"), None)
            .await
            .status,
        204
    );
    let cai = app
        .idp
        .admin_get_user()
        .user_pool_id(&pool.pool_id)
        .username("cai")
        .send()
        .await
        .unwrap();
    assert_eq!(cai.user_status, Some(idp::types::UserStatusType::Confirmed));

    assert_eq!(
        app.rest(Method::DELETE, &format!("{users}/anton"), None)
            .await
            .status,
        204
    );
    let missing = app.rest(Method::GET, &format!("{users}/anton"), None).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.problem(), "UserNotFoundException");
    let missing = app
        .rest(Method::POST, &format!("{users}/anton/disable"), None)
        .await;
    assert_eq!(missing.problem(), "UserNotFoundException");
}

#[tokio::test]
async fn groups_and_memberships() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.confirmed_user(&pool, "dan").await;
    let groups = format!("/pools/{}/groups", pool.pool_id);
    let made = app
        .rest(
            Method::POST,
            &groups,
            Some(json!({"GroupName": "staff", "Precedence": 3})),
        )
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let again = app
        .rest(Method::POST, &groups, Some(json!({"GroupName": "staff"})))
        .await;
    assert_eq!(again.status, 409);
    assert_eq!(again.problem(), "GroupExistsException");
    let patched = app
        .rest(
            Method::PATCH,
            &format!("{groups}/staff"),
            Some(json!({"Description": "the staff"})),
        )
        .await;
    assert_eq!(patched.body["Description"], "the staff");
    assert_eq!(
        app.rest(Method::GET, &format!("{groups}/staff"), None)
            .await
            .body["Precedence"],
        3
    );
    let member = format!("{groups}/staff/members/dan");
    assert_eq!(app.rest(Method::PUT, &member, None).await.status, 204);
    let members = app
        .rest(Method::GET, &format!("{groups}/staff/members"), None)
        .await;
    assert_eq!(members.body["items"][0]["Username"], "dan");
    let of_user = app
        .rest(
            Method::GET,
            &format!("/pools/{}/users/dan/groups", pool.pool_id),
            None,
        )
        .await;
    assert_eq!(of_user.body["items"][0]["GroupName"], "staff");
    let listed = app.rest(Method::GET, &groups, None).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(app.rest(Method::DELETE, &member, None).await.status, 204);
    let nobody = app
        .rest(Method::PUT, &format!("{groups}/staff/members/nobody"), None)
        .await;
    assert_eq!(nobody.problem(), "UserNotFoundException");
    assert_eq!(
        app.rest(Method::DELETE, &format!("{groups}/staff"), None)
            .await
            .status,
        204
    );
    let gone = app
        .rest(Method::GET, &format!("{groups}/staff"), None)
        .await;
    assert_eq!(gone.problem(), "ResourceNotFoundException");
}

#[tokio::test]
async fn users_are_exported_and_imported_as_json_lines_and_csv() {
    let app = spawn().await;
    let source = app.pool().await;
    for name in ["eve", "finn"] {
        app.confirmed_user(&source, name).await;
    }
    let export = |pool: String, format: &'static str| {
        let url = format!(
            "{}{ADMIN_BASE}/pools/{pool}/user-export?format={format}",
            app.base
        );
        let http = app.http.clone();
        async move { http.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let lines = export(source.pool_id.clone(), "jsonl").await;
    assert_eq!(lines.lines().count(), 2, "{lines}");
    let csv = export(source.pool_id.clone(), "csv").await;
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with("name,given_name,family_name"),
        "{header}"
    );
    assert!(
        header.ends_with("cognito:mfa_enabled,cognito:username"),
        "{header}"
    );
    assert!(
        csv.contains("eve@example.com") || csv.contains(",eve"),
        "{csv}"
    );

    let import = |pool: String, format: &'static str, body: String| {
        let url = format!(
            "{}{ADMIN_BASE}/pools/{pool}/user-import?format={format}",
            app.base
        );
        let http = app.http.clone();
        async move {
            let res = http.post(url).body(body).send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.json::<Value>().await.unwrap()
        }
    };
    let target = app.pool().await;
    let report = import(target.pool_id.clone(), "jsonl", lines.clone()).await;
    assert_eq!(report["created"], 2, "{report}");
    // Again: every row now fails, by name.
    let report = import(target.pool_id.clone(), "jsonl", lines).await;
    assert_eq!(report["created"], 0);
    assert_eq!(report["failed"][0]["error"], "UsernameExistsException");

    let third = app.pool().await;
    let mut rows = csv.clone();
    rows.push_str(&",".repeat(20));
    rows.push('\n');
    let report = import(third.pool_id.clone(), "csv", rows).await;
    assert_eq!(report["created"], 2, "{report}");
    assert_eq!(report["failed"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["failed"][0]["line"], 4);
    let listed = app
        .idp
        .list_users()
        .user_pool_id(&third.pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.users().len(), 2);
}

async fn strict() -> TestApp {
    spawn_with(|c| Config {
        admin_access_key_id: Some(KEY.into()),
        admin_secret_access_key: Some(Secret::new(SECRET)),
        master_key: Some(Secret::new(Sealer::generate_key())),
        ..c
    })
    .await
}

#[tokio::test]
async fn tokens_and_signatures_authenticate_and_nothing_else_does() {
    let app = strict().await;
    let anonymous = app.rest(Method::GET, "/pools", None).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.problem(), "MissingAuthenticationTokenException");

    // The CLI makes a token and shows it once.
    let master_key = app.config.master_key.as_ref().unwrap().expose().to_string();
    let cli = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_cognate"))
            .args(args)
            .env("COGNATE_DATABASE_URL", &app.config.database_url)
            .env("COGNATE_MASTER_KEY", &master_key)
            .env("COGNATE_ADMIN_ACCESS_KEY_ID", KEY)
            .env("COGNATE_ADMIN_SECRET_ACCESS_KEY", SECRET)
            .output()
            .unwrap()
    };
    let made = cli(&["admin-token", "create", "--name", "ci"]);
    assert!(made.status.success(), "{made:?}");
    let token = String::from_utf8(made.stdout).unwrap().trim().to_string();
    assert!(token.starts_with("cgt_"), "{token}");
    let stored = app.sql_text("SELECT token_hash FROM admin_tokens").await;
    assert!(!stored.contains(&token[4..]), "the token is stored hashed");

    let ok = app.rest_as(Some(&token), Method::GET, "/pools", None).await;
    assert_eq!(ok.status, 200, "{:?}", ok.body);
    let wrong = app
        .rest_as(Some("cgt_not-a-token"), Method::GET, "/pools", None)
        .await;
    assert_eq!(wrong.status, 403);
    assert_eq!(wrong.problem(), "NotAuthorizedException");

    // Same-origin only: a page elsewhere cannot use the API, even with a token.
    let cross = app
        .http
        .get(format!("{}{ADMIN_BASE}/pools", app.base))
        .bearer_auth(&token)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    assert!(cross.headers().get("access-control-allow-origin").is_none());

    // SigV4 with the admin credentials.
    assert_eq!(signed_get(&app, KEY, SECRET).await, 200);
    assert_eq!(signed_get(&app, KEY, "wrong-secret").await, 403);

    let listed = cli(&["admin-token", "list"]);
    assert_eq!(String::from_utf8(listed.stdout).unwrap().trim(), "ci");
    assert!(cli(&["admin-token", "revoke", "--name", "ci"])
        .status
        .success());
    let revoked = app.rest_as(Some(&token), Method::GET, "/pools", None).await;
    assert_eq!(revoked.status, 403);
    assert!(!cli(&["admin-token", "revoke", "--name", "ci"])
        .status
        .success());
}

async fn signed_get(app: &TestApp, key: &str, secret: &str) -> u16 {
    use aws_credential_types::Credentials;
    use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
    use aws_sigv4::sign::v4;
    let identity = Credentials::new(key, secret, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("cognito-idp")
        .time(std::time::SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let url = format!("{}{ADMIN_BASE}/pools?limit=5", app.base);
    let signable =
        SignableRequest::new("GET", &url, std::iter::empty(), SignableBody::Bytes(b"")).unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut req = app.http.get(&url);
    for (name, value) in instructions.headers() {
        req = req.header(name, value);
    }
    req.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_and_parses_as_openapi_3_1() {
    let app = spawn().await;
    let res = app
        .http
        .get(format!("{}{ADMIN_BASE}/openapi.json", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let spec = oas3::from_json(&text).expect("a valid OpenAPI 3.1 document");
    assert!(spec.openapi.starts_with("3.1"), "{}", spec.openapi);
    let doc: Value = serde_json::from_str(&text).unwrap();
    for (method, path) in ADMIN_ROUTES {
        // A segment's pattern (`{identifier:.+}`) is the router's, not the document's.
        let path = path.replace(":.+}", "}");
        assert!(
            doc["paths"][format!("{ADMIN_BASE}{path}")][method].is_object(),
            "{method} {path} is not documented"
        );
    }
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
}
