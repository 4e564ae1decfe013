//! CustomEmailSender and CustomSMSSender (`LambdaConfig.CustomEmailSender` /
//! `CustomSMSSender`, `{LambdaVersion: V1_0, LambdaArn}`): the pool's own function delivers
//! the code, and Cognate sends nothing itself. Cognito encrypts the code with the AWS
//! Encryption SDK under the pool's KMSKeyID; AWS KMS is not here, so Cognate encrypts it
//! with a key of its own, derived from the master key for each pool:
//!
//! - key: 32 bytes, [`sender_key`] (fetch it in local mode at `GET /_dev/sender-key/{poolId}`);
//! - `request.code`: base64 (standard, padded) of `nonce (12 bytes) || ciphertext || tag
//!   (16 bytes)`, ChaCha20-Poly1305 as RFC 8439 defines it, no associated data; the
//!   plaintext is the code (or, for AdminCreateUser, the temporary password) in UTF-8.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::ChaCha20Poly1305;
use serde::Serialize;

use super::events::{Attributes, Metadata, NoResponse};
use super::messages::{Call, MessageSource};
use super::{call, configured, Context, Trigger};
use crate::service::outbound::messaging::{mask, Delivered, Medium, Message};
use crate::service::{Result, State};
use crate::store::pools::PoolRecord;

/// The sender the pool has for `medium`, if any.
pub fn sender_for(pool: &PoolRecord, medium: Medium) -> Option<Trigger> {
    let trigger = match medium {
        Medium::Email => Trigger::CustomEmailSender,
        Medium::Sms => Trigger::CustomSMSSender,
    };
    configured(pool, trigger).then_some(trigger)
}

/// The key the pool's sender functions decrypt codes with.
pub fn sender_key(state: &State, pool_id: &str) -> [u8; 32] {
    state
        .db
        .sealer()
        .derive_key(&format!("cognate custom sender key:{pool_id}"))
}

/// `code` encrypted under `key`, in the layout the module documents.
pub fn encrypt(key: &[u8; 32], code: &str) -> String {
    let cipher = ChaCha20Poly1305::new(key.into());
    let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = cipher
        .encrypt(&nonce, code.as_bytes())
        .expect("ChaCha20-Poly1305 encrypts any message that fits in memory");
    let mut bytes = nonce.to_vec();
    bytes.extend_from_slice(&sealed);
    STANDARD.encode(bytes)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SenderRequest<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    code: Option<String>,
    client_metadata: &'a Metadata,
    user_attributes: &'a Attributes,
}

/// Hands `m` to the pool's `trigger` instead of delivering it.
pub async fn send(
    state: &State,
    (pool, attributes): (&PoolRecord, &Attributes),
    (trigger, source): (Trigger, MessageSource),
    call_of: Call<'_>,
    m: &Message<'_>,
) -> Result<Delivered> {
    let (kind, prefix) = match trigger {
        Trigger::CustomSMSSender => ("customSMSSenderRequestV1", "CustomSMSSender"),
        _ => ("customEmailSenderRequestV1", "CustomEmailSender"),
    };
    let key = sender_key(state, &pool.id);
    let request = SenderRequest {
        kind,
        code: m.code.map(|c| encrypt(&key, c)),
        client_metadata: call_of.metadata,
        user_attributes: attributes,
    };
    let ctx = Context {
        pool,
        client_id: call_of.client_id,
        user_name: m.username,
        client_metadata: call_of.metadata,
    };
    let source = format!("{prefix}_{}", source.suffix());
    let _: Option<NoResponse> = call(state, trigger, &source, &ctx, request, NoResponse {}).await?;
    Ok(Delivered {
        medium: m.medium,
        destination: mask(m.medium, m.destination),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_open_with_the_documented_layout() {
        let key = [7u8; 32];
        let sealed = STANDARD.decode(encrypt(&key, "123456")).unwrap();
        assert_eq!(sealed.len(), 12 + 6 + 16);
        let (nonce, body) = sealed.split_at(12);
        let cipher = ChaCha20Poly1305::new(&key.into());
        let plain = cipher.decrypt(nonce.into(), body).unwrap();
        assert_eq!(plain, b"123456");
        assert_ne!(
            encrypt(&key, "123456"),
            encrypt(&key, "123456"),
            "fresh nonces"
        );
    }
}
