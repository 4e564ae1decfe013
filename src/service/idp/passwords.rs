//! Changing and resetting passwords: ChangePassword, ForgotPassword, ConfirmForgotPassword.

use super::{Bearer, Public};
use crate::service::directory::recovery::{self, FORGOT_PASSWORD};
use crate::service::directory::users::{self, UserStatus};
use crate::service::directory::{clients, codes, credentials, lockout, pools};
use crate::service::kernel::password_policy;
use crate::service::outbound::messaging::Dispatch;
use crate::service::signin::migration;
use crate::service::triggers::messages::Call;
use crate::service::triggers::signup::{post_confirmation, ConfirmSource};
use crate::service::triggers::Context;
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::users::{self as user_store, UserRecord};
use crate::types::account::*;
use crate::types::Empty;

/// Hashes `new_password` into `user` with `status`.
async fn rehash(
    state: &State,
    user: &mut UserRecord,
    new_password: &str,
    status: UserStatus,
) -> Result<()> {
    credentials::hash_new(state, &user.pool_id, &user.username, new_password)
        .await?
        .apply(user);
    user.status = status;
    user.updated_at = now_ms();
    Ok(())
}

pub async fn change_password(
    state: &State,
    caller: Bearer,
    req: ChangePasswordRequest,
) -> Result<Empty> {
    let mut user = caller.0.user;
    let pool = pools::load(state, &user.pool_id).await?;
    let Some(previous) = req.previous_password else {
        return invalid_parameter("PreviousPassword is required to change the password.");
    };
    // Guessing through ChangePassword counts like guessing at sign-in.
    let attempt = lockout::claim(state, &user).await?;
    let matches = credentials::verify(state, user.password_hash.as_deref(), &previous).await?;
    if !matches || user.password_hash.is_none() {
        attempt.failed(state).await?;
        return fail(Exception::NotAuthorized, "Incorrect username or password.");
    }
    attempt.succeeded(state).await?;
    password_policy::check(&pool.settings.password_policy(), &req.proposed_password)?;
    let status = user.status;
    rehash(state, &mut user, &req.proposed_password, status).await?;
    user_store::set_password(&state.db, &user).await?;
    Ok(Empty {})
}

pub async fn forgot_password(
    state: &State,
    _: Public,
    req: ForgotPasswordRequest,
) -> Result<CodeDeliveryReply> {
    let client = clients::load(state, &req.client_id).await?;
    let pool = pools::load(state, &client.pool_id).await?;
    clients::check_secret_hash(&client, req.secret_hash.as_deref(), &[&req.username])?;
    let prevent = client.settings.prevents_user_existence_errors();
    let user = match users::find(state, &pool, &req.username).await? {
        Some(user) => Some(user),
        None => {
            let (name, meta) = (&req.username, &req.client_metadata);
            migration::migrate(state, (&pool, &client), name, None, meta).await?
        }
    };
    let user = match user {
        Some(user) if user.enabled => user,
        // Looks like a delivery, so that callers cannot probe for usernames, as Cognito
        // answers for unknown and disabled users alike.
        _ if prevent => {
            codes::store_unknown(state, &pool, &req.username, FORGOT_PASSWORD).await?;
            let order = recovery::recovery_order(&pool);
            let sent = recovery::simulated_delivery(&req.username, &order);
            return Ok(CodeDeliveryReply {
                code_delivery_details: sent.into(),
            });
        }
        Some(_) => return fail(Exception::NotAuthorized, "User is disabled."),
        None => return fail(Exception::UserNotFound, "User does not exist."),
    };
    // An invited user's temporary password is replaced at first sign-in, not reset.
    if user.status == UserStatus::ForceChangePassword {
        return fail(
            Exception::NotAuthorized,
            "User password cannot be reset in the current state.",
        );
    }
    let dispatch = Dispatch::hiding_users(prevent);
    let call = Call {
        client_id: Some(&client.id),
        metadata: &req.client_metadata,
    };
    let sent = recovery::send_reset_code(state, &pool, &user, (dispatch, call)).await?;
    Ok(CodeDeliveryReply {
        code_delivery_details: sent.into(),
    })
}

pub async fn confirm_forgot_password(
    state: &State,
    _: Public,
    req: ConfirmForgotPasswordRequest,
) -> Result<Empty> {
    let client = clients::load(state, &req.client_id).await?;
    let pool = pools::load(state, &client.pool_id).await?;
    clients::check_secret_hash(&client, req.secret_hash.as_deref(), &[&req.username])?;
    let prevent = client.settings.prevents_user_existence_errors();
    let user = users::find(state, &pool, &req.username).await?;
    let mut user = match user {
        Some(user) if user.enabled || !prevent => user,
        // Unknown and disabled users get the answer a wrong code gets, after the same work.
        _ if prevent => {
            let (name, code) = (&req.username, &req.confirmation_code);
            return codes::refuse_unknown(state, &pool, name, FORGOT_PASSWORD, code).await;
        }
        _ => return fail(Exception::UserNotFound, "User does not exist."),
    };
    codes::check(state, &user, FORGOT_PASSWORD, &req.confirmation_code).await?;
    password_policy::check(&pool.settings.password_policy(), &req.password)?;
    if user.status == UserStatus::Unconfirmed {
        return fail(Exception::UserNotConfirmed, "User is not confirmed.");
    }
    rehash(state, &mut user, &req.password, UserStatus::Confirmed).await?;
    // PostConfirmation runs before the new password is stored: a refusal changes nothing.
    let ctx = Context {
        pool: &pool,
        client_id: Some(&client.id),
        user_name: &user.username,
        client_metadata: &req.client_metadata,
    };
    let source = ConfirmSource::ConfirmForgotPassword;
    post_confirmation(state, &ctx, source, &user).await?;
    if !user_store::set_password_with_code(&state.db, &user, Some(FORGOT_PASSWORD)).await? {
        // Another request used the same code a moment earlier.
        return fail(
            Exception::ExpiredCode,
            "Invalid code provided, please request a code again.",
        );
    }
    // A new password ends any lockout earned by guessing the old one.
    lockout::clear(state, &user).await?;
    Ok(Empty {})
}
