//! Users: signing them up and confirming them, reading them back, and their attributes.

use aws_sdk_cognitoidentityprovider as idp;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use idp::error::SdkError;
use idp::operation::admin_confirm_sign_up::{AdminConfirmSignUpError, AdminConfirmSignUpOutput};
use idp::operation::admin_get_user::{AdminGetUserError, AdminGetUserOutput};
use idp::operation::confirm_sign_up::{ConfirmSignUpError, ConfirmSignUpOutput};
use idp::operation::sign_up::SignUpOutput;
use idp::types::{AttributeType, UserStatusType};

use super::{Pool, TestApp, PASSWORD};

pub fn attr(name: &str, value: &str) -> AttributeType {
    AttributeType::builder()
        .name(name)
        .value(value)
        .build()
        .unwrap()
}

/// Attributes as (name, value) pairs.
pub fn pairs(attributes: &[AttributeType]) -> Vec<(String, String)> {
    attributes
        .iter()
        .map(|a| {
            (
                a.name().to_string(),
                a.value().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The value of the attribute called `name`, if there is one.
pub fn value_of<'a>(attributes: &'a [AttributeType], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|a| a.name() == name)
        .and_then(|a| a.value())
}

impl TestApp {
    /// SignUp with PASSWORD and an email address.
    pub async fn sign_up(&self, pool: &Pool, username: &str, email: &str) -> SignUpOutput {
        self.sign_up_with(pool, username, &[("email", email)]).await
    }

    /// SignUp with PASSWORD and these attributes.
    pub async fn sign_up_with(
        &self,
        pool: &Pool,
        username: &str,
        attributes: &[(&str, &str)],
    ) -> SignUpOutput {
        let mut request = self
            .idp
            .sign_up()
            .client_id(&pool.client_id)
            .username(username)
            .password(PASSWORD);
        for (name, value) in attributes {
            request = request.user_attributes(attr(name, value));
        }
        request.send().await.unwrap()
    }

    /// Signs up and confirms a user through the outbox code.
    pub async fn confirmed_user(&self, pool: &Pool, username: &str) {
        self.sign_up(pool, username, &format!("{username}@example.com"))
            .await;
        let code = self.latest_code(&pool.pool_id, username).await;
        self.confirm_sign_up(pool, username, code).await.unwrap();
    }

    pub async fn confirm_sign_up(
        &self,
        pool: &Pool,
        username: &str,
        code: impl Into<String>,
    ) -> Result<ConfirmSignUpOutput, SdkError<ConfirmSignUpError, HttpResponse>> {
        self.idp
            .confirm_sign_up()
            .client_id(&pool.client_id)
            .username(username)
            .confirmation_code(code)
            .send()
            .await
    }

    pub async fn admin_confirm_sign_up(
        &self,
        pool: &Pool,
        username: &str,
    ) -> Result<AdminConfirmSignUpOutput, SdkError<AdminConfirmSignUpError, HttpResponse>> {
        self.idp
            .admin_confirm_sign_up()
            .user_pool_id(&pool.pool_id)
            .username(username)
            .send()
            .await
    }

    /// The user's status, as AdminGetUser tells it.
    pub async fn user_status(&self, pool: &Pool, username: &str) -> UserStatusType {
        self.admin_get_user(pool, username)
            .await
            .unwrap()
            .user_status
            .unwrap()
    }

    pub async fn admin_get_user(
        &self,
        pool: &Pool,
        username: &str,
    ) -> Result<AdminGetUserOutput, SdkError<AdminGetUserError, HttpResponse>> {
        self.idp
            .admin_get_user()
            .user_pool_id(&pool.pool_id)
            .username(username)
            .send()
            .await
    }
}
