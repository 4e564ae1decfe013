//! The REST admin API's resource servers, domains, identity pools and identities: each
//! route's success, each of its errors as problem+json, and agreement with the AWS API.

use reqwest::Method;
use serde_json::json;

use crate::common::*;

const API: &str = "https%3A%2F%2Fapi.example.com";

#[tokio::test]
async fn resource_servers_are_created_read_patched_paged_and_deleted() {
    let app = spawn().await;
    let pool = app.pool().await;
    let base = format!("/pools/{}/resource-servers", pool.pool_id);
    let body = json!({"Identifier": "https://api.example.com", "Name": "api",
        "Scopes": [{"ScopeName": "read", "ScopeDescription": "Read"}]});
    let made = app.rest(Method::POST, &base, Some(body.clone())).await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    assert_eq!(made.body["Identifier"], "https://api.example.com");
    let other = json!({"Identifier": "orders", "Name": "orders"});
    assert_eq!(app.rest(Method::POST, &base, Some(other)).await.status, 201);

    let twice = app.rest(Method::POST, &base, Some(body)).await;
    assert_eq!(
        (twice.status, twice.problem()),
        (400, "InvalidParameterException")
    );
    let nameless = app
        .rest(Method::POST, &base, Some(json!({"Identifier": "x"})))
        .await;
    assert_eq!(
        (nameless.status, nameless.problem()),
        (400, "InvalidParameterException")
    );
    let no_pool = json!({"Identifier": "x", "Name": "x"});
    let no_pool = app
        .rest(
            Method::POST,
            "/pools/us-east-1_nothere/resource-servers",
            Some(no_pool),
        )
        .await;
    assert_eq!(
        (no_pool.status, no_pool.problem()),
        (404, "ResourceNotFoundException")
    );

    let first = app
        .rest(Method::GET, &format!("{base}?limit=1"), None)
        .await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 1);
    let cursor = first.body["next_cursor"].as_str().expect("a second page");
    let second = app
        .rest(
            Method::GET,
            &format!("{base}?limit=1&cursor={cursor}"),
            None,
        )
        .await;
    assert_eq!(second.body["items"].as_array().unwrap().len(), 1);
    assert_ne!(first.body["items"][0], second.body["items"][0]);

    let got = app.rest(Method::GET, &format!("{base}/{API}"), None).await;
    assert_eq!((got.status, got.body["Name"].as_str()), (200, Some("api")));
    let missing = app
        .rest(Method::GET, &format!("{base}/nothere"), None)
        .await;
    assert_eq!(
        (missing.status, missing.problem()),
        (404, "ResourceNotFoundException")
    );

    // PATCH changes the name and keeps the scopes (UpdateResourceServer alone would drop them).
    let patched = app
        .rest(
            Method::PATCH,
            &format!("{base}/{API}"),
            Some(json!({"Name": "renamed"})),
        )
        .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    let seen = app
        .idp
        .describe_resource_server()
        .user_pool_id(&pool.pool_id)
        .identifier("https://api.example.com")
        .send()
        .await
        .unwrap()
        .resource_server
        .unwrap();
    assert_eq!(seen.name(), Some("renamed"));
    assert_eq!(seen.scopes().len(), 1);
    let bad = app
        .rest(
            Method::PATCH,
            &format!("{base}/{API}"),
            Some(json!({"Scopes": "read"})),
        )
        .await;
    assert_eq!(bad.status, 400, "{:?}", bad.body);
    let gone = app
        .rest(
            Method::PATCH,
            &format!("{base}/nothere"),
            Some(json!({"Name": "n"})),
        )
        .await;
    assert_eq!(
        (gone.status, gone.problem()),
        (404, "ResourceNotFoundException")
    );

    assert_eq!(
        app.rest(Method::DELETE, &format!("{base}/{API}"), None)
            .await
            .status,
        204
    );
    let again = app
        .rest(Method::DELETE, &format!("{base}/{API}"), None)
        .await;
    assert_eq!(
        (again.status, again.problem()),
        (404, "ResourceNotFoundException")
    );
}

#[tokio::test]
async fn a_pools_domain_is_created_read_patched_and_deleted() {
    let app = spawn().await;
    let pool = app.pool().await;
    let other = app.pool().await;
    let path = format!("/pools/{}/domain", pool.pool_id);
    let none = app.rest(Method::GET, &path, None).await;
    assert_eq!(
        (none.status, none.problem()),
        (404, "ResourceNotFoundException")
    );
    let domain = format!("app-{}", &pool.client_id[..8].to_lowercase());

    let made = app
        .rest(Method::POST, &path, Some(json!({"Domain": domain})))
        .await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let taken = app
        .rest(
            Method::POST,
            &format!("/pools/{}/domain", other.pool_id),
            Some(json!({"Domain": domain})),
        )
        .await;
    assert_eq!(
        (taken.status, taken.problem()),
        (400, "InvalidParameterException")
    );
    let no_pool = app
        .rest(
            Method::POST,
            "/pools/us-east-1_nothere/domain",
            Some(json!({"Domain": "zz-top"})),
        )
        .await;
    assert_eq!(
        (no_pool.status, no_pool.problem()),
        (404, "ResourceNotFoundException")
    );

    let got = app.rest(Method::GET, &path, None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["Domain"].as_str(), Some(domain.as_str()));
    assert_eq!(got.body["UserPoolId"].as_str(), Some(pool.pool_id.as_str()));

    let patched = app
        .rest(
            Method::PATCH,
            &path,
            Some(json!({"ManagedLoginVersion": 2})),
        )
        .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    let described = app
        .idp
        .describe_user_pool_domain()
        .domain(&domain)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.domain_description.unwrap().managed_login_version,
        Some(2)
    );
    let bad = app
        .rest(
            Method::PATCH,
            &path,
            Some(json!({"ManagedLoginVersion": 7})),
        )
        .await;
    assert_eq!(
        (bad.status, bad.problem()),
        (400, "InvalidParameterException")
    );

    assert_eq!(app.rest(Method::DELETE, &path, None).await.status, 204);
    let again = app.rest(Method::DELETE, &path, None).await;
    assert_eq!(
        (again.status, again.problem()),
        (404, "ResourceNotFoundException")
    );
    let patch_none = app
        .rest(
            Method::PATCH,
            &path,
            Some(json!({"ManagedLoginVersion": 1})),
        )
        .await;
    assert_eq!(
        (patch_none.status, patch_none.problem()),
        (404, "ResourceNotFoundException")
    );
}

