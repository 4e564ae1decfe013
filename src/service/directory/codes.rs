//! One-time codes: created, stored hashed, delivered, and checked with an attempt limit.

use super::users::username_key;
use crate::service::kernel::{crypto, ids};
use crate::service::outbound::messaging::{Delivered, Dispatch, Medium, Message};
use crate::service::triggers::messages::{self, Call, MessageSource};
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::codes::{self as code_store, CodeRow, Holder};
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

/// Codes live for 24 hours, as Cognito's confirmation codes do.
const CODE_LIFETIME_MS: i64 = 24 * 3600 * 1000;
/// Wrong guesses allowed against one code before a new one must be requested.
const MAX_CODE_ATTEMPTS: i64 = 5;
/// Codes a user may be sent for one purpose within the window.
const MAX_CODES_ISSUED: i64 = 5;
/// The window within which issued codes and failed guesses are counted.
pub const LIMIT_WINDOW_MS: i64 = 3600 * 1000;

const LIMITS: code_store::Limits = code_store::Limits {
    window_ms: LIMIT_WINDOW_MS,
    max_issued: MAX_CODES_ISSUED,
    max_attempts: MAX_CODE_ATTEMPTS,
};

/// What a code is for: the key it is stored under, the purpose the outbox shows, and the
/// trigger source and call its message goes to the pool's message triggers with.
pub struct Purpose<'a> {
    pub key: &'a str,
    pub message: &'static str,
    pub source: MessageSource,
    pub call: Call<'a>,
}

/// Creates, stores (hashed) and sends a new code, replacing any earlier one of that purpose.
pub async fn send(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    purpose: Purpose<'_>,
    to: (Medium, &str),
) -> Result<Delivered> {
    send_as(state, (pool, user), purpose, to, Dispatch::Awaited).await
}

/// [`send`], with the message awaited or detached (where the client hides whether users
/// exist, so that a real user's delivery costs no more time than a decoy's).
pub async fn send_as(
    state: &State,
    (pool, user): (&PoolRecord, &UserRecord),
    purpose: Purpose<'_>,
    (medium, destination): (Medium, &str),
    dispatch: Dispatch,
) -> Result<Delivered> {
    let code = ids::code();
    store(state, user, purpose.key, &code, CODE_LIFETIME_MS).await?;
    let (subject, body) = verification_message(pool, medium);
    messages::deliver(
        state,
        (pool, user),
        (purpose.source, purpose.call),
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
        dispatch,
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

fn code_mismatch<T>() -> Result<T> {
    fail(
        Exception::CodeMismatch,
        "Invalid verification code provided, please try again.",
    )
}

fn limit_exceeded<T>() -> Result<T> {
    fail(
        Exception::LimitExceeded,
        "Attempt limit exceeded, please try after some time.",
    )
}

/// Stores a new `code` for `purpose`, valid for `lifetime_ms`, unless the user was sent too
/// many codes for it lately (LimitExceededException).
pub async fn store(
    state: &State,
    user: &UserRecord,
    purpose: &str,
    code: &str,
    lifetime_ms: i64,
) -> Result<()> {
    let owner = Owner::user(user);
    store_for(state, owner, purpose, code, lifetime_ms).await
}

/// Whose code: a user's, or that of a username that names nobody (the name as looked up).
#[derive(Clone, Copy)]
struct Owner<'a> {
    holder: Holder,
    pool_id: &'a str,
    sub: &'a str,
}

impl<'a> Owner<'a> {
    fn user(user: &'a UserRecord) -> Owner<'a> {
        Owner {
            holder: Holder::User,
            pool_id: &user.pool_id,
            sub: &user.sub,
        }
    }
    fn unknown(pool_id: &'a str, key: &'a str) -> Owner<'a> {
        Owner {
            holder: Holder::Unknown,
            pool_id,
            sub: key,
        }
    }
}

async fn store_for(
    state: &State,
    owner: Owner<'_>,
    purpose: &str,
    code: &str,
    lifetime_ms: i64,
) -> Result<()> {
    let now = now_ms();
    let row = CodeRow {
        pool_id: owner.pool_id.into(),
        sub: owner.sub.into(),
        purpose: purpose.into(),
        code_hash: crypto::sha256_hex(owner.sub, code),
        expires_at: now + lifetime_ms,
        attempts: 0,
        created_at: now,
    };
    if !code_store::issue(&state.db, owner.holder, &row, LIMITS).await? {
        return limit_exceeded();
    }
    Ok(())
}

/// For a username that names nobody (or a disabled user), where the client hides whether
/// users exist: stores a code that nobody receives, so that asking for one costs what it
/// costs for a real user and meets the same limit.
pub async fn store_unknown(
    state: &State,
    pool: &PoolRecord,
    username: &str,
    purpose: &str,
) -> Result<()> {
    let key = username_key(pool, username);
    let owner = Owner::unknown(&pool.id, &key);
    store_for(state, owner, purpose, &ids::code(), CODE_LIFETIME_MS).await
}

/// A guess at the code of a username that names nobody: claimed and compared like a real
/// user's, and always refused with the error a wrong code gets (or the limit's).
pub async fn refuse_unknown<T>(
    state: &State,
    pool: &PoolRecord,
    username: &str,
    purpose: &str,
    given: &str,
) -> Result<T> {
    let key = username_key(pool, username);
    match verify_for(state, Owner::unknown(&pool.id, &key), purpose, given).await? {
        Verdict::LimitExceeded => limit_exceeded(),
        _ => code_mismatch(),
    }
}

/// What a guess at a code came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Matches,
    Mismatch,
    /// No code, or it expired.
    Expired,
    /// Too many guesses lately: none is compared.
    LimitExceeded,
}

