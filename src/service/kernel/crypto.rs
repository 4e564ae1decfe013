//! Password hashing (argon2id), hashes of codes and tokens, SECRET_HASH, constant-time checks.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::Argon2Params;

fn argon2(params: Argon2Params) -> Argon2<'static> {
    let params = Params::new(params.memory_kib, params.iterations, 1, None)
        .expect("argon2 parameters are validated with the configuration");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password with argon2id. CPU-heavy: call through `service::blocking`.
pub fn hash_password(params: Argon2Params, password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut rand::thread_rng());
    argon2(params)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

/// Checks a password against a stored PHC hash (parameters come from the hash itself).
/// A stored hash that does not parse is a fault, never a wrong password.
/// CPU-heavy: call through `service::blocking`.
pub fn verify_password(hash: &str, password: &str) -> anyhow::Result<bool> {
    let parsed =
        PasswordHash::new(hash).map_err(|e| anyhow::anyhow!("stored password hash: {e}"))?;
    Ok(Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}

/// Hex SHA-256, for stored codes and refresh tokens; `salt` binds a code to its owner.
pub fn sha256_hex(salt: &str, value: &str) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update([0u8]);
    h.update(value.as_bytes());
    hex::encode(h.finalize())
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// Cognito's SECRET_HASH: Base64(HMAC-SHA256(client secret, username + client id)).
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(client_secret.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// A random opaque token of `bytes` bytes, base64url.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_round_trip_with_argon2id() {
        let params = Argon2Params {
            memory_kib: 64,
            iterations: 1,
        };
        let hash = hash_password(params, "Correct-Horse1").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "Correct-Horse1").unwrap());
        assert!(!verify_password(&hash, "correct-horse1").unwrap());
        assert!(verify_password("not a hash", "x").is_err());
    }

    #[test]
    fn secret_hash_matches_the_documented_construction() {
        // Computed independently: echo -n "alice1example" | openssl dgst -sha256 -hmac secret -binary | base64
        assert_eq!(
            secret_hash("secret", "alice", "1example"),
            "vR6HuG7zK5vgTn5Vqz3amgjMDbCbZ/Wf+FOszZjY0z0="
        );
    }
}
