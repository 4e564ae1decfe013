//! Users' MFA factors.

use sqlx::FromRow;

use super::sealed::TOTP_SECRET;
use super::{flag, Db, Result};

#[derive(Clone, Default)]
pub struct MfaRecord {
    pub pool_id: String,
    pub sub: String,
    pub totp_secret: Option<String>,
    pub totp_verified: bool,
    pub totp_enabled: bool,
    pub sms_enabled: bool,
    pub email_enabled: bool,
    /// SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP.
    pub preferred: Option<String>,
    pub totp_last_step: i64,
    pub updated_at: i64,
}

/// Leaves the TOTP secret out.
impl std::fmt::Debug for MfaRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MfaRecord")
            .field("pool_id", &self.pool_id)
            .field("sub", &self.sub)
            .field("totp_verified", &self.totp_verified)
            .field("totp_enabled", &self.totp_enabled)
            .field("sms_enabled", &self.sms_enabled)
            .field("email_enabled", &self.email_enabled)
            .field("preferred", &self.preferred)
            .finish_non_exhaustive()
    }
}

#[derive(FromRow)]
struct MfaRow {
    pool_id: String,
    sub: String,
    totp_secret: Option<String>,
    totp_verified: i64,
    totp_enabled: i64,
    sms_enabled: i64,
    email_enabled: i64,
    preferred: Option<String>,
    totp_last_step: i64,
    updated_at: i64,
}

impl MfaRow {
    /// The record, its TOTP secret opened.
    fn open(self, db: &Db) -> Result<MfaRecord> {
        let key = [self.pool_id.as_str(), self.sub.as_str()];
        let totp_secret = self
            .totp_secret
            .as_deref()
            .map(|s| TOTP_SECRET.open(db.sealer(), &key, s))
            .transpose()?;
        let r = self;
        Ok(MfaRecord {
            pool_id: r.pool_id,
            sub: r.sub,
            totp_secret,
            totp_verified: r.totp_verified != 0,
            totp_enabled: r.totp_enabled != 0,
            sms_enabled: r.sms_enabled != 0,
            email_enabled: r.email_enabled != 0,
            preferred: r.preferred,
            totp_last_step: r.totp_last_step,
            updated_at: r.updated_at,
        })
    }
}

/// The user's factors; an empty record when none were ever set.
pub async fn find(db: &Db, pool_id: &str, sub: &str) -> Result<MfaRecord> {
    let row: Option<MfaRow> = sqlx::query_as(
        "SELECT pool_id, sub, totp_secret, totp_verified, totp_enabled, sms_enabled, email_enabled, \
         preferred, totp_last_step, updated_at FROM user_mfa WHERE pool_id = $1 AND sub = $2",
    )
    .bind(pool_id)
    .bind(sub)
    .fetch_optional(db.pool())
    .await?;
    match row {
        Some(row) => row.open(db),
        None => Ok(MfaRecord {
            pool_id: pool_id.into(),
            sub: sub.into(),
            ..MfaRecord::default()
        }),
    }
}

/// Stores the user's factors, the TOTP secret sealed.
pub async fn save(db: &Db, m: &MfaRecord) -> Result<()> {
    let key = [m.pool_id.as_str(), m.sub.as_str()];
    let sealed = m
        .totp_secret
        .as_deref()
        .map(|s| TOTP_SECRET.seal(db.sealer(), &key, s));
    sqlx::query(
        "INSERT INTO user_mfa (pool_id, sub, totp_secret, totp_verified, totp_enabled, sms_enabled, \
         email_enabled, preferred, totp_last_step, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (pool_id, sub) DO UPDATE SET totp_secret = excluded.totp_secret, \
         totp_verified = excluded.totp_verified, totp_enabled = excluded.totp_enabled, \
         sms_enabled = excluded.sms_enabled, email_enabled = excluded.email_enabled, \
         preferred = excluded.preferred, updated_at = excluded.updated_at",
    )
    .bind(&m.pool_id)
    .bind(&m.sub)
    .bind(sealed)
    .bind(flag(m.totp_verified))
    .bind(flag(m.totp_enabled))
    .bind(flag(m.sms_enabled))
    .bind(flag(m.email_enabled))
    .bind(&m.preferred)
    .bind(m.totp_last_step)
    .bind(m.updated_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Records that TOTP time step `step` was used; false when it (or a later one) already was,
/// so that no code is accepted twice.
pub async fn claim_totp_step(db: &Db, pool_id: &str, sub: &str, step: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE user_mfa SET totp_last_step = $1 WHERE pool_id = $2 AND sub = $3 AND totp_last_step < $1",
    )
    .bind(step)
    .bind(pool_id)
    .bind(sub)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What GetUser and AdminGetUser show of a user's MFA, in one round trip: the factors that are
/// on, the preferred one, and the legacy MFAOptions stored with the user (no secret opened).
#[derive(Debug, Default, FromRow)]
pub struct MfaSummaryRow {
    pub mfa_options: Option<String>,
    pub totp_verified: Option<i64>,
    pub totp_enabled: Option<i64>,
    pub sms_enabled: Option<i64>,
    pub email_enabled: Option<i64>,
    pub preferred: Option<String>,
}

/// The columns of [`MfaSummaryRow`], over `users u` joined by [`MFA_JOIN`].
pub const MFA_SUMMARY: &str =
    "u.mfa_options, m.totp_verified, m.totp_enabled, m.sms_enabled, m.email_enabled, m.preferred";
pub const MFA_JOIN: &str = "LEFT JOIN user_mfa m ON m.pool_id = u.pool_id AND m.sub = u.sub";

pub async fn find_summary(db: &Db, pool_id: &str, sub: &str) -> Result<MfaSummaryRow> {
    let row: Option<MfaSummaryRow> = sqlx::query_as(&format!(
        "SELECT {MFA_SUMMARY} FROM users u {MFA_JOIN} WHERE u.pool_id = $1 AND u.sub = $2"
    ))
    .bind(pool_id)
    .bind(sub)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.unwrap_or_default())
}
