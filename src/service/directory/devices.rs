//! Remembered devices: tracked per the pool's DeviceConfiguration, named in tokens, and
//! standing in for MFA once confirmed.

use rand::distributions::{Alphanumeric, DistString};

use crate::service::kernel::ids;
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::devices::{self as device_store, DeviceRecord};
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

/// A device the pool started tracking with a sign-in, for the app to confirm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDevice {
    pub device_key: String,
    pub device_group_key: String,
}

/// The user's confirmed device `key`, if it may stand in for MFA.
pub async fn remembered(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    key: Option<&str>,
) -> Result<Option<DeviceRecord>> {
    let Some(key) = key.filter(|_| pool.settings.tracks_devices()) else {
        return Ok(None);
    };
    let device = device_store::find(&state.db, &pool.id, &user.sub, key).await?;
    let on_prompt = pool.settings.device_only_remembered_on_user_prompt();
    Ok(device.filter(|d| d.verifier.is_some() && (d.remembered || !on_prompt)))
}

/// The device the tokens will name: the one signed in from, or a new one when the pool
/// tracks devices (returned for the app to confirm).
pub async fn for_tokens(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    key: Option<&str>,
) -> Result<(Option<String>, Option<NewDevice>)> {
    if !pool.settings.tracks_devices() {
        return Ok((None, None));
    }
    if let Some(key) = key {
        if let Some(mut device) = device_store::find(&state.db, &pool.id, &user.sub, key).await? {
            device.last_auth_at = Some(now_ms());
            device_store::update(&state.db, &device).await?;
            return Ok((Some(device.device_key), None));
        }
    }
    let now = now_ms();
    let device = DeviceRecord {
        device_key: format!("{}_{}", state.region, ids::uuid()),
        pool_id: pool.id.clone(),
        sub: user.sub.clone(),
        group_key: format!(
            "-{}",
            Alphanumeric.sample_string(&mut rand::thread_rng(), 9)
        ),
        name: None,
        salt: None,
        verifier: None,
        remembered: false,
        created_at: now,
        updated_at: now,
        last_auth_at: Some(now),
    };
    device_store::insert(&state.db, &device).await?;
    let new = NewDevice {
        device_key: device.device_key.clone(),
        device_group_key: device.group_key,
    };
    Ok((Some(device.device_key), Some(new)))
}

/// One of the user's devices, or ResourceNotFoundException.
pub async fn find_or_fail(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    key: &str,
) -> Result<DeviceRecord> {
    match device_store::find(&state.db, &pool.id, &user.sub, key).await? {
        Some(d) => Ok(d),
        None => fail(Exception::ResourceNotFound, "Device does not exist."),
    }
}
