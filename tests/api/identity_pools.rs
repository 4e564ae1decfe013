//! Identity pools end to end with aws-sdk-cognitoidentity: pools, guests, user-pool logins,
//! role mappings, developer identities and identity management.

use aws_sdk_cognitoidentity as ci;
use ci::types::{
    AmbiguousRoleResolutionType, MappingRule, MappingRuleMatchType, RoleMapping, RoleMappingType,
    RulesConfigurationType,
};

use crate::common::*;

#[tokio::test]
async fn identity_pools_are_created_described_updated_tagged_listed_and_deleted() {
    let app = spawn().await;
    let ci = app.identity();
    let id = app.identity_pool(None, true).await;
    assert!(id.starts_with("us-east-1:"), "{id}");
    let described = ci
        .describe_identity_pool()
        .identity_pool_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(described.identity_pool_name, "test identities");
    assert!(described.allow_unauthenticated_identities);
    assert_eq!(
        described.developer_provider_name(),
        Some("login.example.com")
    );
    let updated = ci
        .update_identity_pool()
        .identity_pool_id(&id)
        .identity_pool_name("renamed")
        .allow_unauthenticated_identities(false)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.identity_pool_name, "renamed");
    let arn = format!("arn:aws:cognito-identity:us-east-1:000000000000:identitypool/{id}");
    ci.tag_resource()
        .resource_arn(&arn)
        .tags("team", "red")
        .tags("env", "dev")
        .send()
        .await
        .unwrap();
    ci.untag_resource()
        .resource_arn(&arn)
        .tag_keys("env")
        .send()
        .await
        .unwrap();
    let tags = ci
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(tags.tags().unwrap().len(), 1);
    assert_eq!(tags.tags().unwrap()["team"], "red");
    let second = app.identity_pool(None, false).await;
    let page = ci
        .list_identity_pools()
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(page.identity_pools().len(), 1);
    let rest = ci
        .list_identity_pools()
        .max_results(5)
        .next_token(page.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        rest.identity_pools()[0].identity_pool_id(),
        Some(second.as_str())
    );
    ci.delete_identity_pool()
        .identity_pool_id(&id)
        .send()
        .await
        .unwrap();
    let gone = ci
        .describe_identity_pool()
        .identity_pool_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&gone), "ResourceNotFoundException");
}

#[tokio::test]
async fn guests_get_credentials_only_where_the_pool_allows_them() {
    let app = spawn().await;
    let ci = app.identity();
    let closed = app.identity_pool(None, false).await;
    let refused = ci
        .get_id()
        .identity_pool_id(&closed)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&refused), "NotAuthorizedException");
    let open = app.identity_pool(None, true).await;
    app.default_roles(&open).await;
    let id = ci
        .get_id()
        .identity_pool_id(&open)
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    let other = ci
        .get_id()
        .identity_pool_id(&open)
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    assert_ne!(id, other, "each guest GetId is a new identity");
    let got = ci
        .get_credentials_for_identity()
        .identity_id(&id)
        .send()
        .await
        .unwrap();
    let creds = got.credentials.unwrap();
    assert!(creds.access_key_id().unwrap().starts_with("ASIA"));
    assert!(creds.session_token().unwrap().len() > 40);
    let expires = creds.expiration().unwrap().secs();
    let in_an_hour = (now_secs() + 3600) as i64;
    assert!(
        (expires - in_an_hour).abs() < 30,
        "{expires} vs {in_an_hour}"
    );
    let role = app.sql_text("SELECT role_arn FROM temp_credentials").await;
    assert_eq!(role, "arn:aws:iam::000000000000:role/Guest");
    let secret = app
        .sql_text("SELECT secret_key FROM temp_credentials")
        .await;
    assert!(
        secret.starts_with("cog1:"),
        "the secret key is sealed at rest"
    );
    assert_ne!(secret, creds.secret_key().unwrap());
}

