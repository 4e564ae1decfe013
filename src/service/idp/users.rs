//! Reading users: AdminGetUser, GetUser, and the shapes ListUsers, AdminCreateUser and
//! ListUsersInGroup show users in; the legacy MFA options of (Admin)SetUserSettings.

use super::{Admin, Bearer};
use crate::service::directory::{clients, mfa, pools, users};
use crate::service::tokens::Authenticated;
use crate::service::{invalid_parameter, now_ms, Error, Result, State};
use crate::store::users::{self as user_store, UserRecord};
use crate::types::users::*;
use crate::types::{epoch_seconds, AttributeType};

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

pub async fn admin_get_user(
    state: &State,
    _: Admin,
    req: AdminUserRequest,
) -> Result<AdminGetUserResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let user = users::find_or_fail(state, &pool, &req.username).await?;
    let ((user_mfa_setting_list, preferred_mfa_setting), stored) =
        mfa::summary_with_options(state, &user).await?;
    let mfa_options = parse_mfa_options(stored)?;
    Ok(AdminGetUserResponse {
        mfa_options,
        user_attributes: attribute_list(&user),
        username: user.username.into(),
        user_create_date: epoch_seconds(user.created_at),
        user_last_modified_date: epoch_seconds(user.updated_at),
        enabled: user.enabled,
        user_status: user.status.to_string(),
        user_mfa_setting_list,
        preferred_mfa_setting,
    })
}

pub async fn get_user(
    state: &State,
    caller: Bearer,
    _: AccessTokenRequest,
) -> Result<GetUserResponse> {
    let Bearer(Authenticated { claims, user, mfa }) = caller;
    let client = clients::load(state, &claims.client_id).await?;
    let ((user_mfa_setting_list, preferred_mfa_setting), stored) = mfa::summarize(mfa);
    let mfa_options = parse_mfa_options(stored)?;
    let mut user_attributes = attribute_list(&user);
    user_attributes.retain(|a| clients::can_read(&client, &a.name));
    Ok(GetUserResponse {
        mfa_options,
        user_attributes,
        username: user.username.into(),
        user_mfa_setting_list,
        preferred_mfa_setting,
    })
}

/// A user as ListUsers, AdminCreateUser and ListUsersInGroup show them.
pub fn user_type(user: &UserRecord, mfa_options: Option<Vec<MfaOptionType>>) -> UserType {
    UserType {
        username: user.username.clone().into(),
        attributes: attribute_list(user),
        user_create_date: epoch_seconds(user.created_at),
        user_last_modified_date: epoch_seconds(user.updated_at),
        enabled: user.enabled,
        user_status: user.status.to_string(),
        mfa_options,
    }
}

/// The legacy MFA options stored by (Admin)SetUserSettings, if any.
pub async fn mfa_options(state: &State, user: &UserRecord) -> Result<Option<Vec<MfaOptionType>>> {
    let stored = user_store::find_mfa_options(&state.db, &user.pool_id, &user.sub).await?;
    parse_mfa_options(stored)
}

fn parse_mfa_options(stored: Option<String>) -> Result<Option<Vec<MfaOptionType>>> {
    let options: Option<Vec<MfaOptionType>> = stored
        .map(|s| serde_json::from_str(&s))
        .transpose()
        .map_err(|e| Error::Internal(e.into()))?;
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
    let json = serde_json::to_string(options).map_err(|e| Error::Internal(e.into()))?;
    user.updated_at = now_ms();
    user_store::update_mfa_options(&state.db, user, &json).await?;
    Ok(())
}
