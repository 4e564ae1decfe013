//! Changing and resetting passwords: ChangePassword, ForgotPassword, ConfirmForgotPassword.

use super::admin_users::{self, FORGOT_PASSWORD};
use super::messaging::{self, Medium};
use super::users::{self, CONFIRMED, UNCONFIRMED};
use super::{
    blocking, clients, codes, crypto, fail, invalid_parameter, lockout, now_ms, password, pools,
    tokens, Exception, Result, State,
};
use crate::store::users::{self as user_store, UserRecord};
use crate::types::account::*;
use crate::types::{CodeDeliveryDetails, Empty};

/// Hashes `new_password` into `user` with `status`.
async fn rehash(
    state: &State,
    user: &mut UserRecord,
    new_password: &str,
    status: &str,
) -> Result<()> {
    let hashes = password::hash_new(state, &user.pool_id, &user.username, new_password).await?;
    user.password_hash = Some(hashes.hash);
    user.srp_salt = Some(hashes.srp_salt);
    user.srp_verifier = Some(hashes.srp_verifier);
    user.status = status.into();
    user.updated_at = now_ms();
    Ok(())
}

pub async fn change_password(state: &State, req: ChangePasswordRequest) -> Result<Empty> {
    let (_, mut user) = tokens::authenticate_access_token(state, &req.access_token).await?;
    let pool = pools::load(state, &user.pool_id).await?;
    let Some(previous) = req.previous_password else {
        return invalid_parameter("PreviousPassword is required to change the password.");
    };
    let hash = user
        .password_hash
        .clone()
        .unwrap_or_else(|| state.dummy_password_hash.clone());
    lockout::check(state, &user).await?;
    let matches = blocking(move || crypto::verify_password(&hash, &previous)).await?;
    if !matches || user.password_hash.is_none() {
        // Guessing through ChangePassword counts like guessing at sign-in.
        lockout::failed(state, &user).await?;
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    }
    lockout::succeeded(state, &user).await?;
    password::check(&admin_users::password_policy(&pool), &req.proposed_password)?;
    let status = user.status.clone();
    rehash(state, &mut user, &req.proposed_password, &status).await?;
    user_store::set_password(&state.db, &user).await?;
    Ok(Empty {})
}

pub async fn forgot_password(
    state: &State,
    req: ForgotPasswordRequest,
) -> Result<CodeDeliveryReply> {
    let client = clients::load(state, &req.client_id).await?;
    let pool = pools::load(state, &client.pool_id).await?;
    clients::check_secret_hash(&client, req.secret_hash.as_deref(), &[&req.username])?;
    let prevent = client.settings.prevent_user_existence_errors.as_deref() == Some("ENABLED");
    let Some(user) = users::find(state, &pool, &req.username).await? else {
        if prevent {
            // Looks like a delivery, so that callers cannot probe for usernames.
            return Ok(CodeDeliveryReply {
                code_delivery_details: CodeDeliveryDetails {
                    destination: messaging::mask(
                        Medium::Email,
                        &format!("{}@example.com", req.username),
                    ),
                    delivery_medium: Medium::Email.name().into(),
                    attribute_name: Medium::Email.attribute().into(),
                },
            });
        }
        return fail(Exception::UserNotFound, "User does not exist.");
    };
    if !user.enabled {
        return fail(Exception::NotAuthorized, "User is disabled.");
    }
    // An invited user's temporary password is replaced at first sign-in, not reset.
    if user.status == admin_users::FORCE_CHANGE_PASSWORD {
        return fail(
            Exception::NotAuthorized,
            "User password cannot be reset in the current state.",
        );
    }
    let code_delivery_details = admin_users::send_reset_code(state, &pool, &user).await?;
    Ok(CodeDeliveryReply {
        code_delivery_details,
    })
}

pub async fn confirm_forgot_password(
    state: &State,
    req: ConfirmForgotPasswordRequest,
) -> Result<Empty> {
    let client = clients::load(state, &req.client_id).await?;
    let pool = pools::load(state, &client.pool_id).await?;
    clients::check_secret_hash(&client, req.secret_hash.as_deref(), &[&req.username])?;
    let mut user = users::find_or_fail(state, &pool, &req.username).await?;
    codes::check(state, &user, FORGOT_PASSWORD, &req.confirmation_code).await?;
    password::check(&admin_users::password_policy(&pool), &req.password)?;
    if user.status == UNCONFIRMED {
        return fail(Exception::UserNotConfirmed, "User is not confirmed.");
    }
    rehash(state, &mut user, &req.password, CONFIRMED).await?;
    if !user_store::set_password_with_code(&state.db, &user, Some(FORGOT_PASSWORD)).await? {
        // Another request used the same code a moment earlier.
        return fail(
            Exception::ExpiredCode,
            "Invalid code provided, please request a code again.",
        );
    }
    // A new password ends any lockout earned by guessing the old one.
    lockout::succeeded(state, &user).await?;
    Ok(Empty {})
}
