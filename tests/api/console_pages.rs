//! The console's pages around a user and a pool, as a browser without JavaScript sees them: a
//! user's remembered devices and sign-in sessions, each ended only after asking and only with
//! the page's CSRF token; a pool's groups, identity providers (secrets hidden), identity pools
//! and the audit log, linked together.

use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, IdentityProviderTypeType};
use reqwest::Method;

use crate::common::*;
use crate::console::{csrf, go, page};

/// The `action` of the first form whose action contains `part`, unescaped.
fn form_action(body: &str, part: &str) -> String {
    body.split("action=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .find(|a| a.contains(part))
        .unwrap_or_else(|| panic!("a form posting to {part}: {body}"))
        .replace("&#x2f;", "/")
        .replace("&#47;", "/")
}

async fn sub_of(app: &TestApp, pool: &Pool, username: &str) -> String {
    let user = app.admin_get_user(pool, username).await.unwrap();
    let attrs = user.user_attributes.unwrap_or_default();
    let sub = attrs.iter().find(|a| a.name == "sub").unwrap();
    sub.value.clone().unwrap()
}

async fn devices(app: &TestApp, pool: &Pool) -> usize {
    let list = app.idp.admin_list_devices().user_pool_id(&pool.pool_id);
    let list = list.username("mia").send().await.unwrap();
    list.devices.unwrap_or_default().len()
}

async fn refresh(app: &TestApp, pool: &Pool, token: &str) -> Result<(), String> {
    let auth = app.idp.initiate_auth().client_id(&pool.client_id);
    let auth = auth.auth_flow(AuthFlowType::RefreshTokenAuth);
    let sent = auth.auth_parameters("REFRESH_TOKEN", token).send().await;
    sent.map(|_| ()).map_err(|e| code(&e))
}

#[tokio::test]
async fn a_users_devices_and_sessions_end_only_when_confirmed_with_the_csrf_token() {
    let app = spawn().await;
    let pool = app.pool().await;
    let signed_in = app.signed_in_user(&pool, "mia").await;
    let refresh_token = signed_in.refresh_token.unwrap();
    let sub = sub_of(&app, &pool, "mia").await;
    app.sql(&format!(
        "INSERT INTO devices (device_key, pool_id, sub, group_key, name, remembered, created_at, \
         updated_at) VALUES ('us-east-1_0f1e2d3c-0000-4000-8000-000000000001', '{}', '{sub}', 'g', 'Mia''s phone', 1, 1, 1)",
        pool.pool_id
    ))
    .await;

    let user = format!("/admin/pools/{}/users/mia", pool.pool_id);
    let body = page(&app, &user).await;
    assert!(
        body.contains("Mia&#x27;s phone") || body.contains("Mia&#39;s phone"),
        "{body}"
    );
    assert!(
        body.contains(&pool.client_id),
        "the session's client: {body}"
    );
    let token = csrf(&body);

    // A form without the page's token is refused and changes nothing; so is a forged one.
    let forget = form_action(&body, "/devices/");
    let refused = go(&app, None, Method::POST, &forget, &[("confirmed", "yes")]).await;
    assert_eq!(refused.status, 403);
    let forged = [("csrf", "0123"), ("confirmed", "yes")];
    assert_eq!(
        go(&app, None, Method::POST, &forget, &forged).await.status,
        403
    );
    let disable = format!("{user}/disable");
    assert_eq!(
        go(&app, None, Method::POST, &disable, &forged).await.status,
        403
    );
    assert!(app.admin_get_user(&pool, "mia").await.unwrap().enabled);
    assert_eq!(devices(&app, &pool).await, 1);

    // With the token it asks first, and forgets only once confirmed.
    let asked = go(&app, None, Method::POST, &forget, &[("csrf", &token)]).await;
    assert!(asked.body.contains("Are you sure?"), "{}", asked.body);
    assert_eq!(devices(&app, &pool).await, 1);
    let yes = [("csrf", token.as_str()), ("confirmed", "yes")];
    let done = go(&app, None, Method::POST, &forget, &yes).await;
    assert!(
        done.body.contains("The device was forgotten."),
        "{}",
        done.body
    );
    assert_eq!(devices(&app, &pool).await, 0);

    // Revoking the sign-in session ends its refresh token (and asks first).
    let revoke = form_action(&body, "/sessions/");
    let bad = [("csrf", "nope"), ("confirmed", "yes")];
    assert_eq!(
        go(&app, None, Method::POST, &revoke, &bad).await.status,
        403
    );
    let asked = go(&app, None, Method::POST, &revoke, &[("csrf", &token)]).await;
    assert!(asked.body.contains("Are you sure?"));
    assert_eq!(refresh(&app, &pool, &refresh_token).await, Ok(()));
    let done = go(&app, None, Method::POST, &revoke, &yes).await;
    assert!(
        done.body.contains("The session was revoked."),
        "{}",
        done.body
    );
    assert_eq!(
        refresh(&app, &pool, &refresh_token).await,
        Err("NotAuthorizedException".into())
    );
    assert!(
        !done.body.contains(&revoke),
        "the session is gone from the page"
    );
    let again = go(&app, None, Method::POST, &revoke, &yes).await;
    assert!(again.body.contains("not active"), "{}", again.body);

    let audit = page(
        &app,
        &format!("/admin/audit?resource=pool/{}/user/mia", pool.pool_id),
    )
    .await;
    assert!(
        audit.contains("AdminForgetDevice") && audit.contains("RevokeSession"),
        "{audit}"
    );
    assert!(
        !audit.contains("AdminDisableUser"),
        "the refused disable did nothing"
    );
}

#[tokio::test]
async fn groups_providers_identity_pools_and_the_audit_log_have_linked_pages() {
    let app = spawn().await;
    let pool = app.pool().await;
    let other = app.pool().await;
    app.confirmed_user(&pool, "mia").await;
    let group = app.idp.create_group().user_pool_id(&pool.pool_id);
    let group = group
        .group_name("admins")
        .description("The admins")
        .precedence(1);
    group.send().await.unwrap();
    let add = app
        .idp
        .admin_add_user_to_group()
        .user_pool_id(&pool.pool_id);
    add.username("mia")
        .group_name("admins")
        .send()
        .await
        .unwrap();
    let provider = app
        .idp
        .create_identity_provider()
        .user_pool_id(&pool.pool_id);
    provider
        .provider_name("Facebook")
        .provider_type(IdentityProviderTypeType::Facebook)
        .provider_details("client_id", "fb-app-1234")
        .provider_details("client_secret", "fb-secret-5678")
        .provider_details("authorize_scopes", "email")
        .attribute_mapping("email", "email")
        .send()
        .await
        .unwrap();
    let identity_pool = app.identity_pool(Some(&pool), true).await;
    app.default_roles(&identity_pool).await;

    let base = format!("/admin/pools/{}", pool.pool_id);
    let overview = page(&app, &base).await;
    for tab in [
        "/users\"",
        "/groups\"",
        "/providers\"",
        "/admin/audit?resource=",
    ] {
        assert!(overview.contains(tab), "{tab}: {overview}");
    }
    let groups = page(&app, &format!("{base}/groups")).await;
    assert!(
        groups.contains(&format!("{base}/groups/admins")),
        "{groups}"
    );
    let admins = page(&app, &format!("{base}/groups/admins")).await;
    assert!(admins.contains("The admins") && admins.contains(&format!("{base}/users/mia")));
    let user = page(&app, &format!("{base}/users/mia")).await;
    assert!(user.contains(&format!("{base}/groups/admins")), "{user}");
    let missing = page(&app, &format!("{base}/groups/nobody")).await;
    assert!(missing.contains("ResourceNotFound"), "{missing}");

    let providers = page(&app, &format!("{base}/providers")).await;
    assert!(
        providers.contains(&format!("{base}/providers/Facebook")),
        "{providers}"
    );
    let facebook = page(&app, &format!("{base}/providers/Facebook")).await;
    assert!(facebook.contains("fb-app-1234") && facebook.contains("hidden"));
    assert!(!facebook.contains("fb-secret-5678"), "{facebook}");

    let pools = page(&app, "/admin/identity-pools").await;
    let detail = format!(
        "/admin/identity-pools/{}",
        identity_pool.replace(':', "%3A")
    );
    assert!(pools.contains(&detail), "{pools}");
    let detail = page(&app, &detail).await;
    assert!(
        detail.contains("test identities")
            && detail.contains("role/Guest")
            && detail.contains(&provider_of(&pool)),
        "{detail}"
    );

    let audit = page(
        &app,
        &format!("/admin/audit?resource=pool/{}", pool.pool_id),
    )
    .await;
    assert!(
        audit.contains("CreateGroup") && audit.contains("AdminAddUserToGroup"),
        "{audit}"
    );
    let elsewhere = page(
        &app,
        &format!("/admin/audit?resource=pool/{}", other.pool_id),
    )
    .await;
    assert!(!elsewhere.contains("CreateGroup"), "{elsewhere}");
    assert!(page(&app, "/admin/audit")
        .await
        .contains("CreateIdentityProvider"));
}
