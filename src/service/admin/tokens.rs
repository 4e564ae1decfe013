//! The REST admin API's bearer tokens: made by `cognate admin-token create --name ...`, shown
//! once, stored as their SHA-256 only, revoked by name.

use crate::service::kernel::{crypto, ids};
use crate::service::{fail, now_ms, Exception, Result};
use crate::store::admin_tokens::{self as store, TokenRow};
use crate::store::{Db, StoreError};

/// Every token starts so, so that secret scanners and people can tell one.
pub const PREFIX: &str = "cgt_";

/// The hash a token is stored and looked up by; the token is 32 random bytes, so a plain
/// SHA-256 is as strong as a slow hash would be.
fn digest(token: &str) -> String {
    crypto::sha256_hex("cognate-admin-token", token)
}

/// Makes a token named `name`; the token itself, to show once.
pub async fn create(db: &Db, name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.len() > 128 || name.chars().any(char::is_control) {
        return fail(
            Exception::InvalidParameter,
            "A token's name is 1 to 128 printable characters.",
        );
    }
    let token = format!("{PREFIX}{}", crypto::random_token(32));
    match store::insert(db, &ids::uuid(), name, &digest(&token), now_ms()).await {
        Ok(()) => Ok(token),
        Err(StoreError::Conflict(_)) => fail(
            Exception::InvalidParameter,
            format!("A token named {name:?} exists already."),
        ),
        Err(e) => Err(e.into()),
    }
}

/// The name of the token `token`, if it is one that has not been revoked.
pub async fn authenticate(db: &Db, token: &str) -> Result<Option<String>> {
    if !token.starts_with(PREFIX) {
        return Ok(None);
    }
    Ok(store::find_by_hash(db, &digest(token), now_ms()).await?)
}

pub async fn list(db: &Db) -> Result<Vec<TokenRow>> {
    Ok(store::list(db).await?)
}

/// Revokes the token named `name`.
pub async fn revoke(db: &Db, name: &str) -> Result<()> {
    if store::delete_by_name(db, name).await? {
        return Ok(());
    }
    fail(
        Exception::ResourceNotFound,
        format!("No admin token is named {name:?}."),
    )
}
