//! Per-pool RSA-2048 signing keys: generation, the in-memory cache, and the public keys.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use aws_lc_rs::signature::{
    ParsedPublicKey, RsaKeyPair, RsaPublicKeyComponents, RSA_PKCS1_2048_8192_SHA256,
    RSA_PKCS1_SHA256,
};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rsa::pkcs1::EncodeRsaPublicKey;
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use sha2::{Digest, Sha256};

use crate::service::kernel::crypto;
use crate::service::kernel::jws::Jws;
use crate::service::{blocking, Error, Result, State};
use crate::store::keys::{self as key_store, PublicKeyRow, SigningKeyRow};

pub const ID_TOKEN: &str = "id";
pub const ACCESS_TOKEN: &str = "access";

/// A key ready to sign with: the RSA key pair parsed once (parsing and checking a 2048-bit
/// key costs more than a signature), and the token header it signs under, encoded once.
pub struct SigningKey {
    pub kid: String,
    key_pair: RsaKeyPair,
    /// base64url of the JOSE header `{"typ":"JWT","alg":"RS256","kid":...}`.
    header_b64: String,
}

impl SigningKey {
    /// A compact RS256 JWS of `claims`. CPU-heavy (one RSA private-key operation): call it off
    /// the async workers.
    pub fn sign<T: serde::Serialize>(&self, claims: &T) -> anyhow::Result<String> {
        let payload = serde_json::to_vec(claims)?;
        let mut token = String::with_capacity(self.header_b64.len() + payload.len() * 4 / 3 + 360);
        token.push_str(&self.header_b64);
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(&payload, &mut token);
        let mut signature = vec![0u8; self.key_pair.public_modulus_len()];
        self.key_pair
            .sign(
                &RSA_PKCS1_SHA256,
                &aws_lc_rs::rand::SystemRandom::new(),
                token.as_bytes(),
                &mut signature,
            )
            .map_err(|_| anyhow::anyhow!("RSA signing failed with key {}", self.kid))?;
        token.push('.');
        URL_SAFE_NO_PAD.encode_string(&signature, &mut token);
        Ok(token)
    }
}

/// The two signing keys of one pool.
pub struct PoolKeys {
    pub id: SigningKey,
    pub access: SigningKey,
    /// A secret of the pool's own, derived from its first key: see [`decoy_secret`].
    decoy_secret: String,
}

/// A key ready to verify with: the RSA public key parsed once, as the signing key is.
pub struct VerifyingKey {
    pub pool_id: String,
    pub token_use: String,
    public: ParsedPublicKey,
}

impl VerifyingKey {
    /// Whether this key made `jws`'s RS256 signature. One RSA public-key operation (tens of
    /// microseconds), cheap enough for an async worker.
    pub fn signed(&self, jws: &Jws) -> bool {
        jws.alg == "RS256"
            && self
                .public
                .verify_sig(jws.signing_input.as_bytes(), &jws.signature)
                .is_ok()
    }
}

/// Parsed keys, by pool and by kid. Keys never change once made, so every instance may cache
/// them for as long as it likes.
#[derive(Default)]
pub struct KeyCache {
    by_pool: RwLock<HashMap<String, Arc<PoolKeys>>>,
    by_kid: RwLock<HashMap<String, Arc<VerifyingKey>>>,
    /// The public keys of each pool, as the JWKS document lists them.
    public: RwLock<HashMap<String, Arc<Vec<PublicKey>>>>,
}

/// Generates a new RSA-2048 key for `pool_id`. CPU-heavy: runs on the blocking pool.
pub async fn generate(pool_id: &str, token_use: &str, now: i64) -> Result<SigningKeyRow> {
    let (pool_id, token_use) = (pool_id.to_string(), token_use.to_string());
    blocking(move || -> anyhow::Result<SigningKeyRow> {
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), 2048)?;
        let public_der = key.to_public_key().to_pkcs1_der()?;
        let kid = STANDARD.encode(Sha256::digest(public_der.as_bytes()));
        Ok(SigningKeyRow {
            kid,
            pool_id,
            token_use,
            private_key_pem: key.to_pkcs8_pem(LineEnding::LF)?.to_string(),
            modulus: URL_SAFE_NO_PAD.encode(key.n().to_bytes_be()),
            exponent: URL_SAFE_NO_PAD.encode(key.e().to_bytes_be()),
            created_at: now,
        })
    })
    .await?
    .map_err(Error::Internal)
}

fn signing_key(row: &SigningKeyRow) -> Result<SigningKey> {
    let fault =
        |e: &dyn std::fmt::Display| Error::Internal(anyhow::anyhow!("stored key {}: {e}", row.kid));
    let (_, der) =
        rsa::pkcs8::SecretDocument::from_pem(&row.private_key_pem).map_err(|e| fault(&e))?;
    let key_pair = RsaKeyPair::from_pkcs8(der.as_bytes()).map_err(|e| fault(&e))?;
    let header = jsonwebtoken::Header {
        kid: Some(row.kid.clone()),
        ..jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256)
    };
    let header = serde_json::to_vec(&header).map_err(|e| fault(&e))?;
    Ok(SigningKey {
        kid: row.kid.clone(),
        key_pair,
        header_b64: URL_SAFE_NO_PAD.encode(header),
    })
}

