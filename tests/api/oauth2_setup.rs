//! The OAuth2 set-up of a pool: its domain, its resource servers and their scopes, the OAuth
//! settings of its clients as Cognito checks them, and the discovery document.

use aws_sdk_cognitoidentityprovider::types::{OAuthFlowType, ResourceServerScopeType};
use serde_json::Value;

use crate::common::*;

fn scope(name: &str) -> ResourceServerScopeType {
    ResourceServerScopeType::builder()
        .scope_name(name)
        .scope_description(format!("the {name} scope"))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_domain_is_created_described_updated_and_deleted() {
    let app = spawn().await;
    let pool = app.pool().await;
    let created = app
        .idp
        .create_user_pool_domain()
        .domain("my-app")
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap();
    assert_eq!(created.managed_login_version(), Some(1));
    let described = app
        .idp
        .describe_user_pool_domain()
        .domain("my-app")
        .send()
        .await
        .unwrap();
    let d = described.domain_description().unwrap();
    assert_eq!(d.user_pool_id(), Some(pool.pool_id.as_str()));
    assert_eq!(d.status().map(|s| s.as_str()), Some("ACTIVE"));

    // Another pool cannot take the name, nor this pool a second one.
    let other = app.pool().await;
    let err = app
        .idp
        .create_user_pool_domain()
        .domain("my-app")
        .user_pool_id(&other.pool_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = app
        .idp
        .create_user_pool_domain()
        .domain("second")
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");

    let updated = app
        .idp
        .update_user_pool_domain()
        .domain("my-app")
        .user_pool_id(&pool.pool_id)
        .managed_login_version(2)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.managed_login_version(), Some(2));

    // Only the pool that holds a domain deletes it.
    let err = app
        .idp
        .delete_user_pool_domain()
        .domain("my-app")
        .user_pool_id(&other.pool_id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    app.idp
        .delete_user_pool_domain()
        .domain("my-app")
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap();
    let gone = app
        .idp
        .describe_user_pool_domain()
        .domain("my-app")
        .send()
        .await
        .unwrap();
    assert!(gone.domain_description().is_none());
}

#[tokio::test]
async fn resource_servers_are_managed_and_listed_in_pages() {
    let app = spawn().await;
    let pool = app.pool().await;
    for id in ["https://api.one", "https://api.two", "https://api.three"] {
        app.idp
            .create_resource_server()
            .user_pool_id(&pool.pool_id)
            .identifier(id)
            .name("api")
            .scopes(scope("read"))
            .send()
            .await
            .unwrap();
    }
    let err = app
        .idp
        .create_resource_server()
        .user_pool_id(&pool.pool_id)
        .identifier("https://api.one")
        .name("again")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");

    let first = app
        .idp
        .list_resource_servers()
        .user_pool_id(&pool.pool_id)
        .max_results(2)
        .send()
        .await
        .unwrap();
    assert_eq!(first.resource_servers().len(), 2);
    let rest = app
        .idp
        .list_resource_servers()
        .user_pool_id(&pool.pool_id)
        .max_results(2)
        .next_token(first.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.resource_servers().len(), 1);
    assert!(rest.next_token().is_none());

    let updated = app
        .idp
        .update_resource_server()
        .user_pool_id(&pool.pool_id)
        .identifier("https://api.one")
        .name("renamed")
        .scopes(scope("write"))
        .send()
        .await
        .unwrap();
    let server = updated.resource_server().unwrap();
    assert_eq!(server.name(), Some("renamed"));
    assert_eq!(server.scopes()[0].scope_name(), "write");

    app.idp
        .delete_resource_server()
        .user_pool_id(&pool.pool_id)
        .identifier("https://api.one")
        .send()
        .await
        .unwrap();
    let err = app
        .idp
        .describe_resource_server()
        .user_pool_id(&pool.pool_id)
        .identifier("https://api.one")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ResourceNotFoundException");
}

#[tokio::test]
async fn a_clients_oauth_settings_are_checked() {
    let app = spawn().await;
    let pool = app.pool().await;
    app.idp
        .create_resource_server()
        .user_pool_id(&pool.pool_id)
        .identifier("orders")
        .name("orders")
        .scopes(scope("read"))
        .send()
        .await
        .unwrap();
    let client = |name: &str| {
        app.idp
            .create_user_pool_client()
            .user_pool_id(&pool.pool_id)
            .client_name(name)
    };
    // A scope nobody defined.
    let err = client("a")
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("orders/write")
        .callback_urls("https://app.example/cb")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "ScopeDoesNotExistException");
    // client_credentials needs a secret and takes no user scopes.
    let err = client("b")
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes("orders/read")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidOAuthFlowException");
    let err = client("c")
        .generate_secret(true)
        .allowed_o_auth_flows(OAuthFlowType::ClientCredentials)
        .allowed_o_auth_scopes("openid")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidOAuthFlowException");
    // Plain HTTP only on the local machine; no fragments.
    for url in [
        "http://app.example/cb",
        "https://app.example/cb#x",
        "not a url",
    ] {
        let err = client("d").callback_urls(url).send().await.unwrap_err();
        assert_eq!(code(&err), "InvalidParameterException", "{url}");
    }
    let err = client("e")
        .callback_urls("https://app.example/cb")
        .default_redirect_uri("https://app.example/other")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    let err = client("f")
        .supported_identity_providers("Google")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&err), "InvalidParameterException");
    // A well-formed set-up is stored as given.
    let ok = client("g")
        .allowed_o_auth_flows_user_pool_client(true)
        .allowed_o_auth_flows(OAuthFlowType::Code)
        .allowed_o_auth_scopes("openid")
        .allowed_o_auth_scopes("orders/read")
        .callback_urls("http://localhost:3000/cb")
        .callback_urls("myapp://callback")
        .supported_identity_providers("COGNITO")
        .send()
        .await
        .unwrap();
    let c = ok.user_pool_client().unwrap();
    assert_eq!(c.allowed_o_auth_scopes(), ["openid", "orders/read"]);
    assert_eq!(c.callback_urls().len(), 2);
}

#[tokio::test]
async fn discovery_lists_endpoints_that_answer() {
    let app = spawn().await;
    let pool = app.pool().await;
    let doc: Value = app
        .http
        .get(format!(
            "{}/{}/.well-known/openid-configuration",
            app.base, pool.pool_id
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        doc["authorization_endpoint"],
        format!("{}/oauth2/authorize", app.base)
    );
    assert_eq!(doc["code_challenge_methods_supported"][0], "S256");
    let scopes = doc["scopes_supported"].as_array().unwrap();
    assert!(scopes.iter().any(|s| s == "profile"), "{scopes:?}");
    // Every endpoint it names is served (none answers 404).
    for key in [
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "revocation_endpoint",
        "end_session_endpoint",
        "jwks_uri",
    ] {
        let url = doc[key].as_str().unwrap();
        let status = app.http.get(url).send().await.unwrap().status();
        assert_ne!(status, 404, "{key} {url}");
    }
}
