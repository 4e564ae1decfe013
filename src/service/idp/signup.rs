//! Self-service registration: SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp.

use super::{domain_attributes, Admin, Public};
use crate::service::directory::attributes::Writer;
use crate::service::directory::users::{self, UserStatus};
use crate::service::directory::{
    aliases, attributes, clients, codes, credentials, pools, recovery,
};
use crate::service::kernel::{ids, password_policy};
use crate::service::outbound::messaging::{Dispatch, Medium};
use crate::service::triggers::messages::{Call, MessageSource};
use crate::service::triggers::signup::{self as trigger, ConfirmSource, SignUpSource};
use crate::service::triggers::Context;
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::pools::PoolRecord;
use crate::store::users::{self as user_store, UserRecord};
use crate::store::StoreError;
use crate::types::users::*;
use crate::types::{CodeDeliveryDetails, Empty};

pub const SIGN_UP: &str = "SIGN_UP";

pub async fn sign_up(state: &State, _: Public, req: SignUpRequest) -> Result<SignUpResponse> {
    let client = clients::load(state, &req.client_id).await?;
    let pool = pools::load(state, &client.pool_id).await?;
    clients::check_secret_hash(&client, req.secret_hash.as_deref(), &[&req.username])?;
    users::validate_username(&pool, &req.username)?;
    clients::check_writable(&client, req.user_attributes.iter().map(|a| a.name.as_str()))?;
    let Some(pw) = req.password else {
        return invalid_parameter("Password is required to sign up.");
    };
    password_policy::check(&pool.settings.password_policy(), &pw)?;
    let sub = ids::uuid();
    let (username, given) = aliases::creation_names(
        &pool,
        &req.username,
        &domain_attributes(&req.user_attributes),
        &sub,
    )?;
    let attributes = users::parse_attributes(&pool, Writer::User, &given)?;
    let hashes = credentials::hash_new(state, &pool.id, &username, &pw).await?;
    let now = now_ms();
    let mut user = UserRecord {
        pool_id: pool.id.clone(),
        sub,
        username_key: users::username_key(&pool, &username),
        username,
        status: UserStatus::Unconfirmed,
        enabled: true,
        password_hash: Some(hashes.hash),
        srp_salt: Some(hashes.srp_salt),
        srp_verifier: Some(hashes.srp_verifier),
        attributes,
        created_at: now,
        updated_at: now,
    };
    aliases::check_unique(state, &pool, &user, true).await?;
    // PreSignUp runs before anything is stored: a refusal leaves no user behind.
    let ctx = Context {
        pool: &pool,
        client_id: Some(&client.id),
        user_name: &user.username,
        client_metadata: &req.client_metadata,
    };
    let validation = trigger::validation_map(
        req.validation_data
            .iter()
            .map(|a| (a.name.as_str(), a.value.as_deref())),
    );
    let submitted = trigger::submitted(&user);
    trigger::pre_sign_up(state, &ctx, SignUpSource::SignUp, &submitted, &validation)
        .await?
        .apply(&mut user, true);
    match user_store::insert(&state.db, &user).await {
        Err(StoreError::Conflict(_)) => {
            return fail(Exception::UsernameExists, "User already exists")
        }
        Err(StoreError::AliasTaken { name }) => return Err(aliases::taken(&pool, &name, true)),
        other => other?,
    }
    if user.status == UserStatus::Confirmed {
        return Ok(SignUpResponse {
            user_confirmed: true,
            code_delivery_details: None,
            user_sub: user.sub,
        });
    }
    let call = Call {
        client_id: Some(&client.id),
        metadata: &req.client_metadata,
    };
    let to = (MessageSource::SignUp, call);
    let sent = send_confirmation_code(state, (&pool, &user), to, Dispatch::Awaited).await;
    let code_delivery_details = match sent {
        Ok(details) => details,
        Err(e) => {
            // The code is part of signing up: undelivered, nothing was created.
            user_store::delete(&state.db, &pool.id, &user.sub).await?;
            return Err(e);
        }
    };
    Ok(SignUpResponse {
        user_confirmed: false,
        code_delivery_details,
        user_sub: user.sub,
    })
}

/// Where a confirmation code goes: the pool's auto-verified attributes that the user has,
/// the phone first as Cognito does.
pub fn confirmation_medium(pool: &PoolRecord, user: &UserRecord) -> Option<(Medium, String)> {
    let auto = pool
        .settings
        .auto_verified_attributes
        .as_deref()
        .unwrap_or_default();
    [Medium::Sms, Medium::Email].into_iter().find_map(|m| {
        let attr = m.attribute();
        (auto.iter().any(|a| a == attr))
            .then(|| user.attributes.get(attr).cloned())
            .flatten()
            .map(|dest| (m, dest))
    })
}

