//! IAM roles and their inline policies, the temporary credentials issued for them, and the
//! key that signs identity pools' OpenID tokens.

use sqlx::{FromRow, Row};

use super::sealed::{OPENID_KEY, TEMP_SECRET};
use super::{Db, Result};

#[derive(Debug, Clone, FromRow)]
pub struct RoleRecord {
    pub name: String,
    pub role_id: String,
    pub path: String,
    pub trust_policy: String,
    pub description: Option<String>,
    pub max_session_duration: i64,
    pub created_at: i64,
}

const ROLE_COLUMNS: &str =
    "name, role_id, path, trust_policy, description, max_session_duration, created_at";

pub async fn insert_role(db: &Db, r: &RoleRecord) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO iam_roles ({ROLE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    ))
    .bind(&r.name)
    .bind(&r.role_id)
    .bind(&r.path)
    .bind(&r.trust_policy)
    .bind(&r.description)
    .bind(r.max_session_duration)
    .bind(r.created_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn find_role(db: &Db, name: &str) -> Result<Option<RoleRecord>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ROLE_COLUMNS} FROM iam_roles WHERE name = $1"
    ))
    .bind(name)
    .fetch_optional(db.pool())
    .await?)
}

/// Roles in name order, after `after`.
pub async fn list_roles(db: &Db, after: &str, limit: i64) -> Result<Vec<RoleRecord>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {ROLE_COLUMNS} FROM iam_roles WHERE name > $1 ORDER BY name LIMIT $2"
    ))
    .bind(after)
    .bind(limit)
    .fetch_all(db.pool())
    .await?)
}

pub async fn update_trust_policy(db: &Db, name: &str, document: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE iam_roles SET trust_policy = $2 WHERE name = $1")
        .bind(name)
        .bind(document)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn count_policies(db: &Db, role: &str) -> Result<i64> {
    let row = sqlx::query("SELECT COUNT(*) FROM iam_role_policies WHERE role_name = $1")
        .bind(role)
        .fetch_one(db.pool())
        .await?;
    Ok(row.get::<i64, _>(0))
}

pub async fn delete_role(db: &Db, name: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM iam_roles WHERE name = $1")
        .bind(name)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn put_policy(db: &Db, role: &str, name: &str, document: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO iam_role_policies (role_name, policy_name, document) VALUES ($1, $2, $3) \
         ON CONFLICT (role_name, policy_name) DO UPDATE SET document = excluded.document",
    )
    .bind(role)
    .bind(name)
    .bind(document)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn find_policy(db: &Db, role: &str, name: &str) -> Result<Option<String>> {
    let row = sqlx::query(
        "SELECT document FROM iam_role_policies WHERE role_name = $1 AND policy_name = $2",
    )
    .bind(role)
    .bind(name)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|r| r.get::<String, _>(0)))
}

/// Every inline policy of a role, by name: (name, document).
pub async fn policies_of(db: &Db, role: &str) -> Result<Vec<(String, String)>> {
    let rows = sqlx::query(
        "SELECT policy_name, document FROM iam_role_policies WHERE role_name = $1 \
         ORDER BY policy_name",
    )
    .bind(role)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
        .collect())
}

pub async fn delete_policy(db: &Db, role: &str, name: &str) -> Result<bool> {
    let done =
        sqlx::query("DELETE FROM iam_role_policies WHERE role_name = $1 AND policy_name = $2")
            .bind(role)
            .bind(name)
            .execute(db.pool())
            .await?;
    Ok(done.rows_affected() > 0)
}

/// Temporary credentials; `secret_key` is the plaintext here and sealed in the table.
#[derive(Clone)]
pub struct TempCredentialRecord {
    pub access_key_id: String,
    pub secret_key: String,
    pub token_hash: String,
    pub role_arn: String,
    pub session_name: String,
    /// JSON: what the policies' variables and conditions read (claims of the identity).
    pub context: String,
    pub expires_at: i64,
    pub created_at: i64,
}

impl std::fmt::Debug for TempCredentialRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TempCredentialRecord")
            .field("access_key_id", &self.access_key_id)
            .field("role_arn", &self.role_arn)
            .finish_non_exhaustive()
    }
}

pub async fn insert_credential(db: &Db, c: &TempCredentialRecord) -> Result<()> {
    let sealed = TEMP_SECRET.seal(db.sealer(), &[&c.access_key_id], &c.secret_key);
    sqlx::query(
        "INSERT INTO temp_credentials (access_key_id, secret_key, token_hash, role_arn, \
         session_name, context, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&c.access_key_id)
    .bind(sealed)
    .bind(&c.token_hash)
    .bind(&c.role_arn)
    .bind(&c.session_name)
    .bind(&c.context)
    .bind(c.expires_at)
    .bind(c.created_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn find_credential(db: &Db, access_key_id: &str) -> Result<Option<TempCredentialRecord>> {
    let row = sqlx::query(
        "SELECT access_key_id, secret_key, token_hash, role_arn, session_name, context, \
         expires_at, created_at FROM temp_credentials WHERE access_key_id = $1",
    )
    .bind(access_key_id)
    .fetch_optional(db.pool())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let id: String = r.get(0);
    let secret_key = TEMP_SECRET.open(db.sealer(), &[&id], &r.get::<String, _>(1))?;
    Ok(Some(TempCredentialRecord {
        access_key_id: id,
        secret_key,
        token_hash: r.get(2),
        role_arn: r.get(3),
        session_name: r.get(4),
        context: r.get(5),
        expires_at: r.get(6),
        created_at: r.get(7),
    }))
}

/// The key that signs OpenID tokens: (kid, private PEM, modulus, exponent).
pub type OpenIdKey = (String, String, String, String);

pub async fn find_openid_key(db: &Db) -> Result<Option<OpenIdKey>> {
    let row = sqlx::query(
        "SELECT kid, private_key_pem, modulus, exponent FROM identity_signing_keys \
         ORDER BY created_at, kid LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let kid: String = r.get(0);
    let pem = OPENID_KEY.open(db.sealer(), &[&kid], &r.get::<String, _>(1))?;
    Ok(Some((kid, pem, r.get(2), r.get(3))))
}

/// Stores a key; instances racing to make the first one each keep the oldest.
pub async fn insert_openid_key(db: &Db, key: &OpenIdKey, now: i64) -> Result<()> {
    let sealed = OPENID_KEY.seal(db.sealer(), &[&key.0], &key.1);
    sqlx::query(
        "INSERT INTO identity_signing_keys (kid, private_key_pem, modulus, exponent, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kid) DO NOTHING",
    )
    .bind(&key.0)
    .bind(sealed)
    .bind(&key.2)
    .bind(&key.3)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}
