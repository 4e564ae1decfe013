//! Time-based one-time passwords (RFC 6238: SHA-1, six digits, 30-second steps), as
//! authenticator apps and Cognito's software tokens use them.

use rand::RngCore;
use totp_rs::{Algorithm, Secret, TOTP};

const STEP: u64 = 30;

/// A new shared secret, base32 as authenticator apps take it.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

fn totp(secret_b32: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_b32.to_string()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, 6, 1, STEP, bytes).ok()
}

/// The time step whose code `code` is, within one step either side of `now` (seconds), or
/// `None` when the code matches none of them.
pub fn matching_step(secret_b32: &str, code: &str, now: u64) -> Option<i64> {
    let totp = totp(secret_b32)?;
    let current = now / STEP;
    [current.saturating_sub(1), current, current + 1]
        .into_iter()
        .find(|step| {
            let expected = totp.generate(step * STEP);
            super::crypto::constant_time_eq(&expected, code.trim())
        })
        .map(|step| step as i64)
}

/// The code for time `t` (seconds); for tests and tools.
pub fn code_at(secret_b32: &str, t: u64) -> Option<String> {
    totp(secret_b32).map(|t_| t_.generate(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_and_neighbours_only() {
        let secret = new_secret();
        let now = 1_700_000_000;
        let code = code_at(&secret, now).unwrap();
        assert_eq!(matching_step(&secret, &code, now), Some((now / 30) as i64));
        assert!(matching_step(&secret, &code, now + 30).is_some());
        assert!(matching_step(&secret, &code, now + 300).is_none());
        assert!(matching_step(&secret, "abcdef", now).is_none());
        // RFC 6238's SHA-1 vector, truncated to six digits.
        let rfc = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        assert_eq!(code_at(&rfc, 59).unwrap(), "287082");
    }
}
