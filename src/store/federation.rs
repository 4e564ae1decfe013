//! Federation: a pool's identity providers (ProviderDetails sealed), the external identities
//! that sign in as its users, and sign-ins waiting at an upstream provider.

use std::collections::BTreeMap;

use sqlx::FromRow;

use super::sealed::{FEDERATION_VERIFIER, IDP_DETAILS};
use super::users::{self, UserRecord};
use super::{flag, Db, Result, StoreError};

/// An identity provider, its details opened.
#[derive(Debug, Clone)]
pub struct ProviderRecord {
    pub pool_id: String,
    pub name: String,
    pub provider_type: String,
    pub details: BTreeMap<String, String>,
    pub attribute_mapping: BTreeMap<String, String>,
    pub idp_identifiers: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(FromRow)]
struct ProviderRow {
    pool_id: String,
    name: String,
    provider_type: String,
    details: String,
    attribute_mapping: String,
    idp_identifiers: String,
    created_at: i64,
    updated_at: i64,
}

const PROVIDER_COLUMNS: &str = "pool_id, name, provider_type, details, attribute_mapping, \
     idp_identifiers, created_at, updated_at";

fn open(db: &Db, r: ProviderRow) -> Result<ProviderRecord> {
    let details = IDP_DETAILS.open(db.sealer(), &[&r.pool_id, &r.name], &r.details)?;
    Ok(ProviderRecord {
        details: serde_json::from_str(&details)?,
        attribute_mapping: serde_json::from_str(&r.attribute_mapping)?,
        idp_identifiers: serde_json::from_str(&r.idp_identifiers)?,
        pool_id: r.pool_id,
        name: r.name,
        provider_type: r.provider_type,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// Inserts a provider and claims its identifiers; `StoreError::Conflict` when the name or
/// an identifier is taken in the pool.
pub async fn insert_provider(db: &Db, p: &ProviderRecord) -> Result<()> {
    let mut tx = db.begin().await?;
    let details = serde_json::to_string(&p.details)?;
    sqlx::query(&format!(
        "INSERT INTO identity_providers ({PROVIDER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    ))
    .bind(&p.pool_id)
    .bind(&p.name)
    .bind(&p.provider_type)
    .bind(IDP_DETAILS.seal(db.sealer(), &[&p.pool_id, &p.name], &details))
    .bind(serde_json::to_string(&p.attribute_mapping)?)
    .bind(serde_json::to_string(&p.idp_identifiers)?)
    .bind(p.created_at)
    .bind(p.updated_at)
    .execute(&mut *tx)
    .await?;
    claim_identifiers(&mut tx, p).await?;
    tx.commit().await?;
    Ok(())
}

async fn claim_identifiers(tx: &mut super::Tx, p: &ProviderRecord) -> Result<()> {
    sqlx::query("DELETE FROM identity_provider_identifiers WHERE pool_id = $1 AND name = $2")
        .bind(&p.pool_id)
        .bind(&p.name)
        .execute(&mut **tx)
        .await?;
    for identifier in &p.idp_identifiers {
        sqlx::query(
            "INSERT INTO identity_provider_identifiers (pool_id, identifier, name) \
             VALUES ($1, $2, $3)",
        )
        .bind(&p.pool_id)
        .bind(identifier)
        .bind(&p.name)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Replaces a provider's details, mapping and identifiers.
pub async fn update_provider(db: &Db, p: &ProviderRecord) -> Result<()> {
    let mut tx = db.begin().await?;
    let details = serde_json::to_string(&p.details)?;
    sqlx::query(
        "UPDATE identity_providers SET details = $1, attribute_mapping = $2, \
         idp_identifiers = $3, updated_at = $4 WHERE pool_id = $5 AND name = $6",
    )
    .bind(IDP_DETAILS.seal(db.sealer(), &[&p.pool_id, &p.name], &details))
    .bind(serde_json::to_string(&p.attribute_mapping)?)
    .bind(serde_json::to_string(&p.idp_identifiers)?)
    .bind(p.updated_at)
    .bind(&p.pool_id)
    .bind(&p.name)
    .execute(&mut *tx)
    .await?;
    claim_identifiers(&mut tx, p).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn find_provider(db: &Db, pool_id: &str, name: &str) -> Result<Option<ProviderRecord>> {
    let row: Option<ProviderRow> = sqlx::query_as(&format!(
        "SELECT {PROVIDER_COLUMNS} FROM identity_providers WHERE pool_id = $1 AND name = $2"
    ))
    .bind(pool_id)
    .bind(name)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| open(db, r)).transpose()
}

/// The provider that claimed `identifier` in the pool.
pub async fn find_by_identifier(
    db: &Db,
    pool_id: &str,
    identifier: &str,
) -> Result<Option<ProviderRecord>> {
    let name: Option<(String,)> = sqlx::query_as(
        "SELECT name FROM identity_provider_identifiers WHERE pool_id = $1 AND identifier = $2",
    )
    .bind(pool_id)
    .bind(identifier)
    .fetch_optional(db.pool())
    .await?;
    match name {
        Some((name,)) => find_provider(db, pool_id, &name).await,
        None => Ok(None),
    }
}

/// Up to `limit` providers named after `after`, in name order.
pub async fn list_providers(
    db: &Db,
    pool_id: &str,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ProviderRecord>> {
    let rows: Vec<ProviderRow> = sqlx::query_as(&format!(
        "SELECT {PROVIDER_COLUMNS} FROM identity_providers WHERE pool_id = $1 AND name > $2 \
         ORDER BY name LIMIT $3"
    ))
    .bind(pool_id)
    .bind(after.unwrap_or_default())
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(|r| open(db, r)).collect()
}

pub async fn delete_provider(db: &Db, pool_id: &str, name: &str) -> Result<()> {
    sqlx::query("DELETE FROM identity_providers WHERE pool_id = $1 AND name = $2")
        .bind(pool_id)
        .bind(name)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// An external identity: who `subject` at `provider_name` signs in as. `linked` when an
/// administrator linked it to an existing user, rather than its own federated user.
#[derive(Debug, Clone, FromRow)]
pub struct LinkRow {
    pub pool_id: String,
    pub provider_name: String,
    pub subject: String,
    pub sub: String,
    pub linked: i64,
    pub created_at: i64,
}

const LINK_COLUMNS: &str = "pool_id, provider_name, subject, sub, linked, created_at";

pub async fn find_link(
    db: &Db,
    pool_id: &str,
    provider_name: &str,
    subject: &str,
) -> Result<Option<LinkRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {LINK_COLUMNS} FROM federated_identities \
         WHERE pool_id = $1 AND provider_name = $2 AND subject = $3"
    ))
    .bind(pool_id)
    .bind(provider_name)
    .bind(subject)
    .fetch_optional(db.pool())
    .await?)
}

/// The external identities of a user, oldest first.
pub async fn links_of(db: &Db, pool_id: &str, sub: &str) -> Result<Vec<LinkRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {LINK_COLUMNS} FROM federated_identities WHERE pool_id = $1 AND sub = $2 \
         ORDER BY created_at, provider_name"
    ))
    .bind(pool_id)
    .bind(sub)
    .fetch_all(db.pool())
    .await?)
}

async fn insert_link_in(tx: &mut super::Tx, l: &LinkRow) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO federated_identities ({LINK_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"
    ))
    .bind(&l.pool_id)
    .bind(&l.provider_name)
    .bind(&l.subject)
    .bind(&l.sub)
    .bind(l.linked)
    .bind(l.created_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Creates a federated user and its external identity together; `StoreError::Conflict`
/// when either exists already (a concurrent first sign-in won).
pub async fn insert_federated_user(db: &Db, user: &UserRecord, link: &LinkRow) -> Result<()> {
    let mut tx = db.begin().await?;
    users::insert_in(&mut tx, user).await?;
    insert_link_in(&mut tx, link).await?;
    join_provider_group(&mut tx, user, &link.provider_name).await?;
    tx.commit().await?;
    Ok(())
}

/// Cognito puts every user a provider created into the group `{poolId}_{ProviderName}`,
/// made the first time it is needed; its name then shows in `cognito:groups`.
async fn join_provider_group(tx: &mut super::Tx, user: &UserRecord, provider: &str) -> Result<()> {
    let group = format!("{}_{provider}", user.pool_id);
    let description = format!("Autogenerated group for users who sign in using {provider}");
    sqlx::query(
        "INSERT INTO user_groups (pool_id, name, description, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) ON CONFLICT (pool_id, name) DO NOTHING",
    )
    .bind(&user.pool_id)
    .bind(&group)
    .bind(&description)
    .bind(user.created_at)
    .execute(&mut **tx)
    .await?;
    let member = (user.sub.as_str(), user.username_key.as_str());
    super::groups::add_member_with(&mut **tx, &user.pool_id, &group, member, user.created_at)
        .await?;
    Ok(())
}

/// Links an external identity to an existing user, whose attributes (the `identities`
/// list) are rewritten in the same transaction.
pub async fn insert_link(db: &Db, link: &LinkRow, user: &UserRecord) -> Result<()> {
    let mut tx = db.begin().await?;
    insert_link_in(&mut tx, link).await?;
    write_attributes(&mut tx, user).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes an external identity; with `user`, rewrites that user's attributes with it.
pub async fn delete_link(db: &Db, link: &LinkRow, user: Option<&UserRecord>) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "DELETE FROM federated_identities WHERE pool_id = $1 AND provider_name = $2 \
         AND subject = $3",
    )
    .bind(&link.pool_id)
    .bind(&link.provider_name)
    .bind(&link.subject)
    .execute(&mut *tx)
    .await?;
    if let Some(user) = user {
        write_attributes(&mut tx, user).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn write_attributes(tx: &mut super::Tx, user: &UserRecord) -> Result<()> {
    sqlx::query(
        "UPDATE users SET attributes = $1, enabled = $2, updated_at = $3 \
         WHERE pool_id = $4 AND sub = $5",
    )
    .bind(serde_json::to_string(&user.attributes)?)
    .bind(flag(user.enabled))
    .bind(user.updated_at)
    .bind(&user.pool_id)
    .bind(&user.sub)
    .execute(&mut **tx)
    .await?;
    users::reindex(tx, user).await
}

/// Rewrites a returning federated user's attributes (their provider's current values).
pub async fn update_federated_user(db: &Db, user: &UserRecord) -> Result<()> {
    let mut tx = db.begin().await?;
    write_attributes(&mut tx, user).await?;
    tx.commit().await?;
    Ok(())
}

/// A sign-in sent to an upstream provider, found again by the hash of its `state`.
#[derive(Debug, Clone)]
pub struct StateRecord {
    pub id: String,
    pub pool_id: String,
    pub provider_name: String,
    pub request_doc: String,
    pub nonce: String,
    /// The PKCE verifier, opened.
    pub verifier: Option<String>,
    pub expires_at: i64,
    pub created_at: i64,
}

#[derive(FromRow)]
struct StateRow {
    id: String,
    pool_id: String,
    provider_name: String,
    request_doc: String,
    nonce: String,
    verifier: Option<String>,
    expires_at: i64,
    created_at: i64,
}

pub async fn insert_state(db: &Db, s: &StateRecord) -> Result<()> {
    let verifier = s
        .verifier
        .as_deref()
        .map(|v| FEDERATION_VERIFIER.seal(db.sealer(), &[&s.id], v));
    sqlx::query(
        "INSERT INTO federation_states (id, pool_id, provider_name, request_doc, nonce, \
         verifier, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&s.id)
    .bind(&s.pool_id)
    .bind(&s.provider_name)
    .bind(&s.request_doc)
    .bind(&s.nonce)
    .bind(verifier)
    .bind(s.expires_at)
    .bind(s.created_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Removes and returns the live sign-in of state hash `id`: a state is used at most once.
pub async fn take_state(db: &Db, id: &str, now: i64) -> Result<Option<StateRecord>> {
    let row: Option<StateRow> = sqlx::query_as(
        "DELETE FROM federation_states WHERE id = $1 RETURNING id, pool_id, provider_name, \
         request_doc, nonce, verifier, expires_at, created_at",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    let Some(r) = row.filter(|r| r.expires_at > now) else {
        return Ok(None);
    };
    let verifier = match &r.verifier {
        Some(v) => Some(FEDERATION_VERIFIER.open(db.sealer(), &[&r.id], v)?),
        None => None,
    };
    Ok(Some(StateRecord {
        id: r.id,
        pool_id: r.pool_id,
        provider_name: r.provider_name,
        request_doc: r.request_doc,
        nonce: r.nonce,
        verifier,
        expires_at: r.expires_at,
        created_at: r.created_at,
    }))
}

/// Whether a store error is a refused duplicate.
pub fn is_conflict(e: &StoreError) -> bool {
    matches!(e, StoreError::Conflict(_))
}
