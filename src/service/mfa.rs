//! Multi-factor authentication: the pool's MFA configuration, users' factors (software token,
//! SMS, email), and the MFA challenges of a sign-in.

use std::collections::HashMap;

use serde_json::Value;

use super::auth;
use super::challenges::Answer;
use super::messaging::{self, Medium, Message};
use super::session::{self, SessionState};
use super::{
    crypto, fail, ids, invalid_parameter, now_ms, pools, tokens, totp, users, Exception, Result,
    State,
};
use crate::store::clients::ClientRecord;
use crate::store::mfa::{self as mfa_store, MfaRecord};
use crate::store::pools::{self as pool_store, PoolRecord};
use crate::store::users::UserRecord;
use crate::types::auth::*;
use crate::types::Empty;

pub const TOTP: &str = "SOFTWARE_TOKEN_MFA";
pub const SMS: &str = "SMS_MFA";
pub const EMAIL: &str = "EMAIL_OTP";
pub const SMS_OTP: &str = "SMS_OTP";
/// Pool settings that SetUserPoolMfaConfig owns; UpdateUserPool keeps them as they are.
pub const POOL_MFA_MEMBERS: &[&str] = &[
    "SmsMfaConfiguration",
    "SoftwareTokenMfaConfiguration",
    "EmailMfaConfiguration",
    "WebAuthnConfiguration",
];
/// SMS and email codes for MFA live for three minutes.
const CODE_LIFETIME_MS: i64 = 3 * 60_000;

/// Which factors the pool offers.
fn pool_factors(pool: &PoolRecord) -> Vec<&'static str> {
    let other = &pool.settings.other;
    let mut factors = Vec::new();
    let totp_on = other
        .get("SoftwareTokenMfaConfiguration")
        .and_then(|c| c.get("Enabled"))
        .and_then(Value::as_bool)
        == Some(true);
    if totp_on {
        factors.push(TOTP);
    }
    if other.contains_key("SmsMfaConfiguration") || other.contains_key("SmsConfiguration") {
        factors.push(SMS);
    }
    if other.contains_key("EmailMfaConfiguration") {
        factors.push(EMAIL);
    }
    factors
}

fn mode(pool: &PoolRecord) -> &str {
    pool.settings.mfa_configuration.as_deref().unwrap_or("OFF")
}

/// The user's enabled factors, in Cognito's order.
fn user_factors(rec: &MfaRecord) -> Vec<&'static str> {
    [
        (SMS, rec.sms_enabled),
        (TOTP, rec.totp_enabled && rec.totp_verified),
        (EMAIL, rec.email_enabled),
    ]
    .into_iter()
    .filter_map(|(f, on)| on.then_some(f))
    .collect()
}

/// UserMFASettingList and PreferredMfaSetting for GetUser and AdminGetUser.
pub async fn summary(state: &State, user: &UserRecord) -> Result<(Vec<String>, Option<String>)> {
    let rec = mfa_store::find(&state.db, &user.pool_id, &user.sub).await?;
    let factors = user_factors(&rec).into_iter().map(String::from).collect();
    Ok((factors, rec.preferred))
}

/// The MFA challenge this sign-in needs next, if any.
pub async fn next_challenge(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    st: &SessionState,
) -> Result<Option<AuthResponse>> {
    if mode(pool) == "OFF" {
        return Ok(None);
    }
    let offered = pool_factors(pool);
    let rec = mfa_store::find(&state.db, &pool.id, &user.sub).await?;
    let usable: Vec<&str> = user_factors(&rec)
        .into_iter()
        .filter(|f| offered.contains(f))
        .collect();
    let chosen = match (usable.as_slice(), rec.preferred.as_deref()) {
        ([], _) if mode(pool) == "ON" => {
            if offered.contains(&TOTP) {
                let params =
                    HashMap::from([("MFAS_CAN_SETUP".to_string(), format!("[\"{TOTP}\"]"))]);
                return session::challenge(state, client, user, "MFA_SETUP", st, params)
                    .await
                    .map(Some);
            }
            // Without a software token to set up, a required factor falls back to what the
            // user's attributes can receive.
            match offered.iter().find(|f| delivery(f, user).is_some()) {
                Some(f) => *f,
                None => {
                    return fail(
                        Exception::InvalidUserPoolConfiguration,
                        "MFA is required but the user has no factor that can be used.",
                    )
                }
            }
        }
        ([], _) => return Ok(None),
        (_, Some(p)) if usable.contains(&p) => usable
            .iter()
            .copied()
            .find(|f| *f == p)
            .unwrap_or(usable[0]),
        ([only], _) => only,
        (many, _) => {
            let list = serde_json::to_string(many).unwrap_or_default();
            let params = HashMap::from([("MFAS_CAN_CHOOSE".to_string(), list)]);
            return session::challenge(state, client, user, "SELECT_MFA_TYPE", st, params)
                .await
                .map(Some);
        }
    };
    start(state, client, user, chosen, st.clone())
        .await
        .map(Some)
}

