//! Tokens and clocks: what the tests read from a JWT and the times they sign with.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
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