/// The pool's current signing keys (the newest of each use).
pub async fn for_pool(state: &State, pool_id: &str) -> Result<Arc<PoolKeys>> {
    if let Some(keys) = state.keys.by_pool.read().unwrap().get(pool_id) {
        return Ok(keys.clone());
    }
    let rows = key_store::find_by_pool(&state.db, pool_id).await?;
    let newest = |use_: &str| {
        rows.iter()
            .rev()
            .find(|r| r.token_use == use_)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("pool {pool_id} has no {use_} key")))
    };
    let (id_row, access_row) = (newest(ID_TOKEN)?.clone(), newest(ACCESS_TOKEN)?.clone());
    let decoy_secret = crypto::sha256_hex("decoy-secret", &rows[0].private_key_pem);
    let keys = blocking(move || -> Result<PoolKeys> {
        Ok(PoolKeys {
            id: signing_key(&id_row)?,
            access: signing_key(&access_row)?,
            decoy_secret,
        })
    })
    .await??;
    let keys = Arc::new(keys);
    state
        .keys
        .by_pool
        .write()
        .unwrap()
        .insert(pool_id.to_string(), keys.clone());
    Ok(keys)
}

/// The key with id `kid`, if it belongs to `pool_id`.
pub async fn verifying_key(
    state: &State,
    pool_id: &str,
    kid: &str,
) -> Result<Option<Arc<VerifyingKey>>> {
    let cached = state.keys.by_kid.read().unwrap().get(kid).cloned();
    if let Some(key) = cached {
        return Ok((key.pool_id == pool_id).then_some(key));
    }
    let Some(row) = key_store::find_public(&state.db, pool_id, kid).await? else {
        return Ok(None);
    };
    let key = Arc::new(VerifyingKey {
        public: parsed_public_key(&row)?,
        pool_id: row.pool_id,
        token_use: row.token_use,
    });
    state
        .keys
        .by_kid
        .write()
        .unwrap()
        .insert(kid.to_string(), key.clone());
    Ok(Some(key))
}

fn parsed_public_key(row: &PublicKeyRow) -> Result<ParsedPublicKey> {
    let fault = |e: &dyn std::fmt::Display| {
        Error::Internal(anyhow::anyhow!("stored public key {}: {e}", row.kid))
    };
    let n = URL_SAFE_NO_PAD
        .decode(&row.modulus)
        .map_err(|e| fault(&e))?;
    let e = URL_SAFE_NO_PAD
        .decode(&row.exponent)
        .map_err(|e| fault(&e))?;
    RsaPublicKeyComponents { n, e }
        .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
        .map_err(|e| fault(&e))
}

/// Forgets a deleted pool's keys.
pub fn evict(state: &State, pool_id: &str) {
    state.keys.by_pool.write().unwrap().remove(pool_id);
    state
        .keys
        .by_kid
        .write()
        .unwrap()
        .retain(|_, k| k.pool_id != pool_id);
    state.keys.public.write().unwrap().remove(pool_id);
}

/// A public signing key, as the JWKS document shows it (modulus and exponent base64url).
#[derive(Debug, Clone)]
pub struct PublicKey {
    pub kid: String,
    pub modulus: String,
    pub exponent: String,
}

/// The pool's public keys; `None` when the pool does not exist (every pool has keys from
/// its creation on). Cached like the signing keys: a pool's keys never change.
pub async fn public_keys(state: &State, pool_id: &str) -> Result<Option<Arc<Vec<PublicKey>>>> {
    if let Some(keys) = state.keys.public.read().unwrap().get(pool_id) {
        return Ok(Some(keys.clone()));
    }
    let rows = key_store::find_public_by_pool(&state.db, pool_id).await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let keys: Arc<Vec<PublicKey>> = Arc::new(
        rows.into_iter()
            .map(|row| PublicKey {
                kid: row.kid,
                modulus: row.modulus,
                exponent: row.exponent,
            })
            .collect(),
    );
    state
        .keys
        .public
        .write()
        .unwrap()
        .insert(pool_id.to_string(), keys.clone());
    Ok(Some(keys))
}

/// A secret of the pool's own, for values that must be stable per pool yet unguessable
/// (the salts of SRP decoys). A pool always has keys; one without is a fault.
pub async fn decoy_secret(state: &State, pool_id: &str) -> Result<String> {
    // From the cached keys: a decoy must cost no more than a real user's challenge does.
    Ok(for_pool(state, pool_id).await?.decoy_secret.clone())
}
