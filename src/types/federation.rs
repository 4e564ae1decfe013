//! Identity provider shapes: Create/Describe/Update/Delete/ListIdentityProviders,
//! GetIdentityProviderByIdentifier, AdminLinkProviderForUser, AdminDisableProviderForUser.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ids::UserPoolId;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateIdentityProviderRequest {
    pub user_pool_id: UserPoolId,
    pub provider_name: String,
    pub provider_type: String,
    pub provider_details: BTreeMap<String, String>,
    #[serde(default)]
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub idp_identifiers: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateIdentityProviderRequest {
    pub user_pool_id: UserPoolId,
    pub provider_name: String,
    #[serde(default)]
    pub provider_details: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub attribute_mapping: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub idp_identifiers: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityProviderNameRequest {
    pub user_pool_id: UserPoolId,
    pub provider_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetIdentityProviderByIdentifierRequest {
    pub user_pool_id: UserPoolId,
    pub idp_identifier: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityProvidersRequest {
    pub user_pool_id: UserPoolId,
    #[serde(default)]
    pub max_results: Option<i64>,
    #[serde(default)]
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityProviderType {
    pub user_pool_id: String,
    pub provider_name: String,
    pub provider_type: String,
    pub provider_details: BTreeMap<String, String>,
    pub attribute_mapping: BTreeMap<String, String>,
    pub idp_identifiers: Vec<String>,
    pub last_modified_date: f64,
    pub creation_date: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityProviderReply {
    pub identity_provider: IdentityProviderType,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProviderDescription {
    pub provider_name: String,
    pub provider_type: String,
    pub last_modified_date: f64,
    pub creation_date: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityProvidersResponse {
    pub providers: Vec<ProviderDescription>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProviderUserIdentifierType {
    #[serde(default)]
    pub provider_name: Option<String>,
    #[serde(default)]
    pub provider_attribute_name: Option<String>,
    #[serde(default)]
    pub provider_attribute_value: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminLinkProviderForUserRequest {
    pub user_pool_id: UserPoolId,
    pub destination_user: ProviderUserIdentifierType,
    pub source_user: ProviderUserIdentifierType,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminDisableProviderForUserRequest {
    pub user_pool_id: UserPoolId,
    pub user: ProviderUserIdentifierType,
}