#[tokio::test]
async fn a_user_pool_login_is_one_identity_and_needs_its_token() {
    let app = spawn().await;
    let pool = app.pool().await;
    let ci = app.identity();
    let identity_pool = app.identity_pool(Some(&pool), false).await;
    app.default_roles(&identity_pool).await;
    let token = app.id_token(&pool, "alice").await;
    let get_id = || {
        ci.get_id()
            .identity_pool_id(&identity_pool)
            .logins(provider_of(&pool), &token)
            .send()
    };
    let id = get_id().await.unwrap().identity_id.unwrap();
    assert_eq!(
        get_id().await.unwrap().identity_id.unwrap(),
        id,
        "the same login, the same identity"
    );
    // The local issuer form names the same provider.
    let local = format!(
        "{}/{}",
        app.base.trim_start_matches("http://"),
        pool.pool_id
    );
    let again = ci
        .get_id()
        .identity_pool_id(&identity_pool)
        .logins(local, &token)
        .send()
        .await
        .unwrap();
    assert_eq!(again.identity_id.unwrap(), id);
    let without = ci
        .get_credentials_for_identity()
        .identity_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&without), "NotAuthorizedException");
    let with = ci
        .get_credentials_for_identity()
        .identity_id(&id)
        .logins(provider_of(&pool), &token)
        .send()
        .await
        .unwrap();
    assert_eq!(with.identity_id(), Some(id.as_str()));
    assert_eq!(
        app.sql_text("SELECT role_arn FROM temp_credentials").await,
        "arn:aws:iam::000000000000:role/Auth"
    );
    let described = ci
        .describe_identity()
        .identity_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(described.logins(), [provider_of(&pool)]);
}

#[tokio::test]
async fn tokens_of_another_pool_or_client_or_tampered_ones_are_refused() {
    let app = spawn().await;
    let pool = app.pool().await;
    let other_pool = app.pool().await;
    let identity_pool = app.identity_pool(Some(&pool), false).await;
    let ci = app.identity();
    // Another pool's token, presented as that pool: not a provider of this identity pool.
    let foreign = app.id_token(&other_pool, "mallory").await;
    let e = ci
        .get_id()
        .identity_pool_id(&identity_pool)
        .logins(provider_of(&other_pool), &foreign)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "NotAuthorizedException");
    assert!(
        message(&e).starts_with("Invalid login token."),
        "{}",
        message(&e)
    );
    // ... and presented as this pool's: its signature and issuer are not this pool's.
    let e = ci
        .get_id()
        .identity_pool_id(&identity_pool)
        .logins(provider_of(&pool), &foreign)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "NotAuthorizedException");
    // A token of another client of the right pool.
    let other_client = app
        .client_for(&pool.pool_id, |c| c.explicit_auth_flows(aws_sdk_cognitoidentityprovider::types::ExplicitAuthFlowsType::AllowUserPasswordAuth))
        .await;
    let other = Pool {
        pool_id: pool.pool_id.clone(),
        client_id: other_client.client_id.unwrap(),
    };
    app.confirmed_user(&pool, "bob").await;
    let bobs = app.tokens(&other, "bob").await.id_token.unwrap();
    let e = ci
        .get_id()
        .identity_pool_id(&identity_pool)
        .logins(provider_of(&pool), &bobs)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "NotAuthorizedException");
    // A tampered token.
    let good = app.id_token(&pool, "carol").await;
    let mut parts: Vec<String> = good.split('.').map(String::from).collect();
    parts[2] = parts[2].chars().rev().collect();
    let e = ci
        .get_id()
        .identity_pool_id(&identity_pool)
        .logins(provider_of(&pool), parts.join("."))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "NotAuthorizedException");
}

#[tokio::test]
async fn server_side_token_check_refuses_a_signed_out_session() {
    let app = spawn().await;
    let pool = app.pool().await;
    let ci = app.identity();
    let identity_pool = ci
        .create_identity_pool()
        .identity_pool_name("checked")
        .allow_unauthenticated_identities(false)
        .cognito_identity_providers(
            ci::types::CognitoIdentityProvider::builder()
                .provider_name(provider_of(&pool))
                .client_id(&pool.client_id)
                .server_side_token_check(true)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .identity_pool_id;
    let tokens = app.signed_in_user(&pool, "dave").await;
    let id_token = tokens.id_token.unwrap();
    ci.get_id()
        .identity_pool_id(&identity_pool)
        .logins(provider_of(&pool), &id_token)
        .send()
        .await
        .unwrap();
    app.idp
        .global_sign_out()
        .access_token(tokens.access_token.unwrap())
        .send()
        .await
        .unwrap();
    let e = ci
        .get_id()
        .identity_pool_id(&identity_pool)
        .logins(provider_of(&pool), &id_token)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "NotAuthorizedException");
}

fn rule(claim: &str, match_type: MappingRuleMatchType, value: &str, role: &str) -> MappingRule {
    MappingRule::builder()
        .claim(claim)
        .match_type(match_type)
        .value(value)
        .role_arn(format!("arn:aws:iam::000000000000:role/{role}"))
        .build()
        .unwrap()
}

