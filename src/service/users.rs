//! Users: lookups by username, attribute views, AdminGetUser and GetUser.

use std::collections::BTreeMap;

use super::{fail, invalid_parameter, mfa, pools, tokens, Exception, Result, State};
use crate::store::pools::PoolRecord;
use crate::store::users::{self as user_store, UserRecord};
use crate::types::users::*;
use crate::types::{epoch_seconds, AttributeType};

pub const UNCONFIRMED: &str = "UNCONFIRMED";
pub const CONFIRMED: &str = "CONFIRMED";

/// The key a username is stored and looked up under.
pub fn username_key(pool: &PoolRecord, username: &str) -> String {
    let case_sensitive = pool
        .settings
        .username_configuration
        .as_ref()
        .is_none_or(|c| c.case_sensitive);
    if case_sensitive {
        username.to_string()
    } else {
        username.to_lowercase()
    }
}

/// Checks a username against Cognito's constraints.
pub fn validate_username(username: &str) -> Result<()> {
    let ok = (1..=128).contains(&username.chars().count())
        && !username
            .chars()
            .any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        invalid_parameter(
            "1 validation error detected: Value at 'username' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
        )
    }
}

/// Finds a user by username or, where the pool allows, by an alias (email, phone number,
/// preferred_username).
pub async fn find(state: &State, pool: &PoolRecord, username: &str) -> Result<Option<UserRecord>> {
    if username.is_empty() || username.chars().count() > 2048 {
        return Ok(None);
    }
    let key = username_key(pool, username);
    if let Some(u) = user_store::find_by_username_key(&state.db, &pool.id, &key).await? {
        return Ok(Some(u));
    }
    super::aliases::find(state, pool, username).await
}

/// Finds a user or fails with UserNotFoundException.
pub async fn find_or_fail(state: &State, pool: &PoolRecord, username: &str) -> Result<UserRecord> {
    match find(state, pool, username).await? {
        Some(u) => Ok(u),
        None => fail(Exception::UserNotFound, "User does not exist."),
    }
}

/// The user's attributes as Cognito lists them: `sub` first, then the rest by name.
pub fn attribute_list(user: &UserRecord) -> Vec<AttributeType> {
    std::iter::once(AttributeType {
        name: "sub".into(),
        value: Some(user.sub.clone()),
    })
    .chain(
        user.attributes
            .iter()
            .filter(|(k, _)| *k != "sub")
            .map(|(k, v)| AttributeType {
                name: k.clone(),
                value: Some(v.clone()),
            }),
    )
    .collect()
}

/// Validates attributes given at sign-up against the pool's schema.
pub fn parse_attributes(
    pool: &PoolRecord,
    given: &[AttributeType],
) -> Result<BTreeMap<String, String>> {
    let schema = pool
        .settings
        .schema_attributes
        .as_deref()
        .unwrap_or_default();
    let mut out = BTreeMap::new();
    for attr in given {
        let entry = super::attributes::schema_entry(pool, &attr.name);
        let Some(entry) = entry.filter(|_| attr.name != "sub") else {
            return invalid_parameter(format!(
                "Attribute does not exist in the schema: {}",
                attr.name
            ));
        };
        let value = attr.value.clone().unwrap_or_default();
        super::attributes::check_value(entry, &attr.name, &value)?;
        out.insert(attr.name.clone(), value);
    }
    for s in schema {
        if let (Some(name), Some(true)) = (&s.name, s.required) {
            if name != "sub" && !out.contains_key(name) {
                return invalid_parameter(format!(
                    "Attributes did not conform to the schema: {name}: The attribute {name} is required"
                ));
            }
        }
    }
    Ok(out)
}

pub async fn admin_get_user(state: &State, req: AdminUserRequest) -> Result<AdminGetUserResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let user = find_or_fail(state, &pool, &req.username).await?;
    let (user_mfa_setting_list, preferred_mfa_setting) = mfa::summary(state, &user).await?;
    let mfa_options = mfa_options(state, &user).await?;
    Ok(AdminGetUserResponse {
        mfa_options,
        user_attributes: attribute_list(&user),
        username: user.username,
        user_create_date: epoch_seconds(user.created_at),
        user_last_modified_date: epoch_seconds(user.updated_at),
        enabled: user.enabled,
        user_status: user.status,
        user_mfa_setting_list,
        preferred_mfa_setting,
    })
}

pub async fn get_user(state: &State, req: AccessTokenRequest) -> Result<GetUserResponse> {
    let (claims, user) = tokens::authenticate_access_token(state, &req.access_token).await?;
    let client = super::clients::load(state, &claims.client_id).await?;
    let (user_mfa_setting_list, preferred_mfa_setting) = mfa::summary(state, &user).await?;
    let mfa_options = mfa_options(state, &user).await?;
    let mut user_attributes = attribute_list(&user);
    user_attributes.retain(|a| super::clients::can_read(&client, &a.name));
    Ok(GetUserResponse {
        mfa_options,
        user_attributes,
        username: user.username,
        user_mfa_setting_list,
        preferred_mfa_setting,
    })
}

/// A user as ListUsers, AdminCreateUser and ListUsersInGroup show them.
pub fn user_type(user: &UserRecord, mfa_options: Option<Vec<MfaOptionType>>) -> UserType {
    UserType {
        username: user.username.clone(),
        attributes: attribute_list(user),
        user_create_date: epoch_seconds(user.created_at),
        user_last_modified_date: epoch_seconds(user.updated_at),
        enabled: user.enabled,
        user_status: user.status.clone(),
        mfa_options,
    }
}

/// The legacy MFA options stored by (Admin)SetUserSettings, if any.
pub async fn mfa_options(state: &State, user: &UserRecord) -> Result<Option<Vec<MfaOptionType>>> {
    let stored = user_store::find_mfa_options(&state.db, &user.pool_id, &user.sub).await?;
    let options: Option<Vec<MfaOptionType>> = stored
        .map(|s| serde_json::from_str(&s))
        .transpose()
        .map_err(|e| super::Error::Internal(e.into()))?;
    Ok(options.filter(|o| !o.is_empty()))
}

/// Checks and stores the legacy SMS MFA options of (Admin)SetUserSettings.
pub async fn set_mfa_options(
    state: &State,
    user: &mut UserRecord,
    options: &[MfaOptionType],
) -> Result<()> {
    for o in options {
        if o.delivery_medium.as_deref() != Some("SMS")
            || o.attribute_name.as_deref() != Some("phone_number")
        {
            return invalid_parameter(
                "Only SMS delivery to phone_number is supported for MFAOptions.",
            );
        }
    }
    let json = serde_json::to_string(options).map_err(|e| super::Error::Internal(e.into()))?;
    user.updated_at = super::now_ms();
    user_store::update_mfa_options(&state.db, user, &json).await?;
    Ok(())
}
