//! Secure Remote Password as Cognito and amazon-cognito-identity-js speak it: the 3072-bit
//! group of RFC 5054 with g = 2, SHA-256, hex strings padded to a positive two's-complement
//! form, and the "Caldera Derived Key" HKDF. All big-number work is CPU-heavy: call it
//! through `service::blocking`.

use hmac::{Hmac, Mac};
use num_bigint::BigUint;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const N_HEX: &str = "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1\
29024E088A67CC74020BBEA63B139B22514A08798E3404DD\
EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245\
E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED\
EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D\
C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F\
83655D23DCA3AD961C62F356208552BB9ED529077096966D\
670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B\
E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9\
DE2BCBF6955817183995497CEA956AE515D2261898FA0510\
15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64\
ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7\
ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B\
F12FFA06D98A0864D87602733EC86A64521F2B18177B200C\
BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31\
43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

struct Group {
    n: BigUint,
    g: BigUint,
    k: BigUint,
}

fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        let n = BigUint::parse_bytes(N_HEX.as_bytes(), 16).expect("the group prime parses");
        let g = BigUint::from(2u32);
        let k = hex_hash(&format!("{}{}", pad_hex(&n), pad_hex(&g)));
        Group { n, g, k }
    })
}

/// Hex of `n`, even-length, with a leading `00` when the top bit is set (Java's BigInteger).
pub fn pad_hex(n: &BigUint) -> String {
    let mut hex = n.to_str_radix(16);
    if hex.len() % 2 == 1 {
        hex.insert(0, '0');
    } else if hex.as_bytes()[0] >= b'8' {
        hex.insert_str(0, "00");
    }
    hex
}

fn from_hex(hex: &str) -> Option<BigUint> {
    if hex.is_empty() || hex.len() > 2048 {
        return None;
    }
    BigUint::parse_bytes(hex.as_bytes(), 16)
}

/// SHA-256 of the bytes a hex string spells, as a number.
fn hex_hash(hex: &str) -> BigUint {
    let bytes = hex::decode(hex).expect("pad_hex gives whole bytes");
    BigUint::from_bytes_be(&Sha256::digest(bytes))
}

fn sha256_hex(s: &str) -> String {
    format!(
        "{:064x}",
        BigUint::from_bytes_be(&Sha256::digest(s.as_bytes()))
    )
}

/// x = H(salt | H(poolName | userId | ":" | password)).
fn private_key(pool_name: &str, user_id: &str, password: &str, salt: &BigUint) -> BigUint {
    let inner = sha256_hex(&format!("{pool_name}{user_id}:{password}"));
    hex_hash(&format!("{}{inner}", pad_hex(salt)))
}

/// The part of a pool id after the underscore: what clients call the pool name.
pub fn pool_name(pool_id: &str) -> &str {
    pool_id.split_once('_').map_or(pool_id, |(_, name)| name)
}

/// A fresh salt and the verifier g^x for a password, both as hex.
pub fn make_verifier(pool_name: &str, user_id: &str, password: &str) -> (String, String) {
    let mut salt_bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut salt_bytes);
    let salt = BigUint::from_bytes_be(&salt_bytes);
    let x = private_key(pool_name, user_id, password, &salt);
    let grp = group();
    (pad_hex(&salt), pad_hex(&grp.g.modpow(&x, &grp.n)))
}

/// Whether `hex` is a usable client public value: a hex number that is not 0 mod N.
pub fn is_valid_public(hex: &str) -> bool {
    from_hex(hex).is_some_and(|a| (a % &group().n) != BigUint::ZERO)
}

/// A salt as `make_verifier` writes it, from 16 given bytes.
pub fn salt_hex(bytes: &[u8]) -> String {
    pad_hex(&BigUint::from_bytes_be(bytes))
}

/// The server's ephemeral pair: (b, B = k·v + g^b mod N), as hex.
pub fn server_ephemeral(verifier_hex: &str) -> Option<(String, String)> {
    let grp = group();
    let v = from_hex(verifier_hex)?;
    loop {
        let mut bytes = [0u8; 128];
        rand::thread_rng().fill_bytes(&mut bytes);
        let b = BigUint::from_bytes_be(&bytes) % &grp.n;
        let big_b = (&grp.k * &v + grp.g.modpow(&b, &grp.n)) % &grp.n;
        if big_b != BigUint::ZERO {
            return Some((pad_hex(&b), pad_hex(&big_b)));
        }
    }
}

