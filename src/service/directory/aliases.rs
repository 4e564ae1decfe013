//! Signing in with something other than the username: the pool's AliasAttributes (verified
//! email or phone number, or preferred_username) and UsernameAttributes (email or phone number
//! in place of a username), and keeping each such value to one user.

use super::attributes::Attribute;
use crate::service::{invalid_parameter, now_ms, Error, Exception, Result, State};
use crate::store::aliases as alias_store;
use crate::store::pools::PoolRecord;
use crate::store::user_search;
use crate::store::users::{self as user_store, UserRecord};

/// The attributes the pool lets stand in for the username: UsernameAttributes, then
/// AliasAttributes. Which values of them count is one rule, `alias_store::claims`, the one
/// the database enforces.
fn alias_attributes(pool: &PoolRecord) -> impl Iterator<Item = &String> {
    let s = &pool.settings;
    s.username_attributes
        .iter()
        .flatten()
        .chain(s.alias_attributes.iter().flatten())
}

/// A value as the pool compares it: lower-cased where the pool ignores case.
fn compared(pool: &PoolRecord, value: &str) -> String {
    super::users::username_key(pool, value)
}

/// Whether the pool replaces usernames with email or phone number.
pub fn uses_username_attributes(pool: &PoolRecord) -> bool {
    pool.settings
        .username_attributes
        .as_ref()
        .is_some_and(|a| !a.is_empty())
}

/// Users other than `except` holding `value` as their `name` alias.
async fn holders(
    state: &State,
    pool: &PoolRecord,
    name: &str,
    value: &str,
    except: Option<&str>,
) -> Result<Option<UserRecord>> {
    let key = user_store::alias_key(name);
    let wanted = compared(pool, value);
    let subs = user_search::subs_with(&state.db, &pool.id, &key, &value.to_lowercase(), 10).await?;
    for sub in subs {
        if Some(sub.as_str()) == except {
            continue;
        }
        if let Some(u) = user_store::find_by_sub(&state.db, &pool.id, &sub).await? {
            let claims = alias_store::claims(&pool.settings, &u);
            if claims.iter().any(|(n, v)| n == name && *v == wanted) {
                return Ok(Some(u));
            }
        }
    }
    Ok(None)
}

/// Finds the user whose alias is `given`, after no username matched.
pub async fn find(state: &State, pool: &PoolRecord, given: &str) -> Result<Option<UserRecord>> {
    for name in alias_attributes(pool) {
        if let Some(u) = holders(state, pool, name, given, None).await? {
            return Ok(Some(u));
        }
    }
    Ok(None)
}

/// Fails when another user already holds one of `user`'s alias values: UsernameExists for
/// UsernameAttributes pools at creation, AliasExists otherwise.
pub async fn check_unique(
    state: &State,
    pool: &PoolRecord,
    user: &UserRecord,
    creating: bool,
) -> Result<()> {
    for (name, value) in alias_store::claims(&pool.settings, user) {
        if holders(state, pool, &name, &value, Some(&user.sub))
            .await?
            .is_some()
        {
            return Err(taken(pool, &name, creating));
        }
    }
    Ok(())
}

/// Cognito's message for a taken alias value of attribute `name`.
pub fn taken_message(name: &str) -> String {
    let what = if name == "phone_number" {
        "phone number"
    } else {
        name
    };
    format!("An account with the given {what} already exists.")
}

/// The error for a taken alias value of `name`: UsernameExists when creating a user in a
/// UsernameAttributes pool (the value is the sign-in name), AliasExists otherwise.
pub fn taken(pool: &PoolRecord, name: &str, creating: bool) -> Error {
    let as_username = pool
        .settings
        .username_attributes
        .iter()
        .flatten()
        .any(|n| n == name);
    let kind = if creating && as_username {
        Exception::UsernameExists
    } else {
        Exception::AliasExists
    };
    Error::Cognito {
        kind,
        message: taken_message(name),
    }
}

/// AdminCreateUser's ForceAliasCreation: a verified email or phone number that `user` is about
/// to hold as an alias stops being verified (and so an alias) for whoever held it before.
pub async fn take_over(state: &State, pool: &PoolRecord, user: &UserRecord) -> Result<()> {
    let verified_aliases = pool.settings.alias_attributes.iter().flatten();
    let names: Vec<&String> = verified_aliases
        .filter(|n| *n != "preferred_username")
        .collect();
    for (name, value) in alias_store::claims(&pool.settings, user) {
        if !names.contains(&&name) {
            continue;
        }
        if let Some(mut previous) = holders(state, pool, &name, &value, Some(&user.sub)).await? {
            previous
                .attributes
                .insert(format!("{name}_verified"), "false".into());
            previous.updated_at = now_ms();
            user_store::update_status(&state.db, &previous, None).await?;
        }
    }
    Ok(())
}

/// In a UsernameAttributes pool, the attribute the given username really is: an email or a
/// phone number, whichever the pool allows. None in other pools.
pub fn username_as_attribute(pool: &PoolRecord, username: &str) -> Result<Option<Attribute>> {
    if !uses_username_attributes(pool) {
        return Ok(None);
    }
    let allowed = pool
        .settings
        .username_attributes
        .as_deref()
        .unwrap_or_default();
    let allows = |a: &str| allowed.iter().any(|x| x == a);
    let name = if username.contains('@') && allows("email") {
        "email"
    } else if username.starts_with('+') && allows("phone_number") {
        "phone_number"
    } else {
        let message = match (allows("email"), allows("phone_number")) {
            (true, true) => "Username should be either an email or a phone number.",
            (true, false) => "Username should be an email.",
            _ => "Username should be a phone number.",
        };
        return invalid_parameter(message);
    };
    Ok(Some(Attribute {
        name: name.into(),
        value: username.into(),
    }))
}

/// The attributes to create a user with and their internal username: in UsernameAttributes
/// pools the given username becomes an attribute and the username is the new sub.
pub fn creation_names(
    pool: &PoolRecord,
    username: &str,
    attributes: &[Attribute],
    sub: &str,
) -> Result<(String, Vec<Attribute>)> {
    let mut attributes = attributes.to_vec();
    match username_as_attribute(pool, username)? {
        Some(attr) => {
            attributes.retain(|a| a.name != attr.name);
            attributes.push(attr);
            Ok((sub.to_string(), attributes))
        }
        None => Ok((username.to_string(), attributes)),
    }
}
