//! Cognito's rules for a user import CSV: the header GetCSVHeader gives (every column present,
//! in any order), and for each row its username, verified flags, MFA flag and the pool's
//! schema. A row that breaks a rule is not imported and its reason goes to the job's log.

use std::collections::BTreeMap;

use super::attributes::{self, Attribute, Writer};
use super::users::{self, UserStatus};
use crate::service::kernel::ids;
use crate::service::outbound::messaging::Medium;
use crate::service::{now_ms, Error, Result};
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

/// The standard attributes of GetCSVHeader, in Cognito's order.
pub const STANDARD_COLUMNS: &[&str] = &[
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
];

pub const USERNAME: &str = "cognito:username";
pub const MFA_ENABLED: &str = "cognito:mfa_enabled";

/// GetCSVHeader: the standard attributes, the pool's custom ones, then the two of Cognito's.
pub fn csv_header(pool: &PoolRecord) -> Vec<String> {
    let custom = pool
        .settings
        .schema_attributes
        .as_deref()
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.name.clone())
        .filter(|n| n.starts_with("custom:"));
    STANDARD_COLUMNS
        .iter()
        .map(|s| s.to_string())
        .chain(custom)
        .chain([MFA_ENABLED.to_string(), USERNAME.to_string()])
        .collect()
}

/// Why the whole file is refused (the job then fails): its header lacks a column of
/// GetCSVHeader's, or names one the pool does not have.
pub fn check_header(pool: &PoolRecord, header: &[String]) -> std::result::Result<(), String> {
    let expected = csv_header(pool);
    if let Some(missing) = expected.iter().find(|c| !header.contains(c)) {
        return Err(format!("The CSV header has no {missing} column."));
    }
    if let Some(unknown) = header.iter().find(|c| !expected.contains(c)) {
        return Err(format!("The CSV header names an unknown column {unknown}."));
    }
    Ok(())
}

/// A row ready to store: the user (RESET_REQUIRED, no password) and whether SMS MFA is on.
pub struct ImportedUser {
    pub user: UserRecord,
    pub mfa_enabled: bool,
}

fn flag(fields: &BTreeMap<&str, &str>, name: &str) -> std::result::Result<bool, String> {
    match fields.get(name).copied().unwrap_or("") {
        "" => Ok(false),
        v if v.eq_ignore_ascii_case("true") => Ok(true),
        v if v.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(format!("The value of {name} must be true or false.")),
    }
}

fn auto_verified_set(pool: &PoolRecord, fields: &BTreeMap<&str, &str>) -> Result<bool, String> {
    let email = attributes::auto_verifies(pool, Medium::Email) && flag(fields, "email_verified")?;
    let phone =
        attributes::auto_verifies(pool, Medium::Sms) && flag(fields, "phone_number_verified")?;
    Ok(email || phone)
}

/// Checks one row (its fields by column) and builds the user it stands for, or says why not.
pub fn user_of(
    pool: &PoolRecord,
    fields: &BTreeMap<&str, &str>,
) -> std::result::Result<ImportedUser, String> {
    let username = fields.get(USERNAME).copied().unwrap_or("");
    if username.is_empty() {
        return Err("The user record has no cognito:username.".into());
    }
    let mfa_enabled = flag(fields, MFA_ENABLED)?;
    if !auto_verified_set(pool, fields)? {
        return Err(
            "The User Record does not set any of the auto verified attributes to true. \
                    (Example: email_verified to true)."
                .into(),
        );
    }
    for (flagged, attribute) in [
        ("email_verified", "email"),
        ("phone_number_verified", "phone_number"),
    ] {
        if flag(fields, flagged)? && fields.get(attribute).is_none_or(|v| v.is_empty()) {
            return Err(format!("{flagged} is true but the {attribute} is missing."));
        }
    }
    if mfa_enabled && fields.get("phone_number").is_none_or(|v| v.is_empty()) {
        return Err("cognito:mfa_enabled is true but the phone_number is missing.".into());
    }
    let given: Vec<Attribute> = fields
        .iter()
        .filter(|(name, value)| !name.starts_with("cognito:") && !value.is_empty())
        .map(|(name, value)| Attribute {
            name: name.to_string(),
            value: if name.ends_with("_verified") {
                value.to_ascii_lowercase()
            } else {
                value.to_string()
            },
        })
        .collect();
    let reason = |e: Error| match e {
        Error::Cognito { message, .. } => message,
        Error::Internal(e) => format!("{e:#}"),
    };
    users::validate_username(pool, username).map_err(reason)?;
    let attributes = users::parse_attributes(pool, Writer::Admin, &given).map_err(reason)?;
    let now = now_ms();
    Ok(ImportedUser {
        user: UserRecord {
            pool_id: pool.id.clone(),
            sub: ids::uuid(),
            username_key: users::username_key(pool, username),
            username: username.to_string(),
            status: UserStatus::ResetRequired,
            enabled: true,
            password_hash: None,
            srp_salt: None,
            srp_verifier: None,
            attributes,
            created_at: now,
            updated_at: now,
        },
        mfa_enabled,
    })
}
