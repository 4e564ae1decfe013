//! One-time codes: created, stored hashed, delivered, and checked with an attempt limit.

use crate::service::kernel::{crypto, ids};
use crate::service::outbound::messaging::{self, Delivered, Medium, Message};
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::codes::{self as code_store, CodeRow};
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

/// Codes live for 24 hours, as Cognito's confirmation codes do.
const CODE_LIFETIME_MS: i64 = 24 * 3600 * 1000;
/// Wrong guesses allowed against one code before a new one must be requested.
const MAX_CODE_ATTEMPTS: i64 = 5;

/// What a code is for: the key it is stored under and the purpose the outbox shows.
pub struct Purpose<'a> {
    pub key: &'a str,
    pub message: &'static str,
}

/// Creates, stores (hashed) and sends a new code, replacing any earlier one of that purpose.
pub async fn send(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    purpose: Purpose<'_>,
    (medium, destination): (Medium, &str),
) -> Result<Delivered> {
    let code = ids::code();
    let now = now_ms();
    code_store::upsert(
        &state.db,
        &CodeRow {
            pool_id: pool.id.clone(),
            sub: user.sub.clone(),
            purpose: purpose.key.into(),
            code_hash: crypto::sha256_hex(&user.sub, &code),
            expires_at: now + CODE_LIFETIME_MS,
            attempts: 0,
            created_at: now,
        },
    )
    .await?;
    let (subject, body) = verification_message(pool, medium);
    messaging::send(
        state,
        Message {
            pool_id: &pool.id,
            username: &user.username,
            medium,
            destination,
            purpose: purpose.message,
            code: Some(&code),
            subject,
            template: body,
        },
    )
    .await
}

/// The pool's verification message template for `medium`, or Cognito's default.
fn verification_message(pool: &PoolRecord, medium: Medium) -> (Option<String>, String) {
    let field = |name: &str| pool.settings.verification_template(name).map(String::from);
    match medium {
        Medium::Email => (
            Some(field("EmailSubject").unwrap_or_else(|| "Your verification code".into())),
            field("EmailMessage").unwrap_or_else(|| "Your verification code is {####}.".into()),
        ),
        Medium::Sms => (
            None,
            field("SmsMessage").unwrap_or_else(|| "Your verification code is {####}.".into()),
        ),
    }
}

/// Checks `given` against the user's stored code for `purpose`; a wrong code counts as an
/// attempt. The caller consumes the code in the same write that acts on it.
pub async fn check(state: &State, user: &UserRecord, purpose: &str, given: &str) -> Result<()> {
    let expired = || {
        fail(
            Exception::ExpiredCode,
            "Invalid code provided, please request a code again.",
        )
    };
    let Some(stored) = code_store::find(&state.db, &user.pool_id, &user.sub, purpose).await? else {
        return expired();
    };
    if stored.expires_at <= now_ms() {
        return expired();
    }
    if stored.attempts >= MAX_CODE_ATTEMPTS {
        return fail(
            Exception::LimitExceeded,
            "Attempt limit exceeded, please try after some time.",
        );
    }
    let given = crypto::sha256_hex(&user.sub, given.trim());
    if !crypto::constant_time_eq(&given, &stored.code_hash) {
        code_store::record_failed_attempt(&state.db, &user.pool_id, &user.sub, purpose).await?;
        return fail(
            Exception::CodeMismatch,
            "Invalid verification code provided, please try again.",
        );
    }
    Ok(())
}
