//! Wire DTOs: request and response shapes exactly as botocore's models name them.

pub mod account;
pub mod auth;
pub mod branding;
pub mod clients;
pub mod devices;
pub mod federation;
pub mod groups;
pub mod identity;
pub mod ids;
pub mod import_jobs;
pub mod oauth;
pub mod pools;
pub mod sync;
pub mod tags;
pub mod users;

use serde::{Deserialize, Serialize};

/// AWS JSON timestamps are epoch seconds; Cognate keeps epoch milliseconds.
pub fn epoch_seconds(ms: i64) -> f64 {
    ms as f64 / 1000.0
}

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeType {
    pub name: String,
    #[serde(default)]
    pub value: Option<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryDetails {
    pub destination: String,
    pub delivery_medium: String,
    pub attribute_name: String,
}

/// An empty JSON object, the reply of operations that return nothing.
#[derive(Debug, Default, Serialize)]
pub struct Empty {}
