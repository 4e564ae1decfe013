//! Federated sign-in through the hosted UI, over plain HTTP against providers the test runs
//! on loopback: /oauth2/authorize → upstream → /oauth2/idpresponse → code → /oauth2/token.

use aws_sdk_cognitoidentityprovider::types::{OAuthFlowType, ProviderUserIdentifierType};
use serde_json::{json, Value};

use crate::common::*;
use crate::federation_mock::{self as mock, Upstream};
use crate::oauth2_support::*;

/// A pool with an OIDC provider `Corp` and a Facebook provider at `up`, and a public
/// code-flow client that allows both.
pub async fn federated_pool(app: &TestApp, up: &Upstream) -> Pool {
    let pool = app.pool().await;
    with_providers(app, up, pool).await
}

/// `pool` with the providers at `up` and a client allowing them.
pub async fn with_providers(app: &TestApp, up: &Upstream, pool: Pool) -> Pool {
    mock::add_providers(app, up, &pool.pool_id).await;
    let client = app
        .client_for(&pool.pool_id, |c| {
            c.allowed_o_auth_flows_user_pool_client(true)
                .allowed_o_auth_flows(OAuthFlowType::Code)
                .allowed_o_auth_scopes("openid")
                .allowed_o_auth_scopes("email")
                .allowed_o_auth_scopes("profile")
                .callback_urls(CALLBACK)
                .supported_identity_providers("COGNITO")
                .supported_identity_providers("Corp")
                .supported_identity_providers("Facebook")
        })
        .await;
    Pool {
        pool_id: pool.pool_id,
        client_id: client.client_id.unwrap(),
    }
}