#[tokio::test]
async fn rules_role_mappings_choose_the_role_and_ambiguity_is_resolved_as_configured() {
    let app = spawn().await;
    let pool = app.pool().await;
    let ci = app.identity();
    let identity_pool = app.identity_pool(Some(&pool), false).await;
    let set = |resolution: AmbiguousRoleResolutionType| {
        let mapping = RoleMapping::builder()
            .r#type(RoleMappingType::Rules)
            .ambiguous_role_resolution(resolution)
            .rules_configuration(
                RulesConfigurationType::builder()
                    .rules(rule(
                        "email",
                        MappingRuleMatchType::StartsWith,
                        "admin",
                        "Admins",
                    ))
                    .rules(rule(
                        "email",
                        MappingRuleMatchType::Contains,
                        "@staff.",
                        "Staff",
                    ))
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        ci.set_identity_pool_roles()
            .identity_pool_id(&identity_pool)
            .roles("authenticated", "arn:aws:iam::000000000000:role/Auth")
            .role_mappings(
                format!("{}:{}", provider_of(&pool), pool.client_id),
                mapping,
            )
            .send()
    };
    set(AmbiguousRoleResolutionType::AuthenticatedRole)
        .await
        .unwrap();
    let roles = ci
        .get_identity_pool_roles()
        .identity_pool_id(&identity_pool)
        .send()
        .await
        .unwrap();
    assert_eq!(roles.role_mappings().unwrap().len(), 1);
    let role_for = |username: &'static str, email: &'static str| {
        let (app, pool, identity_pool) = (&app, &pool, &identity_pool);
        async move {
            app.sign_up(pool, username, email).await;
            let confirmation = app.latest_code(&pool.pool_id, username).await;
            app.confirm_sign_up(pool, username, confirmation)
                .await
                .unwrap();
            let token = app.tokens(pool, username).await.id_token.unwrap();
            let ci = app.identity();
            let id = ci
                .get_id()
                .identity_pool_id(identity_pool)
                .logins(provider_of(pool), &token)
                .send()
                .await
                .unwrap()
                .identity_id
                .unwrap();
            let got = ci
                .get_credentials_for_identity()
                .identity_id(&id)
                .logins(provider_of(pool), &token)
                .send()
                .await;
            match got {
                Ok(out) => {
                    let key = out.credentials.unwrap().access_key_id.unwrap();
                    Ok(app
                        .sql_text(&format!(
                            "SELECT role_arn FROM temp_credentials WHERE access_key_id = '{key}'"
                        ))
                        .await)
                }
                Err(e) => Err(code(&e)),
            }
        }
    };
    assert!(role_for("root", "admin@example.com")
        .await
        .unwrap()
        .ends_with("role/Admins"));
    assert!(role_for("sam", "sam@staff.example.com")
        .await
        .unwrap()
        .ends_with("role/Staff"));
    assert!(role_for("pat", "pat@example.com")
        .await
        .unwrap()
        .ends_with("role/Auth"));
    set(AmbiguousRoleResolutionType::Deny).await.unwrap();
    assert_eq!(
        role_for("quinn", "quinn@example.com").await.unwrap_err(),
        "InvalidIdentityPoolConfigurationException"
    );
}

#[tokio::test]
async fn developer_identities_are_vouched_for_looked_up_merged_and_unlinked() {
    let app = spawn().await;
    let ci = app.identity();
    let identity_pool = app.identity_pool(None, false).await;
    app.default_roles(&identity_pool).await;
    let vouch = |user: &'static str| {
        ci.get_open_id_token_for_developer_identity()
            .identity_pool_id(&identity_pool)
            .logins("login.example.com", user)
            .send()
    };
    let first = vouch("user-1").await.unwrap();
    let id = first.identity_id.clone().unwrap();
    assert_eq!(vouch("user-1").await.unwrap().identity_id.unwrap(), id);
    let claims = claims(first.token().unwrap());
    assert_eq!(claims["aud"], identity_pool.as_str());
    assert_eq!(claims["sub"], id.as_str());
    // The client exchanges the token for credentials.
    let creds = ci
        .get_credentials_for_identity()
        .identity_id(&id)
        .logins("cognito-identity.amazonaws.com", first.token().unwrap())
        .send()
        .await
        .unwrap();
    assert!(creds
        .credentials
        .unwrap()
        .access_key_id
        .unwrap()
        .starts_with("ASIA"));
    let looked = ci
        .lookup_developer_identity()
        .identity_pool_id(&identity_pool)
        .developer_user_identifier("user-1")
        .send()
        .await
        .unwrap();
    assert_eq!(looked.identity_id.as_deref(), Some(id.as_str()));
    let second = vouch("user-2").await.unwrap().identity_id.unwrap();
    assert_ne!(second, id);
    let merged = ci
        .merge_developer_identities()
        .identity_pool_id(&identity_pool)
        .developer_provider_name("login.example.com")
        .source_user_identifier("user-2")
        .destination_user_identifier("user-1")
        .send()
        .await
        .unwrap();
    assert_eq!(merged.identity_id.as_deref(), Some(id.as_str()));
    let list = ci
        .lookup_developer_identity()
        .identity_pool_id(&identity_pool)
        .identity_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(list.developer_user_identifier_list().len(), 2);
    ci.unlink_developer_identity()
        .identity_pool_id(&identity_pool)
        .identity_id(&id)
        .developer_provider_name("login.example.com")
        .developer_user_identifier("user-2")
        .send()
        .await
        .unwrap();
    let list = ci
        .lookup_developer_identity()
        .identity_pool_id(&identity_pool)
        .identity_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(list.developer_user_identifier_list(), ["user-1"]);
    // The developer call needs the admin signature.
    let unsigned = app
        .raw(
            "AWSCognitoIdentityService.GetOpenIdTokenForDeveloperIdentity",
            &format!(
                r#"{{"IdentityPoolId":"{identity_pool}","Logins":{{"login.example.com":"x"}}}}"#
            ),
            false,
        )
        .await;
    assert_eq!(unsigned.status(), 403);
}

