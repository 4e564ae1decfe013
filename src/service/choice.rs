//! Choice-based sign-in (the USER_AUTH flow): the first factor is a password (plain or SRP) or
//! a one-time code by email or SMS, as the pool's SignInPolicy allows and the user can use.
//! Also GetUserAuthFactors and AdminGetUserAuthFactors.

use std::collections::HashMap;

use serde_json::Value;

use super::auth::{self, required_param};
use super::challenges::Answer;
use super::session::{self, SessionState};
use super::{fail, invalid_parameter, mfa, pools, tokens, users, Exception, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;
use crate::types::auth::*;

const PASSWORD: &str = "PASSWORD";
const PASSWORD_SRP: &str = "PASSWORD_SRP";
const EMAIL_OTP: &str = "EMAIL_OTP";
const SMS_OTP: &str = "SMS_OTP";

/// The first factors the pool allows: SignInPolicy.AllowedFirstAuthFactors.
fn allowed_first_factors(pool: &PoolRecord) -> Vec<String> {
    pool.settings
        .policies
        .as_ref()
        .and_then(|p| p.sign_in_policy.as_ref())
        .and_then(|s| s.get("AllowedFirstAuthFactors"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_else(|| vec![PASSWORD.into()])
}

/// The factors this user has: a password, an email address, a phone number.
fn configured_factors(user: &UserRecord) -> Vec<&'static str> {
    let mut factors = Vec::new();
    if user.password_hash.is_some() {
        factors.push(PASSWORD);
    }
    if user.attributes.contains_key("email") {
        factors.push(EMAIL_OTP);
    }
    if user.attributes.contains_key("phone_number") {
        factors.push(SMS_OTP);
    }
    factors
}

/// The challenges this user may pick from, in Cognito's order.
fn available(pool: &PoolRecord, user: &UserRecord) -> Vec<&'static str> {
    let allowed = allowed_first_factors(pool);
    let configured = configured_factors(user);
    let mut out = Vec::new();
    if allowed.iter().any(|a| a == PASSWORD) && configured.contains(&PASSWORD) {
        out.extend([PASSWORD, PASSWORD_SRP]);
    }
    for otp in [EMAIL_OTP, SMS_OTP] {
        if allowed.iter().any(|a| a == otp) && configured.contains(&otp) {
            out.push(otp);
        }
    }
    out
}

/// InitiateAuth with USER_AUTH: straight to the preferred challenge when given and possible,
/// else SELECT_CHALLENGE with the available ones.
pub async fn start(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    params: &HashMap<String, String>,
) -> Result<AuthResponse> {
    let Some(user) = auth::identify(state, pool, client, params).await?.1 else {
        return auth::unknown_user(client);
    };
    let choices = available(pool, &user);
    if let Some(preferred) = params.get("PREFERRED_CHALLENGE") {
        if choices.contains(&preferred.as_str()) {
            return begin(state, pool, client, user, preferred, params).await;
        }
        if ![PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, "WEB_AUTHN"].contains(&preferred.as_str())
        {
            return invalid_parameter(format!("Unknown PREFERRED_CHALLENGE {preferred}."));
        }
    }
    if choices.is_empty() {
        return fail(
            Exception::NotAuthorized,
            "The user has no sign-in factor that the pool allows.",
        );
    }
    let st = SessionState {
        username: user.username.clone(),
        device_key: auth::device_key(params),
        ..SessionState::default()
    };
    let mut reply = session::challenge(
        state,
        client,
        &user,
        "SELECT_CHALLENGE",
        &st,
        HashMap::new(),
    )
    .await?;
    reply.available_challenges = Some(choices.into_iter().map(String::from).collect());
    Ok(reply)
}

/// Starts the chosen first factor; `params` carry PASSWORD or SRP_A where the choice needs one.
async fn begin(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: UserRecord,
    choice: &str,
    params: &HashMap<String, String>,
) -> Result<AuthResponse> {
    let device_key = auth::device_key(params);
    match choice {
        PASSWORD => {
            let password = required_param(params, "PASSWORD")?.to_string();
            let user = auth::verify_password(state, client, Some(user), password).await?;
            auth::first_factor_passed(state, pool, client, user, device_key).await
        }
        PASSWORD_SRP => {
            let srp_a = required_param(params, "SRP_A")?;
            auth::password_verifier_challenge(state, client, &user, srp_a, device_key).await
        }
        _ => {
            auth::check_can_sign_in(&user)?;
            let st = SessionState {
                username: user.username.clone(),
                device_key,
                ..SessionState::default()
            };
            let name = if choice == SMS_OTP {
                mfa::SMS_OTP
            } else {
                mfa::EMAIL
            };
            mfa::start(state, client, &user, name, st).await
        }
    }
}

/// SELECT_CHALLENGE answered with ANSWER (and PASSWORD or SRP_A as the choice needs).
pub async fn answer_selection(state: &State, a: Answer<'_>) -> Result<AuthResponse> {
    let choice = required_param(a.responses, "ANSWER")?;
    if !available(a.pool, &a.user).contains(&choice) {
        return invalid_parameter(format!(
            "{choice} is not an available challenge for this user."
        ));
    }
    let mut params = a.responses.clone();
    if let Some(key) = a.st.device_key {
        params.entry("DEVICE_KEY".into()).or_insert(key);
    }
    begin(state, a.pool, a.client, a.user, choice, &params).await
}

pub async fn get_user_auth_factors(
    state: &State,
    req: GetUserAuthFactorsRequest,
) -> Result<GetUserAuthFactorsResponse> {
    let (_, user) =
        tokens::authenticate_access_token(state, req.access_token.as_deref().unwrap_or_default())
            .await?;
    factors_of(state, user).await
}

pub async fn admin_get_user_auth_factors(
    state: &State,
    req: GetUserAuthFactorsRequest,
) -> Result<GetUserAuthFactorsResponse> {
    let (Some(pool_id), Some(username)) = (req.user_pool_id.as_deref(), req.username.as_deref())
    else {
        return invalid_parameter("1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null");
    };
    let pool = pools::load(state, pool_id).await?;
    let user = users::find_or_fail(state, &pool, username).await?;
    factors_of(state, user).await
}

async fn factors_of(state: &State, user: UserRecord) -> Result<GetUserAuthFactorsResponse> {
    let (user_mfa_setting_list, preferred_mfa_setting) = mfa::summary(state, &user).await?;
    Ok(GetUserAuthFactorsResponse {
        configured_user_auth_factors: configured_factors(&user)
            .into_iter()
            .map(String::from)
            .collect(),
        username: user.username,
        preferred_mfa_setting,
        user_mfa_setting_list,
    })
}
