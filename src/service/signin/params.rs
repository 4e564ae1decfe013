//! What every factor reads of a sign-in: its parameters, and whether the user may sign in.

use std::collections::HashMap;

use crate::service::directory::users::UserStatus;
use crate::service::{fail, invalid_parameter, Exception, Result};
use crate::store::clients::ClientRecord;
use crate::store::users::UserRecord;

/// A parameter of the sign-in that must be present and not empty.
pub fn required_param<'a>(params: &'a HashMap<String, String>, name: &str) -> Result<&'a str> {
    match params.get(name) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => invalid_parameter(format!("Missing required parameter {name}")),
    }
}

/// The DEVICE_KEY an app sent, if any.
pub fn device_key(params: &HashMap<String, String>) -> Option<String> {
    params.get("DEVICE_KEY").filter(|k| !k.is_empty()).cloned()
}

pub fn prevents_user_existence_errors(client: &ClientRecord) -> bool {
    client.settings.prevents_user_existence_errors()
}

/// The error for an unknown user: hidden behind "Incorrect username or password." when the
/// client prevents user-existence errors.
pub fn unknown_user<T>(client: &ClientRecord) -> Result<T> {
    if prevents_user_existence_errors(client) {
        fail(Exception::NotAuthorized, "Incorrect username or password.")
    } else {
        fail(Exception::UserNotFound, "User does not exist.")
    }
}

pub fn check_can_sign_in(user: &UserRecord) -> Result<()> {
    if !user.enabled {
        return fail(Exception::NotAuthorized, "User is disabled.");
    }
    match user.status {
        UserStatus::Confirmed | UserStatus::ForceChangePassword => Ok(()),
        UserStatus::Unconfirmed => fail(Exception::UserNotConfirmed, "User is not confirmed."),
        UserStatus::ResetRequired => fail(
            Exception::PasswordResetRequired,
            "Password reset required for the user",
        ),
        other => fail(
            Exception::NotAuthorized,
            format!("User status {other} cannot sign in."),
        ),
    }
}
