//! Signing in with something other than the username: the pool's AliasAttributes (verified
//! email or phone number, or preferred_username) and UsernameAttributes (email or phone number
//! in place of a username), and keeping each such value to one user.

use super::attributes::Attribute;
use crate::service::{invalid_parameter, now_ms, Error, Exception, Result, State};
use crate::store::pools::PoolRecord;
use crate::store::user_search;
use crate::store::users::{self as user_store, UserRecord};

/// How the pool lets an attribute stand in for the username.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// UsernameAttributes: the attribute is the sign-in name, verified or not.
    Username,
    /// AliasAttributes: email and phone number only once verified; preferred_username always.
    Alias,
}

fn alias_attributes(pool: &PoolRecord) -> Vec<(String, Kind)> {
    let s = &pool.settings;
    let named = |list: &Option<Vec<String>>, kind| {
        list.iter()
            .flatten()
            .map(move |a| (a.clone(), kind))
            .collect::<Vec<_>>()
    };
    let mut out = named(&s.username_attributes, Kind::Username);
    out.extend(named(&s.alias_attributes, Kind::Alias));
    out
}

/// Whether the pool replaces usernames with email or phone number.
pub fn uses_username_attributes(pool: &PoolRecord) -> bool {
    pool.settings
        .username_attributes
        .as_ref()
        .is_some_and(|a| !a.is_empty())
}

/// The value `user` holds for `name` as a sign-in alias, if it counts as one.
fn held<'a>(user: &'a UserRecord, name: &str, kind: Kind) -> Option<&'a str> {
    let value = user.attributes.get(name)?;
    let verified = user.attributes.get(&format!("{name}_verified"));
    let counts = kind == Kind::Username
        || name == "preferred_username"
        || verified.map(String::as_str) == Some("true");
    counts.then_some(value.as_str())
}

/// Users other than `except` holding `value` as their `name` alias.
async fn holders(
    state: &State,
    pool: &PoolRecord,
    name: &str,
    kind: Kind,
    value: &str,
    except: Option<&str>,
) -> Result<Option<UserRecord>> {
    let key = user_store::alias_key(name);
    let lowered = value.to_lowercase();
    // Case-insensitive pools match aliases whatever their case; others exactly.
    let case_sensitive = super::users::username_key(pool, "A") == "A";
    let same = |held: &str| {
        if case_sensitive {
            held == value
        } else {
            held.to_lowercase() == lowered
        }
    };
    for sub in user_search::subs_with(&state.db, &pool.id, &key, &lowered, 10).await? {
        if Some(sub.as_str()) == except {
            continue;
        }
        if let Some(u) = user_store::find_by_sub(&state.db, &pool.id, &sub).await? {
            if held(&u, name, kind).is_some_and(same) {
                return Ok(Some(u));
            }
        }
    }
    Ok(None)
}

/// Finds the user whose alias is `given`, after no username matched.
pub async fn find(state: &State, pool: &PoolRecord, given: &str) -> Result<Option<UserRecord>> {
    for (name, kind) in alias_attributes(pool) {
        if let Some(u) = holders(state, pool, &name, kind, given, None).await? {
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
    for (name, kind) in alias_attributes(pool) {
        let Some(value) = held(user, &name, kind) else {
            continue;
        };
        if holders(state, pool, &name, kind, value, Some(&user.sub))
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
    let as_username = alias_attributes(pool)
        .iter()
        .any(|(n, k)| n == name && *k == Kind::Username);
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
    for (name, kind) in alias_attributes(pool) {
        if kind != Kind::Alias || name == "preferred_username" {
            continue;
        }
        let Some(value) = held(user, &name, kind) else {
            continue;
        };
        if let Some(mut previous) =
            holders(state, pool, &name, kind, value, Some(&user.sub)).await?
        {
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