/// The whole federated login through `pick` (`identity_provider=X` or
/// `idp_identifier=Y`): the app's code and PKCE verifier, and the upstream authorize query.
pub async fn federated_login(
    browser: &mut Browser,
    pool: &Pool,
    pick: (&str, &str),
) -> (String, String, String) {
    let (verifier, challenge) = pkce();
    let query = authorize_query(
        pool,
        &[
            ("scope", "openid email profile"),
            ("state", "app-state"),
            ("nonce", "app-nonce"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
            pick,
        ],
    );
    let reply = browser.get(&format!("/oauth2/authorize?{query}")).await;
    assert_eq!(reply.status(), 302);
    let upstream = location(&reply);
    let at_provider = browser.get(&upstream).await;
    assert_eq!(at_provider.status(), 302, "{upstream}");
    let back = location(&at_provider);
    assert!(
        back.starts_with(&format!("{}/oauth2/idpresponse?", browser.base)),
        "{back}"
    );
    let done = browser.get(&back).await;
    assert_eq!(done.status(), 302, "{}", done.text().await.unwrap());
    let to = location(&done);
    assert!(to.starts_with(CALLBACK), "{to}");
    assert_eq!(param(&to, "state").as_deref(), Some("app-state"));
    (param(&to, "code").expect("a code"), verifier, upstream)
}

async fn id_claims(app: &TestApp, pool: &Pool, code: &str, verifier: &str) -> Value {
    let reply = exchange(app, pool, code, verifier).await;
    assert_eq!(reply.status(), 200);
    let tokens: Value = reply.json().await.unwrap();
    claims(tokens["id_token"].as_str().unwrap())
}

#[tokio::test]
async fn an_oidc_login_creates_the_mapped_user_and_a_second_one_updates_it() {
    let up = mock::start().await;
    let app = spawn().await;
    let pool = federated_pool(&app, &up).await;
    up.sign_in_as(json!({"sub": "u-1", "email": "lee@corp.example", "name": "Lee"}));
    let mut browser = Browser::new(&app);

    // The login page offers the providers the client allows.
    let (_, page) = open_login(&mut browser, &authorize_query(&pool, &[])).await;
    assert!(page.contains("id=\"provider-Corp\""), "{page}");
    assert!(page.contains("Continue with Facebook"), "{page}");

    let (code, verifier, upstream) =
        federated_login(&mut browser, &pool, ("identity_provider", "Corp")).await;
    // Upstream got a state, a nonce and a PKCE challenge of Cognate's own, not the app's.
    assert!(
        upstream.starts_with(&format!("{}/authorize?", up.base)),
        "{upstream}"
    );
    let asked = up.seen().authorize[0].clone();
    assert_eq!(asked["client_id"], mock::CLIENT_ID);
    assert_eq!(
        asked["redirect_uri"],
        format!("{}/oauth2/idpresponse", app.base)
    );
    assert_eq!(asked["code_challenge_method"], "S256");
    assert!(asked["scope"].contains("email"), "{asked:?}");
    assert_ne!(asked["state"], "app-state");
    assert_ne!(asked["nonce"], "app-nonce");

    let id = id_claims(&app, &pool, &code, &verifier).await;
    assert_eq!(id["cognito:username"], "Corp_u-1");
    assert_eq!(id["email"], "lee@corp.example");
    assert_eq!(
        id["nickname"], "engineering",
        "the userinfo claim is mapped too"
    );
    assert_eq!(id["nonce"], "app-nonce");
    assert_eq!(id["identities"][0]["providerName"], "Corp");
    assert_eq!(id["identities"][0]["providerType"], "OIDC");
    assert_eq!(id["identities"][0]["userId"], "u-1");
    let group = format!("{}_Corp", pool.pool_id);
    assert_eq!(
        id["cognito:groups"],
        json!([group]),
        "a provider's users join its autogenerated group"
    );
    let user = app.admin_get_user(&pool, "Corp_u-1").await.unwrap();
    assert_eq!(user.user_status().unwrap().as_str(), "EXTERNAL_PROVIDER");
    let sub = id["sub"].clone();

    // The next login (by the domain's identifier this time) updates the mapped attributes.
    up.sign_in_as(json!({"sub": "u-1", "email": "lee@new.example", "name": "Lee"}));
    let mut other = Browser::new(&app);
    let (code, verifier, _) =
        federated_login(&mut other, &pool, ("idp_identifier", "corp.example.com")).await;
    let id = id_claims(&app, &pool, &code, &verifier).await;
    assert_eq!(id["sub"], sub);
    assert_eq!(id["email"], "lee@new.example");
    let user = app.admin_get_user(&pool, "Corp_u-1").await.unwrap();
    assert_eq!(
        value_of(user.user_attributes(), "email"),
        Some("lee@new.example")
    );
}

#[tokio::test]
async fn the_provider_buttons_speak_the_pages_language() {
    let up = mock::start().await;
    let app = spawn().await;
    let pool = federated_pool(&app, &up).await;
    let mut browser = Browser::new(&app);
    let (_, page) = open_login(&mut browser, &authorize_query(&pool, &[])).await;
    assert!(
        page.contains(r#"role="group" aria-label="Sign in with another account""#),
        "{page}"
    );
    assert!(page.contains(">Continue with Corp</a>"), "{page}");
    assert!(page.contains("<span>or</span>"), "{page}");

    let (_, page) = open_login(&mut browser, &authorize_query(&pool, &[("lang", "fr")])).await;
    assert!(
        page.contains(r#"role="group" aria-label="Se connecter avec un autre compte""#),
        "{page}"
    );
    assert!(page.contains(">Continuer avec Corp</a>"), "{page}");
    assert!(page.contains(">Continuer avec Facebook</a>"), "{page}");
    assert!(page.contains("<span>ou</span>"), "{page}");
    assert!(!page.contains("Continue with"), "{page}");
}

#[tokio::test]
async fn a_facebook_login_reads_the_graph_and_maps_its_fields() {
    let up = mock::start().await;
    let app = spawn().await;
    let pool = federated_pool(&app, &up).await;
    up.sign_in_as(json!({"id": "10001", "email": "fb@example.com", "name": "Fay"}));
    let mut browser = Browser::new(&app);
    let (code, verifier, upstream) =
        federated_login(&mut browser, &pool, ("identity_provider", "Facebook")).await;
    assert!(upstream.starts_with(&format!("{}/dialog/oauth?", up.base)));
    assert_eq!(up.seen().authorize[0]["scope"], "public_profile,email");
    let id = id_claims(&app, &pool, &code, &verifier).await;
    assert_eq!(id["cognito:username"], "Facebook_10001");
    assert_eq!(id["email"], "fb@example.com");
    assert_eq!(id["name"], "Fay");
    assert_eq!(id["identities"][0]["providerType"], "Facebook");
}

#[tokio::test]
async fn a_linked_login_signs_in_as_the_existing_user_until_it_is_disabled() {
    let up = mock::start().await;
    let app = spawn().await;
    let pool = federated_pool(&app, &up).await;
    app.confirmed_user(&pool, "ana").await;
    let cognito = ProviderUserIdentifierType::builder()
        .provider_name("Cognito")
        .provider_attribute_value("ana")
        .build();
    let corp = ProviderUserIdentifierType::builder()
        .provider_name("Corp")
        .provider_attribute_name("Cognito_Subject")
        .provider_attribute_value("u-9")
        .build();
    app.idp
        .admin_link_provider_for_user()
        .user_pool_id(&pool.pool_id)
        .destination_user(cognito.clone())
        .source_user(corp.clone())
        .send()
        .await
        .unwrap();
    let again = app
        .idp
        .admin_link_provider_for_user()
        .user_pool_id(&pool.pool_id)
        .destination_user(cognito)
        .source_user(corp.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&again), "InvalidParameterException");

    up.sign_in_as(json!({"sub": "u-9", "email": "someone@corp.example"}));
    let mut browser = Browser::new(&app);
    let (code, verifier, _) =
        federated_login(&mut browser, &pool, ("identity_provider", "Corp")).await;
    let id = id_claims(&app, &pool, &code, &verifier).await;
    assert_eq!(id["cognito:username"], "ana");
    assert_eq!(
        id["email"], "ana@example.com",
        "a linked user keeps their attributes"
    );
    assert_eq!(id["identities"][0]["userId"], "u-9");

    app.idp
        .admin_disable_provider_for_user()
        .user_pool_id(&pool.pool_id)
        .user(corp)
        .send()
        .await
        .unwrap();
    let ana = app.admin_get_user(&pool, "ana").await.unwrap();
    assert_eq!(value_of(ana.user_attributes(), "identities"), None);
    // Unlinked, the same login is a new federated user.
    let mut browser = Browser::new(&app);
    let (code, verifier, _) =
        federated_login(&mut browser, &pool, ("identity_provider", "Corp")).await;
    let id = id_claims(&app, &pool, &code, &verifier).await;
    assert_eq!(id["cognito:username"], "Corp_u-9");
}

/// Starts a login at Corp and returns the idpresponse URL the provider sent back.
async fn to_idpresponse(browser: &mut Browser, pool: &Pool) -> String {
    let query = authorize_query(pool, &[("identity_provider", "Corp"), ("state", "s")]);
    let reply = browser.get(&format!("/oauth2/authorize?{query}")).await;
    let at_provider = browser.get(&location(&reply)).await;
    location(&at_provider)
}

async fn users_in(app: &TestApp, pool: &Pool) -> usize {
    let listed = app
        .idp
        .list_users()
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap();
    listed.users().len()
}

#[tokio::test]
async fn a_wrong_state_or_an_upstream_failure_ends_on_the_error_page_and_changes_nothing() {
    let up = mock::start().await;
    let app = spawn().await;
    let pool = federated_pool(&app, &up).await;
    up.sign_in_as(json!({"sub": "u-2", "email": "x@corp.example"}));
    let mut browser = Browser::new(&app);

    // A forged state.
    let back = to_idpresponse(&mut browser, &pool).await;
    let code = param(&back, "code").unwrap();
    let forged = format!("/oauth2/idpresponse?code={code}&state=forged");
    let reply = browser.get(&forged).await;
    assert_eq!(reply.status(), 400);
    assert!(reply
        .text()
        .await
        .unwrap()
        .contains("expired or was already completed"));
    // The real state works once, never twice.
    let path = back.trim_start_matches(&browser.base).to_string();
    assert_eq!(browser.get(&path).await.status(), 302);
    assert_eq!(browser.get(&path).await.status(), 400);
    assert_eq!(users_in(&app, &pool).await, 1);

    // The provider refuses the user.
    up.seen().refuse = Some("access_denied".into());
    let back = to_idpresponse(&mut browser, &pool).await;
    let path = back.trim_start_matches(&browser.base).to_string();
    let reply = browser.get(&path).await;
    assert_eq!(reply.status(), 400);
    assert!(reply.text().await.unwrap().contains("access_denied"));

    // The provider's token endpoint fails.
    up.sign_in_as(json!({"sub": "u-3", "email": "y@corp.example"}));
    up.seen().token_fails = true;
    let back = to_idpresponse(&mut browser, &pool).await;
    let path = back.trim_start_matches(&browser.base).to_string();
    let reply = browser.get(&path).await;
    assert_eq!(reply.status(), 400);
    assert!(reply
        .text()
        .await
        .unwrap()
        .contains("could not be verified"));
    assert_eq!(
        users_in(&app, &pool).await,
        1,
        "no user for the failed logins"
    );

    // A provider the client does not allow goes back to the app with an error.
    let query = authorize_query(&pool, &[("identity_provider", "Nope"), ("state", "s")]);
    let reply = browser.get(&format!("/oauth2/authorize?{query}")).await;
    let to = location(&reply);
    assert!(to.starts_with(CALLBACK), "{to}");
    assert_eq!(param(&to, "error").as_deref(), Some("invalid_request"));
}
