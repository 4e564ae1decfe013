//! RSA signing keys, one for ID tokens and one for access tokens per pool.

use sqlx::FromRow;

use super::sealed::SIGNING_KEY;
use super::{Db, Result, Tx};

#[derive(Clone, FromRow)]
pub struct SigningKeyRow {
    pub kid: String,
    pub pool_id: String,
    pub token_use: String,
    pub private_key_pem: String,
    pub modulus: String,
    pub exponent: String,
    pub created_at: i64,
}

/// Leaves the private key out.
impl std::fmt::Debug for SigningKeyRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKeyRow")
            .field("kid", &self.kid)
            .field("pool_id", &self.pool_id)
            .field("token_use", &self.token_use)
            .finish_non_exhaustive()
    }
}

/// Stores the key, its private half sealed.
pub(crate) async fn insert(db: &Db, tx: &mut Tx, key: &SigningKeyRow) -> Result<()> {
    let sealed = SIGNING_KEY.seal(db.sealer(), &[&key.kid], &key.private_key_pem);
    sqlx::query(
        "INSERT INTO signing_keys (kid, pool_id, token_use, private_key_pem, modulus, exponent, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&key.kid)
    .bind(&key.pool_id)
    .bind(&key.token_use)
    .bind(sealed)
    .bind(&key.modulus)
    .bind(&key.exponent)
    .bind(key.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// All of a pool's keys, oldest first, their private halves opened.
pub async fn find_by_pool(db: &Db, pool_id: &str) -> Result<Vec<SigningKeyRow>> {
    let rows: Vec<SigningKeyRow> = sqlx::query_as(
        "SELECT kid, pool_id, token_use, private_key_pem, modulus, exponent, created_at \
         FROM signing_keys WHERE pool_id = $1 ORDER BY created_at, kid",
    )
    .bind(pool_id)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter()
        .map(|mut row| {
            row.private_key_pem =
                SIGNING_KEY.open(db.sealer(), &[&row.kid], &row.private_key_pem)?;
            Ok(row)
        })
        .collect()
}

/// The columns of [`PublicKeyRow`].
const PUBLIC_COLUMNS: &str = "kid, pool_id, token_use, modulus, exponent";

/// A pool's public keys, oldest first; nothing to open.
pub async fn find_public_by_pool(db: &Db, pool_id: &str) -> Result<Vec<PublicKeyRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {PUBLIC_COLUMNS} FROM signing_keys WHERE pool_id = $1 ORDER BY created_at, kid"
    ))
    .bind(pool_id)
    .fetch_all(db.pool())
    .await?)
}

/// The public half of key `kid` of `pool_id`, if there is one: what verifying a token needs,
/// its private half left sealed.
pub async fn find_public(db: &Db, pool_id: &str, kid: &str) -> Result<Option<PublicKeyRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {PUBLIC_COLUMNS} FROM signing_keys WHERE kid = $1 AND pool_id = $2"
    ))
    .bind(kid)
    .bind(pool_id)
    .fetch_optional(db.pool())
    .await?)
}

/// A signing key without its private half.
#[derive(Debug, Clone, FromRow)]
pub struct PublicKeyRow {
    pub kid: String,
    pub pool_id: String,
    pub token_use: String,
    pub modulus: String,
    pub exponent: String,
}