/// Where codes of `factor` go: the medium and the destination attribute's value.
fn delivery(challenge: &str, user: &UserRecord) -> Option<(Medium, String)> {
    let medium = match challenge {
        SMS | SMS_OTP => Medium::Sms,
        EMAIL => Medium::Email,
        _ => return None,
    };
    user.attributes
        .get(medium.attribute())
        .map(|d| (medium, d.clone()))
}

/// Opens the challenge `factor` (an MFA type, or SMS_OTP / EMAIL_OTP as a first factor),
/// sending a code first for SMS and email.
pub async fn start(
    state: &State,
    client: &ClientRecord,
    user: &UserRecord,
    factor: &str,
    mut st: SessionState,
) -> Result<AuthResponse> {
    let mut params = HashMap::new();
    if let Some((medium, destination)) = delivery(factor, user) {
        let code = ids::code();
        st.code_hash = Some(crypto::sha256_hex(&user.sub, &code));
        st.code_expires_at = now_ms() + CODE_LIFETIME_MS;
        let details = messaging::send(
            state,
            Message {
                pool_id: &user.pool_id,
                username: &user.username,
                medium,
                destination: &destination,
                purpose: "MFA",
                code: Some(&code),
                subject: (medium == Medium::Email).then(|| "Your sign-in code".to_string()),
                body: format!("Your authentication code is {code}."),
            },
        )
        .await?;
        params.insert(
            "CODE_DELIVERY_DELIVERY_MEDIUM".into(),
            details.delivery_medium,
        );
        params.insert("CODE_DELIVERY_DESTINATION".into(), details.destination);
    } else if factor != TOTP {
        return invalid_parameter(format!("The user cannot receive {factor} codes."));
    }
    session::challenge(state, client, user, factor, &st, params).await
}

/// SOFTWARE_TOKEN_MFA, SMS_MFA and EMAIL_OTP answers, and SMS_OTP / EMAIL_OTP as the first
/// factor of a choice-based sign-in.
pub async fn answer_code(state: &State, name: &str, a: Answer<'_>) -> Result<AuthResponse> {
    let field = match name {
        TOTP => "SOFTWARE_TOKEN_MFA_CODE",
        SMS => "SMS_MFA_CODE",
        SMS_OTP => "SMS_OTP_CODE",
        _ => "EMAIL_OTP_CODE",
    };
    let code = auth::required_param(a.responses, field)?;
    let ok = if name == TOTP {
        check_totp(state, &a.user, code).await?
    } else {
        let fresh = a.st.code_expires_at > now_ms();
        let given = crypto::sha256_hex(&a.user.sub, code.trim());
        if !fresh {
            return fail(
                Exception::ExpiredCode,
                "Invalid code or auth state for the user.",
            );
        }
        a.st.code_hash
            .as_deref()
            .is_some_and(|h| crypto::constant_time_eq(h, &given))
    };
    if !ok {
        session::retry(state, a.token, a.row, a.st).await?;
        return fail(
            Exception::CodeMismatch,
            "Invalid code or auth state for the user.",
        );
    }
    if a.st.auth_time == 0 {
        // A one-time code was the first factor: it stands for the password, and no MFA
        // follows it.
        return auth::passwordless_first_factor_passed(state, a.pool, a.client, a.user, a.st).await;
    }
    auth::finish(state, a.pool, a.client, &a.user, &a.st).await
}

/// Checks a TOTP code and spends its time step, so the same code never works twice.
async fn check_totp(state: &State, user: &UserRecord, code: &str) -> Result<bool> {
    let rec = mfa_store::find(&state.db, &user.pool_id, &user.sub).await?;
    let Some(secret) = rec.totp_secret else {
        return fail(
            Exception::SoftwareTokenMfaNotFound,
            "Software token MFA is not associated with this user.",
        );
    };
    let now = (now_ms() / 1000) as u64;
    match totp::matching_step(&secret, code, now) {
        Some(step) => {
            Ok(mfa_store::claim_totp_step(&state.db, &user.pool_id, &user.sub, step).await?)
        }
        None => Ok(false),
    }
}

/// SELECT_MFA_TYPE: the user picked a factor.
pub async fn answer_selection(state: &State, a: Answer<'_>) -> Result<AuthResponse> {
    let choice = auth::required_param(a.responses, "ANSWER")?;
    let rec = mfa_store::find(&state.db, &a.pool.id, &a.user.sub).await?;
    let offered = pool_factors(a.pool);
    let Some(factor) = user_factors(&rec)
        .into_iter()
        .find(|f| *f == choice && offered.contains(f))
    else {
        return invalid_parameter(format!("{choice} is not an MFA type the user can choose."));
    };
    start(state, a.client, &a.user, factor, a.st).await
}

