//! Tokens, secrets and clocks: what the tests read from a JWT, the SECRET_HASH they send and the
//! times they sign with.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;

use super::srp;

/// The claims of a JWT, unverified (the walking skeleton checks signatures against the JWKS).
pub fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// Seconds since the Unix epoch, as TOTP counts them.
pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Milliseconds since the Unix epoch, as the database stores deadlines.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The current time as an SRP answer's TIMESTAMP.
pub fn srp_timestamp() -> String {
    srp::format_timestamp(chrono::Utc::now())
}

/// The SECRET_HASH a client with a secret sends along with `username`.
pub fn secret_hash(secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{username}{client_id}").as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}
