//! Cognito's lockout: after five failed sign-ins in a row, each further failure locks the
//! user out for twice as long as the one before, from one second up to about 15 minutes.
//! "Password attempts exceeded" is answered while locked, whatever the password.

use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::lockout as store;
use crate::store::users::UserRecord;

/// Failures allowed before the back-off starts.
const FREE_FAILURES: i64 = 5;
/// The longest lock-out, in milliseconds.
const MAX_LOCK_MS: i64 = 15 * 60 * 1000;

/// Fails while the user is locked out.
pub async fn check(state: &State, user: &UserRecord) -> Result<()> {
    if store::locked_until(&state.db, &user.pool_id, &user.sub).await? > now_ms() {
        return fail(Exception::NotAuthorized, "Password attempts exceeded");
    }
    Ok(())
}

/// Records a wrong password; from the fifth on, locks the user out for a growing time.
pub async fn failed(state: &State, user: &UserRecord) -> Result<()> {
    let failures = store::record_failure(&state.db, &user.pool_id, &user.sub).await?;
    if failures >= FREE_FAILURES {
        store::lock(
            &state.db,
            &user.pool_id,
            &user.sub,
            now_ms() + lock_ms(failures),
        )
        .await?;
    }
    Ok(())
}

/// A correct password ends the count.
pub async fn succeeded(state: &State, user: &UserRecord) -> Result<()> {
    store::clear(&state.db, &user.pool_id, &user.sub).await?;
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