/// MFA_SETUP: finished once the software token was verified with this session.
pub async fn answer_setup(state: &State, a: Answer<'_>) -> Result<AuthResponse> {
    if !a.st.totp_verified {
        return fail(
            Exception::NotAuthorized,
            "MFA setup is not complete: verify a software token first.",
        );
    }
    auth::finish(state, a.pool, a.client, &a.user, &a.st).await
}

// --- configuration -----------------------------------------------------------------------

pub async fn get_user_pool_mfa_config(
    state: &State,
    req: UserPoolMfaConfig,
) -> Result<UserPoolMfaConfig> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    Ok(config_of(&pool))
}

fn config_of(pool: &PoolRecord) -> UserPoolMfaConfig {
    let get = |k: &str| pool.settings.other.get(k).cloned();
    UserPoolMfaConfig {
        user_pool_id: pool.id.clone(),
        sms_mfa_configuration: get("SmsMfaConfiguration"),
        software_token_mfa_configuration: get("SoftwareTokenMfaConfiguration"),
        email_mfa_configuration: get("EmailMfaConfiguration"),
        web_authn_configuration: get("WebAuthnConfiguration"),
        mfa_configuration: Some(mode(pool).to_string()),
    }
}

pub async fn set_user_pool_mfa_config(
    state: &State,
    req: UserPoolMfaConfig,
) -> Result<UserPoolMfaConfig> {
    let mut pool = pools::load(state, &req.user_pool_id).await?;
    let other = &mut pool.settings.other;
    for (key, value) in [
        ("SmsMfaConfiguration", &req.sms_mfa_configuration),
        (
            "SoftwareTokenMfaConfiguration",
            &req.software_token_mfa_configuration,
        ),
        ("EmailMfaConfiguration", &req.email_mfa_configuration),
        ("WebAuthnConfiguration", &req.web_authn_configuration),
    ] {
        if let Some(v) = value {
            if !v.is_object() {
                return invalid_parameter(format!("{key} must be an object."));
            }
            other.insert(key.into(), v.clone());
        }
    }
    if let Some(m) = &req.mfa_configuration {
        if !["OFF", "ON", "OPTIONAL"].contains(&m.as_str()) {
            return invalid_parameter(format!(
                "1 validation error detected: Value '{m}' at 'mfaConfiguration' failed to satisfy \
                 constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"
            ));
        }
        pool.settings.mfa_configuration = Some(m.clone());
    }
    if mode(&pool) != "OFF" && pool_factors(&pool).is_empty() {
        return invalid_parameter(
            "Invalid MFA configuration given, can't turn on MFA without any factor enabled.",
        );
    }
    pool.updated_at = now_ms();
    pool_store::update(&state.db, &pool).await?;
    Ok(config_of(&pool))
}

// --- software tokens and preferences ------------------------------------------------------

/// The user an access token or an MFA_SETUP session speaks for; with a session, also the
/// session to hand back.
async fn token_or_session_user(
    state: &State,
    access_token: Option<&str>,
    session_token: Option<&str>,
) -> Result<(UserRecord, Option<(ClientRecord, SessionState)>)> {
    if let Some(token) = access_token {
        let (_, user) = tokens::authenticate_access_token(state, token).await?;
        return Ok((user, None));
    }
    let Some(token) = session_token else {
        return invalid_parameter("Either AccessToken or Session is required.");
    };
    let Some(row) =
        crate::store::sessions::take(&state.db, &session::token_id(token), now_ms()).await?
    else {
        return fail(
            Exception::NotAuthorized,
            "Invalid session for the user, session is expired.",
        );
    };
    if row.challenge != "MFA_SETUP" {
        return fail(Exception::NotAuthorized, "Invalid session for the user.");
    }
    let client = super::clients::load(state, &row.client_id).await?;
    let st: SessionState =
        serde_json::from_str(&row.state).map_err(|e| super::Error::Internal(e.into()))?;
    let Some(user) = crate::store::users::find_by_sub(&state.db, &row.pool_id, &row.sub).await?
    else {
        return fail(Exception::NotAuthorized, "Invalid session for the user.");
    };
    Ok((user, Some((client, st))))
}

pub async fn associate_software_token(
    state: &State,
    req: AssociateSoftwareTokenRequest,
) -> Result<AssociateSoftwareTokenResponse> {
    let (user, setup) =
        token_or_session_user(state, req.access_token.as_deref(), req.session.as_deref()).await?;
    let mut rec = mfa_store::find(&state.db, &user.pool_id, &user.sub).await?;
    let secret = totp::new_secret();
    rec.totp_secret = Some(secret.clone());
    rec.totp_verified = false;
    rec.totp_enabled = false;
    rec.updated_at = now_ms();
    mfa_store::save(&state.db, &rec).await?;
    let session = match setup {
        Some((client, st)) => Some(session::open(state, &client, &user, "MFA_SETUP", &st).await?),
        None => None,
    };
    Ok(AssociateSoftwareTokenResponse {
        secret_code: secret,
        session,
    })
}

