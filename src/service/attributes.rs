//! Changing a user's attributes: schema checks, the verified flags, and verification codes.

use super::codes::{self, Purpose};
use super::messaging::Medium;
use super::{invalid_parameter, Result, State};
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;
use crate::types::{AttributeType, CodeDeliveryDetails};

pub const VERIFY_ATTRIBUTE: &str = "VERIFY_ATTRIBUTE";

/// The code key for verifying one attribute, so email and phone codes do not replace each other.
pub fn verify_key(attribute: &str) -> String {
    format!("{VERIFY_ATTRIBUTE}:{attribute}")
}

fn schema_entry<'a>(
    pool: &'a PoolRecord,
    name: &str,
) -> Option<&'a crate::types::pools::SchemaAttribute> {
    pool.settings
        .schema_attributes
        .as_deref()
        .unwrap_or_default()
        .iter()
        .find(|s| s.name.as_deref() == Some(name))
}

/// Checks an update against the schema: known, mutable, well-formed values.
pub fn check_updates(pool: &PoolRecord, given: &[AttributeType]) -> Result<()> {
    for attr in given {
        let Some(entry) = schema_entry(pool, &attr.name).filter(|_| attr.name != "sub") else {
            return invalid_parameter(format!(
                "Attribute does not exist in the schema: {}",
                attr.name
            ));
        };
        if entry.mutable == Some(false) {
            return invalid_parameter(format!(
                "Cannot modify the non-mutable attribute {}",
                attr.name
            ));
        }
        let value = attr.value.as_deref().unwrap_or_default();
        if value.chars().count() > 2048 {
            return invalid_parameter(format!("{} must be at most 2048 characters.", attr.name));
        }
        if attr.name.ends_with("_verified") && !["true", "false"].contains(&value) {
            return invalid_parameter(format!("{} must be true or false.", attr.name));
        }
    }
    // Formats are checked by the sign-up validator, over just these attributes.
    let only_given: Vec<AttributeType> = given
        .iter()
        .filter(|a| a.name == "email" || a.name == "phone_number")
        .cloned()
        .collect();
    let mut relaxed = pool.clone();
    if let Some(schema) = relaxed.settings.schema_attributes.as_mut() {
        schema.iter_mut().for_each(|s| s.required = Some(false));
    }
    super::users::parse_attributes(&relaxed, &only_given)?;
    Ok(())
}

/// Applies checked updates. A changed email or phone number becomes unverified unless the
/// update itself marks it verified; returns the media whose attribute so changed.
pub fn apply_updates(user: &mut UserRecord, given: &[AttributeType]) -> Vec<Medium> {
    let mut changed = Vec::new();
    for attr in given {
        let value = attr.value.clone().unwrap_or_default();
        let old = user.attributes.insert(attr.name.clone(), value.clone());
        let medium = match attr.name.as_str() {
            "email" => Some(Medium::Email),
            "phone_number" => Some(Medium::Sms),
            _ => None,
        };
        if let Some(m) = medium.filter(|_| old.as_deref() != Some(value.as_str())) {
            let flag = format!("{}_verified", attr.name);
            let set_verified = given.iter().any(|a| a.name == flag);
            if !set_verified {
                user.attributes.insert(flag, "false".into());
                changed.push(m);
            }
        }
    }
    changed
}

/// Removes attributes by name; required ones cannot go, nor can `sub`.
pub fn delete_names(pool: &PoolRecord, user: &mut UserRecord, names: &[String]) -> Result<()> {
    for name in names {
        let Some(entry) = schema_entry(pool, name).filter(|_| name != "sub") else {
            return invalid_parameter(format!("Attribute does not exist in the schema: {name}"));
        };
        if entry.required == Some(true) {
            return invalid_parameter(format!("Cannot delete the required attribute {name}"));
        }
        if entry.mutable == Some(false) {
            return invalid_parameter(format!("Cannot modify the non-mutable attribute {name}"));
        }
    }
    for name in names {
        user.attributes.remove(name);
        if name == "email" || name == "phone_number" {
            user.attributes.remove(&format!("{name}_verified"));
        }
    }
    Ok(())
}

/// Whether the pool verifies `medium`'s attribute automatically.
pub fn auto_verifies(pool: &PoolRecord, medium: Medium) -> bool {
    pool.settings
        .auto_verified_attributes
        .as_deref()
        .unwrap_or_default()
        .iter()
        .any(|a| a == medium.attribute())
}

/// Sends a VERIFY_ATTRIBUTE code for `medium`'s attribute to its current value.
pub async fn send_verification(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    medium: Medium,
) -> Result<Option<CodeDeliveryDetails>> {
    let Some(destination) = user.attributes.get(medium.attribute()) else {
        return Ok(None);
    };
    let key = verify_key(medium.attribute());
    let purpose = Purpose {
        key: &key,
        message: VERIFY_ATTRIBUTE,
    };
    let details = codes::send(state, pool, user, purpose, (medium, destination)).await?;
    Ok(Some(details))
}

/// Sends codes for the changed attributes the pool verifies automatically.
pub async fn send_changed(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    changed: &[Medium],
) -> Result<Vec<CodeDeliveryDetails>> {
    let mut out = Vec::new();
    for m in changed.iter().filter(|m| auto_verifies(pool, **m)) {
        out.extend(send_verification(state, pool, user, *m).await?);
    }
    Ok(out)
}

/// The medium of a verifiable attribute name.
pub fn medium_of(name: &str) -> Option<Medium> {
    match name {
        "email" => Some(Medium::Email),
        "phone_number" => Some(Medium::Sms),
        _ => None,
    }
}
