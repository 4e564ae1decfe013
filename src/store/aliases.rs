//! Sign-in alias claims (`user_aliases`): each alias value of a pool held by at most one user,
//! enforced by the table's primary key in the same transaction as every write to a user.

use super::users::UserRecord;
use super::{Db, Result, StoreError, Tx};
use crate::types::pools::UserPoolSettings;

/// The alias values `u` holds in a pool with `settings`, as (attribute, value as claimed).
/// UsernameAttributes values always count; AliasAttributes email and phone number only once
/// verified; preferred_username always. Case-insensitive pools claim values lower-cased.
pub fn claims(settings: &UserPoolSettings, u: &UserRecord) -> Vec<(String, String)> {
    // A federated user signs in at their provider, never with an alias.
    if u.status == super::users::UserStatus::ExternalProvider {
        return Vec::new();
    }
    let case_sensitive = settings.case_sensitive();
    let verified = |name: &str| {
        u.attributes
            .get(&format!("{name}_verified"))
            .map(String::as_str)
            == Some("true")
    };
    let as_username = settings.username_attributes.iter().flatten();
    let as_alias = settings
        .alias_attributes
        .iter()
        .flatten()
        .filter(|name| *name == "preferred_username" || verified(name));
    let mut out: Vec<(String, String)> = Vec::new();
    for name in as_username.chain(as_alias) {
        let Some(value) = u.attributes.get(name) else {
            continue;
        };
        let value = if case_sensitive {
            value.clone()
        } else {
            value.to_lowercase()
        };
        if !out.iter().any(|(n, _)| n == name) {
            out.push((name.clone(), value));
        }
    }
    out
}

async fn pool_settings(tx: &mut Tx, pool_id: &str) -> Result<Option<UserPoolSettings>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT settings FROM user_pools WHERE id = $1")
        .bind(pool_id)
        .fetch_optional(&mut **tx)
        .await?;
    row.map(|(s,)| serde_json::from_str(&s).map_err(StoreError::from))
        .transpose()
}

/// Rewrites `u`'s claims inside the transaction writing it. `StoreError::AliasTaken` when
/// another user of the pool holds one of the values; the caller's transaction then rolls back.
pub(super) async fn rewrite(tx: &mut Tx, u: &UserRecord) -> Result<()> {
    sqlx::query("DELETE FROM user_aliases WHERE pool_id = $1 AND sub = $2")
        .bind(&u.pool_id)
        .bind(&u.sub)
        .execute(&mut **tx)
        .await?;
    let Some(settings) = pool_settings(tx, &u.pool_id).await? else {
        return Ok(());
    };
    for (name, value) in claims(&settings, u) {
        let inserted = sqlx::query(
            "INSERT INTO user_aliases (pool_id, name, value, sub) VALUES ($1, $2, $3, $4)",
        )
        .bind(&u.pool_id)
        .bind(&name)
        .bind(&value)
        .bind(&u.sub)
        .execute(&mut **tx)
        .await;
        match inserted.map_err(StoreError::from) {
            Ok(_) => {}
            Err(StoreError::Conflict(_)) => return Err(StoreError::AliasTaken { name }),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Fills in the claims of users stored before claims existed: every pool with alias settings
/// and no claims yet, a page of users at a time. Where old data already has two holders of
/// one value, the first keeps it (and a warning says so); the other gets AliasExists on its
/// next write until the value is changed.
pub(super) async fn backfill(db: &Db) -> Result<()> {
    let pools: Vec<(String, String)> = sqlx::query_as(
        "SELECT p.id, p.settings FROM user_pools p WHERE NOT EXISTS \
         (SELECT 1 FROM user_aliases a WHERE a.pool_id = p.id)",
    )
    .fetch_all(db.pool())
    .await?;
    for (pool_id, settings) in pools {
        let settings: UserPoolSettings = serde_json::from_str(&settings)?;
        let aliased = settings.alias_attributes.iter().flatten().count()
            + settings.username_attributes.iter().flatten().count();
        if aliased > 0 {
            backfill_pool(db, &pool_id, &settings).await?;
        }
    }
    Ok(())
}

async fn backfill_pool(db: &Db, pool_id: &str, settings: &UserPoolSettings) -> Result<()> {
    let mut after = String::new();
    loop {
        let users = super::users::page_by_sub(db, pool_id, &after, 1000).await?;
        let Some(last) = users.last() else {
            return Ok(());
        };
        after = last.sub.clone();
        let mut tx = db.begin().await?;
        for u in &users {
            for (name, value) in claims(settings, u) {
                let done = sqlx::query(
                    "INSERT INTO user_aliases (pool_id, name, value, sub) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (pool_id, name, value) DO NOTHING",
                )
                .bind(pool_id)
                .bind(&name)
                .bind(&value)
                .bind(&u.sub)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    tracing::warn!(pool_id, sub = %u.sub, attribute = %name, "alias value held by two users; the other keeps it");
                }
            }
        }
        tx.commit().await?;
    }
}
