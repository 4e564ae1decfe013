//! The SNS endpoint of a device registered with Cognito Sync: created under the pool's
//! PushSync application of the device's platform, at RegisterDevice or at its first push.

use serde::Deserialize;

use crate::service::{now_ms, Result, State};
use crate::store::sns::{self as sns_store, EndpointRecord};
use crate::store::sync_config;
use crate::store::sync_devices::{self, SyncDeviceRecord};

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct PushSync {
    #[serde(default)]
    application_arns: Vec<String>,
}

/// The pool's PushSync application for `platform`, if it names one.
async fn application_for(state: &State, pool_id: &str, platform: &str) -> Result<Option<String>> {
    let config = sync_config::find_config(&state.db, pool_id).await?;
    let Some(document) = config.and_then(|c| c.push_sync) else {
        return Ok(None);
    };
    let push: PushSync = serde_json::from_str(&document).unwrap_or_default();
    for arn in push.application_arns {
        if let Some(app) = sns_store::find_app(&state.db, &arn).await? {
            if app.platform == platform {
                return Ok(Some(app.arn));
            }
        }
    }
    Ok(None)
}

/// The device's endpoint ARN, created (and remembered on the device) when the pool's
/// PushSync names an application of its platform; `None` when it names none.
pub async fn attach_endpoint(state: &State, device: &SyncDeviceRecord) -> Result<Option<String>> {
    if let Some(arn) = &device.endpoint_arn {
        return Ok(Some(arn.clone()));
    }
    let pool = &device.identity_pool_id;
    let Some(app_arn) = application_for(state, pool, &device.platform).await? else {
        return Ok(None);
    };
    let app = sns_store::find_app(&state.db, &app_arn).await?;
    let Some(app) = app else {
        return Ok(None);
    };
    let wanted = EndpointRecord {
        arn: format!(
            "arn:aws:sns:{}:{}:endpoint/{}/{}/{}",
            state.region,
            state.account_id,
            app.platform,
            app.name,
            uuid::Uuid::new_v4()
        ),
        application_arn: app.arn,
        token: device.token.clone(),
        enabled: true,
        custom_user_data: Some(device.identity_id.clone()),
        created_at: now_ms(),
    };
    // The application may hold an endpoint for this token already: that one is the device's.
    let held = sns_store::insert_endpoint(&state.db, &wanted).await?;
    sync_devices::update_endpoint_arn(&state.db, &device.device_id, Some(&held.arn)).await?;
    Ok(Some(held.arn))
}
