//! Changing a user's attributes: schema checks, the verified flags, and verification codes.

use super::codes::{self, Purpose};
use crate::service::outbound::messaging::{Delivered, Medium};
use crate::service::triggers::messages::{Call, MessageSource};
use crate::service::{fail, invalid_parameter, Exception, Result, State};
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;
use crate::types::pools::SchemaAttribute;
use serde_json::Value;

/// A user attribute as the domain handles it: a name and its value (empty for "no value").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub name: String,
    pub value: String,
}

pub const VERIFY_ATTRIBUTE: &str = "VERIFY_ATTRIBUTE";

/// The code key for verifying one attribute, so email and phone codes do not replace each other.
pub fn verify_key(attribute: &str) -> String {
    format!("{VERIFY_ATTRIBUTE}:{attribute}")
}

/// The pool's schema entry for attribute `name`.
pub fn schema_entry<'a>(pool: &'a PoolRecord, name: &str) -> Option<&'a SchemaAttribute> {
    pool.settings
        .schema_attributes
        .as_deref()
        .unwrap_or_default()
        .iter()
        .find(|s| s.name.as_deref() == Some(name))
}

/// Checks an update against the schema: known, mutable, well-formed values.
/// Who writes attributes. Only administrators (and the verification flows) may set the
/// `*_verified` flags: a user who could would claim someone else's address as theirs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Writer {
    User,
    Admin,
}

/// Refuses a user's write of a verified flag.
pub fn check_writer(writer: Writer, given: &[Attribute]) -> Result<()> {
    match given.iter().find(|a| a.name.ends_with("_verified")) {
        Some(a) if writer == Writer::User => fail(
            Exception::NotAuthorized,
            format!(
                "A client attempted to write unauthorized attribute {}",
                a.name
            ),
        ),
        _ => Ok(()),
    }
}

pub fn check_updates(pool: &PoolRecord, writer: Writer, given: &[Attribute]) -> Result<()> {
    check_writer(writer, given)?;
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
        check_value(entry, &attr.name, &attr.value)?;
    }
    Ok(())
}

/// A constraint bound, which Cognito's schema holds as a string.
fn bound(constraints: Option<&Value>, key: &str) -> Option<i64> {
    let v = constraints?.get(key)?;
    v.as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_i64())
}

/// Checks one value against its schema entry: length, type, constraints, and the formats of
/// email and phone_number.
pub fn check_value(entry: &SchemaAttribute, name: &str, value: &str) -> Result<()> {
    let bad = |why: String| {
        invalid_parameter(format!(
            "Attributes did not conform to the schema: {name}: {why}"
        ))
    };
    let length = value.chars().count() as i64;
    if length > 2048 {
        return invalid_parameter(format!("{name} must be at most 2048 characters."));
    }
    match entry.attribute_data_type.as_deref().unwrap_or("String") {
        "String" => {
            let c = entry.string_attribute_constraints.as_ref();
            if let Some(min) = bound(c, "MinLength").filter(|m| length < *m) {
                return bad(format!("String must be at least {min} characters long"));
            }
            if let Some(max) = bound(c, "MaxLength").filter(|m| length > *m) {
                return bad(format!("String must be no longer than {max} characters"));
            }
        }
        "Number" => {
            let Ok(n) = value.parse::<i64>() else {
                return bad("Number must be an integer".into());
            };
            let c = entry.number_attribute_constraints.as_ref();
            if let Some(min) = bound(c, "MinValue").filter(|m| n < *m) {
                return bad(format!("Number must be greater than or equal to {min}"));
            }
            if let Some(max) = bound(c, "MaxValue").filter(|m| n > *m) {
                return bad(format!("Number must be less than or equal to {max}"));
            }
        }
        "Boolean" if value != "true" && value != "false" => {
            return bad("Boolean must be true or false".into());
        }
        _ => {}
    }
    if name == "email" && !looks_like_email(value) {
        return invalid_parameter("Invalid email address format.");
    }
    if name == "phone_number" && !looks_like_phone(value) {
        return invalid_parameter("Invalid phone number format.");
    }
    Ok(())
}

pub fn looks_like_email(v: &str) -> bool {
    matches!(v.split_once('@'), Some((l, d)) if !l.is_empty() && d.contains('.') && !d.starts_with('.') && !v.contains(char::is_whitespace))
}

pub fn looks_like_phone(v: &str) -> bool {
    v.starts_with('+') && (3..=16).contains(&v.len()) && v[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Applies checked updates. A changed email or phone number becomes unverified unless the
/// update itself marks it verified; returns the media whose attribute so changed.
pub fn apply_updates(user: &mut UserRecord, given: &[Attribute]) -> Vec<Medium> {
    let mut changed = Vec::new();
    for attr in given {
        let value = attr.value.clone();
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
) -> Result<Option<Delivered>> {
    let Some(destination) = user.attributes.get(medium.attribute()) else {
        return Ok(None);
    };
    let key = verify_key(medium.attribute());
    let purpose = Purpose {
        key: &key,
        message: VERIFY_ATTRIBUTE,
        source: MessageSource::UpdateUserAttribute,
        call: Call::none(),
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
) -> Result<Vec<Delivered>> {
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