/// Compares `given` with the user's code for `purpose`. The guess is claimed before it is
/// compared, so no more than the limit are ever evaluated, in parallel or across reissued
/// codes.
pub async fn verify(
    state: &State,
    user: &UserRecord,
    purpose: &str,
    given: &str,
) -> Result<Verdict> {
    verify_for(state, Owner::user(user), purpose, given).await
}

async fn verify_for(
    state: &State,
    owner: Owner<'_>,
    purpose: &str,
    given: &str,
) -> Result<Verdict> {
    let Owner {
        holder,
        pool_id,
        sub,
    } = owner;
    let claimed =
        code_store::claim_attempt(&state.db, holder, pool_id, sub, purpose, MAX_CODE_ATTEMPTS)
            .await?;
    let Some(stored) = claimed else {
        return Ok(
            match code_store::find(&state.db, holder, pool_id, sub, purpose).await? {
                Some(_) => Verdict::LimitExceeded,
                None => Verdict::Expired,
            },
        );
    };
    if stored.expires_at <= now_ms() {
        return Ok(Verdict::Expired);
    }
    let given = crypto::sha256_hex(sub, given.trim());
    Ok(match crypto::constant_time_eq(&given, &stored.code_hash) {
        true => Verdict::Matches,
        false => Verdict::Mismatch,
    })
}

/// Checks a code with Cognito's errors for confirmation and recovery codes. The caller
/// consumes the code in the same write that acts on it.
pub async fn check(state: &State, user: &UserRecord, purpose: &str, given: &str) -> Result<()> {
    match verify(state, user, purpose, given).await? {
        Verdict::Matches => Ok(()),
        Verdict::Mismatch => code_mismatch(),
        Verdict::Expired => fail(
            Exception::ExpiredCode,
            "Invalid code provided, please request a code again.",
        ),
        Verdict::LimitExceeded => limit_exceeded(),
    }
}

/// Spends the code for `purpose`; false when another request spent it first.
pub async fn consume(state: &State, user: &UserRecord, purpose: &str) -> Result<bool> {
    Ok(code_store::delete(&state.db, &user.pool_id, &user.sub, purpose).await?)
}
