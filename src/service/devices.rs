//! Remembered devices: tracking per the pool's DeviceConfiguration, device SRP sign-in
//! (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER), and the device operations.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::distributions::{Alphanumeric, DistString};
use serde_json::Value;

use super::auth::{self, required_param};
use super::challenges::{verify_srp_claim, Answer};
use super::session::{self, SessionState};
use super::{
    blocking, fail, invalid_parameter, now_ms, paging, pools, srp, tokens, users, Exception,
    Result, State,
};
use crate::store::clients::ClientRecord;
use crate::store::devices::{self as device_store, DeviceRecord};
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;
use crate::types::auth::{AuthResponse, NewDeviceMetadata};
use crate::types::devices::*;
use crate::types::{epoch_seconds, AttributeType, Empty};

/// The pool's DeviceConfiguration, when it tracks devices.
fn configuration(pool: &PoolRecord) -> Option<&serde_json::Map<String, Value>> {
    pool.settings
        .other
        .get("DeviceConfiguration")
        .and_then(Value::as_object)
}

/// Whether a device is only remembered once its user says so (UpdateDeviceStatus).
fn remembered_on_prompt(pool: &PoolRecord) -> bool {
    configuration(pool)
        .and_then(|c| c.get("DeviceOnlyRememberedOnUserPrompt"))
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// The user's confirmed device `key`, if it may stand in for MFA.
pub async fn remembered(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    key: Option<&str>,
) -> Result<Option<DeviceRecord>> {
    let (Some(key), Some(_)) = (key, configuration(pool)) else {
        return Ok(None);
    };
    let device = device_store::find(&state.db, &pool.id, &user.sub, key).await?;
    Ok(device.filter(|d| d.verifier.is_some() && (d.remembered || !remembered_on_prompt(pool))))
}

/// The device the tokens will name: the one signed in from, or a new one when the pool
/// tracks devices (returned as NewDeviceMetadata for the app to confirm).
pub async fn for_tokens(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    key: Option<&str>,
) -> Result<(Option<String>, Option<NewDeviceMetadata>)> {
    if configuration(pool).is_none() {
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
        device_key: format!("{}_{}", state.region, super::ids::uuid()),
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
    let metadata = NewDeviceMetadata {
        device_key: device.device_key.clone(),
        device_group_key: device.group_key,
    };
    Ok((Some(device.device_key), Some(metadata)))
}

/// Opens DEVICE_SRP_AUTH: the app proves it holds the device's secret instead of MFA.
pub async fn challenge(
    state: &State,
    client: &ClientRecord,
    user: &UserRecord,
    st: &SessionState,
) -> Result<AuthResponse> {
    let params = HashMap::from([("USERNAME".to_string(), user.username.clone())]);
    session::challenge(state, client, user, "DEVICE_SRP_AUTH", st, params).await
}

/// DEVICE_SRP_AUTH answered with SRP_A: reply with DEVICE_PASSWORD_VERIFIER.
pub async fn answer_srp_auth(state: &State, a: Answer<'_>) -> Result<AuthResponse> {
    let srp_a = required_param(a.responses, "SRP_A")?.to_string();
    let key = required_param(a.responses, "DEVICE_KEY")?;
    if !srp::is_valid_public(&srp_a) {
        return invalid_parameter(
            "Invalid SRP_A: it must be a hex number that is not a multiple of N.",
        );
    }
    let Some(device) = remembered(state, a.pool, &a.user, Some(key)).await? else {
        return fail(Exception::ResourceNotFound, "Device does not exist.");
    };
    let (Some(salt), Some(verifier)) = (device.salt.clone(), device.verifier.clone()) else {
        return fail(Exception::ResourceNotFound, "Device does not exist.");
    };
    let (b, big_b) = blocking(move || srp::server_ephemeral(&verifier))
        .await?
        .ok_or_else(|| {
            super::Error::Internal(anyhow::anyhow!("stored device verifier is not hex"))
        })?;
    let st = SessionState {
        srp_b: Some((b, big_b.clone())),
        srp_a: Some(srp_a),
        device_key: Some(device.device_key.clone()),
        ..a.st
    };
    let token = session::open(state, a.client, &a.user, "DEVICE_PASSWORD_VERIFIER", &st).await?;
    let parameters = HashMap::from([
        ("SALT".to_string(), salt),
        ("SECRET_BLOCK".to_string(), token.clone()),
        ("SRP_B".to_string(), big_b),
        ("USERNAME".to_string(), a.user.username.clone()),
        ("DEVICE_KEY".to_string(), device.device_key),
    ]);
    Ok(AuthResponse {
        challenge_name: Some("DEVICE_PASSWORD_VERIFIER".into()),
        session: Some(token),
        challenge_parameters: parameters,
        authentication_result: None,
        available_challenges: None,
    })
}

/// DEVICE_PASSWORD_VERIFIER: the device's SRP proof; tokens without MFA when it holds.
pub async fn answer_password_verifier(state: &State, a: Answer<'_>) -> Result<AuthResponse> {
    let Some(key) = a.st.device_key.clone() else {
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    };
    let device = remembered(state, a.pool, &a.user, Some(&key)).await?;
    let Some((group, Some(verifier))) = device.map(|d| (d.group_key, d.verifier)) else {
        return fail(Exception::ResourceNotFound, "Device does not exist.");
    };
    if !verify_srp_claim(&a, group, key, verifier).await? {
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    }
    auth::finish(state, a.pool, a.client, &a.user, &a.st).await
}

// --- operations ---------------------------------------------------------------------------

/// The user a device call is about: from the access token, or (Admin forms) pool + username.
async fn owner(
    state: &State,
    access_token: Option<&str>,
    pool_id: Option<&str>,
    username: Option<&str>,
) -> Result<(PoolRecord, UserRecord)> {
    if let Some(token) = access_token {
        let (_, user) = tokens::authenticate_access_token(state, token).await?;
        let pool = pools::load(state, &user.pool_id).await?;
        return Ok((pool, user));
    }
    let (Some(pool_id), Some(username)) = (pool_id, username) else {
        return invalid_parameter("1 validation error detected: Value null at 'accessToken' failed to satisfy constraint: Member must not be null");
    };
    let pool = pools::load(state, pool_id).await?;
    let user = users::find_or_fail(state, &pool, username).await?;
    Ok((pool, user))
}

async fn device_of(
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

fn describe(d: DeviceRecord) -> DeviceType {
    let status = if d.remembered {
        "remembered"
    } else {
        "not_remembered"
    };
    let mut attributes = vec![
        AttributeType {
            name: "device_status".into(),
            value: Some("valid".into()),
        },
        AttributeType {
            name: "dev:device_remembered_status".into(),
            value: Some(status.into()),
        },
    ];
    if let Some(name) = d.name {
        attributes.push(AttributeType {
            name: "device_name".into(),
            value: Some(name),
        });
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
    req: ConfirmDeviceRequest,
) -> Result<ConfirmDeviceResponse> {
    let (pool, user) = owner(state, Some(&req.access_token), None, None).await?;
    let mut device = device_of(state, &pool, &user, &req.device_key).await?;
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
    if let Some(name) = &req.device_name {
        if name.is_empty() || name.chars().count() > 1024 {
            return invalid_parameter("DeviceName must be 1 to 1024 characters.");
        }
    }
    let prompt = remembered_on_prompt(&pool);
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

pub async fn get_device(state: &State, req: DeviceRequest) -> Result<GetDeviceResponse> {
    let (pool, user) = owner(
        state,
        req.access_token.as_deref(),
        req.user_pool_id.as_deref(),
        req.username.as_deref(),
    )
    .await?;
    let device = device_of(state, &pool, &user, &req.device_key).await?;
    Ok(GetDeviceResponse {
        device: describe(device),
    })
}

pub async fn forget_device(state: &State, req: DeviceRequest) -> Result<Empty> {
    let (pool, user) = owner(
        state,
        req.access_token.as_deref(),
        req.user_pool_id.as_deref(),
        req.username.as_deref(),
    )
    .await?;
    if !device_store::delete(&state.db, &pool.id, &user.sub, &req.device_key).await? {
        return fail(Exception::ResourceNotFound, "Device does not exist.");
    }
    Ok(Empty {})
}

pub async fn update_device_status(state: &State, req: DeviceRequest) -> Result<Empty> {
    let (pool, user) = owner(
        state,
        req.access_token.as_deref(),
        req.user_pool_id.as_deref(),
        req.username.as_deref(),
    )
    .await?;
    let mut device = device_of(state, &pool, &user, &req.device_key).await?;
    device.remembered = match req.device_remembered_status.as_deref() {
        Some("remembered") => true,
        Some("not_remembered") | None => false,
        Some(other) => {
            return invalid_parameter(format!(
                "1 validation error detected: Value '{other}' at 'deviceRememberedStatus' failed to \
                 satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]"
            ))
        }
    };
    device.updated_at = now_ms();
    device_store::update(&state.db, &device).await?;
    Ok(Empty {})
}

pub async fn list_devices(state: &State, req: ListDevicesRequest) -> Result<ListDevicesResponse> {
    let (pool, user) = owner(
        state,
        req.access_token.as_deref(),
        req.user_pool_id.as_deref(),
        req.username.as_deref(),
    )
    .await?;
    let limit = req.limit.unwrap_or(60);
    if !(0..=60).contains(&limit) {
        return invalid_parameter("Limit must be between 0 and 60.");
    }
    let limit = if limit == 0 { 60 } else { limit };
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
