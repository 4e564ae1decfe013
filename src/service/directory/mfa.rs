//! MFA factor records: what the pool offers, what each user has enabled and prefers, TOTP
//! secrets and their once-only time steps.

use crate::service::kernel::totp;
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::mfa::{self as mfa_store, MfaRecord, MfaSummaryRow};
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

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

/// The pool's MfaConfiguration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MfaMode {
    Off,
    On,
    Optional,
}

impl MfaMode {
    pub fn parse(s: &str) -> Option<MfaMode> {
        match s {
            "OFF" => Some(MfaMode::Off),
            "ON" => Some(MfaMode::On),
            "OPTIONAL" => Some(MfaMode::Optional),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MfaMode::Off => "OFF",
            MfaMode::On => "ON",
            MfaMode::Optional => "OPTIONAL",
        }
    }
}

pub fn mode(pool: &PoolRecord) -> MfaMode {
    pool.settings
        .mfa_configuration
        .as_deref()
        .and_then(MfaMode::parse)
        .unwrap_or(MfaMode::Off)
}

/// Which factors the pool offers.
pub fn pool_factors(pool: &PoolRecord) -> Vec<&'static str> {
    let s = &pool.settings;
    [
        (TOTP, s.software_token_mfa_enabled()),
        (SMS, s.sms_mfa_configured()),
        (EMAIL, s.email_mfa_configured()),
    ]
    .into_iter()
    .filter_map(|(f, on)| on.then_some(f))
    .collect()
}

/// The user's enabled factors, in Cognito's order.
pub fn user_factors(rec: &MfaRecord) -> Vec<&'static str> {
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

/// [`summary`] and the user's stored legacy MFAOptions (JSON), read together.
pub async fn summary_with_options(
    state: &State,
    user: &UserRecord,
) -> Result<((Vec<String>, Option<String>), Option<String>)> {
    let row = mfa_store::find_summary(&state.db, &user.pool_id, &user.sub).await?;
    Ok(summarize(row))
}

/// [`summary_with_options`] of a summary already read (with the user, for GetUser).
pub fn summarize(row: MfaSummaryRow) -> ((Vec<String>, Option<String>), Option<String>) {
    let on = |v: Option<i64>| v.unwrap_or(0) != 0;
    let rec = MfaRecord {
        totp_verified: on(row.totp_verified),
        totp_enabled: on(row.totp_enabled),
        sms_enabled: on(row.sms_enabled),
        email_enabled: on(row.email_enabled),
        ..MfaRecord::default()
    };
    let factors = user_factors(&rec).into_iter().map(String::from).collect();
    ((factors, row.preferred), row.mfa_options)
}

/// Checks a TOTP code and spends its time step, so the same code never works twice.
pub async fn check_totp(state: &State, user: &UserRecord, code: &str) -> Result<bool> {
    let rec = mfa_store::find(&state.db, &user.pool_id, &user.sub).await?;
    let Some(secret) = rec.totp_secret else {
        return not_associated();
    };
    let now = (now_ms() / 1000) as u64;
    match totp::matching_step(&secret, code, now) {
        Some(step) => {
            Ok(mfa_store::claim_totp_step(&state.db, &user.pool_id, &user.sub, step).await?)
        }
        None => Ok(false),
    }
}

fn not_associated<T>() -> Result<T> {
    fail(
        Exception::SoftwareTokenMfaNotFound,
        "Software token MFA is not associated with this user.",
    )
}

/// A new software-token secret for the user, not yet verified (AssociateSoftwareToken).
pub async fn associate_software_token(state: &State, user: &UserRecord) -> Result<String> {
    let mut rec = mfa_store::find(&state.db, &user.pool_id, &user.sub).await?;
    let secret = totp::new_secret();
    rec.totp_secret = Some(secret.clone());
    rec.totp_verified = false;
    rec.totp_enabled = false;
    rec.updated_at = now_ms();
    mfa_store::save(&state.db, &rec).await?;
    Ok(secret)
}

/// Verifies the associated software token with a first code; on success it is enabled and,
/// when it is the user's only factor, preferred (with another factor enabled the user is
/// asked to choose, as Cognito does). The code's time step is spent first, so a code seen
/// once never verifies again. Returns whether the code matched.
pub async fn verify_software_token(state: &State, user: &UserRecord, code: &str) -> Result<bool> {
    let mut rec = mfa_store::find(&state.db, &user.pool_id, &user.sub).await?;
    let Some(secret) = rec.totp_secret.clone() else {
        return not_associated();
    };
    let Some(step) = totp::matching_step(&secret, code, (now_ms() / 1000) as u64) else {
        return Ok(false);
    };
    if !mfa_store::claim_totp_step(&state.db, &user.pool_id, &user.sub, step).await? {
        return Ok(false);
    }
    rec.totp_last_step = step;
    rec.totp_verified = true;
    rec.totp_enabled = true;
    let others = rec.sms_enabled || rec.email_enabled;
    if rec.preferred.is_none() && !others {
        rec.preferred = Some(TOTP.into());
    }
    rec.updated_at = now_ms();
    mfa_store::save(&state.db, &rec).await?;
    Ok(true)
}

/// One factor's setting in (Admin)SetUserMFAPreference: `None` leaves it as it is.
#[derive(Clone, Copy, Debug, Default)]
pub struct FactorSetting {
    pub enabled: bool,
    pub preferred: bool,
}

/// Applies the user's MFA preferences: SMS, software token, email.
pub async fn set_preferences(
    state: &State,
    user: &UserRecord,
    sms: Option<FactorSetting>,
    totp_setting: Option<FactorSetting>,
    email: Option<FactorSetting>,
) -> Result<()> {
    let mut rec = mfa_store::find(&state.db, &user.pool_id, &user.sub).await?;
    let preferred: Vec<&str> = [(SMS, sms), (TOTP, totp_setting), (EMAIL, email)]
        .into_iter()
        .filter(|(_, s)| s.is_some_and(|s| s.preferred))
        .map(|(f, _)| f)
        .collect();
    if preferred.len() > 1 {
        return invalid_parameter("Only one MFA type can be preferred.");
    }
    enable_factors(&mut rec, user, sms, totp_setting, email)?;
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
    Ok(())
}

fn enable_factors(
    rec: &mut MfaRecord,
    user: &UserRecord,
    sms: Option<FactorSetting>,
    totp_setting: Option<FactorSetting>,
    email: Option<FactorSetting>,
) -> Result<()> {
    if let Some(s) = sms {
        if s.enabled && !user.attributes.contains_key("phone_number") {
            return invalid_parameter("User does not have delivery config set to turn on SMS_MFA");
        }
        rec.sms_enabled = s.enabled;
    }
    if let Some(s) = totp_setting {
        if s.enabled && !rec.totp_verified {
            return invalid_parameter("User has not verified software token mfa");
        }
        rec.totp_enabled = s.enabled;
    }
    if let Some(s) = email {
        if s.enabled && !user.attributes.contains_key("email") {
            return invalid_parameter(
                "User does not have delivery config set to turn on EMAIL_OTP",
            );
        }
        rec.email_enabled = s.enabled;
    }
    Ok(())
}
