//! Hosted-UI domain and resource server shapes: Create/Describe/Update/DeleteUserPoolDomain,
//! Create/Describe/Update/Delete/ListResourceServers.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ids::UserPoolId;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDomainRequest {
    pub domain: String,
    pub user_pool_id: UserPoolId,
    #[serde(default)]
    pub managed_login_version: Option<i64>,
    #[serde(default)]
    pub custom_domain_config: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeUserPoolDomainRequest {
    pub domain: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolDomainReply {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_front_domain: Option<String>,
    pub managed_login_version: i64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DomainDescriptionType {
    pub user_pool_id: String,
    #[serde(rename = "AWSAccountId")]
    pub aws_account_id: String,
    pub domain: String,
    pub cloud_front_distribution: String,
    pub version: String,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_domain_config: Option<Value>,
    pub managed_login_version: i64,
}

/// DescribeUserPoolDomain answers `{}` for a domain nobody holds, as Cognito does.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeUserPoolDomainResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_description: Option<DomainDescriptionType>,
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerScopeType {
    pub scope_name: String,
    pub scope_description: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerRequest {
    pub user_pool_id: UserPoolId,
    pub identifier: String,
    pub name: String,
    #[serde(default)]
    pub scopes: Option<Vec<ResourceServerScopeType>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerIdRequest {
    pub user_pool_id: UserPoolId,
    pub identifier: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListResourceServersRequest {
    pub user_pool_id: UserPoolId,
    #[serde(default)]
    pub max_results: Option<i64>,
    #[serde(default)]
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerType {
    pub user_pool_id: String,
    pub identifier: String,
    pub name: String,
    pub scopes: Vec<ResourceServerScopeType>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceServerReply {
    pub resource_server: ResourceServerType,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListResourceServersResponse {
    pub resource_servers: Vec<ResourceServerType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}
