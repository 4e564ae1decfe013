//! Administrators' user management: AdminCreateUser, AdminDeleteUser, AdminEnableUser,
//! AdminDisableUser, AdminResetUserPassword, AdminSetUserPassword, attribute changes,
//! AdminUserGlobalSignOut and AdminSetUserSettings.

use super::messaging::{self, Medium, Message};
use super::users::{self, CONFIRMED};
use super::{
    aliases, attributes, codes, fail, ids, invalid_parameter, lockout, now_ms, password, pending,
    pools, Exception, Result, State,
};
use crate::store::pools::PoolRecord;
use crate::store::tokens as token_store;
use crate::store::users::{self as user_store, UserRecord};
use crate::store::StoreError;
use crate::types::pools::PasswordPolicy;
use crate::types::users::*;
use crate::types::Empty;

pub const FORCE_CHANGE_PASSWORD: &str = "FORCE_CHANGE_PASSWORD";
pub const RESET_REQUIRED: &str = "RESET_REQUIRED";
pub const FORGOT_PASSWORD: &str = "FORGOT_PASSWORD";
const INVITATION: &str = "INVITATION";

pub fn password_policy(pool: &PoolRecord) -> PasswordPolicy {
    pool.settings
        .policies
        .clone()
        .and_then(|p| p.password_policy)
        .unwrap_or_default()
}

/// A random password that satisfies `policy`: every character class, at least 12 long.
pub fn generate_password(policy: &PasswordPolicy) -> String {
    use rand::seq::SliceRandom;
    use rand::Rng;
    let classes: [&[u8]; 4] = [
        b"ABCDEFGHJKLMNPQRSTUVWXYZ",
        b"abcdefghijkmnopqrstuvwxyz",
        b"23456789",
        b"^$*.[]{}()?!@#%&",
    ];
    let length = policy.minimum_length.unwrap_or(8).max(12) as usize;
    let mut rng = rand::thread_rng();
    let mut chars: Vec<u8> = classes
        .iter()
        .map(|c| c[rng.gen_range(0..c.len())])
        .collect();
    while chars.len() < length {
        let class = classes[rng.gen_range(0..classes.len())];
        chars.push(class[rng.gen_range(0..class.len())]);
    }
    chars.shuffle(&mut rng);
    String::from_utf8(chars).expect("ASCII")
}

