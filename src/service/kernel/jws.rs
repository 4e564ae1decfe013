//! Compact JWS (RFC 7515), as Cognito's tokens are read back: split and decoded once, so that
//! the key can be found from the header and issuer before the signature is checked, and the
//! claims are read only after it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// A token split into its parts. Nothing in it is trusted until a key has checked
/// [`Jws::signing_input`] against [`Jws::signature`].
pub struct Jws<'a> {
    pub alg: String,
    pub kid: Option<String>,
    /// The claims the signature covers, as an unverified hint of the issuer.
    pub iss: Option<String>,
    exp: Option<f64>,
    /// `header.payload`, the bytes the signature covers.
    pub signing_input: &'a str,
    pub signature: Vec<u8>,
    payload: Vec<u8>,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    #[serde(default)]
    kid: Option<String>,
}

#[derive(Deserialize)]
struct Registered {
    #[serde(default)]
    iss: Option<String>,
    #[serde(default)]
    exp: Option<f64>,
}

/// Splits and decodes a compact JWS; `None` when it is not one (three base64url parts, a JSON
/// header with `alg`, a JSON object for payload).
pub fn parse(token: &str) -> Option<Jws<'_>> {
    let (signing_input, signature) = token.rsplit_once('.')?;
    let (header, payload) = signing_input.split_once('.')?;
    if payload.contains('.') {
        return None;
    }
    let header: Header = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
    let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let registered: Registered = serde_json::from_slice(&payload).ok()?;
    Some(Jws {
        alg: header.alg,
        kid: header.kid,
        iss: registered.iss,
        exp: registered.exp,
        signing_input,
        signature: URL_SAFE_NO_PAD.decode(signature).ok()?,
        payload,
    })
}

impl Jws<'_> {
    /// Whether the token has no `exp`, or its `exp` (seconds) is before `now_secs`. A token is
    /// good through the second its `exp` names, as RFC 7519 and jsonwebtoken read it.
    pub fn expired(&self, now_secs: i64) -> bool {
        self.exp.is_none_or(|exp| exp < now_secs as f64)
    }

    /// The claims, read as `T`; `None` when they do not fit it.
    pub fn claims<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.payload).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(header: &str, payload: &str, signature: &[u8]) -> String {
        let part = |b: &[u8]| URL_SAFE_NO_PAD.encode(b);
        format!(
            "{}.{}.{}",
            part(header.as_bytes()),
            part(payload.as_bytes()),
            part(signature)
        )
    }

    #[test]
    fn a_token_is_split_into_its_header_claims_and_signature() {
        let t = token(
            r#"{"alg":"RS256","kid":"k1"}"#,
            r#"{"iss":"https://x/p1","exp":100,"sub":"s"}"#,
            b"sig",
        );
        let jws = parse(&t).expect("a compact JWS");
        assert_eq!(jws.alg, "RS256");
        assert_eq!(jws.kid.as_deref(), Some("k1"));
        assert_eq!(jws.iss.as_deref(), Some("https://x/p1"));
        assert_eq!(jws.signature, b"sig");
        assert_eq!(jws.signing_input, t.rsplit_once('.').unwrap().0);
        let claims: serde_json::Value = jws.claims().unwrap();
        assert_eq!(claims["sub"], "s");
        assert!(!jws.expired(100), "good through the second exp names");
        assert!(jws.expired(101));
    }

    #[test]
    fn what_is_not_a_compact_jws_is_refused() {
        let good = token(r#"{"alg":"RS256"}"#, r#"{"exp":1}"#, b"s");
        assert!(parse(&good).is_some());
        for bad in [
            String::new(),
            "a.b".to_string(),
            format!("{good}.extra"),
            token("not json", r#"{"exp":1}"#, b"s"),
            token(r#"{"kid":"no alg"}"#, r#"{"exp":1}"#, b"s"),
            token(r#"{"alg":"RS256"}"#, "[1]", b"s"),
            good.replace('.', ".!"),
        ] {
            assert!(parse(&bad).is_none(), "{bad:?} was taken for a JWS");
        }
        let no_exp = token(r#"{"alg":"RS256"}"#, "{}", b"s");
        assert!(
            parse(&no_exp).unwrap().expired(0),
            "a token without exp never counts as live"
        );
    }
}