#[tokio::test]
async fn identity_pools_their_roles_and_identities_are_managed() {
    let app = spawn().await;
    let body = json!({"IdentityPoolName": "guests", "AllowUnauthenticatedIdentities": true});
    let made = app.rest(Method::POST, "/identity-pools", Some(body)).await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    let id = made.body["IdentityPoolId"].as_str().unwrap().to_string();
    let bad = app
        .rest(
            Method::POST,
            "/identity-pools",
            Some(json!({"IdentityPoolName": "x"})),
        )
        .await;
    assert_eq!(
        (bad.status, bad.problem()),
        (400, "InvalidParameterException")
    );

    let listed = app.rest(Method::GET, "/identity-pools", None).await;
    assert_eq!(
        listed.body["items"][0]["IdentityPoolId"].as_str(),
        Some(id.as_str())
    );
    let path = format!("/identity-pools/{id}");
    assert_eq!(
        app.rest(Method::GET, &path, None).await.body["IdentityPoolName"],
        "guests"
    );
    let unknown = "/identity-pools/us-east-1:00000000-0000-0000-0000-000000000000";
    let missing = app.rest(Method::GET, unknown, None).await;
    assert_eq!(
        (missing.status, missing.problem()),
        (404, "ResourceNotFoundException")
    );

    let patched = app
        .rest(
            Method::PATCH,
            &path,
            Some(json!({"DeveloperProviderName": "login.example"})),
        )
        .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    assert_eq!(patched.body["IdentityPoolName"], "guests");
    assert_eq!(patched.body["AllowUnauthenticatedIdentities"], true);
    let bad_patch = app
        .rest(Method::PATCH, &path, Some(json!({"IdentityPoolName": ""})))
        .await;
    assert_eq!(
        (bad_patch.status, bad_patch.problem()),
        (400, "InvalidParameterException")
    );

    let role = "arn:aws:iam::123456789012:role/Guests";
    let roles = format!("{path}/roles");
    let set = app
        .rest(
            Method::PUT,
            &roles,
            Some(json!({"Roles": {"unauthenticated": role}})),
        )
        .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    assert_eq!(
        app.rest(Method::GET, &roles, None).await.body["Roles"]["unauthenticated"],
        role
    );
    let bad_roles = app
        .rest(
            Method::PUT,
            &roles,
            Some(json!({"Roles": {"unauthenticated": "nope"}})),
        )
        .await;
    assert_eq!(bad_roles.status, 400, "{:?}", bad_roles.body);

    // An identity handed out by GetId, seen, then deleted through REST.
    let identity = app
        .identity()
        .get_id()
        .identity_pool_id(&id)
        .send()
        .await
        .unwrap();
    let identity_id = identity.identity_id().unwrap();
    let identities = format!("{path}/identities");
    let page = app.rest(Method::GET, &identities, None).await;
    assert_eq!(
        page.body["items"][0]["IdentityId"].as_str(),
        Some(identity_id)
    );
    let one = format!("{identities}/{identity_id}");
    assert_eq!(app.rest(Method::GET, &one, None).await.status, 200);
    let other = app
        .rest(
            Method::POST,
            "/identity-pools",
            Some(json!({"IdentityPoolName": "other", "AllowUnauthenticatedIdentities": false})),
        )
        .await;
    let elsewhere = format!(
        "/identity-pools/{}/identities/{identity_id}",
        other.body["IdentityPoolId"].as_str().unwrap()
    );
    let wrong_pool = app.rest(Method::GET, &elsewhere, None).await;
    assert_eq!(
        (wrong_pool.status, wrong_pool.problem()),
        (404, "ResourceNotFoundException")
    );
    assert_eq!(app.rest(Method::DELETE, &one, None).await.status, 204);
    let deleted = app.rest(Method::DELETE, &one, None).await;
    assert_eq!(
        (deleted.status, deleted.problem()),
        (404, "ResourceNotFoundException")
    );

    assert_eq!(app.rest(Method::DELETE, &path, None).await.status, 204);
    let gone = app.rest(Method::GET, &path, None).await;
    assert_eq!(
        (gone.status, gone.problem()),
        (404, "ResourceNotFoundException")
    );
    let gone = app.rest(Method::DELETE, &path, None).await;
    assert_eq!(
        (gone.status, gone.problem()),
        (404, "ResourceNotFoundException")
    );
}
