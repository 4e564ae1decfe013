//! What the cryptography of each row costs by itself on one core, measured in the bench's
//! own process (pinned to core 1, idle otherwise), with the same crates and parameters the
//! server uses: the floor under each row's CPU per operation.

use std::time::Instant;

use aws_lc_rs::signature::{
    KeyPair, ParsedPublicKey, RsaKeyPair, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256,
};
use cognate::config::Argon2Params;
use cognate::service::kernel::{crypto, srp};
use rsa::pkcs8::EncodePrivateKey;

/// Mean wall time of `f` over `n` runs on this (pinned, otherwise idle) core, in µs.
fn mean_us(n: usize, mut f: impl FnMut()) -> f64 {
    f();
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_secs_f64() * 1e6 / n as f64
}

/// Markdown lines: one argon2id hash, one SRP verifier and one server ephemeral, one RS256
/// signature and one RS256 verification (aws-lc-rs, keys parsed once).
pub fn lines() -> Vec<String> {
    let params = Argon2Params::default();
    let argon2 = mean_us(10, || {
        crypto::hash_password(params, "Bench-passw0rd!").unwrap();
    });
    let verifier = mean_us(10, || {
        srp::make_verifier("bench", "user", "Bench-passw0rd!");
    });
    let (_, v) = srp::make_verifier("bench", "user", "Bench-passw0rd!");
    let ephemeral = mean_us(20, || {
        srp::server_ephemeral(&v).unwrap();
    });

    let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).unwrap();
    let der = key.to_pkcs8_der().unwrap();
    let pair = RsaKeyPair::from_pkcs8(der.as_bytes()).unwrap();
    let message = [b'x'; 900];
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let mut signature = vec![0u8; pair.public_modulus_len()];
    let sign = mean_us(500, || {
        pair.sign(&RSA_PKCS1_SHA256, &rng, &message, &mut signature)
            .unwrap();
    });
    // The verification as the server does it: the public key parsed once, the signature
    // checked over the signed bytes.
    let public = pair.public_key().as_ref().to_vec();
    let public = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public).unwrap();
    let verify = mean_us(2000, || {
        public.verify_sig(&message, &signature).unwrap();
    });
    let ms = |us: f64| format!("{:.1} ms", us / 1000.0);
    vec![
        format!(
            "| one argon2id hash (m={} KiB, t={}, p=1) | {} |",
            params.memory_kib,
            params.iterations,
            ms(argon2)
        ),
        format!(
            "| one SRP verifier (3072-bit, on sign-up) | {} |",
            ms(verifier)
        ),
        format!(
            "| one SRP server ephemeral (B = kv + g^b) | {} |",
            ms(ephemeral)
        ),
        format!("| one RS256 signature (aws-lc-rs, key parsed once) | {sign:.0} µs |"),
        format!("| one RS256 verification (aws-lc-rs, key parsed once) | {verify:.0} µs |"),
    ]
}