/// The media an invitation goes to: those asked for (SMS by default) that the user has.
fn invitation_media(
    req: &AdminCreateUserRequest,
    user: &UserRecord,
) -> Result<Vec<(Medium, String)>> {
    let mut media = Vec::new();
    let asked: Vec<&str> = if req.desired_delivery_mediums.is_empty() {
        vec!["SMS"]
    } else {
        req.desired_delivery_mediums
            .iter()
            .map(String::as_str)
            .collect()
    };
    for name in &asked {
        let medium = match *name {
            "EMAIL" => Medium::Email,
            "SMS" => Medium::Sms,
            other => {
                return invalid_parameter(format!(
                    "1 validation error detected: Value '[{other}]' at 'desiredDeliveryMediums' \
                     failed to satisfy constraint: Member must satisfy enum value set: [SMS, EMAIL]"
                ))
            }
        };
        if let Some(dest) = user.attributes.get(medium.attribute()) {
            media.push((medium, dest.clone()));
        }
    }
    if media.is_empty() && !req.desired_delivery_mediums.is_empty() {
        let attr = asked.iter().map(|m| {
            if *m == "EMAIL" {
                "email"
            } else {
                "phone_number"
            }
        });
        return invalid_parameter(format!(
            "User has no attribute matching desired delivery mediums: {}",
            attr.collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(media)
}

/// Sends the pool's invitation with the username and temporary password.
async fn send_invitation(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    media: &[(Medium, String)],
    temporary_password: &str,
) -> Result<()> {
    let template = pool
        .settings
        .other
        .get("AdminCreateUserConfig")
        .and_then(|c| c.get("InviteMessageTemplate"));
    let field = |name: &str, default: &str| {
        template
            .and_then(|t| t.get(name))
            .and_then(|v| v.as_str())
            .unwrap_or(default)
            .to_string()
    };
    let default_body = "Your username is {username} and temporary password is {####}.";
    for (medium, destination) in media {
        let (subject, body) = match medium {
            Medium::Email => (
                Some(field("EmailSubject", "Your temporary password")),
                field("EmailMessage", default_body),
            ),
            Medium::Sms => (None, field("SMSMessage", default_body)),
        };
        messaging::send(
            state,
            Message {
                pool_id: &pool.id,
                username: &user.username,
                medium: *medium,
                destination,
                purpose: INVITATION,
                // The outbox shows the temporary password where other messages show codes.
                code: Some(temporary_password),
                subject,
                body: body
                    .replace("{username}", &user.username)
                    .replace("{####}", temporary_password),
            },
        )
        .await?;
    }
    Ok(())
}

pub async fn admin_create_user(
    state: &State,
    req: AdminCreateUserRequest,
) -> Result<AdminCreateUserResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    users::validate_username(&req.username)?;
    let action = req.message_action.as_deref();
    if !matches!(action, None | Some("SUPPRESS") | Some("RESEND")) {
        return invalid_parameter(format!(
            "1 validation error detected: Value '{}' at 'messageAction' failed to satisfy \
             constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]",
            action.unwrap_or_default()
        ));
    }
    let policy = password_policy(&pool);
    let temporary = match &req.temporary_password {
        Some(p) => {
            password::check(&policy, p)?;
            p.clone()
        }
        None => generate_password(&policy),
    };
    if action == Some("RESEND") {
        return resend_invitation(state, &pool, &req, &temporary).await;
    }
    let mut user = new_user(&pool, &req)?;
    // Checked before anything is written, so a bad medium leaves no user behind.
    let media = if action == Some("SUPPRESS") {
        Vec::new()
    } else {
        invitation_media(&req, &user)?
    };
    if users::find(state, &pool, &req.username).await?.is_some() {
        return fail(Exception::UsernameExists, "User account already exists");
    }
    // ForceAliasCreation moves a taken alias to this user once it exists (below).
    let force = req.force_alias_creation && !aliases::uses_username_attributes(&pool);
    if !force {
        aliases::check_unique(state, &pool, &user, true).await?;
    }
    let hashes = password::hash_new(state, &pool.id, &user.username, &temporary).await?;
    user.password_hash = Some(hashes.hash);
    user.srp_salt = Some(hashes.srp_salt);
    user.srp_verifier = Some(hashes.srp_verifier);
    match user_store::insert(&state.db, &user).await {
        Err(StoreError::Conflict(_)) => {
            return fail(Exception::UsernameExists, "User account already exists")
        }
        other => other?,
    }
    if let Err(e) = send_invitation(state, &pool, &user, &media, &temporary).await {
        // The invitation is part of creating the user: undelivered, nothing was created.
        user_store::delete(&state.db, &pool.id, &user.sub).await?;
        return Err(e);
    }
    if force {
        aliases::take_over(state, &pool, &user).await?;
    }
    Ok(AdminCreateUserResponse {
        user: users::user_type(&user, None),
    })
}

/// The record of a user AdminCreateUser is asked for, before its password is set.
fn new_user(pool: &PoolRecord, req: &AdminCreateUserRequest) -> Result<UserRecord> {
    let sub = ids::uuid();
    let (username, given) =
        aliases::creation_names(pool, &req.username, &req.user_attributes, &sub)?;
    let attributes = users::parse_attributes(pool, &given)?;
    let now = now_ms();
    Ok(UserRecord {
        pool_id: pool.id.clone(),
        sub,
        username_key: users::username_key(pool, &username),
        username,
        status: FORCE_CHANGE_PASSWORD.into(),
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
    if user.status != FORCE_CHANGE_PASSWORD {
        return fail(
            Exception::UnsupportedUserState,
            format!(
                "Resend not possible. {} status is {}.",
                user.username, user.status
            ),
        );
    }
    let media = invitation_media(req, &user)?;
    let hashes = password::hash_new(state, &pool.id, &user.username, temporary).await?;
    user.password_hash = Some(hashes.hash);
    user.srp_salt = Some(hashes.srp_salt);
    user.srp_verifier = Some(hashes.srp_verifier);
    user.updated_at = now_ms();
    user_store::set_password(&state.db, &user).await?;
    send_invitation(state, pool, &user, &media, temporary).await?;
    Ok(AdminCreateUserResponse {
        user: users::user_type(&user, None),
    })
}

/// Loads the pool and the user an admin request names.
async fn target(state: &State, pool_id: &str, username: &str) -> Result<(PoolRecord, UserRecord)> {
    let pool = pools::load(state, pool_id).await?;
    let user = users::find_or_fail(state, &pool, username).await?;
    Ok((pool, user))
}

pub async fn admin_delete_user(state: &State, req: AdminUserRequest) -> Result<Empty> {
    let (pool, user) = target(state, &req.user_pool_id, &req.username).await?;
    user_store::delete(&state.db, &pool.id, &user.sub).await?;
    Ok(Empty {})
}

pub async fn admin_enable_user(state: &State, req: AdminUserRequest) -> Result<Empty> {
    set_enabled(state, req, true).await
}

pub async fn admin_disable_user(state: &State, req: AdminUserRequest) -> Result<Empty> {
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

/// The media password-reset codes may use, in the order of the pool's AccountRecoverySetting
/// (`admin_only` allows none); without one, Cognito's legacy order: phone, then email.
fn recovery_order(pool: &PoolRecord) -> Vec<Medium> {
    let mechanisms = pool
        .settings
        .other
        .get("AccountRecoverySetting")
        .and_then(|s| s.get("RecoveryMechanisms"))
        .and_then(|m| m.as_array());
    let Some(mechanisms) = mechanisms else {
        return vec![Medium::Sms, Medium::Email];
    };
    let mut ranked: Vec<(i64, &str)> = mechanisms
        .iter()
        .filter_map(|m| {
            let priority = m
                .get("Priority")
                .and_then(|p| p.as_i64())
                .unwrap_or(i64::MAX);
            Some((priority, m.get("Name")?.as_str()?))
        })
        .collect();
    ranked.sort();
    ranked
        .into_iter()
        .filter_map(|(_, name)| match name {
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
) -> Result<crate::types::CodeDeliveryDetails> {
    let Some((medium, destination)) = reset_medium(pool, user) else {
        return no_reset_medium();
    };
    let purpose = codes::Purpose {
        key: FORGOT_PASSWORD,
        message: FORGOT_PASSWORD,
    };
    codes::send(state, pool, user, purpose, (medium, &destination)).await
}

pub async fn admin_reset_user_password(state: &State, req: AdminUserRequest) -> Result<Empty> {
    let (pool, mut user) = target(state, &req.user_pool_id, &req.username).await?;
    if reset_medium(&pool, &user).is_none() {
        return no_reset_medium();
    }
    user.status = RESET_REQUIRED.into();
    user.updated_at = now_ms();
    user_store::update_status(&state.db, &user, None).await?;
    send_reset_code(state, &pool, &user).await?;
    Ok(Empty {})
}

pub async fn admin_set_user_password(
    state: &State,
    req: AdminSetUserPasswordRequest,
) -> Result<Empty> {
    let (pool, mut user) = target(state, &req.user_pool_id, &req.username).await?;
    password::check(&password_policy(&pool), &req.password)?;
    let hashes = password::hash_new(state, &pool.id, &user.username, &req.password).await?;
    user.password_hash = Some(hashes.hash);
    user.srp_salt = Some(hashes.srp_salt);
    user.srp_verifier = Some(hashes.srp_verifier);
    user.status = if req.permanent {
        CONFIRMED
    } else {
        FORCE_CHANGE_PASSWORD
    }
    .into();
    user.updated_at = now_ms();
    user_store::set_password(&state.db, &user).await?;
    // A new password ends any lockout earned by guessing the old one.
    lockout::succeeded(state, &user).await?;
    Ok(Empty {})
}

pub async fn admin_update_user_attributes(
    state: &State,
    req: AdminUpdateUserAttributesRequest,
) -> Result<Empty> {
    let (pool, mut user) = target(state, &req.user_pool_id, &req.username).await?;
    attributes::check_updates(&pool, &req.user_attributes)?;
    let (now, held) = pending::split(&pool, &user, &req.user_attributes);
    let changed = attributes::apply_updates(&mut user, &now);
    user.updated_at = now_ms();
    aliases::check_unique(state, &pool, &user, false).await?;
    user_store::update_status(&state.db, &user, None).await?;
    attributes::send_changed(state, &pool, &user, &changed).await?;
    pending::hold(state, &pool, &user, held).await?;
    Ok(Empty {})
}

pub async fn admin_delete_user_attributes(
    state: &State,
    req: AdminDeleteUserAttributesRequest,
) -> Result<Empty> {
    let (pool, mut user) = target(state, &req.user_pool_id, &req.username).await?;
    attributes::delete_names(&pool, &mut user, &req.user_attribute_names)?;
    user.updated_at = now_ms();
    user_store::update_status(&state.db, &user, None).await?;
    Ok(Empty {})
}

pub async fn admin_user_global_sign_out(state: &State, req: AdminUserRequest) -> Result<Empty> {
    let (pool, user) = target(state, &req.user_pool_id, &req.username).await?;
    token_store::revoke_all_for_user(&state.db, &pool.id, &user.sub, now_ms()).await?;
    Ok(Empty {})
}

pub async fn admin_set_user_settings(
    state: &State,
    req: AdminSetUserSettingsRequest,
) -> Result<Empty> {
    let (_, mut user) = target(state, &req.user_pool_id, &req.username).await?;
    users::set_mfa_options(state, &mut user, &req.mfa_options).await?;
    Ok(Empty {})
}