/// What the server needs to check a PASSWORD_CLAIM_SIGNATURE.
pub struct Claim<'a> {
    pub pool_name: &'a str,
    pub user_id: &'a str,
    pub verifier: &'a str,
    pub b: &'a str,
    pub big_b: &'a str,
    pub srp_a: &'a str,
    pub secret_block: &'a [u8],
    pub timestamp: &'a str,
    pub signature: &'a [u8],
}

/// Checks the client's signature: S = (A·v^u)^b, key = HKDF(S, u), HMAC over the claim.
/// False for a malformed A (A mod N = 0) or a wrong password.
pub fn verify_claim(c: &Claim) -> bool {
    let grp = group();
    let (Some(a), Some(v), Some(b), Some(big_b)) = (
        from_hex(c.srp_a),
        from_hex(c.verifier),
        from_hex(c.b),
        from_hex(c.big_b),
    ) else {
        return false;
    };
    if (&a % &grp.n) == BigUint::ZERO {
        return false;
    }
    let u = hex_hash(&format!("{}{}", pad_hex(&a), pad_hex(&big_b)));
    if u == BigUint::ZERO {
        return false;
    }
    let s = (a * v.modpow(&u, &grp.n)).modpow(&b, &grp.n);
    let key = derive_key(&s, &u);
    let expected = claim_signature(&key, c.pool_name, c.user_id, c.secret_block, c.timestamp);
    subtle::ConstantTimeEq::ct_eq(expected.as_slice(), c.signature).into()
}

/// HKDF-SHA256 with salt u and input S, info "Caldera Derived Key", 16 bytes.
pub fn derive_key(s: &BigUint, u: &BigUint) -> [u8; 16] {
    let ikm = hex::decode(pad_hex(s)).expect("whole bytes");
    let salt = hex::decode(pad_hex(u)).expect("whole bytes");
    let mut extract = Hmac::<Sha256>::new_from_slice(&salt).expect("any key length");
    extract.update(&ikm);
    let prk = extract.finalize().into_bytes();
    let mut expand = Hmac::<Sha256>::new_from_slice(&prk).expect("any key length");
    expand.update(b"Caldera Derived Key\x01");
    let okm = expand.finalize().into_bytes();
    let mut key = [0u8; 16];
    key.copy_from_slice(&okm[..16]);
    key
}

