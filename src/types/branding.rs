//! The hosted pages' look: Get/SetUICustomization and the managed-login branding operations
//! (Create/Describe/Update/DeleteManagedLoginBranding, DescribeManagedLoginBrandingByClient).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ids::{ClientId, UserPoolId};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUiCustomizationRequest {
    pub user_pool_id: UserPoolId,
    #[serde(default)]
    pub client_id: Option<ClientId>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUiCustomizationRequest {
    pub user_pool_id: UserPoolId,
    #[serde(default)]
    pub client_id: Option<ClientId>,
    #[serde(default, rename = "CSS")]
    pub css: Option<String>,
    /// The logo, base64 as AWS JSON carries a blob.
    #[serde(default)]
    pub image_file: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UiCustomizationType {
    pub user_pool_id: String,
    pub client_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_url: Option<String>,
    #[serde(rename = "CSS", skip_serializing_if = "Option::is_none")]
    pub css: Option<String>,
    #[serde(rename = "CSSVersion", skip_serializing_if = "Option::is_none")]
    pub css_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<f64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UiCustomizationReply {
    #[serde(rename = "UICustomization")]
    pub ui_customization: UiCustomizationType,
}

/// A branding asset; `bytes` is base64.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct AssetType {
    pub category: String,
    pub color_mode: String,
    pub extension: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateManagedLoginBrandingRequest {
    pub user_pool_id: UserPoolId,
    pub client_id: ClientId,
    #[serde(default)]
    pub use_cognito_provided_values: Option<bool>,
    #[serde(default)]
    pub settings: Option<Value>,
    #[serde(default)]
    pub assets: Option<Vec<AssetType>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateManagedLoginBrandingRequest {
    #[serde(default)]
    pub user_pool_id: Option<UserPoolId>,
    #[serde(default)]
    pub managed_login_branding_id: Option<String>,
    #[serde(default)]
    pub use_cognito_provided_values: Option<bool>,
    #[serde(default)]
    pub settings: Option<Value>,
    #[serde(default)]
    pub assets: Option<Vec<AssetType>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeManagedLoginBrandingRequest {
    pub user_pool_id: UserPoolId,
    pub managed_login_branding_id: String,
    #[serde(default)]
    pub return_merged_resources: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeManagedLoginBrandingByClientRequest {
    pub user_pool_id: UserPoolId,
    pub client_id: ClientId,
    #[serde(default)]
    pub return_merged_resources: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteManagedLoginBrandingRequest {
    pub user_pool_id: UserPoolId,
    pub managed_login_branding_id: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedLoginBrandingType {
    pub managed_login_branding_id: String,
    pub user_pool_id: String,
    pub use_cognito_provided_values: bool,
    pub settings: Value,
    pub assets: Vec<AssetType>,
    pub creation_date: f64,
    pub last_modified_date: f64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ManagedLoginBrandingReply {
    pub managed_login_branding: ManagedLoginBrandingType,
}
