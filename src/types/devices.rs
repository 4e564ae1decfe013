//! Device shapes: ConfirmDevice, GetDevice, ListDevices, ForgetDevice, UpdateDeviceStatus and
//! their Admin forms.

use serde::{Deserialize, Serialize};

use super::AttributeType;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceSecretVerifierConfig {
    #[serde(default)]
    pub password_verifier: Option<String>,
    #[serde(default)]
    pub salt: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceRequest {
    pub access_token: String,
    pub device_key: String,
    #[serde(default)]
    pub device_secret_verifier_config: Option<DeviceSecretVerifierConfig>,
    #[serde(default)]
    pub device_name: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ConfirmDeviceResponse {
    pub user_confirmation_necessary: bool,
}

/// GetDevice, ForgetDevice and UpdateDeviceStatus name the device and, for the public forms,
/// carry the access token; the Admin forms carry the pool and the username instead.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceRequest {
    pub device_key: String,
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub user_pool_id: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub device_remembered_status: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesRequest {
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub user_pool_id: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
    #[serde(default)]
    pub pagination_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeviceType {
    pub device_key: String,
    pub device_attributes: Vec<AttributeType>,
    pub device_create_date: f64,
    pub device_last_modified_date: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_last_authenticated_date: Option<f64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetDeviceResponse {
    pub device: DeviceType,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDevicesResponse {
    pub devices: Vec<DeviceType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}
