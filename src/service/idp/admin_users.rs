//! Administrators' user management: AdminCreateUser, AdminDeleteUser, AdminEnableUser,
//! AdminDisableUser, AdminResetUserPassword, AdminSetUserPassword, attribute changes,
//! AdminUserGlobalSignOut and AdminSetUserSettings.

use super::users::{set_mfa_options, user_type};
use super::{domain_attributes, Admin};
use crate::service::directory::attributes::Writer;
use crate::service::directory::users::{self, UserStatus};
use crate::service::directory::{
    aliases, attributes, credentials, lockout, pools, profile, recovery,
};
use crate::service::kernel::{ids, password_policy};
use crate::service::outbound::messaging::Dispatch;
use crate::service::triggers::invitation;
use crate::service::triggers::messages::Call;
use crate::service::triggers::signup::{self as trigger, SignUpSource};
use crate::service::triggers::Context;
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::pools::PoolRecord;
use crate::store::tokens as token_store;
use crate::store::users::{self as user_store, UserRecord};
use crate::store::StoreError;
use crate::types::users::*;
use crate::types::Empty;

pub async fn admin_create_user(
    state: &State,
    _: Admin,
    req: AdminCreateUserRequest,
) -> Result<AdminCreateUserResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    users::validate_username(&pool, &req.username)?;
    let action = req.message_action.as_deref();
    let policy = pool.settings.password_policy();
    let temporary = match &req.temporary_password {
        Some(p) => {
            password_policy::check(&policy, p)?;
            p.clone()
        }
        None => password_policy::generate(&policy),
    };
    if action == Some("RESEND") {
        return resend_invitation(state, &pool, &req, &temporary).await;
    }
    let mut user = new_user(&pool, &req)?;
    // Checked before anything is written, so a bad medium leaves no user behind.
    let media = if action == Some("SUPPRESS") {
        Vec::new()
    } else {
        invitation::media(&user, &req.desired_delivery_mediums, true)?
    };
    if users::find(state, &pool, &req.username).await?.is_some() {
        return fail(Exception::UsernameExists, "User account already exists");
    }
    // ForceAliasCreation moves a taken alias to this user (below).
    let force = req.force_alias_creation && !aliases::uses_username_attributes(&pool);
    if !force {
        aliases::check_unique(state, &pool, &user, true).await?;
    }
    credentials::hash_new(state, &pool.id, &user.username, &temporary)
        .await?
        .apply(&mut user);
    // PreSignUp runs before anything is stored: a refusal leaves no user behind.
    let ctx = Context {
        pool: &pool,
        client_id: None,
        user_name: &user.username,
        client_metadata: &req.client_metadata,
    };
    let validation = trigger::validation_map(
        req.validation_data
            .iter()
            .map(|a| (a.name.as_str(), a.value.as_deref())),
    );
    let submitted = trigger::submitted(&user);
    trigger::pre_sign_up(
        state,
        &ctx,
        SignUpSource::AdminCreateUser,
        &submitted,
        &validation,
    )
    .await?
    .apply(&mut user, false);
    if force {
        // The previous holder lets go first: the database holds each alias to one user.
        aliases::take_over(state, &pool, &user).await?;
    }
    match user_store::insert(&state.db, &user).await {
        Err(StoreError::Conflict(_)) => {
            return fail(Exception::UsernameExists, "User account already exists")
        }
        Err(StoreError::AliasTaken { name }) => return Err(aliases::taken(&pool, &name, true)),
        other => other?,
    }
    let sent = invitation::send(
        state,
        (&pool, &user),
        &media,
        Some(&temporary),
        Call::none(),
    );
    if let Err(e) = sent.await {
        // The invitation is part of creating the user: undelivered, nothing was created.
        user_store::delete(&state.db, &pool.id, &user.sub).await?;
        return Err(e);
    }
    Ok(AdminCreateUserResponse {
        user: user_type(&user, None),
    })
}

/// The record of a user AdminCreateUser is asked for, before its password is set.
fn new_user(pool: &PoolRecord, req: &AdminCreateUserRequest) -> Result<UserRecord> {
    let sub = ids::uuid();
    let (username, given) = aliases::creation_names(
        pool,
        &req.username,
        &domain_attributes(&req.user_attributes),
        &sub,
    )?;
    let attributes = users::parse_attributes(pool, Writer::Admin, &given)?;
    let now = now_ms();
    Ok(UserRecord {
        pool_id: pool.id.clone(),
        sub,
        username_key: users::username_key(pool, &username),
        username,
        status: UserStatus::ForceChangePassword,
        enabled: true,
        password_hash: None,
        srp_salt: None,
        srp_verifier: None,
        attributes,
        created_at: now,
        updated_at: now,
    })
}

