//! User shapes: SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp, GetUser.

use serde::{Deserialize, Serialize};

use super::{AttributeType, CodeDeliveryDetails};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpRequest {
    pub client_id: String,
    #[serde(default)]
    pub secret_hash: Option<String>,
    pub username: String,
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub user_attributes: Vec<AttributeType>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpResponse {
    pub user_confirmed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_delivery_details: Option<CodeDeliveryDetails>,
    pub user_sub: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmSignUpRequest {
    pub client_id: String,
    #[serde(default)]
    pub secret_hash: Option<String>,
    pub username: String,
    pub confirmation_code: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResendConfirmationCodeRequest {
    pub client_id: String,
    #[serde(default)]
    pub secret_hash: Option<String>,
    pub username: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResendConfirmationCodeResponse {
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminUserRequest {
    pub user_pool_id: String,
    pub username: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenRequest {
    pub access_token: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminGetUserResponse {
    pub username: String,
    pub user_attributes: Vec<AttributeType>,
    pub user_create_date: f64,
    pub user_last_modified_date: f64,
    pub enabled: bool,
    pub user_status: String,
    #[serde(rename = "UserMFASettingList")]
    pub user_mfa_setting_list: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_mfa_setting: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserResponse {
    pub username: String,
    pub user_attributes: Vec<AttributeType>,
    #[serde(rename = "UserMFASettingList")]
    pub user_mfa_setting_list: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_mfa_setting: Option<String>,
}
