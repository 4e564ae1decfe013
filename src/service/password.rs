//! The pool's password policy.

use super::{blocking, crypto, fail, srp, Exception, Result, State};
use crate::types::pools::PasswordPolicy;

const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/// Checks `password` against `policy`, with Cognito's messages.
pub fn check(policy: &PasswordPolicy, password: &str) -> Result<()> {
    let complaint = if password.chars().count() < policy.minimum_length.unwrap_or(8) as usize {
        Some("Password not long enough")
    } else if password.len() > 256 {
        Some("Password is too long")
    } else if password.starts_with(' ') || password.ends_with(' ') {
        Some("Password must not begin or end with a space")
    } else if policy.require_uppercase && !password.chars().any(|c| c.is_uppercase()) {
        Some("Password must have uppercase characters")
    } else if policy.require_lowercase && !password.chars().any(|c| c.is_lowercase()) {
        Some("Password must have lowercase characters")
    } else if policy.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
        Some("Password must have numeric characters")
    } else if policy.require_symbols && !password.chars().any(|c| SYMBOLS.contains(c)) {
        Some("Password must have symbol characters")
    } else {
        None
    };
    match complaint {
        Some(why) => fail(
            Exception::InvalidPassword,
            format!("Password did not conform with policy: {why}"),
        ),
        None => Ok(()),
    }
}

/// Everything stored for a password: its argon2id hash and its SRP salt and verifier.
pub struct PasswordHashes {
    pub hash: String,
    pub srp_salt: String,
    pub srp_verifier: String,
}

/// Hashes a new password for `user_id_for_srp` (the username SRP clients sign with) in
/// pool `pool_id`, on the blocking pool. Every place that sets a password goes through here,
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
    let (hash, (srp_salt, srp_verifier)) = blocking(move || {
        let hash = crypto::hash_password(params, &password);
        (hash, srp::make_verifier(&pool_name, &user_id, &password))
    })
    .await?;
    Ok(PasswordHashes {
        hash: hash?,
        srp_salt,
        srp_verifier,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_policy_needs_every_class() {
        let p = PasswordPolicy::default();
        assert!(check(&p, "Passw0rd!").is_ok());
        for (bad, why) in [
            ("Pa0!", "long enough"),
            ("password0!", "uppercase"),
            ("PASSWORD0!", "lowercase"),
            ("Password!!", "numeric"),
            ("Password00", "symbol"),
        ] {
            let err = check(&p, bad).unwrap_err().to_string();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }
}
