//! User pools as the rest of the domain sees them: loaded by id, and the rules their
//! settings impose on users.

use crate::service::kernel::ids;
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::pools::{self as pool_store, PoolRecord};
use crate::store::users::UserRecord;

/// Loads a pool or fails with Cognito's ResourceNotFoundException.
pub async fn load(state: &State, pool_id: &str) -> Result<PoolRecord> {
    if ids::is_user_pool_id(pool_id) {
        if let Some(pool) = pool_store::find_by_id(&state.db, pool_id).await? {
            return Ok(pool);
        }
    }
    fail(
        Exception::ResourceNotFound,
        format!("User pool {pool_id} does not exist."),
    )
}

/// A temporary password lasts the pool's TemporaryPasswordValidityDays from when it was set
/// (the user's last change, which is when an administrator set it).
pub fn check_temporary_password_age(pool: &PoolRecord, user: &UserRecord) -> Result<()> {
    let days = pool
        .settings
        .password_policy()
        .temporary_password_validity_days
        .unwrap_or(7);
    if now_ms() > user.updated_at + days * 86_400_000 {
        return fail(
            Exception::NotAuthorized,
            "Temporary password has expired and must be reset by an administrator.",
        );
    }
    Ok(())
}
