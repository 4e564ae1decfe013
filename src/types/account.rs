//! Self-service shapes: calls made with an access token, password reset, token revocation.

use serde::{Deserialize, Serialize};

use super::ids::{ClientId, Username};

use super::users::MfaOptionType;
use super::{AttributeType, CodeDeliveryDetails};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesRequest {
    pub access_token: String,
    pub user_attributes: Vec<AttributeType>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateUserAttributesResponse {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub code_delivery_details_list: Vec<CodeDeliveryDetails>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserAttributesRequest {
    pub access_token: String,
    pub user_attribute_names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChangePasswordRequest {
    pub access_token: String,
    #[serde(default)]
    pub previous_password: Option<String>,
    pub proposed_password: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeNameRequest {
    pub access_token: String,
    pub attribute_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifyUserAttributeRequest {
    pub access_token: String,
    pub attribute_name: String,
    pub code: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryReply {
    pub code_delivery_details: CodeDeliveryDetails,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ForgotPasswordRequest {
    pub client_id: ClientId,
    #[serde(default)]
    pub secret_hash: Option<String>,
    pub username: Username,
    #[serde(default)]
    pub client_metadata: std::collections::HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmForgotPasswordRequest {
    pub client_id: ClientId,
    #[serde(default)]
    pub secret_hash: Option<String>,
    pub username: Username,
    pub confirmation_code: String,
    pub password: String,
    #[serde(default)]
    pub client_metadata: std::collections::HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserSettingsRequest {
    pub access_token: String,
    #[serde(rename = "MFAOptions")]
    pub mfa_options: Vec<MfaOptionType>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeTokenRequest {
    pub token: String,
    pub client_id: ClientId,
    #[serde(default)]
    pub client_secret: Option<String>,
}
