//! Sign-in shapes: InitiateAuth, RespondToAuthChallenge and their Admin forms.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::ids::{ClientId, UserPoolId, Username};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthRequest {
    pub auth_flow: String,
    pub client_id: ClientId,
    #[serde(default)]
    pub auth_parameters: HashMap<String, String>,
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub client_metadata: std::collections::HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminInitiateAuthRequest {
    pub user_pool_id: UserPoolId,
    pub client_id: ClientId,
    pub auth_flow: String,
    #[serde(default)]
    pub auth_parameters: HashMap<String, String>,
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub client_metadata: std::collections::HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallengeRequest {
    pub client_id: ClientId,
    pub challenge_name: String,
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub challenge_responses: HashMap<String, String>,
    #[serde(default)]
    pub client_metadata: std::collections::HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminRespondToAuthChallengeRequest {
    pub user_pool_id: UserPoolId,
    pub client_id: ClientId,
    pub challenge_name: String,
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub challenge_responses: HashMap<String, String>,
    #[serde(default)]
    pub client_metadata: std::collections::HashMap<String, String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthenticationResult {
    pub access_token: String,
    pub expires_in: i64,
    pub token_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub id_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct NewDeviceMetadata {
    pub device_key: String,
    pub device_group_key: String,
}

/// The reply of every sign-in step: either a challenge to answer or the tokens.
#[derive(Debug, Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct AuthResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    pub challenge_parameters: HashMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authentication_result: Option<AuthenticationResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_challenges: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenRequest {
    pub refresh_token: String,
    pub client_id: ClientId,
    #[serde(default)]
    pub client_secret: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetTokensFromRefreshTokenResponse {
    pub authentication_result: AuthenticationResult,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserAuthFactorsRequest {
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub user_pool_id: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserAuthFactorsResponse {
    pub username: Username,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_mfa_setting: Option<String>,
    #[serde(rename = "UserMFASettingList")]
    pub user_mfa_setting_list: Vec<String>,
    pub configured_user_auth_factors: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenRequest {
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub session: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateSoftwareTokenResponse {
    pub secret_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenRequest {
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub session: Option<String>,
    pub user_code: String,
    #[serde(default)]
    pub friendly_device_name: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VerifySoftwareTokenResponse {
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, Clone, Default)]
#[serde(rename_all = "PascalCase")]
pub struct MfaSettings {
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub preferred_mfa: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetUserMfaPreferenceRequest {
    pub access_token: String,
    #[serde(default, rename = "SMSMfaSettings")]
    pub sms_mfa_settings: Option<MfaSettings>,
    #[serde(default)]
    pub software_token_mfa_settings: Option<MfaSettings>,
    #[serde(default)]
    pub email_mfa_settings: Option<MfaSettings>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AdminSetUserMfaPreferenceRequest {
    pub user_pool_id: UserPoolId,
    pub username: Username,
    #[serde(default, rename = "SMSMfaSettings")]
    pub sms_mfa_settings: Option<MfaSettings>,
    #[serde(default)]
    pub software_token_mfa_settings: Option<MfaSettings>,
    #[serde(default)]
    pub email_mfa_settings: Option<MfaSettings>,
}

/// SetUserPoolMfaConfig's request and, less the pool id, Get/SetUserPoolMfaConfig's reply.
#[derive(Debug, Deserialize, Serialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct UserPoolMfaConfig {
    #[serde(default, skip_serializing)]
    pub user_pool_id: UserPoolId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_mfa_configuration: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_token_mfa_configuration: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_mfa_configuration: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub web_authn_configuration: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_configuration: Option<String>,
}