/// Creates, stores (hashed) and sends a new sign-up code, if the pool verifies anything.
async fn send_confirmation_code(
    state: &State,
    (pool, user): (&PoolRecord, &UserRecord),
    (source, call): (MessageSource, Call<'_>),
    dispatch: Dispatch,
) -> Result<Option<CodeDeliveryDetails>> {
    let Some((medium, destination)) = confirmation_medium(pool, user) else {
        return Ok(None);
    };
    let purpose = codes::Purpose {
        key: SIGN_UP,
        message: SIGN_UP,
        source,
        call,
    };
    let to = (medium, destination.as_str());
    let sent = codes::send_as(state, (pool, user), purpose, to, dispatch).await?;
    Ok(Some(sent.into()))
}

pub async fn confirm_sign_up(state: &State, _: Public, req: ConfirmSignUpRequest) -> Result<Empty> {
    let client = clients::load(state, &req.client_id).await?;
    let pool = pools::load(state, &client.pool_id).await?;
    clients::check_secret_hash(&client, req.secret_hash.as_deref(), &[&req.username])?;
    let user = users::find(state, &pool, &req.username).await?;
    let mut user = match user {
        Some(user) => user,
        // An unknown user gets the answer a wrong code gets, after the same work.
        None if client.settings.prevents_user_existence_errors() => {
            let (name, code) = (&req.username, &req.confirmation_code);
            return codes::refuse_unknown(state, &pool, name, SIGN_UP, code).await;
        }
        None => return fail(Exception::UserNotFound, "User does not exist."),
    };
    check_unconfirmed(&user)?;
    codes::check(state, &user, SIGN_UP, &req.confirmation_code).await?;
    user.status = UserStatus::Confirmed;
    if let Some((medium, _)) = confirmation_medium(&pool, &user) {
        user.attributes
            .insert(format!("{}_verified", medium.attribute()), "true".into());
    }
    user.updated_at = now_ms();
    aliases::check_unique(state, &pool, &user, false).await?;
    // PostConfirmation sees the user confirmed; a refusal leaves them unconfirmed, code unspent.
    let ctx = Context {
        pool: &pool,
        client_id: Some(&client.id),
        user_name: &user.username,
        client_metadata: &req.client_metadata,
    };
    trigger::post_confirmation(state, &ctx, ConfirmSource::ConfirmSignUp, &user).await?;
    if !user_store::update_status(&state.db, &user, Some(SIGN_UP)).await? {
        // Another request used the same code a moment earlier.
        return fail(
            Exception::ExpiredCode,
            "Invalid code provided, please request a code again.",
        );
    }
    Ok(Empty {})
}

pub async fn resend_confirmation_code(
    state: &State,
    _: Public,
    req: ResendConfirmationCodeRequest,
) -> Result<ResendConfirmationCodeResponse> {
    let client = clients::load(state, &req.client_id).await?;
    let pool = pools::load(state, &client.pool_id).await?;
    clients::check_secret_hash(&client, req.secret_hash.as_deref(), &[&req.username])?;
    let user = users::find(state, &pool, &req.username).await?;
    let user = match user {
        Some(user) if user.enabled => user,
        // Unknown and disabled users look like a delivery when the client hides existence.
        _ if client.settings.prevents_user_existence_errors() => {
            codes::store_unknown(state, &pool, &req.username, SIGN_UP).await?;
            let order: Vec<Medium> = [Medium::Sms, Medium::Email]
                .into_iter()
                .filter(|m| attributes::auto_verifies(&pool, *m))
                .collect();
            let sent = recovery::simulated_delivery(&req.username, &order);
            return Ok(ResendConfirmationCodeResponse {
                code_delivery_details: Some(sent.into()),
            });
        }
        Some(user) => user,
        None => return fail(Exception::UserNotFound, "User does not exist."),
    };
    if user.status != UserStatus::Unconfirmed {
        return invalid_parameter("User is already confirmed.");
    }
    let dispatch = Dispatch::hiding_users(client.settings.prevents_user_existence_errors());
    let call = Call {
        client_id: Some(&client.id),
        metadata: &req.client_metadata,
    };
    let to = (MessageSource::ResendCode, call);
    match send_confirmation_code(state, (&pool, &user), to, dispatch).await? {
        Some(details) => Ok(ResendConfirmationCodeResponse {
            code_delivery_details: Some(details),
        }),
        None => fail(
            Exception::InvalidParameter,
            "Cannot resend codes. Auto verification not turned on.",
        ),
    }
}

pub async fn admin_confirm_sign_up(
    state: &State,
    _: Admin,
    req: AdminUserRequest,
) -> Result<Empty> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let mut user = users::find_or_fail(state, &pool, &req.username).await?;
    check_unconfirmed(&user)?;
    user.status = UserStatus::Confirmed;
    user.updated_at = now_ms();
    let ctx = Context {
        pool: &pool,
        client_id: None,
        user_name: &user.username,
        client_metadata: crate::service::triggers::auth::no_metadata(),
    };
    trigger::post_confirmation(state, &ctx, ConfirmSource::ConfirmSignUp, &user).await?;
    user_store::update_status(&state.db, &user, None).await?;
    Ok(Empty {})
}

/// Only an unconfirmed user can be confirmed.
fn check_unconfirmed(user: &UserRecord) -> Result<()> {
    if user.status != UserStatus::Unconfirmed {
        return fail(
            Exception::NotAuthorized,
            format!(
                "User cannot be confirmed. Current status is {}",
                user.status
            ),
        );
    }
    Ok(())
}
