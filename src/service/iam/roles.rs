//! IAM roles and their inline policies: CreateRole, GetRole, ListRoles, UpdateAssumeRolePolicy,
//! DeleteRole, Put/Get/Delete/ListRolePolicies. Documents are checked to parse as policies.

use super::policy;
use crate::service::kernel::crypto;
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::iam::{self as store, RoleRecord};

pub struct NewRole {
    pub name: String,
    pub path: Option<String>,
    pub trust_policy: String,
    pub description: Option<String>,
    pub max_session_duration: Option<i64>,
}

fn check_name(name: &str, what: &str) -> Result<()> {
    let ok = (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    match ok {
        true => Ok(()),
        false => fail(
            Exception::ValidationError,
            format!("The specified value for {what} is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-"),
        ),
    }
}

pub async fn create_role(state: &State, r: NewRole) -> Result<RoleRecord> {
    check_name(&r.name, "roleName")?;
    policy::parse_trust(&r.trust_policy)?;
    let path = r.path.unwrap_or_else(|| "/".into());
    if !path.starts_with('/') || !path.ends_with('/') {
        return fail(Exception::ValidationError, "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.");
    }
    let duration = r.max_session_duration.unwrap_or(3600);
    if !(3600..=43200).contains(&duration) {
        return fail(
            Exception::ValidationError,
            "The requested MaxSessionDuration must be between 3600 and 43200 seconds.",
        );
    }
    if store::find_role(&state.db, &r.name).await?.is_some() {
        return fail(
            Exception::EntityAlreadyExists,
            format!("Role with name {} already exists.", r.name),
        );
    }
    let role = RoleRecord {
        role_id: format!(
            "AROA{}",
            crypto::random_token(12)
                .to_uppercase()
                .replace(['-', '_'], "X")
        ),
        name: r.name,
        path,
        trust_policy: r.trust_policy,
        description: r.description,
        max_session_duration: duration,
        created_at: now_ms(),
    };
    match store::insert_role(&state.db, &role).await {
        Err(crate::store::StoreError::Conflict(_)) => fail(
            Exception::EntityAlreadyExists,
            format!("Role with name {} already exists.", role.name),
        ),
        other => other.map(|_| role).map_err(Into::into),
    }
}

pub async fn get_role(state: &State, name: &str) -> Result<RoleRecord> {
    match store::find_role(&state.db, name).await? {
        Some(role) => Ok(role),
        None => fail(
            Exception::NoSuchEntity,
            format!("The role with name {name} cannot be found."),
        ),
    }
}

/// One page of roles in name order, and the marker of the next.
pub async fn list_roles(
    state: &State,
    marker: Option<String>,
    max: Option<i64>,
) -> Result<(Vec<RoleRecord>, Option<String>)> {
    let limit = max.unwrap_or(100).clamp(1, 1000);
    let mut roles =
        store::list_roles(&state.db, marker.as_deref().unwrap_or(""), limit + 1).await?;
    let next = (roles.len() as i64 > limit).then(|| {
        roles.truncate(limit as usize);
        roles.last().map(|r| r.name.clone()).unwrap_or_default()
    });
    Ok((roles, next))
}

pub async fn update_assume_role_policy(state: &State, name: &str, document: &str) -> Result<()> {
    policy::parse_trust(document)?;
    if !store::update_trust_policy(&state.db, name, document).await? {
        return fail(
            Exception::NoSuchEntity,
            format!("The role with name {name} cannot be found."),
        );
    }
    Ok(())
}

pub async fn delete_role(state: &State, name: &str) -> Result<()> {
    get_role(state, name).await?;
    if store::count_policies(&state.db, name).await? > 0 {
        return fail(
            Exception::DeleteConflict,
            "Cannot delete entity, must delete policies first.",
        );
    }
    store::delete_role(&state.db, name).await?;
    Ok(())
}

pub async fn put_role_policy(state: &State, role: &str, name: &str, document: &str) -> Result<()> {
    check_name(name, "policyName")?;
    get_role(state, role).await?;
    policy::parse(document)?;
    store::put_policy(&state.db, role, name, document).await?;
    Ok(())
}

pub async fn get_role_policy(state: &State, role: &str, name: &str) -> Result<String> {
    get_role(state, role).await?;
    match store::find_policy(&state.db, role, name).await? {
        Some(doc) => Ok(doc),
        None => fail(
            Exception::NoSuchEntity,
            format!("The role policy with name {name} cannot be found."),
        ),
    }
}

pub async fn delete_role_policy(state: &State, role: &str, name: &str) -> Result<()> {
    get_role(state, role).await?;
    if !store::delete_policy(&state.db, role, name).await? {
        return fail(
            Exception::NoSuchEntity,
            format!("The role policy with name {name} cannot be found."),
        );
    }
    Ok(())
}

pub async fn list_role_policies(state: &State, role: &str) -> Result<Vec<String>> {
    get_role(state, role).await?;
    Ok(store::policies_of(&state.db, role)
        .await?
        .into_iter()
        .map(|(n, _)| n)
        .collect())
}