pub fn claim_signature(
    key: &[u8],
    pool_name: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(pool_name.as_bytes());
    mac.update(user_id.as_bytes());
    mac.update(secret_block);
    mac.update(timestamp.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The client's side of the exchange, as amazon-cognito-identity-js computes it. Used by the
/// tests and the bench tool; a server never knows the password.
pub mod client {
    use super::*;

    /// A random a and A = g^a, as hex.
    pub fn ephemeral() -> (String, String) {
        let grp = group();
        let mut bytes = [0u8; 128];
        rand::thread_rng().fill_bytes(&mut bytes);
        let a = BigUint::from_bytes_be(&bytes) % &grp.n;
        (pad_hex(&a), pad_hex(&grp.g.modpow(&a, &grp.n)))
    }

    /// The base64 PASSWORD_CLAIM_SIGNATURE answering a PASSWORD_VERIFIER (or
    /// DEVICE_PASSWORD_VERIFIER) challenge's SRP_B, SALT and SECRET_BLOCK at `timestamp`.
    pub fn claim(
        pool_name: &str,
        user_id: &str,
        password: &str,
        (a_hex, big_a_hex): (&str, &str),
        challenge: &std::collections::HashMap<String, String>,
        timestamp: &str,
    ) -> String {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        let block = b64.decode(&challenge["SECRET_BLOCK"]).unwrap_or_default();
        let sig = signature(
            pool_name,
            user_id,
            password,
            a_hex,
            big_a_hex,
            &challenge["SRP_B"],
            &challenge["SALT"],
            &block,
            timestamp,
        );
        b64.encode(sig)
    }

    /// The PASSWORD_CLAIM_SIGNATURE for the server's challenge parameters.
    #[allow(clippy::too_many_arguments)]
    pub fn signature(
        pool_name: &str,
        user_id: &str,
        password: &str,
        a_hex: &str,
        big_a_hex: &str,
        big_b_hex: &str,
        salt_hex: &str,
        secret_block: &[u8],
        timestamp: &str,
    ) -> Vec<u8> {
        let grp = group();
        let a = from_hex(a_hex).unwrap();
        let big_a = from_hex(big_a_hex).unwrap();
        let big_b = from_hex(big_b_hex).unwrap();
        let salt = from_hex(salt_hex).unwrap();
        let u = hex_hash(&format!("{}{}", pad_hex(&big_a), pad_hex(&big_b)));
        let x = private_key(pool_name, user_id, password, &salt);
        let gx = grp.g.modpow(&x, &grp.n);
        let kgx = (&grp.k * gx) % &grp.n;
        // (B - k·g^x) mod N, kept non-negative.
        let base = ((&big_b + &grp.n) - kgx) % &grp.n;
        let s = base.modpow(&(a + u.clone() * x), &grp.n);
        let key = derive_key(&s, &u);
        claim_signature(&key, pool_name, user_id, secret_block, timestamp)
    }
}

/// Cognito's TIMESTAMP format: `Tue Nov 5 08:01:02 UTC 2024` (day not padded).
pub fn format_timestamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%a %b %-d %H:%M:%S UTC %Y").to_string()
}

pub fn parse_timestamp(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::NaiveDateTime::parse_from_str(s, "%a %b %e %H:%M:%S UTC %Y")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pad_hex_follows_java_big_integer() {
        assert_eq!(pad_hex(&BigUint::from(2u32)), "02");
        assert_eq!(pad_hex(&BigUint::from(0x80u32)), "0080");
        assert_eq!(pad_hex(&BigUint::from(0x7fu32)), "7f");
        assert_eq!(pad_hex(&BigUint::from(0x123u32)), "0123");
    }

    #[test]
    fn k_is_cognitos_multiplier() {
        // k = H(00 N | 02) as amazon-cognito-identity-js computes it.
        assert_eq!(
            format!("{:064x}", group().k),
            "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
        );
    }

    #[test]
    fn a_client_with_the_password_is_accepted_and_others_are_not() {
        let (pool, user) = ("AbCdEfGhI", "alice");
        let (salt, verifier) = make_verifier(pool, user, "Passw0rd!");
        let (b, big_b) = server_ephemeral(&verifier).unwrap();
        let (a, big_a) = client::ephemeral();
        let block = b"secret block";
        let ts = format_timestamp(chrono::Utc::now());
        let sign =
            |pw: &str| client::signature(pool, user, pw, &a, &big_a, &big_b, &salt, block, &ts);
        let good = sign("Passw0rd!");
        let claim = |sig: &[u8], srp_a: &str| {
            verify_claim(&Claim {
                pool_name: pool,
                user_id: user,
                verifier: &verifier,
                b: &b,
                big_b: &big_b,
                srp_a,
                secret_block: block,
                timestamp: &ts,
                signature: sig,
            })
        };
        assert!(claim(&good, &big_a));
        assert!(!claim(&sign("wrong"), &big_a));
        assert!(!claim(&good, "00"));
        assert!(!claim(&good, N_HEX));
        assert!(!claim(&good, "zz"));
    }

    #[test]
    fn timestamps_round_trip() {
        let t = chrono::DateTime::parse_from_rfc3339("2024-11-05T08:01:02Z")
            .unwrap()
            .to_utc();
        assert_eq!(format_timestamp(t), "Tue Nov 5 08:01:02 UTC 2024");
        assert_eq!(parse_timestamp("Tue Nov 5 08:01:02 UTC 2024"), Some(t));
        assert_eq!(
            parse_timestamp("Fri Nov 15 08:01:02 UTC 2024")
                .unwrap()
                .format("%d")
                .to_string(),
            "15"
        );
        assert_eq!(parse_timestamp("yesterday"), None);
    }
}
