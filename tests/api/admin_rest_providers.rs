//! The REST admin API's identity providers under a pool: each route's success, each of its
//! errors as problem+json, and agreement with the AWS API's DescribeIdentityProvider.

use reqwest::Method;
use serde_json::{json, Value};

use crate::common::*;

fn google(name: &str) -> Value {
    json!({"ProviderName": name, "ProviderType": "Google",
        "ProviderDetails": {"client_id": "g-client", "client_secret": "g-secret",
            "authorize_scopes": "openid email"}})
}

#[tokio::test]
async fn identity_providers_are_created_read_patched_paged_and_deleted() {
    let app = spawn().await;
    let pool = app.pool().await;
    let base = format!("/pools/{}/identity-providers", pool.pool_id);

    let made = app.rest(Method::POST, &base, Some(google("Google"))).await;
    assert_eq!(made.status, 201, "{:?}", made.body);
    assert_eq!(made.body["ProviderName"], "Google");
    assert_eq!(
        made.body["ProviderDetails"]["authorize_url"],
        "https://accounts.google.com/o/oauth2/v2/auth"
    );
    let mut other = google("Work");
    other["IdpIdentifiers"] = json!(["example.com"]);
    assert_eq!(app.rest(Method::POST, &base, Some(other)).await.status, 201);

    let page1 = app
        .rest(Method::GET, &format!("{base}?limit=1"), None)
        .await;
    assert_eq!(page1.status, 200, "{:?}", page1.body);
    assert_eq!(page1.body["items"].as_array().unwrap().len(), 1);
    let cursor = page1.body["next_cursor"].as_str().expect("a second page");
    let page2 = app
        .rest(
            Method::GET,
            &format!("{base}?limit=1&cursor={cursor}"),
            None,
        )
        .await;
    assert_eq!(page2.body["items"].as_array().unwrap().len(), 1);
    assert!(page2.body.get("next_cursor").is_none(), "{:?}", page2.body);
    let names: Vec<&str> = [&page1, &page2]
        .iter()
        .map(|p| p.body["items"][0]["ProviderName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Google", "Work"]);

    let got = app.rest(Method::GET, &format!("{base}/Work"), None).await;
    assert_eq!(got.status, 200);
    assert_eq!(got.body["IdpIdentifiers"], json!(["example.com"]));

    // PATCH merges the details sent over those stored and leaves the identifiers alone.
    let patched = app
        .rest(
            Method::PATCH,
            &format!("{base}/Work"),
            Some(
                json!({"ProviderDetails": {"authorize_scopes": "openid profile"},
                "AttributeMapping": {"email": "email"}}),
            ),
        )
        .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    let seen = app
        .idp
        .describe_identity_provider()
        .user_pool_id(&pool.pool_id)
        .provider_name("Work")
        .send()
        .await
        .unwrap()
        .identity_provider
        .unwrap();
    let details = seen.provider_details().unwrap();
    assert_eq!(details["authorize_scopes"], "openid profile");
    assert_eq!(details["client_id"], "g-client");
    assert_eq!(seen.attribute_mapping().unwrap()["email"], "email");
    assert_eq!(seen.idp_identifiers(), ["example.com"]);

    assert_eq!(
        app.rest(Method::DELETE, &format!("{base}/Google"), None)
            .await
            .status,
        204
    );
    let listed = app.rest(Method::GET, &base, None).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    let entries = app.rest(Method::GET, "/audit", None).await;
    let ops: Vec<&str> = entries.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["operation"].as_str().unwrap())
        .collect();
    for op in [
        "CreateIdentityProvider",
        "UpdateIdentityProvider",
        "DeleteIdentityProvider",
    ] {
        assert!(ops.contains(&op), "{op} not audited: {ops:?}");
    }
}

#[tokio::test]
async fn identity_provider_errors_are_problems_and_change_nothing() {
    let app = spawn().await;
    let pool = app.pool().await;
    let base = format!("/pools/{}/identity-providers", pool.pool_id);
    assert_eq!(
        app.rest(Method::POST, &base, Some(google("Google")))
            .await
            .status,
        201
    );
    macro_rules! expect {
        ($r:expr, $status:expr, $name:expr) => {
            assert_eq!(($r.status, $r.problem()), ($status, $name), "{:?}", $r.body)
        };
    }

    let twice = app.rest(Method::POST, &base, Some(google("Google"))).await;
    expect!(twice, 400, "DuplicateProviderException");
    let mut incomplete = google("Corp");
    incomplete["ProviderType"] = json!("OIDC");
    let incomplete = app.rest(Method::POST, &base, Some(incomplete)).await;
    expect!(incomplete, 400, "InvalidParameterException");
    let mut bad_type = google("Odd");
    bad_type["ProviderType"] = json!("Myspace");
    let bad_type = app.rest(Method::POST, &base, Some(bad_type)).await;
    expect!(bad_type, 400, "InvalidParameterException");
    let reserved = app.rest(Method::POST, &base, Some(google("Cognito"))).await;
    expect!(reserved, 400, "InvalidParameterException");
    let not_object = app.rest(Method::POST, &base, Some(json!([1]))).await;
    expect!(not_object, 400, "SerializationException");
    let no_pool = app
        .rest(
            Method::POST,
            "/pools/us-east-1_nothere/identity-providers",
            Some(google("Google")),
        )
        .await;
    expect!(no_pool, 404, "ResourceNotFoundException");

    let list_no_pool = app
        .rest(
            Method::GET,
            "/pools/us-east-1_nothere/identity-providers",
            None,
        )
        .await;
    expect!(list_no_pool, 404, "ResourceNotFoundException");
    let bad_limit = app
        .rest(Method::GET, &format!("{base}?limit=61"), None)
        .await;
    expect!(bad_limit, 400, "InvalidParameterException");
    let missing = app.rest(Method::GET, &format!("{base}/Nope"), None).await;
    expect!(missing, 404, "ResourceNotFoundException");

    let patch_missing = app
        .rest(
            Method::PATCH,
            &format!("{base}/Nope"),
            Some(json!({"AttributeMapping": {"email": "email"}})),
        )
        .await;
    expect!(patch_missing, 404, "ResourceNotFoundException");
    let patch_bad = app
        .rest(
            Method::PATCH,
            &format!("{base}/Google"),
            Some(json!({"IdpIdentifiers": "gmail.com"})),
        )
        .await;
    expect!(patch_bad, 400, "SerializationException");
    let patch_array = app
        .rest(Method::PATCH, &format!("{base}/Google"), Some(json!([])))
        .await;
    expect!(patch_array, 400, "SerializationException");

    let delete_missing = app
        .rest(Method::DELETE, &format!("{base}/Nope"), None)
        .await;
    expect!(delete_missing, 404, "ResourceNotFoundException");

    // Nothing of the failures was written.
    let listed = app
        .idp
        .list_identity_providers()
        .user_pool_id(&pool.pool_id)
        .send()
        .await
        .unwrap();
    let names: Vec<&str> = listed
        .providers()
        .iter()
        .filter_map(|p| p.provider_name())
        .collect();
    assert_eq!(names, ["Google"]);
    let google = app
        .idp
        .describe_identity_provider()
        .user_pool_id(&pool.pool_id)
        .provider_name("Google")
        .send()
        .await
        .unwrap()
        .identity_provider
        .unwrap();
    assert!(google.idp_identifiers().is_empty());
}
