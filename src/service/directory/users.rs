//! Users: lookups by username or alias, username rules, and attributes checked against the
//! pool's schema.

use std::collections::BTreeMap;

use super::aliases;
use super::attributes::{self, Attribute, Writer};
use crate::service::{fail, invalid_parameter, Exception, Result, State};
use crate::store::pools::PoolRecord;
pub use crate::store::users::UserStatus;
use crate::store::users::{self as user_store, UserRecord};

/// The key a username is stored and looked up under.
pub fn username_key(pool: &PoolRecord, username: &str) -> String {
    if pool.settings.case_sensitive() {
        username.to_string()
    } else {
        username.to_lowercase()
    }
}

/// Checks a new username against the pool: where email or phone number is an alias, the
/// username may not look like one (the service model has checked its characters).
pub fn validate_username(pool: &PoolRecord, username: &str) -> Result<()> {
    let aliases = pool
        .settings
        .alias_attributes
        .as_deref()
        .unwrap_or_default();
    let alias = |name: &str| aliases.iter().any(|a| a == name);
    if alias("email") && attributes::looks_like_email(username) {
        return invalid_parameter(
            "Username cannot be of email format, since user pool is configured for email alias.",
        );
    }
    if alias("phone_number") && attributes::looks_like_phone(username) {
        return invalid_parameter(
            "Username cannot be of phone number format, since user pool is configured for \
             phone_number alias.",
        );
    }
    Ok(())
}

/// Finds a user by username or, where the pool allows, by an alias (email, phone number,
/// preferred_username).
pub async fn find(state: &State, pool: &PoolRecord, username: &str) -> Result<Option<UserRecord>> {
    if username.is_empty() || username.chars().count() > 2048 {
        return Ok(None);
    }
    let key = username_key(pool, username);
    if let Some(u) = user_store::find_by_username_key(&state.db, &pool.id, &key).await? {
        return Ok(Some(u));
    }
    aliases::find(state, pool, username).await
}

/// Finds a user or fails with UserNotFoundException.
pub async fn find_or_fail(state: &State, pool: &PoolRecord, username: &str) -> Result<UserRecord> {
    match find(state, pool, username).await? {
        Some(u) => Ok(u),
        None => fail(Exception::UserNotFound, "User does not exist."),
    }
}

/// Validates attributes given at sign-up against the pool's schema.
pub fn parse_attributes(
    pool: &PoolRecord,
    writer: Writer,
    given: &[Attribute],
) -> Result<BTreeMap<String, String>> {
    attributes::check_writer(writer, given)?;
    let schema = pool
        .settings
        .schema_attributes
        .as_deref()
        .unwrap_or_default();
    let mut out = BTreeMap::new();
    for attr in given {
        let entry = attributes::schema_entry(pool, &attr.name);
        let Some(entry) = entry.filter(|_| attr.name != "sub") else {
            return invalid_parameter(format!(
                "Attribute does not exist in the schema: {}",
                attr.name
            ));
        };
        let value = attr.value.clone();
        attributes::check_value(entry, &attr.name, &value)?;
        out.insert(attr.name.clone(), value);
    }
    for s in schema {
        if let (Some(name), Some(true)) = (&s.name, s.required) {
            if name != "sub" && !out.contains_key(name) {
                return invalid_parameter(format!(
                    "Attributes did not conform to the schema: {name}: The attribute {name} is required"
                ));
            }
        }
    }
    Ok(out)
}
