//! The device operations: ConfirmDevice, GetDevice, ListDevices, ForgetDevice,
//! UpdateDeviceStatus with the caller's access token, and their Admin forms by pool and
//! username with an administrator's signature.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::{Admin, Bearer};
use crate::service::directory::{devices, pools, users};
use crate::service::kernel::paging;
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::devices::{self as device_store, DeviceRecord};
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;
use crate::types::devices::*;
use crate::types::{epoch_seconds, AttributeType, Empty};

/// The user an Admin device call names.
async fn admin_target(
    state: &State,
    pool_id: Option<&str>,
    username: Option<&str>,
) -> Result<(PoolRecord, UserRecord)> {
    let pool = pools::load(state, pool_id.unwrap_or_default()).await?;
    let user = users::find_or_fail(state, &pool, username.unwrap_or_default()).await?;
    Ok((pool, user))
}

/// The caller's own pool and user.
async fn own(state: &State, caller: Bearer) -> Result<(PoolRecord, UserRecord)> {
    let user = caller.0.user;
    Ok((pools::load(state, &user.pool_id).await?, user))
}

fn describe(d: DeviceRecord) -> DeviceType {
    let status = if d.remembered {
        "remembered"
    } else {
        "not_remembered"
    };
    let attribute = |name: &str, value: String| AttributeType {
        name: name.into(),
        value: Some(value),
    };
    let mut attributes = vec![
        attribute("device_status", "valid".into()),
        attribute("dev:device_remembered_status", status.into()),
    ];
    if let Some(name) = d.name {
        attributes.push(attribute("device_name", name));
    }
    DeviceType {
        device_key: d.device_key,
        device_attributes: attributes,
        device_create_date: epoch_seconds(d.created_at),
        device_last_modified_date: epoch_seconds(d.updated_at),
        device_last_authenticated_date: d.last_auth_at.map(epoch_seconds),
    }
}

pub async fn confirm_device(
    state: &State,
    caller: Bearer,
    req: ConfirmDeviceRequest,
) -> Result<ConfirmDeviceResponse> {
    let (pool, user) = own(state, caller).await?;
    let mut device = devices::find_or_fail(state, &pool, &user, &req.device_key).await?;
    let config = req
        .device_secret_verifier_config
        .unwrap_or(DeviceSecretVerifierConfig {
            password_verifier: None,
            salt: None,
        });
    let decode = |v: Option<String>| {
        v.and_then(|v| STANDARD.decode(v).ok())
            .filter(|b| !b.is_empty() && b.len() <= 1024)
            .map(hex::encode)
    };
    let (Some(verifier), Some(salt)) = (decode(config.password_verifier), decode(config.salt))
    else {
        return invalid_parameter(
            "DeviceSecretVerifierConfig needs a base64 PasswordVerifier and Salt.",
        );
    };
    let prompt = pool.settings.device_only_remembered_on_user_prompt();
    device.verifier = Some(verifier);
    device.salt = Some(salt);
    device.name = req.device_name;
    device.remembered = !prompt;
    device.updated_at = now_ms();
    device_store::update(&state.db, &device).await?;
    Ok(ConfirmDeviceResponse {
        user_confirmation_necessary: prompt,
    })
}

pub async fn get_device(
    state: &State,
    caller: Bearer,
    req: DeviceRequest,
) -> Result<GetDeviceResponse> {
    let (pool, user) = own(state, caller).await?;
    get(state, &pool, &user, &req.device_key).await
}

pub async fn admin_get_device(
    state: &State,
    _: Admin,
    req: DeviceRequest,
) -> Result<GetDeviceResponse> {
    let (pool, user) =
        admin_target(state, req.user_pool_id.as_deref(), req.username.as_deref()).await?;
    get(state, &pool, &user, &req.device_key).await
}

async fn get(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    key: &str,
) -> Result<GetDeviceResponse> {
    let device = devices::find_or_fail(state, pool, user, key).await?;
    Ok(GetDeviceResponse {
        device: describe(device),
    })
}

pub async fn forget_device(state: &State, caller: Bearer, req: DeviceRequest) -> Result<Empty> {
    let (pool, user) = own(state, caller).await?;
    forget(state, &pool, &user, &req.device_key).await
}

pub async fn admin_forget_device(state: &State, _: Admin, req: DeviceRequest) -> Result<Empty> {
    let (pool, user) =
        admin_target(state, req.user_pool_id.as_deref(), req.username.as_deref()).await?;
    forget(state, &pool, &user, &req.device_key).await
}

async fn forget(state: &State, pool: &PoolRecord, user: &UserRecord, key: &str) -> Result<Empty> {
    if !device_store::delete(&state.db, &pool.id, &user.sub, key).await? {
        return fail(Exception::ResourceNotFound, "Device does not exist.");
    }
    Ok(Empty {})
}

pub async fn update_device_status(
    state: &State,
    caller: Bearer,
    req: DeviceRequest,
) -> Result<Empty> {
    let (pool, user) = own(state, caller).await?;
    update_status(state, &pool, &user, &req).await
}

pub async fn admin_update_device_status(
    state: &State,
    _: Admin,
    req: DeviceRequest,
) -> Result<Empty> {
    let (pool, user) =
        admin_target(state, req.user_pool_id.as_deref(), req.username.as_deref()).await?;
    update_status(state, &pool, &user, &req).await
}

async fn update_status(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    req: &DeviceRequest,
) -> Result<Empty> {
    let mut device = devices::find_or_fail(state, pool, user, &req.device_key).await?;
    device.remembered = req.device_remembered_status.as_deref() == Some("remembered");
    device.updated_at = now_ms();
    device_store::update(&state.db, &device).await?;
    Ok(Empty {})
}

pub async fn list_devices(
    state: &State,
    caller: Bearer,
    req: ListDevicesRequest,
) -> Result<ListDevicesResponse> {
    let (pool, user) = own(state, caller).await?;
    list(state, &pool, &user, &req).await
}

pub async fn admin_list_devices(
    state: &State,
    _: Admin,
    req: ListDevicesRequest,
) -> Result<ListDevicesResponse> {
    let (pool, user) =
        admin_target(state, req.user_pool_id.as_deref(), req.username.as_deref()).await?;
    list(state, &pool, &user, &req).await
}

async fn list(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    req: &ListDevicesRequest,
) -> Result<ListDevicesResponse> {
    let limit = match req.limit.unwrap_or(60) {
        0 => 60,
        n => n,
    };
    let after = req
        .pagination_token
        .as_deref()
        .map(paging::decode_created)
        .transpose()?;
    let mut page =
        device_store::list_page(&state.db, &pool.id, &user.sub, after, limit + 1).await?;
    let pagination_token = paging::next_token(&mut page, limit, |d| {
        paging::encode_created(d.created_at, &d.device_key)
    });
    Ok(ListDevicesResponse {
        devices: page.into_iter().map(describe).collect(),
        pagination_token,
    })
}