pub async fn verify_software_token(
    state: &State,
    req: VerifySoftwareTokenRequest,
) -> Result<VerifySoftwareTokenResponse> {
    let (user, setup) =
        token_or_session_user(state, req.access_token.as_deref(), req.session.as_deref()).await?;
    let mut rec = mfa_store::find(&state.db, &user.pool_id, &user.sub).await?;
    let Some(secret) = rec.totp_secret.clone() else {
        return fail(
            Exception::SoftwareTokenMfaNotFound,
            "Software token MFA is not associated with this user.",
        );
    };
    let step = totp::matching_step(&secret, &req.user_code, (now_ms() / 1000) as u64);
    let Some(step) = step else {
        if let Some((client, st)) = setup {
            // Let the user try again within the same setup.
            session::open(state, &client, &user, "MFA_SETUP", &st).await?;
        }
        return fail(
            Exception::EnableSoftwareTokenMfa,
            "Code mismatch and fail enable Software Token MFA",
        );
    };
    rec.totp_verified = true;
    rec.totp_enabled = true;
    if rec.preferred.is_none() {
        rec.preferred = Some(TOTP.into());
    }
    rec.updated_at = now_ms();
    mfa_store::save(&state.db, &rec).await?;
    mfa_store::claim_totp_step(&state.db, &user.pool_id, &user.sub, step).await?;
    let session = match setup {
        Some((client, mut st)) => {
            st.totp_verified = true;
            Some(session::open(state, &client, &user, "MFA_SETUP", &st).await?)
        }
        None => None,
    };
    Ok(VerifySoftwareTokenResponse {
        status: "SUCCESS",
        session,
    })
}

pub async fn set_user_mfa_preference(
    state: &State,
    req: SetUserMfaPreferenceRequest,
) -> Result<Empty> {
    let (_, user) = tokens::authenticate_access_token(state, &req.access_token).await?;
    apply_preferences(
        state,
        &user,
        req.sms_mfa_settings,
        req.software_token_mfa_settings,
        req.email_mfa_settings,
    )
    .await
}

pub async fn admin_set_user_mfa_preference(
    state: &State,
    req: AdminSetUserMfaPreferenceRequest,
) -> Result<Empty> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let user = users::find_or_fail(state, &pool, &req.username).await?;
    apply_preferences(
        state,
        &user,
        req.sms_mfa_settings,
        req.software_token_mfa_settings,
        req.email_mfa_settings,
    )
    .await
}

async fn apply_preferences(
    state: &State,
    user: &UserRecord,
    sms: Option<MfaSettings>,
    totp_settings: Option<MfaSettings>,
    email: Option<MfaSettings>,
) -> Result<Empty> {
    let mut rec = mfa_store::find(&state.db, &user.pool_id, &user.sub).await?;
    let preferred: Vec<&str> = [(SMS, &sms), (TOTP, &totp_settings), (EMAIL, &email)]
        .into_iter()
        .filter(|(_, s)| s.as_ref().is_some_and(|s| s.preferred_mfa))
        .map(|(f, _)| f)
        .collect();
    if preferred.len() > 1 {
        return invalid_parameter("Only one MFA type can be preferred.");
    }
    if let Some(s) = &sms {
        if s.enabled && !user.attributes.contains_key("phone_number") {
            return invalid_parameter("User does not have delivery config set to turn on SMS_MFA");
        }
        rec.sms_enabled = s.enabled;
    }
    if let Some(s) = &totp_settings {
        if s.enabled && !rec.totp_verified {
            return invalid_parameter("User has not verified software token mfa");
        }
        rec.totp_enabled = s.enabled;
    }
    if let Some(s) = &email {
        if s.enabled && !user.attributes.contains_key("email") {
            return invalid_parameter(
                "User does not have delivery config set to turn on EMAIL_OTP",
            );
        }
        rec.email_enabled = s.enabled;
    }
    let enabled = user_factors(&rec);
    match preferred.first() {
        Some(p) if !enabled.contains(p) => {
            return invalid_parameter(format!("{p} must be enabled to be preferred."))
        }
        Some(p) => rec.preferred = Some(p.to_string()),
        None => {
            if rec
                .preferred
                .as_deref()
                .is_some_and(|p| !enabled.contains(&p))
            {
                rec.preferred = None;
            }
        }
    }
    rec.updated_at = now_ms();
    mfa_store::save(&state.db, &rec).await?;
    Ok(Empty {})
}
