//! The pools the tests make: `TestApp::pool` for the usual one, `TestApp::pool_with` and a
//! `PoolSpec` for a pool made with particular settings.

use aws_sdk_cognitoidentityprovider as idp;
use idp::operation::create_user_pool::builders::CreateUserPoolFluentBuilder;
use idp::operation::create_user_pool_client::builders::CreateUserPoolClientFluentBuilder;
use idp::types::{ExplicitAuthFlowsType, UserPoolClientType, VerifiedAttributeType};

use super::TestApp;

/// A pool and the client the test signs in with.
pub struct Pool {
    pub pool_id: String,
    pub client_id: String,
}

type PoolStep = Box<dyn FnOnce(CreateUserPoolFluentBuilder) -> CreateUserPoolFluentBuilder>;
type ClientStep =
    Box<dyn FnOnce(CreateUserPoolClientFluentBuilder) -> CreateUserPoolClientFluentBuilder>;

/// How a test's pool and its client are made: steps that add settings to the CreateUserPool and
/// CreateUserPoolClient requests, applied in order.
pub struct PoolSpec {
    pool: Vec<PoolStep>,
    client: Vec<ClientStep>,
}

impl PoolSpec {
    /// Cognito's defaults, for the pool and for its client.
    pub fn bare() -> Self {
        PoolSpec {
            pool: Vec::new(),
            client: Vec::new(),
        }
    }

    /// What `TestApp::pool` makes: a pool that verifies email, with a client allowing the
    /// password, admin password and refresh flows.
    pub fn standard() -> Self {
        Self::bare()
            .pool(|p| p.auto_verified_attributes(VerifiedAttributeType::Email))
            .flows(&[
                ExplicitAuthFlowsType::AllowUserPasswordAuth,
                ExplicitAuthFlowsType::AllowAdminUserPasswordAuth,
                ExplicitAuthFlowsType::AllowRefreshTokenAuth,
            ])
    }

    /// Adds to the CreateUserPool request.
    pub fn pool(
        mut self,
        step: impl FnOnce(CreateUserPoolFluentBuilder) -> CreateUserPoolFluentBuilder + 'static,
    ) -> Self {
        self.pool.push(Box::new(step));
        self
    }

    /// Adds to the CreateUserPoolClient request.
    pub fn client(
        mut self,
        step: impl FnOnce(CreateUserPoolClientFluentBuilder) -> CreateUserPoolClientFluentBuilder
            + 'static,
    ) -> Self {
        self.client.push(Box::new(step));
        self
    }

    /// The client's explicit auth flows, instead of any given before.
    pub fn flows(self, flows: &[ExplicitAuthFlowsType]) -> Self {
        let flows = flows.to_vec();
        self.client(move |c| c.set_explicit_auth_flows(Some(flows)))
    }
}

impl TestApp {
    /// The usual pool: `PoolSpec::standard()`.
    pub async fn pool(&self) -> Pool {
        self.pool_with(PoolSpec::standard()).await
    }

    /// A pool and its client made as `spec` says.
    pub async fn pool_with(&self, spec: PoolSpec) -> Pool {
        let request = self.idp.create_user_pool().pool_name("test pool");
        let pool_id = spec
            .pool
            .into_iter()
            .fold(request, |request, step| step(request))
            .send()
            .await
            .unwrap()
            .user_pool
            .unwrap()
            .id
            .unwrap();
        let client = self
            .client_for(&pool_id, |request| {
                spec.client
                    .into_iter()
                    .fold(request, |request, step| step(request))
            })
            .await;
        Pool {
            pool_id,
            client_id: client.client_id.unwrap(),
        }
    }

    /// One more client in a pool, made by `adjust`ing the CreateUserPoolClient request.
    pub async fn client_for(
        &self,
        pool_id: &str,
        adjust: impl FnOnce(CreateUserPoolClientFluentBuilder) -> CreateUserPoolClientFluentBuilder,
    ) -> UserPoolClientType {
        let request = self
            .idp
            .create_user_pool_client()
            .user_pool_id(pool_id)
            .client_name("app");
        adjust(request)
            .send()
            .await
            .unwrap()
            .user_pool_client
            .unwrap()
    }
}
