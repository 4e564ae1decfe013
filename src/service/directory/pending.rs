//! Email and phone number changes held back until verified, for pools whose
//! UserAttributeUpdateSettings list them in AttributesRequireVerificationBeforeUpdate: the old
//! value stays in force (and keeps signing in) until the code sent to the new one is given.

use std::collections::BTreeMap;

use super::attributes::Attribute;
use super::attributes::{self, VERIFY_ATTRIBUTE};
use super::codes::{self, Purpose};
use crate::service::outbound::messaging::Delivered;
use crate::service::triggers::messages::{Call, MessageSource};
use crate::service::{invalid_parameter, Error, Result, State};
use crate::store::pools::PoolRecord;
use crate::store::users::{self as user_store, UserRecord};

/// The attributes the pool verifies before updating.
fn held_back(pool: &PoolRecord) -> Vec<String> {
    pool.settings
        .attributes_require_verification_before_update()
}

/// Splits an update into what applies now and the new values that must be verified first:
/// changed, held-back attributes that the update does not itself mark verified.
pub fn split(
    pool: &PoolRecord,
    user: &UserRecord,
    given: &[Attribute],
) -> (Vec<Attribute>, BTreeMap<String, String>) {
    let held = held_back(pool);
    let mut now = Vec::new();
    let mut later = BTreeMap::new();
    for attr in given {
        let value = attr.value.clone();
        let marked_verified = given
            .iter()
            .any(|a| a.name == format!("{}_verified", attr.name));
        let changes = user.attributes.get(&attr.name) != Some(&value);
        // Only a value already in force can be kept while the new one waits.
        let has_old = user.attributes.contains_key(&attr.name);
        let verifiable = attributes::medium_of(&attr.name).is_some();
        if held.contains(&attr.name) && verifiable && changes && has_old && !marked_verified {
            later.insert(attr.name.clone(), value);
        } else {
            now.push(attr.clone());
        }
    }
    (now, later)
}

pub async fn load(state: &State, user: &UserRecord) -> Result<BTreeMap<String, String>> {
    let stored = user_store::find_pending_attributes(&state.db, &user.pool_id, &user.sub).await?;
    match stored {
        Some(json) => serde_json::from_str(&json).map_err(|e| Error::Internal(e.into())),
        None => Ok(BTreeMap::new()),
    }
}

async fn save(state: &State, user: &UserRecord, pending: &BTreeMap<String, String>) -> Result<()> {
    let json = serde_json::to_string(pending).map_err(|e| Error::Internal(e.into()))?;
    user_store::update_pending_attributes(&state.db, user, &json).await?;
    Ok(())
}

/// Stores new values to verify and sends each its VERIFY_ATTRIBUTE code.
pub async fn hold(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    new: BTreeMap<String, String>,
) -> Result<Vec<Delivered>> {
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let mut pending = load(state, user).await?;
    pending.extend(new.clone());
    save(state, user, &pending).await?;
    let mut sent = Vec::new();
    for (name, value) in &new {
        sent.push(send_code(state, pool, user, name, value).await?);
    }
    Ok(sent)
}

/// Sends a VERIFY_ATTRIBUTE code for attribute `name` to `destination`.
pub async fn send_code(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    name: &str,
    destination: &str,
) -> Result<Delivered> {
    let Some(medium) = attributes::medium_of(name) else {
        return invalid_parameter(format!("Attribute {name} cannot be verified."));
    };
    let key = attributes::verify_key(name);
    let purpose = Purpose {
        key: &key,
        message: VERIFY_ATTRIBUTE,
        source: MessageSource::VerifyUserAttribute,
        call: Call::none(),
    };
    codes::send(state, pool, user, purpose, (medium, destination)).await
}

/// Drops a pending value once it is verified and in force.
pub async fn release(state: &State, user: &UserRecord, name: &str) -> Result<()> {
    let mut pending = load(state, user).await?;
    if pending.remove(name).is_some() {
        save(state, user, &pending).await?;
    }
    Ok(())
}