#[tokio::test]
async fn identities_are_listed_described_unlinked_and_deleted() {
    let app = spawn().await;
    let pool = app.pool().await;
    let ci = app.identity();
    let identity_pool = app.identity_pool(Some(&pool), true).await;
    let token = app.id_token(&pool, "erin").await;
    let signed_in = ci
        .get_id()
        .identity_pool_id(&identity_pool)
        .logins(provider_of(&pool), &token)
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    let guest = ci
        .get_id()
        .identity_pool_id(&identity_pool)
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    let page = ci
        .list_identities()
        .identity_pool_id(&identity_pool)
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(page.identities().len(), 1);
    assert_eq!(page.identities()[0].identity_id(), Some(signed_in.as_str()));
    let rest = ci
        .list_identities()
        .identity_pool_id(&identity_pool)
        .max_results(10)
        .next_token(page.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(rest.identities()[0].identity_id(), Some(guest.as_str()));
    ci.unlink_identity()
        .identity_id(&signed_in)
        .logins(provider_of(&pool), &token)
        .logins_to_remove(provider_of(&pool))
        .send()
        .await
        .unwrap();
    let described = ci
        .describe_identity()
        .identity_id(&signed_in)
        .send()
        .await
        .unwrap();
    assert!(described.logins().is_empty());
    let deleted = ci
        .delete_identities()
        .identity_ids_to_delete(&guest)
        .send()
        .await
        .unwrap();
    assert!(deleted.unprocessed_identity_ids().is_empty());
    let e = ci
        .describe_identity()
        .identity_id(&guest)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&e), "ResourceNotFoundException");
}

#[tokio::test]
async fn principal_tag_attribute_maps_are_kept_per_provider() {
    let app = spawn().await;
    let ci = app.identity();
    let identity_pool = app.identity_pool(None, true).await;
    let set = ci
        .set_principal_tag_attribute_map()
        .identity_pool_id(&identity_pool)
        .identity_provider_name("accounts.google.com")
        .use_defaults(false)
        .principal_tags("team", "custom:team")
        .send()
        .await
        .unwrap();
    assert_eq!(set.use_defaults(), Some(false));
    let got = ci
        .get_principal_tag_attribute_map()
        .identity_pool_id(&identity_pool)
        .identity_provider_name("accounts.google.com")
        .send()
        .await
        .unwrap();
    assert_eq!(got.principal_tags().unwrap()["team"], "custom:team");
}

#[tokio::test]
async fn without_local_mode_an_undefined_role_is_a_configuration_error() {
    let app = spawn_with(|c| Config {
        admin_access_key_id: Some("AKIACOGNATEADMIN".into()),
        admin_secret_access_key: Some(Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYCOGNATEKEY")),
        master_key: Some(Secret::new(Sealer::generate_key())),
        ..c
    })
    .await;
    let ci = app.identity();
    let identity_pool = app.identity_pool(None, true).await;
    let id = ci
        .get_id()
        .identity_pool_id(&identity_pool)
        .send()
        .await
        .unwrap()
        .identity_id
        .unwrap();
    let none = ci
        .get_credentials_for_identity()
        .identity_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&none), "InvalidIdentityPoolConfigurationException");
    app.default_roles(&identity_pool).await;
    let undefined = ci
        .get_credentials_for_identity()
        .identity_id(&id)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(&undefined),
        "InvalidIdentityPoolConfigurationException"
    );
}
