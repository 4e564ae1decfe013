//! Password hashing (argon2id), hashes of codes and tokens, SECRET_HASH, constant-time checks.

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::config::Argon2Params;

fn params(params: Argon2Params) -> Params {
    Params::new(params.memory_kib, params.iterations, 1, None)
        .expect("argon2 parameters are validated with the configuration")
}

/// Argon2's working memory, kept by a worker between hashes so that each hash does not
/// allocate (and fault in) its 19 MiB afresh. It grows to the configured cost on first use;
/// a stored hash with a higher cost than `keep` borrows a buffer for that one check instead,
/// so that one odd hash cannot make the memory stay large.
pub struct Argon2Memory {
    blocks: Vec<Block>,
    keep: usize,
}

impl Argon2Memory {
    /// Memory that keeps up to what hashing with `params` needs.
    pub fn for_params(cost: Argon2Params) -> Self {
        Argon2Memory {
            blocks: Vec::new(),
            keep: params(cost).block_count(),
        }
    }

    /// Runs argon2 with `argon2`'s parameters in this memory, or in a one-off buffer when
    /// they need more than it keeps.
    fn hash_into(
        &mut self,
        argon2: &Argon2,
        password: &[u8],
        salt: &[u8],
        out: &mut [u8],
    ) -> argon2::Result<()> {
        let needed = argon2.params().block_count();
        if needed > self.keep {
            let mut once = vec![Block::default(); needed];
            return argon2.hash_password_into_with_memory(password, salt, out, &mut once);
        }
        if self.blocks.len() < needed {
            self.blocks.resize(needed, Block::default());
        }
        argon2.hash_password_into_with_memory(password, salt, out, &mut self.blocks[..needed])
    }
}

/// Hashes a password with argon2id into a PHC string, in `memory`. CPU-heavy: call through
/// the hashing workers (`service::hashing`).
pub fn hash_password_in(
    memory: &mut Argon2Memory,
    cost: Argon2Params,
    password: &str,
) -> anyhow::Result<String> {
    let fault = |e: &dyn std::fmt::Display| anyhow::anyhow!("argon2: {e}");
    let params = params(cost);
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let salt = SaltString::generate(&mut rand::thread_rng());
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(|e| fault(&e))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    memory
        .hash_into(&argon2, password.as_bytes(), salt_bytes, &mut out)
        .map_err(|e| fault(&e))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| fault(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| fault(&e))?),
    };
    Ok(hash.to_string())
}

/// Checks a password against a stored PHC hash (parameters come from the hash itself), in
/// `memory`. A stored hash that does not parse is a fault, never a wrong password.
/// CPU-heavy: call through the hashing workers (`service::hashing`).
pub fn verify_password_in(
    memory: &mut Argon2Memory,
    hash: &str,
    password: &str,
) -> anyhow::Result<bool> {
    let fault = |e: &dyn std::fmt::Display| anyhow::anyhow!("stored password hash: {e}");
    let parsed = PasswordHash::new(hash).map_err(|e| fault(&e))?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash.as_ref()) else {
        return Err(anyhow::anyhow!("stored password hash has no salt or hash"));
    };
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(|e| fault(&e))?;
    let version = match parsed.version {
        Some(v) => Version::try_from(v).map_err(|e| fault(&e))?,
        None => Version::default(),
    };
    let params = Params::try_from(&parsed).map_err(|e| fault(&e))?;
    let argon2 = Argon2::new(algorithm, version, params);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(|e| fault(&e))?;
    let mut out = vec![0u8; expected.len()];
    memory
        .hash_into(&argon2, password.as_bytes(), salt_bytes, &mut out)
        .map_err(|e| fault(&e))?;
    Ok(out.ct_eq(expected.as_bytes()).into())
}

/// A hash that no password matches, with the cost of a real one, checked for unknown users
/// so that their sign-ins take as long as real ones. It is a PHC string of `cost`'s
/// parameters with a random salt and a random output, which no password hashes to (that
/// would be a preimage), so it costs no argon2 run, and no memory, at start-up.
pub fn dummy_password_hash(cost: Argon2Params) -> anyhow::Result<String> {
    let fault = |e: &dyn std::fmt::Display| anyhow::anyhow!("argon2: {e}");
    let params = params(cost);
    let salt = SaltString::generate(&mut rand::thread_rng());
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    rand::thread_rng().fill_bytes(&mut out);
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| fault(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| fault(&e))?),
    };
    Ok(hash.to_string())
}

/// [`hash_password_in`] with memory of its own, for one-off hashes.
pub fn hash_password(cost: Argon2Params, password: &str) -> anyhow::Result<String> {
    hash_password_in(&mut Argon2Memory::for_params(cost), cost, password)
}

/// [`verify_password_in`] with memory of its own.
pub fn verify_password(hash: &str, password: &str) -> anyhow::Result<bool> {
    let mut memory = Argon2Memory {
        blocks: Vec::new(),
        keep: 0,
    };
    verify_password_in(&mut memory, hash, password)
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
    fn hashes_are_standard_phc_strings_and_memory_is_reused() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let cost = Argon2Params {
            memory_kib: 64,
            iterations: 2,
        };
        let mut memory = Argon2Memory::for_params(cost);
        let ours = hash_password_in(&mut memory, cost, "Correct-Horse1").unwrap();
        assert!(ours.starts_with("$argon2id$v=19$m=64,t=2,p=1$"), "{ours}");
        // argon2's own verifier accepts ours, and ours accepts argon2's.
        let parsed = PasswordHash::new(&ours).unwrap();
        Argon2::default()
            .verify_password(b"Correct-Horse1", &parsed)
            .unwrap();
        let salt = SaltString::generate(&mut rand::thread_rng());
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params(cost))
            .hash_password(b"Correct-Horse1", &salt)
            .unwrap()
            .to_string();
        assert!(verify_password_in(&mut memory, &theirs, "Correct-Horse1").unwrap());
        assert!(!verify_password_in(&mut memory, &theirs, "Correct-Horse2").unwrap());
        assert_eq!(memory.blocks.len(), 64);
        // A costlier stored hash is checked in memory of its own; ours stays as it was.
        let costly = hash_password(
            Argon2Params {
                memory_kib: 128,
                iterations: 1,
            },
            "x",
        )
        .unwrap();
        assert!(verify_password_in(&mut memory, &costly, "x").unwrap());
        assert_eq!(memory.blocks.len(), 64);
    }

    #[test]
    fn the_dummy_hash_has_the_configured_cost_and_matches_nothing() {
        let cost = Argon2Params {
            memory_kib: 64,
            iterations: 2,
        };
        let dummy = dummy_password_hash(cost).unwrap();
        assert!(dummy.starts_with("$argon2id$v=19$m=64,t=2,p=1$"), "{dummy}");
        assert_ne!(dummy, dummy_password_hash(cost).unwrap());
        assert!(!verify_password(&dummy, "").unwrap());
        assert!(!verify_password(&dummy, "Correct-Horse1").unwrap());
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
