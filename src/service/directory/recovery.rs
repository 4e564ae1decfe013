//! Account recovery: where a password-reset code goes (the pool's AccountRecoverySetting
//! over the user's verified email and phone), and sending it.

use super::attributes::{looks_like_email, looks_like_phone};
use super::codes;
use crate::service::kernel::crypto;
use crate::service::outbound::messaging::{self, Delivered, Dispatch, Medium};
use crate::service::triggers::messages::{Call, MessageSource};
use crate::service::{invalid_parameter, Result, State};
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

/// The code purpose of ForgotPassword and AdminResetUserPassword.
pub const FORGOT_PASSWORD: &str = "FORGOT_PASSWORD";

/// The media password-reset codes may use, in the order of the pool's AccountRecoverySetting
/// (`admin_only` allows none); without one, Cognito's legacy order: phone, then email.
pub fn recovery_order(pool: &PoolRecord) -> Vec<Medium> {
    let Some(mut ranked) = pool.settings.recovery_mechanisms() else {
        return vec![Medium::Sms, Medium::Email];
    };
    ranked.sort();
    ranked
        .into_iter()
        .filter_map(|(_, name)| match name.as_str() {
            "verified_email" => Some(Medium::Email),
            "verified_phone_number" => Some(Medium::Sms),
            _ => None,
        })
        .collect()
}

/// The verified email or phone number a password-reset code goes to.
pub fn reset_medium(pool: &PoolRecord, user: &UserRecord) -> Option<(Medium, String)> {
    recovery_order(pool).into_iter().find_map(|m| {
        let verified = user.attributes.get(&format!("{}_verified", m.attribute()));
        (verified.map(String::as_str) == Some("true"))
            .then(|| user.attributes.get(m.attribute()).cloned())
            .flatten()
            .map(|dest| (m, dest))
    })
}

/// Fails with Cognito's error when nothing verified can receive a reset code.
pub fn check_reset_medium(pool: &PoolRecord, user: &UserRecord) -> Result<()> {
    match reset_medium(pool, user) {
        Some(_) => Ok(()),
        None => no_reset_medium(),
    }
}

fn no_reset_medium<T>() -> Result<T> {
    invalid_parameter(
        "Cannot reset password for the user as there is no registered/verified email or \
         phone_number",
    )
}

/// Sends a FORGOT_PASSWORD code; InvalidParameterException when nothing verified can get it.
pub async fn send_reset_code(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    (dispatch, call): (Dispatch, Call<'_>),
) -> Result<Delivered> {
    let Some((medium, destination)) = reset_medium(pool, user) else {
        return no_reset_medium();
    };
    let purpose = codes::Purpose {
        key: FORGOT_PASSWORD,
        message: FORGOT_PASSWORD,
        source: MessageSource::ForgotPassword,
        call,
    };
    codes::send_as(
        state,
        (pool, user),
        purpose,
        (medium, &destination),
        dispatch,
    )
    .await
}

/// Where a code would have gone for a username that names nobody (or a disabled user),
/// when the client hides whether users exist: the medium from the username's format, else
/// the first of `order`, and a masked destination made from the username, like a real one.
pub fn simulated_delivery(username: &str, order: &[Medium]) -> Delivered {
    let medium = if looks_like_email(username) {
        Medium::Email
    } else if looks_like_phone(username) {
        Medium::Sms
    } else {
        order.first().copied().unwrap_or(Medium::Email)
    };
    let destination = match medium {
        Medium::Email if looks_like_email(username) => username.to_string(),
        Medium::Email => format!("{username}@{username}"),
        Medium::Sms if looks_like_phone(username) => username.to_string(),
        Medium::Sms => {
            let digits = crypto::sha256_hex("simulated-phone", username);
            let digits: String = digits
                .chars()
                .filter(char::is_ascii_digit)
                .take(10)
                .collect();
            format!("+1{digits:0<10}")
        }
    };
    Delivered {
        medium,
        destination: messaging::mask(medium, &destination),
    }
}
