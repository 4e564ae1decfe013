//! Identity pools in tests: the cognito-identity and STS clients, and a pool that accepts a
//! user pool's tokens.

use aws_sdk_cognitoidentity as ci;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use ci::types::CognitoIdentityProvider;

use super::{Pool, TestApp};

pub fn identity_client(base: &str, key: &str, secret: &str) -> ci::Client {
    let conf = ci::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(base)
        .credentials_provider(Credentials::new(key, secret, None, None, "test"))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(ci::config::retry::RetryConfig::disabled())
        .build();
    ci::Client::from_conf(conf)
}

#[allow(dead_code)]
/// An STS client signing with `creds` (key, secret, session token).
pub fn sts_client(base: &str, key: &str, secret: &str, token: Option<&str>) -> aws_sdk_sts::Client {
    let conf = aws_sdk_sts::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(base)
        .credentials_provider(Credentials::new(
            key,
            secret,
            token.map(String::from),
            None,
            "test",
        ))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(aws_sdk_sts::config::retry::RetryConfig::disabled())
        .build();
    aws_sdk_sts::Client::from_conf(conf)
}

/// The Logins key of a user pool.
pub fn provider_of(pool: &Pool) -> String {
    format!("cognito-idp.us-east-1.amazonaws.com/{}", pool.pool_id)
}

impl TestApp {
    /// A cognito-identity client signing with the admin credentials (any in local mode).
    pub fn identity(&self) -> ci::Client {
        let key = self
            .config
            .admin_access_key_id
            .as_deref()
            .unwrap_or("AKIDTEST");
        let secret = self.config.admin_secret_access_key.as_ref();
        identity_client(
            &self.base,
            key,
            secret.map_or("test-secret", |s| s.expose()),
        )
    }

    /// An identity pool accepting `pool`'s client (none when `None`), guests as `guests` says.
    pub async fn identity_pool(&self, pool: Option<&Pool>, guests: bool) -> String {
        let mut request = self
            .identity()
            .create_identity_pool()
            .identity_pool_name("test identities")
            .allow_unauthenticated_identities(guests)
            .allow_classic_flow(true)
            .developer_provider_name("login.example.com");
        if let Some(pool) = pool {
            request = request.cognito_identity_providers(
                CognitoIdentityProvider::builder()
                    .provider_name(provider_of(pool))
                    .client_id(&pool.client_id)
                    .build(),
            );
        }
        request.send().await.unwrap().identity_pool_id
    }

    /// Sets the pool's authenticated and unauthenticated roles to `role/Auth` and `role/Guest`.
    pub async fn default_roles(&self, identity_pool: &str) {
        self.identity()
            .set_identity_pool_roles()
            .identity_pool_id(identity_pool)
            .roles("authenticated", "arn:aws:iam::000000000000:role/Auth")
            .roles("unauthenticated", "arn:aws:iam::000000000000:role/Guest")
            .send()
            .await
            .unwrap();
    }

    /// A signed-in user's ID token.
    pub async fn id_token(&self, pool: &Pool, username: &str) -> String {
        self.signed_in_user(pool, username).await.id_token.unwrap()
    }
}
