//! RSA signing keys, one for ID tokens and one for access tokens per pool.

use sqlx::FromRow;

use super::{Db, Result, Tx};

#[derive(Debug, Clone, FromRow)]
pub struct SigningKeyRow {
    pub kid: String,
    pub pool_id: String,
    pub token_use: String,
    pub private_key_pem: String,
    pub modulus: String,
    pub exponent: String,
    pub created_at: i64,
}

pub(crate) async fn insert(tx: &mut Tx, key: &SigningKeyRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO signing_keys (kid, pool_id, token_use, private_key_pem, modulus, exponent, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&key.kid)
    .bind(&key.pool_id)
    .bind(&key.token_use)
    .bind(&key.private_key_pem)
    .bind(&key.modulus)
    .bind(&key.exponent)
    .bind(key.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// All of a pool's keys, oldest first.
pub async fn find_by_pool(db: &Db, pool_id: &str) -> Result<Vec<SigningKeyRow>> {
    Ok(sqlx::query_as(
        "SELECT kid, pool_id, token_use, private_key_pem, modulus, exponent, created_at \
         FROM signing_keys WHERE pool_id = $1 ORDER BY created_at, kid",
    )
    .bind(pool_id)
    .fetch_all(db.pool())
    .await?)
}
