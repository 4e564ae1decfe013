//! Pools as code beyond the user pool: the sample's resource server, domain, identity pool,
//! IAM role and role attachment, each as the AWS APIs then describe it, with `!Ref` and
//! `!GetAtt` giving what CloudFormation gives; a broken one of each changes nothing.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::*;

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/pools.yaml")
}

async fn import(app: &TestApp, path: &Path) -> anyhow::Result<Value> {
    let report = startup::import_template(&app.config, path, Some("shop")).await?;
    Ok(serde_json::to_value(report).unwrap())
}

#[tokio::test]
async fn identity_pools_roles_domains_and_resource_servers_are_imported() {
    let app = spawn().await;
    let report = import(&app, &sample()).await.unwrap();
    let (resources, outputs) = (&report["resources"], &report["outputs"]);
    let pool_id = resources["UserPool"].as_str().unwrap();

    // Ref of a resource server is its identifier; of a domain, the domain.
    let identifier = "https://shop.example.com/orders";
    assert_eq!(resources["OrdersApi"], identifier);
    assert_eq!(outputs["OrdersScope"], format!("{identifier}/read"));
    let server = app
        .idp
        .describe_resource_server()
        .user_pool_id(pool_id)
        .identifier(identifier)
        .send()
        .await
        .unwrap()
        .resource_server
        .unwrap();
    assert_eq!(server.scopes()[0].scope_name(), "read");
    assert_eq!(outputs["HostedUiDomain"], "shop-auth");
    let domain = app
        .idp
        .describe_user_pool_domain()
        .domain("shop-auth")
        .send()
        .await
        .unwrap();
    let domain = domain.domain_description.unwrap();
    assert_eq!(domain.user_pool_id(), Some(pool_id));
    assert_eq!(domain.managed_login_version(), Some(2));

    // Ref of an identity pool is its id; the role attachment names the role's ARN.
    let identity_pool = resources["IdentityPool"].as_str().unwrap();
    assert_eq!(outputs["IdentityPoolId"], identity_pool);
    let described = app
        .identity()
        .describe_identity_pool()
        .identity_pool_id(identity_pool)
        .send()
        .await
        .unwrap();
    assert_eq!(described.identity_pool_name(), "shop_identities");
    let provider = &described.cognito_identity_providers()[0];
    assert_eq!(provider.client_id(), resources["WebClient"].as_str());
    assert_eq!(
        provider.provider_name(),
        Some(format!("cognito-idp.us-east-1.amazonaws.com/{pool_id}").as_str())
    );
    assert_eq!(described.identity_pool_tags().unwrap()["app"], "shop");
    let roles = app
        .identity()
        .get_identity_pool_roles()
        .identity_pool_id(identity_pool)
        .send()
        .await
        .unwrap();
    let arn = outputs["SignedInRoleArn"].as_str().unwrap();
    assert!(arn.ends_with(":role/shop-signed-in"), "{arn}");
    assert_eq!(roles.roles().unwrap()["authenticated"], arn);
    assert_eq!(resources["SignedInRole"], "shop-signed-in");

    // The role is IAM's, with the trust policy naming the identity pool and its inline policy.
    let (status, role) = iam(
        &app,
        &[("Action", "GetRole"), ("RoleName", "shop-signed-in")],
    )
    .await;
    assert_eq!(status, 200, "{role}");
    // IAM sends policy documents URL-encoded.
    assert!(role.contains(&identity_pool.replace(':', "%3A")), "{role}");
    let wanted = [
        ("Action", "GetRolePolicy"),
        ("RoleName", "shop-signed-in"),
        ("PolicyName", "read-orders"),
    ];
    let (status, policy) = iam(&app, &wanted).await;
    assert_eq!(status, 200, "{policy}");

    // A second import leaves every one of them as it is.
    let again = import(&app, &sample()).await.unwrap();
    assert_eq!(again["created"], serde_json::json!([]));
    assert_eq!(again["updated"], serde_json::json!([]));
    assert_eq!(again["resources"], report["resources"]);

    // A changed policy and a changed scope update those two alone.
    let dir = tempfile::tempdir().unwrap();
    let changed = dir.path().join("shop.yaml");
    let text = std::fs::read_to_string(sample()).unwrap();
    let text = text
        .replace("PolicyName: read-orders", "PolicyName: orders")
        .replace("Read orders", "Read all orders");
    std::fs::write(&changed, text).unwrap();
    let third = import(&app, &changed).await.unwrap();
    assert_eq!(
        third["updated"],
        serde_json::json!(["OrdersApi", "SignedInRole"])
    );
    let (status, _) = iam(&app, &wanted).await;
    assert_eq!(status, 404, "the policy left out of the template is gone");
}

#[tokio::test]
async fn a_broken_identity_pool_or_role_changes_nothing() {
    let app = spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample()).unwrap();
    let broken = [
        text.replace(
            "AllowUnauthenticatedIdentities: false",
            "AllowUnauthenticatedIdentities: maybe",
        ),
        text.replace("Action: sts:AssumeRoleWithWebIdentity", "Action: [[]]"),
        text.replace(
            "RoleName: !Sub \"${AppName}-signed-in\"",
            "RoleName: \"no spaces allowed\"",
        ),
        text.replace(
            "authenticated: !GetAtt SignedInRole.Arn",
            "authenticated: !GetAtt SignedInRole.Nothing",
        ),
        text.replace("Domain: !Sub \"${AppName}-auth\"", "Domain: Not_A_Domain!"),
    ];
    for (i, t) in broken.iter().enumerate() {
        let path = dir.path().join(format!("broken{i}.yaml"));
        std::fs::write(&path, t).unwrap();
        let err = import(&app, &path).await.unwrap_err().to_string();
        assert!(err.contains("nothing was changed"), "template {i}: {err}");
    }
    let pools = app
        .idp
        .list_user_pools()
        .max_results(60)
        .send()
        .await
        .unwrap();
    assert!(pools.user_pools().is_empty());
    let identity_pools = app
        .identity()
        .list_identity_pools()
        .max_results(60)
        .send()
        .await
        .unwrap();
    assert!(identity_pools.identity_pools().is_empty());
    let (_, roles) = iam(&app, &[("Action", "ListRoles")]).await;
    assert!(!roles.contains("shop-signed-in"), "{roles}");
}
