//! The MFA challenges of a sign-in: which factor is asked for (or set up, or chosen), codes
//! sent by SMS or email, and the answers checked (TOTP codes spent once).

use std::collections::HashMap;

use super::params::required_param;
use super::respond::Answer;
use super::session::{self, SessionState};
use super::step::{Challenge, Outcome};
use crate::service::directory::codes::{self, Verdict};
use crate::service::directory::mfa::{self as factors, MfaMode};
use crate::service::kernel::ids;
use crate::service::outbound::messaging::{Dispatch, Medium, Message};
use crate::service::triggers::messages::{self, Call, MessageSource};
use crate::service::{fail, invalid_parameter, Exception, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::mfa as mfa_store;
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

pub use crate::service::directory::mfa::{EMAIL, SMS, SMS_OTP, TOTP};

/// SMS and email codes for MFA live for three minutes.
const CODE_LIFETIME_MS: i64 = 3 * 60_000;
/// The code purpose of one-time sign-in codes (SMS and email MFA, and OTP first factors):
/// one per user, limited like every code across sessions.
const SIGN_IN_CODE: &str = "SIGN_IN";

/// The MFA challenge this sign-in needs next, if any.
pub async fn next_challenge(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    user: &UserRecord,
    st: &SessionState,
) -> Result<Option<Challenge>> {
    let mode = factors::mode(pool);
    if mode == MfaMode::Off {
        return Ok(None);
    }
    let offered = factors::pool_factors(pool);
    let rec = mfa_store::find(&state.db, &pool.id, &user.sub).await?;
    let usable: Vec<&str> = factors::user_factors(&rec)
        .into_iter()
        .filter(|f| offered.contains(f))
        .collect();
    let chosen = match (usable.as_slice(), rec.preferred.as_deref()) {
        ([], _) if mode == MfaMode::On => {
            if offered.contains(&TOTP) {
                let params =
                    HashMap::from([("MFAS_CAN_SETUP".to_string(), format!("[\"{TOTP}\"]"))]);
                let step = session::challenge(state, client, user, "MFA_SETUP", st, params);
                return step.await.map(Some);
            }
            required_fallback(&offered, user)?
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
            let step = session::challenge(state, client, user, "SELECT_MFA_TYPE", st, params);
            return step.await.map(Some);
        }
    };
    start(state, client, user, chosen, st.clone())
        .await
        .map(Some)
}

/// Without a software token to set up, a required factor falls back to what the user's
/// attributes can receive.
fn required_fallback(offered: &[&'static str], user: &UserRecord) -> Result<&'static str> {
    match offered.iter().find(|f| delivery(f, user).is_some()) {
        Some(f) => Ok(f),
        None => fail(
            Exception::InvalidUserPoolConfiguration,
            "MFA is required but the user has no factor that can be used.",
        ),
    }
}

/// Where codes of `challenge` go: the medium and the destination attribute's value.
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
    factor: &'static str,
    st: SessionState,
) -> Result<Challenge> {
    let mut params = HashMap::new();
    if let Some((medium, destination)) = delivery(factor, user) {
        let code = ids::code();
        codes::store(state, user, SIGN_IN_CODE, &code, CODE_LIFETIME_MS).await?;
        let pool = crate::service::directory::pools::load(state, &user.pool_id).await?;
        let call = Call {
            client_id: Some(&client.id),
            ..Call::none()
        };
        let delivered = messages::deliver(
            state,
            (&pool, user),
            (MessageSource::Authentication, call),
            Message {
                pool_id: &user.pool_id,
                username: &user.username,
                medium,
                destination: &destination,
                purpose: "MFA",
                code: Some(&code),
                subject: (medium == Medium::Email).then(|| "Your sign-in code".to_string()),
                template: "Your authentication code is {####}.".into(),
            },
            Dispatch::Awaited,
        )
        .await?;
        params.insert(
            "CODE_DELIVERY_DELIVERY_MEDIUM".into(),
            delivered.medium.name().into(),
        );
        params.insert("CODE_DELIVERY_DESTINATION".into(), delivered.destination);
    } else if factor != TOTP {
        return invalid_parameter(format!("The user cannot receive {factor} codes."));
    }
    session::challenge(state, client, user, factor, &st, params).await
}

/// SOFTWARE_TOKEN_MFA, SMS_MFA and EMAIL_OTP answers, and SMS_OTP / EMAIL_OTP as the first
/// factor of a choice-based sign-in.
pub async fn answer_code(state: &State, name: &str, a: Answer<'_>) -> Result<Outcome> {
    let field = match name {
        TOTP => "SOFTWARE_TOKEN_MFA_CODE",
        SMS => "SMS_MFA_CODE",
        SMS_OTP => "SMS_OTP_CODE",
        _ => "EMAIL_OTP_CODE",
    };
    let code = required_param(a.responses, field)?;
    let verdict = if name == TOTP {
        match factors::check_totp(state, &a.user, code).await? {
            true => Verdict::Matches,
            false => Verdict::Mismatch,
        }
    } else {
        codes::verify(state, &a.user, SIGN_IN_CODE, code).await?
    };
    match verdict {
        Verdict::Matches => {}
        Verdict::Expired => {
            return fail(
                Exception::ExpiredCode,
                "Invalid code or auth state for the user.",
            )
        }
        Verdict::LimitExceeded => {
            return fail(
                Exception::LimitExceeded,
                "Attempt limit exceeded, please try after some time.",
            )
        }
        Verdict::Mismatch => {
            session::retry(state, a.token, a.row, a.st).await?;
            return fail(
                Exception::CodeMismatch,
                "Invalid code or auth state for the user.",
            );
        }
    }
    if name != TOTP && !codes::consume(state, &a.user, SIGN_IN_CODE).await? {
        // Another answer spent the same code a moment earlier.
        return fail(
            Exception::ExpiredCode,
            "Invalid code or auth state for the user.",
        );
    }
    let (user, st) = (a.user, a.st);
    Ok(if st.auth_time == 0 {
        // A one-time code was the first factor: it stands for the password, and no MFA
        // follows it.
        Outcome::CodeProven { user, st }
    } else {
        Outcome::Verified { user, st }
    })
}

/// SELECT_MFA_TYPE: the user picked a factor.
pub async fn answer_selection(state: &State, a: Answer<'_>) -> Result<Outcome> {
    let choice = required_param(a.responses, "ANSWER")?;
    let rec = mfa_store::find(&state.db, &a.pool.id, &a.user.sub).await?;
    let offered = factors::pool_factors(a.pool);
    let Some(factor) = factors::user_factors(&rec)
        .into_iter()
        .find(|f| *f == choice && offered.contains(f))
    else {
        return invalid_parameter(format!("{choice} is not an MFA type the user can choose."));
    };
    let challenge = start(state, a.client, &a.user, factor, a.st).await?;
    Ok(Outcome::Challenge(challenge))
}

/// MFA_SETUP: finished once the software token was verified with this session.
pub fn answer_setup(a: Answer<'_>) -> Result<Outcome> {
    if !a.st.totp_verified {
        return fail(
            Exception::NotAuthorized,
            "MFA setup is not complete: verify a software token first.",
        );
    }
    Ok(Outcome::Verified {
        user: a.user,
        st: a.st,
    })
}
