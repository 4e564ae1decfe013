//! Self-service registration: SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp.

use super::messaging::{self, Medium, Message};
use super::users::{self, CONFIRMED, UNCONFIRMED};
use super::{
    clients, crypto, fail, ids, invalid_parameter, now_ms, password, pools, Exception, Result,
    State,
};
use crate::store::codes::{self as code_store, CodeRow};
use crate::store::pools::PoolRecord;
use crate::store::users::{self as user_store, UserRecord};
use crate::store::StoreError;
use crate::types::users::*;
use crate::types::{CodeDeliveryDetails, Empty};

pub const SIGN_UP: &str = "SIGN_UP";
/// Confirmation codes live for 24 hours, as Cognito's do.
const CODE_LIFETIME_MS: i64 = 24 * 3600 * 1000;
/// Wrong guesses allowed against one code before a new one must be requested.
const MAX_CODE_ATTEMPTS: i64 = 5;

pub async fn sign_up(state: &State, req: SignUpRequest) -> Result<SignUpResponse> {
    let client = clients::load(state, &req.client_id).await?;
    let pool = pools::load(state, &client.pool_id).await?;
    clients::check_secret_hash(&client, req.secret_hash.as_deref(), &[&req.username])?;
    users::validate_username(&req.username)?;
    let Some(pw) = req.password else {
        return invalid_parameter("Password is required to sign up.");
    };
    let policy = pool
        .settings
        .policies
        .clone()
        .and_then(|p| p.password_policy)
        .unwrap_or_default();
    password::check(&policy, &pw)?;
    let attributes = users::parse_attributes(&pool, &req.user_attributes)?;
    let hashes = password::hash_new(state, &pool.id, &req.username, &pw).await?;
    let now = now_ms();
    let user = UserRecord {
        pool_id: pool.id.clone(),
        sub: ids::uuid(),
        username_key: users::username_key(&pool, &req.username),
        username: req.username,
        status: UNCONFIRMED.into(),
        enabled: true,
        password_hash: Some(hashes.hash),
        srp_salt: Some(hashes.srp_salt),
        srp_verifier: Some(hashes.srp_verifier),
        attributes,
        created_at: now,
        updated_at: now,
    };
    match user_store::insert(&state.db, &user).await {
        Err(StoreError::Conflict(_)) => {
            return fail(Exception::UsernameExists, "User already exists")
        }
        other => other?,
    }
    let code_delivery_details = send_confirmation_code(state, &pool, &user).await?;
    Ok(SignUpResponse {
        user_confirmed: false,
        code_delivery_details,
        user_sub: user.sub,
    })
}

/// Where a confirmation code goes: the pool's auto-verified attributes that the user has,
/// the phone first as Cognito does.
fn confirmation_medium(pool: &PoolRecord, user: &UserRecord) -> Option<(Medium, String)> {
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
    pool: &PoolRecord,
    user: &UserRecord,
) -> Result<Option<CodeDeliveryDetails>> {
    let Some((medium, destination)) = confirmation_medium(pool, user) else {
        return Ok(None);
    };
    let code = ids::code();
    let now = now_ms();
    code_store::upsert(
        &state.db,
        &CodeRow {
            pool_id: pool.id.clone(),
            sub: user.sub.clone(),
            purpose: SIGN_UP.into(),
            code_hash: crypto::sha256_hex(&user.sub, &code),
            expires_at: now + CODE_LIFETIME_MS,
            attempts: 0,
            created_at: now,
        },
    )
    .await?;
    let template = pool.settings.other.get("VerificationMessageTemplate");
    let field = |name: &str| {
        template
            .and_then(|t| t.get(name))
            .and_then(|v| v.as_str())
            .map(String::from)
    };
    let (subject, body) = match medium {
        Medium::Email => (
            Some(field("EmailSubject").unwrap_or_else(|| "Your verification code".into())),
            field("EmailMessage").unwrap_or_else(|| "Your verification code is {####}.".into()),
        ),
        Medium::Sms => (
            None,
            field("SmsMessage").unwrap_or_else(|| "Your verification code is {####}.".into()),
        ),
    };
    let details = messaging::send(
        state,
        Message {
            pool_id: &pool.id,
            username: &user.username,
            medium,
            destination: &destination,
            purpose: SIGN_UP,
            code: Some(&code),
            subject,
            body: body
                .replace("{####}", &code)
                .replace("{username}", &user.username),
        },
    )
    .await?;
    Ok(Some(details))
}

pub async fn confirm_sign_up(state: &State, req: ConfirmSignUpRequest) -> Result<Empty> {
    let client = clients::load(state, &req.client_id).await?;
    let pool = pools::load(state, &client.pool_id).await?;
    clients::check_secret_hash(&client, req.secret_hash.as_deref(), &[&req.username])?;
    let mut user = users::find_or_fail(state, &pool, &req.username).await?;
    if user.status != UNCONFIRMED {
        return fail(
            Exception::NotAuthorized,
            format!(
                "User cannot be confirmed. Current status is {}",
                user.status
            ),
        );
    }
    let stored = code_store::find(&state.db, &pool.id, &user.sub, SIGN_UP).await?;
    let Some(stored) = stored else {
        return fail(
            Exception::ExpiredCode,
            "Invalid code provided, please request a code again.",
        );
    };
    if stored.expires_at <= now_ms() {
        return fail(
            Exception::ExpiredCode,
            "Invalid code provided, please request a code again.",
        );
    }
    if stored.attempts >= MAX_CODE_ATTEMPTS {
        return fail(
            Exception::LimitExceeded,
            "Attempt limit exceeded, please try after some time.",
        );
    }
    let given = crypto::sha256_hex(&user.sub, req.confirmation_code.trim());
    if !crypto::constant_time_eq(&given, &stored.code_hash) {
        code_store::record_failed_attempt(&state.db, &pool.id, &user.sub, SIGN_UP).await?;
        return fail(
            Exception::CodeMismatch,
            "Invalid verification code provided, please try again.",
        );
    }
    user.status = CONFIRMED.into();
    if let Some((medium, _)) = confirmation_medium(&pool, &user) {
        user.attributes
            .insert(format!("{}_verified", medium.attribute()), "true".into());
    }
    user.updated_at = now_ms();
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
    req: ResendConfirmationCodeRequest,
) -> Result<ResendConfirmationCodeResponse> {
    let client = clients::load(state, &req.client_id).await?;
    let pool = pools::load(state, &client.pool_id).await?;
    clients::check_secret_hash(&client, req.secret_hash.as_deref(), &[&req.username])?;
    let user = users::find_or_fail(state, &pool, &req.username).await?;
    if user.status != UNCONFIRMED {
        return invalid_parameter("User is already confirmed.");
    }
    match send_confirmation_code(state, &pool, &user).await? {
        Some(details) => Ok(ResendConfirmationCodeResponse {
            code_delivery_details: Some(details),
        }),
        None => fail(
            Exception::InvalidParameter,
            "Cannot resend codes. Auto verification not turned on.",
        ),
    }
}

pub async fn admin_confirm_sign_up(state: &State, req: AdminUserRequest) -> Result<Empty> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let mut user = users::find_or_fail(state, &pool, &req.username).await?;
    if user.status != UNCONFIRMED {
        return fail(
            Exception::NotAuthorized,
            format!(
                "User cannot be confirmed. Current status is {}",
                user.status
            ),
        );
    }
    user.status = CONFIRMED.into();
    user.updated_at = now_ms();
    user_store::update_status(&state.db, &user, None).await?;
    Ok(Empty {})
}
