//! User import job shapes: GetCSVHeader, Create/Start/Stop/Describe/ListUserImportJobs.

use serde::{Deserialize, Serialize};

use super::ids::UserPoolId;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetCsvHeaderRequest {
    pub user_pool_id: UserPoolId,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetCsvHeaderResponse {
    pub user_pool_id: String,
    #[serde(rename = "CSVHeader")]
    pub csv_header: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserImportJobRequest {
    pub job_name: String,
    pub user_pool_id: UserPoolId,
    pub cloud_watch_logs_role_arn: String,
    #[serde(default)]
    pub password_hashing_algorithm: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserImportJobRequest {
    pub user_pool_id: UserPoolId,
    pub job_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserImportJobsRequest {
    pub user_pool_id: UserPoolId,
    pub max_results: i64,
    #[serde(default)]
    pub pagination_token: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserImportJobType {
    pub job_name: String,
    pub job_id: String,
    pub user_pool_id: String,
    pub pre_signed_url: String,
    pub creation_date: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_date: Option<f64>,
    pub status: String,
    pub cloud_watch_logs_role_arn: String,
    pub imported_users: i64,
    pub skipped_users: i64,
    pub failed_users: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_message: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserImportJobReply {
    pub user_import_job: UserImportJobType,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUserImportJobsResponse {
    pub user_import_jobs: Vec<UserImportJobType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination_token: Option<String>,
}
