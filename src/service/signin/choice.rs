//! Choice-based sign-in (the USER_AUTH flow): the first factor is a password (plain or SRP)
//! or a one-time code by email or SMS, as the pool's SignInPolicy allows and the user can use.

use std::collections::HashMap;

use super::migration;
use super::params::{
    check_can_sign_in, device_key, prevents_user_existence_errors, required_param, unknown_user,
};
use super::password::{identify, verify_password};
use super::respond::Answer;
use super::session::{self, SessionState};
use super::step::Outcome;
use super::{mfa, srp};
use crate::service::directory::recovery;
use crate::service::outbound::messaging::Medium;
use crate::service::{fail, invalid_parameter, Exception, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

const PASSWORD: &str = "PASSWORD";
const PASSWORD_SRP: &str = "PASSWORD_SRP";
const EMAIL_OTP: &str = "EMAIL_OTP";
const SMS_OTP: &str = "SMS_OTP";

/// The factors this user has: a password, an email address, a phone number.
pub fn configured_factors(user: &UserRecord) -> Vec<&'static str> {
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
    let allowed = pool.settings.allowed_first_auth_factors();
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
) -> Result<Outcome> {
    let (username, user) = identify(state, pool, client, params).await?;
    let user = match (user, params.get("PREFERRED_CHALLENGE").map(String::as_str)) {
        (None, Some(PASSWORD)) => {
            let password = required_param(params, "PASSWORD")?;
            let meta = crate::service::triggers::auth::no_metadata();
            migration::migrate(state, (pool, client), username, Some(password), meta).await?
        }
        (user, _) => user,
    };
    let Some(user) = user else {
        if prevents_user_existence_errors(client) {
            return decoy(state, pool, client, username, params).await;
        }
        return unknown_user(client);
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
        device_key: device_key(params),
        ..SessionState::default()
    };
    let mut challenge = session::challenge(
        state,
        client,
        &user,
        "SELECT_CHALLENGE",
        &st,
        HashMap::new(),
    )
    .await?;
    challenge.available = Some(choices.into_iter().map(String::from).collect());
    Ok(Outcome::Challenge(challenge))
}

/// For an unknown user, when the client hides whether users exist: the challenges of a user
/// who has every factor the pool allows, none of which can be passed. A password is checked
/// against the dummy hash, SRP gets a decoy verifier, a code "goes" nowhere.
async fn decoy(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    username: &str,
    params: &HashMap<String, String>,
) -> Result<Outcome> {
    let allowed = pool.settings.allowed_first_auth_factors();
    let mut choices = Vec::new();
    if allowed.iter().any(|a| a == PASSWORD) {
        choices.extend([PASSWORD, PASSWORD_SRP]);
    }
    choices.extend(
        [EMAIL_OTP, SMS_OTP]
            .into_iter()
            .filter(|f| allowed.iter().any(|a| a == f)),
    );
    let phantom = UserRecord::phantom(&pool.id, username);
    let preferred = params.get("PREFERRED_CHALLENGE").map(String::as_str);
    let (name, parameters): (&'static str, _) = match preferred {
        Some(PASSWORD) if choices.contains(&PASSWORD) => {
            let password = required_param(params, "PASSWORD")?;
            verify_password(state, pool, client, username, None, password).await?;
            unreachable_decoy()?
        }
        Some(PASSWORD_SRP) if choices.contains(&PASSWORD_SRP) => {
            let srp_a = required_param(params, "SRP_A")?;
            return srp::decoy_password_verifier(state, pool, client, username, srp_a).await;
        }
        Some(otp @ (EMAIL_OTP | SMS_OTP)) if choices.contains(&otp) => {
            simulated_code(username, otp)
        }
        _ => ("SELECT_CHALLENGE", HashMap::new()),
    };
    let st = SessionState {
        username: username.to_string(),
        ..SessionState::default()
    };
    let mut challenge = session::challenge(state, client, &phantom, name, &st, parameters).await?;
    if name == "SELECT_CHALLENGE" {
        challenge.available = Some(choices.into_iter().map(String::from).collect());
    }
    Ok(Outcome::Challenge(challenge))
}

/// The challenge of a one-time code "sent" to nobody: its simulated delivery.
fn simulated_code(username: &str, otp: &str) -> (&'static str, HashMap<String, String>) {
    let (name, medium) = match otp {
        SMS_OTP => (mfa::SMS_OTP, Medium::Sms),
        _ => (mfa::EMAIL, Medium::Email),
    };
    let sent = recovery::simulated_delivery(username, &[medium]);
    let parameters = HashMap::from([
        (
            "CODE_DELIVERY_DELIVERY_MEDIUM".to_string(),
            sent.medium.name().to_string(),
        ),
        ("CODE_DELIVERY_DESTINATION".to_string(), sent.destination),
    ]);
    (name, parameters)
}

/// `verify_password` with no user always fails; this only satisfies the types.
fn unreachable_decoy<T>() -> Result<T> {
    fail(Exception::NotAuthorized, "Incorrect username or password.")
}

/// Starts the chosen first factor; `params` carry PASSWORD or SRP_A where the choice needs one.
async fn begin(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: UserRecord,
    choice: &str,
    params: &HashMap<String, String>,
) -> Result<Outcome> {
    let device_key = device_key(params);
    match choice {
        PASSWORD => {
            let password = required_param(params, "PASSWORD")?;
            let username = user.username.clone();
            let user =
                verify_password(state, pool, client, &username, Some(user), password).await?;
            Ok(Outcome::PasswordProven { user, device_key })
        }
        PASSWORD_SRP => {
            let srp_a = required_param(params, "SRP_A")?;
            srp::password_verifier_challenge(state, client, &user, srp_a, device_key).await
        }
        _ => {
            check_can_sign_in(&user)?;
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
            let challenge = mfa::start(state, client, &user, name, st).await?;
            Ok(Outcome::Challenge(challenge))
        }
    }
}

/// SELECT_CHALLENGE answered with ANSWER (and PASSWORD or SRP_A as the choice needs).
pub async fn answer_selection(state: &State, a: Answer<'_>) -> Result<Outcome> {
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
