//! Cognito Sync shapes (REST-JSON): datasets, records, usage, the pool's configuration and
//! events, devices and bulk publishing. Dates are epoch seconds on the wire.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The labels every identity-scoped request carries in its path.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPath {
    pub identity_pool_id: String,
    pub identity_id: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DatasetPath {
    pub identity_pool_id: String,
    pub identity_id: String,
    pub dataset_name: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PoolPath {
    pub identity_pool_id: String,
}

#[derive(Clone, Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Dataset {
    pub identity_id: String,
    pub dataset_name: String,
    pub creation_date: f64,
    pub last_modified_date: f64,
    pub last_modified_by: String,
    pub data_storage: i64,
    pub num_records: i64,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DatasetResponse {
    pub dataset: Dataset,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDatasetsRequest {
    pub identity_pool_id: String,
    pub identity_id: String,
    #[serde(default)]
    pub next_token: Option<String>,
    #[serde(default)]
    pub max_results: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListDatasetsResponse {
    pub datasets: Vec<Dataset>,
    pub count: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Record {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub sync_count: i64,
    pub last_modified_date: f64,
    pub last_modified_by: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_last_modified_date: Option<f64>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRecordsRequest {
    pub identity_pool_id: String,
    pub identity_id: String,
    pub dataset_name: String,
    #[serde(default)]
    pub last_sync_count: Option<i64>,
    #[serde(default)]
    pub next_token: Option<String>,
    #[serde(default)]
    pub max_results: Option<i64>,
    #[serde(default)]
    pub sync_session_token: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListRecordsResponse {
    pub records: Vec<Record>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    pub count: i64,
    pub dataset_sync_count: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified_by: Option<String>,
    pub merged_dataset_names: Vec<String>,
    pub dataset_exists: bool,
    pub dataset_deleted_after_requested_sync_count: bool,
    pub sync_session_token: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RecordPatch {
    /// `replace` or `remove`.
    pub op: String,
    pub key: String,
    #[serde(default)]
    pub value: Option<String>,
    pub sync_count: i64,
    #[serde(default)]
    pub device_last_modified_date: Option<f64>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateRecordsRequest {
    pub identity_pool_id: String,
    pub identity_id: String,
    pub dataset_name: String,
    #[serde(default)]
    pub device_id: Option<String>,
    #[serde(default)]
    pub record_patches: Vec<RecordPatch>,
    pub sync_session_token: String,
    /// The `x-amz-Client-Context` header: base64 of the mobile client context JSON.
    #[serde(default)]
    pub client_context: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateRecordsResponse {
    pub records: Vec<Record>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityUsage {
    pub identity_id: String,
    pub identity_pool_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
    pub dataset_count: i64,
    pub data_storage: i64,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeIdentityUsageResponse {
    pub identity_usage: IdentityUsage,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolUsage {
    pub identity_pool_id: String,
    pub sync_sessions_count: i64,
    pub data_storage: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeIdentityPoolUsageResponse {
    pub identity_pool_usage: IdentityPoolUsage,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityPoolUsageRequest {
    #[serde(default)]
    pub next_token: Option<String>,
    #[serde(default)]
    pub max_results: Option<i64>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListIdentityPoolUsageResponse {
    pub identity_pool_usages: Vec<IdentityPoolUsage>,
    pub max_results: i64,
    pub count: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct PushSync {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_arns: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct CognitoStreams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    /// ENABLED or DISABLED.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub streaming_status: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetIdentityPoolConfigurationRequest {
    pub identity_pool_id: String,
    #[serde(default)]
    pub push_sync: Option<PushSync>,
    #[serde(default)]
    pub cognito_streams: Option<CognitoStreams>,
}

/// The reply of Get- and SetIdentityPoolConfiguration.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdentityPoolConfiguration {
    pub identity_pool_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub push_sync: Option<PushSync>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cognito_streams: Option<CognitoStreams>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SetCognitoEventsRequest {
    pub identity_pool_id: String,
    pub events: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetCognitoEventsResponse {
    pub events: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BulkPublishResponse {
    pub identity_pool_id: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetBulkPublishDetailsResponse {
    pub identity_pool_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bulk_publish_start_time: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bulk_publish_complete_time: Option<f64>,
    pub bulk_publish_status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_message: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RegisterDeviceRequest {
    pub identity_pool_id: String,
    pub identity_id: String,
    pub platform: String,
    pub token: String,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RegisterDeviceResponse {
    pub device_id: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SubscriptionRequest {
    pub identity_pool_id: String,
    pub identity_id: String,
    pub dataset_name: String,
    pub device_id: String,
}
