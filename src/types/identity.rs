//! Cognito Identity shapes: identity pools (stored as this document), identities, logins,
//! credentials, roles and role mappings.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A Cognito user pool an identity pool accepts tokens from.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct CognitoIdentityProvider {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_side_token_check: Option<bool>,
}

/// An identity pool: the request of Create/UpdateIdentityPool and the reply of all three.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPool {
    #[serde(default)]
    pub identity_pool_id: String,
    pub identity_pool_name: String,
    pub allow_unauthenticated_identities: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_classic_flow: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported_login_providers: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub developer_provider_name: Option<String>,
    #[serde(
        default,
        rename = "OpenIdConnectProviderARNs",
        skip_serializing_if = "Option::is_none"
    )]
    pub open_id_connect_provider_arns: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cognito_identity_providers: Option<Vec<CognitoIdentityProvider>>,
    #[serde(
        default,
        rename = "SamlProviderARNs",
        skip_serializing_if = "Option::is_none"
    )]
    pub saml_provider_arns: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_pool_tags: Option<BTreeMap<String, String>>,
}

/// What the pool keeps beside its AWS-visible settings.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolSettings {
    #[serde(flatten)]
    pub pool: IdentityPool,
    #[serde(default)]
    pub roles: BTreeMap<String, String>,
    #[serde(default)]
    pub role_mappings: BTreeMap<String, RoleMapping>,
    /// Per provider: whether it uses the default tags, and its attribute map.
    #[serde(default)]
    pub principal_tags: BTreeMap<String, PrincipalTagMap>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrincipalTagMap {
    #[serde(default)]
    pub use_defaults: Option<bool>,
    #[serde(default)]
    pub principal_tags: Option<BTreeMap<String, String>>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RoleMapping {
    #[serde(rename = "Type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ambiguous_role_resolution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules_configuration: Option<RulesConfiguration>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RulesConfiguration {
    pub rules: Vec<MappingRule>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MappingRule {
    pub claim: String,
    pub match_type: String,
    pub value: String,
    #[serde(rename = "RoleARN")]
    pub role_arn: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PoolIdRequest {
    pub identity_pool_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityPoolsRequest {
    pub max_results: i64,
    #[serde(default)]
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolShortDescription {
    pub identity_pool_id: String,
    pub identity_pool_name: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityPoolsResponse {
    pub identity_pools: Vec<IdentityPoolShortDescription>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

pub type Logins = BTreeMap<String, String>;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetIdRequest {
    #[serde(default)]
    pub account_id: Option<String>,
    pub identity_pool_id: String,
    #[serde(default)]
    pub logins: Option<Logins>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityIdResponse {
    pub identity_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetCredentialsRequest {
    pub identity_id: String,
    #[serde(default)]
    pub logins: Option<Logins>,
    #[serde(default)]
    pub custom_role_arn: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_key: String,
    pub session_token: String,
    pub expiration: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetCredentialsResponse {
    pub identity_id: String,
    pub credentials: Credentials,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetOpenIdTokenRequest {
    pub identity_id: String,
    #[serde(default)]
    pub logins: Option<Logins>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct OpenIdTokenResponse {
    pub identity_id: String,
    pub token: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeveloperTokenRequest {
    pub identity_pool_id: String,
    #[serde(default)]
    pub identity_id: Option<String>,
    pub logins: Logins,
    #[serde(default)]
    pub principal_tags: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub token_duration: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LookupDeveloperIdentityRequest {
    pub identity_pool_id: String,
    #[serde(default)]
    pub identity_id: Option<String>,
    #[serde(default)]
    pub developer_user_identifier: Option<String>,
    #[serde(default)]
    pub max_results: Option<i64>,
    #[serde(default)]
    pub next_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LookupDeveloperIdentityResponse {
    pub identity_id: String,
    pub developer_user_identifier_list: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MergeDeveloperIdentitiesRequest {
    pub source_user_identifier: String,
    pub destination_user_identifier: String,
    pub developer_provider_name: String,
    pub identity_pool_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UnlinkDeveloperIdentityRequest {
    pub identity_id: String,
    pub identity_pool_id: String,
    pub developer_provider_name: String,
    pub developer_user_identifier: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UnlinkIdentityRequest {
    pub identity_id: String,
    pub logins: Logins,
    pub logins_to_remove: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentitiesRequest {
    pub identity_pool_id: String,
    pub max_results: i64,
    #[serde(default)]
    pub next_token: Option<String>,
    #[serde(default)]
    pub hide_disabled: Option<bool>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityDescription {
    pub identity_id: String,
    pub logins: Vec<String>,
    pub creation_date: f64,
    pub last_modified_date: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentitiesResponse {
    pub identity_pool_id: String,
    pub identities: Vec<IdentityDescription>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityIdRequest {
    pub identity_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteIdentitiesRequest {
    pub identity_ids_to_delete: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UnprocessedIdentityId {
    pub identity_id: String,
    pub error_code: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteIdentitiesResponse {
    pub unprocessed_identity_ids: Vec<UnprocessedIdentityId>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolRoles {
    pub identity_pool_id: String,
    #[serde(default)]
    pub roles: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub role_mappings: BTreeMap<String, RoleMapping>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrincipalTagMapRequest {
    pub identity_pool_id: String,
    pub identity_provider_name: String,
    #[serde(default)]
    pub use_defaults: Option<bool>,
    #[serde(default)]
    pub principal_tags: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PrincipalTagMapResponse {
    pub identity_pool_id: String,
    pub identity_provider_name: String,
    pub use_defaults: bool,
    pub principal_tags: BTreeMap<String, String>,
}