/// MessageAction RESEND: a new temporary password and invitation for a user who has not yet
/// signed in.
async fn resend_invitation(
    state: &State,
    pool: &PoolRecord,
    req: &AdminCreateUserRequest,
    temporary: &str,
) -> Result<AdminCreateUserResponse> {
    let mut user = users::find_or_fail(state, pool, &req.username).await?;
    if user.status != UserStatus::ForceChangePassword {
        return fail(
            Exception::UnsupportedUserState,
            format!(
                "Resend not possible. {} status is {}.",
                user.username, user.status
            ),
        );
    }
    let media = invitation::media(&user, &req.desired_delivery_mediums, true)?;
    credentials::hash_new(state, &pool.id, &user.username, temporary)
        .await?
        .apply(&mut user);
    user.updated_at = now_ms();
    user_store::set_password(&state.db, &user).await?;
    invitation::send(state, (pool, &user), &media, Some(temporary), Call::none()).await?;
    Ok(AdminCreateUserResponse {
        user: user_type(&user, None),
    })
}

/// Loads the pool and the user an admin request names.
async fn target(state: &State, pool_id: &str, username: &str) -> Result<(PoolRecord, UserRecord)> {
    let pool = pools::load(state, pool_id).await?;
    let user = users::find_or_fail(state, &pool, username).await?;
    Ok((pool, user))
}

pub async fn admin_delete_user(state: &State, _: Admin, req: AdminUserRequest) -> Result<Empty> {
    let (pool, user) = target(state, &req.user_pool_id, &req.username).await?;
    user_store::delete(&state.db, &pool.id, &user.sub).await?;
    Ok(Empty {})
}

pub async fn admin_enable_user(state: &State, _: Admin, req: AdminUserRequest) -> Result<Empty> {
    set_enabled(state, req, true).await
}

pub async fn admin_disable_user(state: &State, _: Admin, req: AdminUserRequest) -> Result<Empty> {
    set_enabled(state, req, false).await
}

async fn set_enabled(state: &State, req: AdminUserRequest, enabled: bool) -> Result<Empty> {
    let (_, mut user) = target(state, &req.user_pool_id, &req.username).await?;
    user.enabled = enabled;
    user.updated_at = now_ms();
    user_store::set_enabled(&state.db, &user).await?;
    if !enabled {
        // Cognito revokes a disabled user's tokens for good: enabling does not revive them.
        token_store::revoke_all_for_user(&state.db, &user.pool_id, &user.sub, now_ms()).await?;
    }
    Ok(Empty {})
}

pub async fn admin_reset_user_password(
    state: &State,
    _: Admin,
    req: AdminUserRequest,
) -> Result<Empty> {
    let (pool, mut user) = target(state, &req.user_pool_id, &req.username).await?;
    recovery::check_reset_medium(&pool, &user)?;
    user.status = UserStatus::ResetRequired;
    user.updated_at = now_ms();
    user_store::update_status(&state.db, &user, None).await?;
    let call = (Dispatch::Awaited, Call::none());
    recovery::send_reset_code(state, &pool, &user, call).await?;
    Ok(Empty {})
}

pub async fn admin_set_user_password(
    state: &State,
    _: Admin,
    req: AdminSetUserPasswordRequest,
) -> Result<Empty> {
    let (pool, mut user) = target(state, &req.user_pool_id, &req.username).await?;
    password_policy::check(&pool.settings.password_policy(), &req.password)?;
    credentials::hash_new(state, &pool.id, &user.username, &req.password)
        .await?
        .apply(&mut user);
    user.status = if req.permanent {
        UserStatus::Confirmed
    } else {
        UserStatus::ForceChangePassword
    };
    user.updated_at = now_ms();
    user_store::set_password(&state.db, &user).await?;
    // A new password ends any lockout earned by guessing the old one.
    lockout::clear(state, &user).await?;
    Ok(Empty {})
}

pub async fn admin_update_user_attributes(
    state: &State,
    _: Admin,
    req: AdminUpdateUserAttributesRequest,
) -> Result<Empty> {
    let (pool, mut user) = target(state, &req.user_pool_id, &req.username).await?;
    let given = domain_attributes(&req.user_attributes);
    profile::update(state, &pool, &mut user, Writer::Admin, &given).await?;
    Ok(Empty {})
}

pub async fn admin_delete_user_attributes(
    state: &State,
    _: Admin,
    req: AdminDeleteUserAttributesRequest,
) -> Result<Empty> {
    let (pool, mut user) = target(state, &req.user_pool_id, &req.username).await?;
    attributes::delete_names(&pool, &mut user, &req.user_attribute_names)?;
    user.updated_at = now_ms();
    user_store::update_status(&state.db, &user, None).await?;
    Ok(Empty {})
}

pub async fn admin_user_global_sign_out(
    state: &State,
    _: Admin,
    req: AdminUserRequest,
) -> Result<Empty> {
    let (pool, user) = target(state, &req.user_pool_id, &req.username).await?;
    token_store::revoke_all_for_user(&state.db, &pool.id, &user.sub, now_ms()).await?;
    Ok(Empty {})
}

pub async fn admin_set_user_settings(
    state: &State,
    _: Admin,
    req: AdminSetUserSettingsRequest,
) -> Result<Empty> {
    let (_, mut user) = target(state, &req.user_pool_id, &req.username).await?;
    set_mfa_options(state, &mut user, &req.mfa_options).await?;
    Ok(Empty {})
}
