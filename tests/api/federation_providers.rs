//! The identity provider operations: Create/Describe/Update/Delete/ListIdentityProviders and
//! GetIdentityProviderByIdentifier, with Cognito's defaults and errors; details sealed.

use aws_sdk_cognitoidentityprovider::types::IdentityProviderTypeType;

use crate::common::*;

#[tokio::test]
async fn providers_are_created_with_defaults_described_updated_listed_and_deleted() {
    let app = spawn().await;
    let pool = app.pool().await;
    let created = app
        .idp
        .create_identity_provider()
        .user_pool_id(&pool.pool_id)
        .provider_name("Google")
        .provider_type(IdentityProviderTypeType::Google)
        .provider_details("client_id", "g-client")
        .provider_details("client_secret", "g-secret-value")
        .provider_details("authorize_scopes", "openid email")
        .idp_identifiers("gmail.com")
        .send()
        .await
        .unwrap()
        .identity_provider
        .unwrap();
    let details = created.provider_details().unwrap();
    assert_eq!(
        details["authorize_url"],
        "https://accounts.google.com/o/oauth2/v2/auth"
    );
    assert_eq!(details["oidc_issuer"], "https://accounts.google.com");
    assert_eq!(details["client_secret"], "g-secret-value");
    assert_eq!(created.attribute_mapping().unwrap()["username"], "sub");
    let stored = app.sql_text("SELECT details FROM identity_providers").await;
    assert!(
        stored.starts_with("cog1:") && !stored.contains("g-secret-value"),
        "{stored}"
    );

    let duplicate = app
        .idp
        .create_identity_provider()
        .user_pool_id(&pool.pool_id)
        .provider_name("Google")
        .provider_type(IdentityProviderTypeType::Google)
        .provider_details("client_id", "x")
        .provider_details("client_secret", "y")
        .provider_details("authorize_scopes", "openid")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&duplicate), "DuplicateProviderException");
    let incomplete = app
        .idp
        .create_identity_provider()
        .user_pool_id(&pool.pool_id)
        .provider_name("Corp")
        .provider_type(IdentityProviderTypeType::Oidc)
        .provider_details("client_id", "x")
        .provider_details("authorize_scopes", "openid")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&incomplete), "InvalidParameterException");
    assert!(message(&incomplete).contains("oidc_issuer"));

    let by_identifier = app
        .idp
        .get_identity_provider_by_identifier()
        .user_pool_id(&pool.pool_id)
        .idp_identifier("gmail.com")
        .send()
        .await
        .unwrap();
    assert_eq!(
        by_identifier.identity_provider.unwrap().provider_name(),
        Some("Google")
    );

    let updated = app
        .idp
        .update_identity_provider()
        .user_pool_id(&pool.pool_id)
        .provider_name("Google")
        .provider_details("authorize_scopes", "openid email profile")
        .attribute_mapping("email", "email")
        .send()
        .await
        .unwrap()
        .identity_provider
        .unwrap();
    let details = updated.provider_details().unwrap();
    assert_eq!(details["authorize_scopes"], "openid email profile");
    assert_eq!(details["client_id"], "g-client", "details are merged");
    assert_eq!(updated.attribute_mapping().unwrap()["email"], "email");

    app.idp
        .create_identity_provider()
        .user_pool_id(&pool.pool_id)
        .provider_name("Facebook")
        .provider_type(IdentityProviderTypeType::Facebook)
        .provider_details("client_id", "fb")
        .provider_details("client_secret", "fb-secret")
        .provider_details("authorize_scopes", "email")
        .send()
        .await
        .unwrap();
    let first = app
        .idp
        .list_identity_providers()
        .user_pool_id(&pool.pool_id)
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(first.providers().len(), 1);
    assert_eq!(first.providers()[0].provider_name(), Some("Facebook"));
    let second = app
        .idp
        .list_identity_providers()
        .user_pool_id(&pool.pool_id)
        .max_results(1)
        .next_token(first.next_token().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(second.providers()[0].provider_name(), Some("Google"));

    // Sign in with Apple's private key is kept, never shown.
    let apple = app
        .idp
        .create_identity_provider()
        .user_pool_id(&pool.pool_id)
        .provider_name("SignInWithApple")
        .provider_type(IdentityProviderTypeType::SignInWithApple)
        .provider_details("client_id", "com.example.app")
        .provider_details("team_id", "TEAM")
        .provider_details("key_id", "KEY")
        .provider_details("private_key", "-----BEGIN PRIVATE KEY-----apple")
        .provider_details("authorize_scopes", "email name")
        .send()
        .await
        .unwrap()
        .identity_provider
        .unwrap();
    let details = apple.provider_details().unwrap();
    assert!(!details.contains_key("private_key"), "{details:?}");
    assert_eq!(
        details["authorize_url"],
        "https://appleid.apple.com/auth/authorize"
    );

    app.idp
        .delete_identity_provider()
        .user_pool_id(&pool.pool_id)
        .provider_name("Google")
        .send()
        .await
        .unwrap();
    let gone = app
        .idp
        .describe_identity_provider()
        .user_pool_id(&pool.pool_id)
        .provider_name("Google")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(&gone), "ResourceNotFoundException");
}
