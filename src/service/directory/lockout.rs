//! Cognito's lockout: after five failed sign-ins in a row, each further failure locks the
//! user out for twice as long as the one before, from one second up to about 15 minutes.
//! "Password attempts exceeded" is answered while locked, whatever the password.
//!
//! An attempt is claimed before the password is checked (argon2 takes tens of milliseconds):
//! no more attempts are checked at once than may still fail before the lock-out, and once it
//! has begun, one per lock period. A burst of parallel guesses is therefore counted as it
//! arrives, never after; the attempts it cannot check yet get TooManyRequestsException.

use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::lockout::{self as store, Refused, Subject};
use crate::store::users::UserRecord;

/// Failures allowed before the back-off starts.
const FREE_FAILURES: i64 = 5;
/// The longest lock-out, in milliseconds.
const MAX_LOCK_MS: i64 = 15 * 60 * 1000;
/// How long an attempt that never finished (the server stopped) counts as being checked.
const IN_FLIGHT_MS: i64 = 30_000;

const LIMITS: store::Limits = store::Limits {
    free: FREE_FAILURES,
    in_flight_ms: IN_FLIGHT_MS,
};

/// Whose attempts an [`Attempt`] counts.
#[derive(Clone, Debug)]
enum Owner {
    User { pool_id: String, sub: String },
    Unknown { pool_id: String, key: String },
}

impl Owner {
    fn subject(&self) -> Subject<'_> {
        match self {
            Owner::User { pool_id, sub } => Subject::User { pool_id, sub },
            Owner::Unknown { pool_id, key } => Subject::Unknown { pool_id, key },
        }
    }
}

/// One claimed sign-in attempt; say how it went.
#[must_use]
pub struct Attempt {
    owner: Owner,
}

/// Claims an attempt for `user`; fails while they are locked out.
pub async fn claim(state: &State, user: &UserRecord) -> Result<Attempt> {
    let owner = Owner::User {
        pool_id: user.pool_id.clone(),
        sub: user.sub.clone(),
    };
    claim_for(state, owner).await
}

/// Claims an attempt for a username that names nobody (`key` as looked up), so that
/// unknown users are locked out as known ones are.
pub async fn claim_unknown(state: &State, pool_id: &str, key: &str) -> Result<Attempt> {
    let owner = Owner::Unknown {
        pool_id: pool_id.to_string(),
        key: key.to_string(),
    };
    claim_for(state, owner).await
}

async fn claim_for(state: &State, owner: Owner) -> Result<Attempt> {
    match store::claim(&state.db, owner.subject(), now_ms(), LIMITS).await? {
        Ok(()) => Ok(Attempt { owner }),
        Err(Refused::Locked) => fail(Exception::NotAuthorized, "Password attempts exceeded"),
        // As many guesses as may still fail are being checked: the rest wait their turn.
        Err(Refused::Busy) => fail(Exception::TooManyRequests, "Too many requests"),
    }
}

impl Attempt {
    /// A wrong password: from the fifth on, the user is locked out for a growing time.
    pub async fn failed(self, state: &State) -> Result<()> {
        // The lock is set in the statement that counts the failure, so that no attempt can
        // be claimed between the two.
        let schedule: Vec<i64> = (FREE_FAILURES..=FREE_FAILURES + 10).map(lock_ms).collect();
        let who = self.owner.subject();
        let failures =
            store::record_failure(&state.db, who, now_ms(), FREE_FAILURES, &schedule).await?;
        if failures >= FREE_FAILURES {
            state.metrics.lockout();
        }
        Ok(())
    }

    /// The right password ends the count.
    pub async fn succeeded(self, state: &State) -> Result<()> {
        store::clear(&state.db, self.owner.subject()).await?;
        Ok(())
    }
}

/// A new password set by other means (reset, administrator) ends any lockout.
pub async fn clear(state: &State, user: &UserRecord) -> Result<()> {
    let who = Subject::User {
        pool_id: &user.pool_id,
        sub: &user.sub,
    };
    store::clear(&state.db, who).await?;
    Ok(())
}

fn lock_ms(failures: i64) -> i64 {
    let doublings = (failures - FREE_FAILURES).clamp(0, 20) as u32;
    (1000i64 << doublings).min(MAX_LOCK_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_back_off_doubles_up_to_fifteen_minutes() {
        assert_eq!(lock_ms(5), 1000);
        assert_eq!(lock_ms(6), 2000);
        assert_eq!(lock_ms(9), 16_000);
        assert_eq!(lock_ms(40), MAX_LOCK_MS);
    }
}
