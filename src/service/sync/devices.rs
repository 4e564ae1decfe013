//! RegisterDevice, SubscribeToDataset and UnsubscribeFromDataset: the devices an identity
//! registers for push and the datasets each follows. Push delivery attaches the SNS
//! endpoint and sends the SyncTrigger messages.

use super::{check_identity, Caller};
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::sync_devices::{self as store, SubscriptionRecord, SyncDeviceRecord};
use crate::types::sync::*;
use crate::types::Empty;

pub async fn register_device(
    state: &State,
    caller: Caller,
    req: RegisterDeviceRequest,
) -> Result<RegisterDeviceResponse> {
    check_identity(state, &caller, &req.identity_pool_id, &req.identity_id).await?;
    if req.token.is_empty() {
        return fail(
            Exception::InvalidParameter,
            "The push Token must not be empty.",
        );
    }
    let device = store::register_device(
        &state.db,
        &SyncDeviceRecord {
            device_id: uuid::Uuid::new_v4().to_string(),
            identity_pool_id: req.identity_pool_id,
            identity_id: req.identity_id,
            platform: req.platform,
            token: req.token,
            endpoint_arn: None,
            created_at: now_ms(),
        },
    )
    .await?;
    // The SNS endpoint under the pool's PushSync application, when it names one for the
    // platform (otherwise the first push tries again).
    crate::service::push::devices::attach_endpoint(state, &device).await?;
    Ok(RegisterDeviceResponse {
        device_id: device.device_id,
    })
}

/// The identity's own device, or ResourceNotFoundException (another's is not told apart).
async fn own_device(state: &State, req: &SubscriptionRequest) -> Result<SyncDeviceRecord> {
    match store::find_device(&state.db, &req.device_id).await? {
        Some(d) if d.identity_id == req.identity_id => Ok(d),
        _ => fail(
            Exception::ResourceNotFound,
            format!("Device '{}' not found.", req.device_id),
        ),
    }
}

pub async fn subscribe_to_dataset(
    state: &State,
    caller: Caller,
    req: SubscriptionRequest,
) -> Result<Empty> {
    check_identity(state, &caller, &req.identity_pool_id, &req.identity_id).await?;
    own_device(state, &req).await?;
    store::subscribe(
        &state.db,
        &SubscriptionRecord {
            identity_pool_id: req.identity_pool_id,
            identity_id: req.identity_id,
            dataset_name: req.dataset_name,
            device_id: req.device_id,
        },
    )
    .await?;
    Ok(Empty {})
}

pub async fn unsubscribe_from_dataset(
    state: &State,
    caller: Caller,
    req: SubscriptionRequest,
) -> Result<Empty> {
    check_identity(state, &caller, &req.identity_pool_id, &req.identity_id).await?;
    own_device(state, &req).await?;
    store::unsubscribe(
        &state.db,
        &req.identity_id,
        &req.dataset_name,
        &req.device_id,
    )
    .await?;
    Ok(Empty {})
}
