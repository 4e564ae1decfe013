//! NEW_PASSWORD_REQUIRED: a user with a temporary password (FORCE_CHANGE_PASSWORD) sets
//! their own, with any `userAttributes.*` the pool requires, before sign-in goes on.

use std::collections::HashMap;

use super::params::required_param;
use super::respond::Answer;
use super::session::{self, SessionState};
use super::step::{Challenge, Outcome};
use crate::service::directory::attributes::{self, Attribute, Writer};
use crate::service::directory::users::UserStatus;
use crate::service::directory::{aliases, clients, credentials};
use crate::service::kernel::password_policy;
use crate::service::outbound::messaging::Medium;
use crate::service::{now_ms, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::users::{self as user_store, UserRecord};

/// Opens the challenge, showing the user's current attributes.
pub async fn challenge(
    state: &State,
    client: &ClientRecord,
    user: &UserRecord,
    st: &SessionState,
) -> Result<Challenge> {
    let shown: HashMap<&String, &String> = user
        .attributes
        .iter()
        .filter(|(k, _)| *k != "sub")
        .collect();
    let parameters = HashMap::from([
        (
            "userAttributes".to_string(),
            serde_json::to_string(&shown).unwrap_or_default(),
        ),
        ("requiredAttributes".to_string(), "[]".to_string()),
    ]);
    session::challenge(state, client, user, "NEW_PASSWORD_REQUIRED", st, parameters).await
}

pub async fn answer(state: &State, a: Answer<'_>) -> Result<Outcome> {
    let mut user = a.user.clone();
    let (new, changed) = match check_new_password(state, &a, &mut user).await {
        Ok(checked) => checked,
        Err(e) => {
            // A rejected password or attribute may be corrected within the same session.
            session::retry(state, a.token, a.row, a.st).await?;
            return Err(e);
        }
    };
    let hashes = credentials::hash_new(state, &a.pool.id, &user.username, new).await?;
    hashes.apply(&mut user);
    user.status = UserStatus::Confirmed;
    user.updated_at = now_ms();
    user_store::set_password_and_attributes(&state.db, &user).await?;
    attributes::send_changed(state, a.pool, &user, &changed).await?;
    Ok(Outcome::PasswordChanged { user, st: a.st })
}

/// Checks NEW_PASSWORD against the policy and applies the `userAttributes.*` answers to
/// `user` with the checks of any attribute update (schema, constraints, unique aliases).
async fn check_new_password<'a>(
    state: &State,
    a: &'a Answer<'_>,
    user: &mut UserRecord,
) -> Result<(&'a str, Vec<Medium>)> {
    let new = required_param(a.responses, "NEW_PASSWORD")?;
    password_policy::check(&a.pool.settings.password_policy(), new)?;
    let given: Vec<Attribute> = a
        .responses
        .iter()
        .filter_map(|(key, value)| {
            key.strip_prefix("userAttributes.").map(|name| Attribute {
                name: name.to_string(),
                value: value.clone(),
            })
        })
        .collect();
    clients::check_writable(a.client, given.iter().map(|g| g.name.as_str()))?;
    attributes::check_updates(a.pool, Writer::User, &given)?;
    // A changed email or phone number is unverified until its code comes back.
    let changed = attributes::apply_updates(user, &given);
    aliases::check_unique(state, a.pool, user, false).await?;
    Ok((new, changed))
}
