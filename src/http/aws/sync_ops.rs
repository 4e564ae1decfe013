//! The cognito-sync operation table: each operation, the principal it takes (an identity
//! or the administrator) and its action.

use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

use super::AwsError;
use crate::service::identity::Admin;
use crate::service::sync::Caller;
use crate::service::sync::{config, datasets, devices, events, records, streams, update, usage};
use crate::service::State;

pub type SyncReply<'a> = Pin<Box<dyn Future<Output = Result<Value, AwsError>> + 'a>>;

pub enum Handler {
    /// An identity's operation (its own data), which the administrator may also call.
    Identity(for<'a> fn(&'a State, Caller, Value) -> SyncReply<'a>),
    /// A pool operation, for the administrator only.
    Admin(for<'a> fn(&'a State, Admin, Value) -> SyncReply<'a>),
}

pub struct SyncOperation {
    pub name: &'static str,
    pub handler: Handler,
}

macro_rules! sync_op {
    ($kind:ident, $principal:ty, $name:literal, $f:path) => {{
        fn handler<'a>(state: &'a State, who: $principal, input: Value) -> SyncReply<'a> {
            Box::pin(async move {
                let request = super::deserialize(input)?;
                let reply = $f(state, who, request).await?;
                serde_json::to_value(reply)
                    .map_err(|e| AwsError::new("InternalErrorException", e.to_string()))
            })
        }
        SyncOperation {
            name: $name,
            handler: Handler::$kind(handler),
        }
    }};
}

macro_rules! identity_op {
    ($name:literal, $f:path) => {
        sync_op!(Identity, Caller, $name, $f)
    };
}

macro_rules! admin_op {
    ($name:literal, $f:path) => {
        sync_op!(Admin, Admin, $name, $f)
    };
}

pub static OPERATIONS: &[SyncOperation] = &[
    admin_op!("BulkPublish", streams::bulk_publish),
    identity_op!("DeleteDataset", datasets::delete_dataset),
    identity_op!("DescribeDataset", datasets::describe_dataset),
    admin_op!(
        "DescribeIdentityPoolUsage",
        usage::describe_identity_pool_usage
    ),
    identity_op!("DescribeIdentityUsage", datasets::describe_identity_usage),
    admin_op!("GetBulkPublishDetails", streams::get_bulk_publish_details),
    admin_op!("GetCognitoEvents", events::get_cognito_events),
    admin_op!(
        "GetIdentityPoolConfiguration",
        config::get_identity_pool_configuration
    ),
    identity_op!("ListDatasets", datasets::list_datasets),
    admin_op!("ListIdentityPoolUsage", usage::list_identity_pool_usage),
    identity_op!("ListRecords", records::list_records),
    identity_op!("RegisterDevice", devices::register_device),
    admin_op!("SetCognitoEvents", events::set_cognito_events),
    admin_op!(
        "SetIdentityPoolConfiguration",
        config::set_identity_pool_configuration
    ),
    identity_op!("SubscribeToDataset", devices::subscribe_to_dataset),
    identity_op!("UnsubscribeFromDataset", devices::unsubscribe_from_dataset),
    identity_op!("UpdateRecords", update::update_records),
];

#[cfg(test)]
mod tests {
    use super::super::model::{model, Service};
    use super::*;

    #[test]
    fn every_operation_is_served() {
        let names: Vec<&str> = OPERATIONS.iter().map(|o| o.name).collect();
        let all: Vec<&str> = model(Service::Sync).operations().collect();
        assert_eq!(names, all);
    }
}
