//! Credentials: everything stored for a password (argon2id hash, SRP salt and verifier), and
//! checking a password against them without telling unknown users apart by timing.

use crate::service::kernel::{crypto, srp};
use crate::service::{hashing, Error, Result, State};

/// Everything stored for a password: its argon2id hash and its SRP salt and verifier.
pub struct PasswordHashes {
    pub hash: String,
    pub srp_salt: String,
    pub srp_verifier: String,
}

/// Hashes a new password for `user_id_for_srp` (the username SRP clients sign with) in
/// pool `pool_id`, on the hashing workers. Every place that sets a password goes through here,
/// so that password and SRP sign-in always agree.
pub async fn hash_new(
    state: &State,
    pool_id: &str,
    user_id_for_srp: &str,
    password: &str,
) -> Result<PasswordHashes> {
    let params = state.argon2;
    let (pool_name, user_id, password) = (
        srp::pool_name(pool_id).to_string(),
        user_id_for_srp.to_string(),
        password.to_string(),
    );
    let (hash, (srp_salt, srp_verifier)) = hashing(state, move |memory| {
        let hash = crypto::hash_password_in(memory, params, &password);
        (hash, srp::make_verifier(&pool_name, &user_id, &password))
    })
    .await?;
    Ok(PasswordHashes {
        hash: hash?,
        srp_salt,
        srp_verifier,
    })
}

/// Checks `password` against `hash`, or against the server's dummy hash when there is no
/// stored hash, so that the check costs the same either way. Off the async workers.
pub async fn verify(state: &State, hash: Option<&str>, password: &str) -> Result<bool> {
    let hash = hash.unwrap_or(&state.dummy_password_hash).to_string();
    let password = password.to_string();
    hashing(state, move |memory| {
        crypto::verify_password_in(memory, &hash, &password)
    })
    .await?
    .map_err(Error::Internal)
}

impl PasswordHashes {
    /// Stores these hashes as the user's password.
    pub fn apply(self, user: &mut crate::store::users::UserRecord) {
        user.password_hash = Some(self.hash);
        user.srp_salt = Some(self.srp_salt);
        user.srp_verifier = Some(self.srp_verifier);
    }
}
