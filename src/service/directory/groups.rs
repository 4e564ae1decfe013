//! Groups as tokens see them: the group claims (`cognito:groups`, `cognito:roles`,
//! `cognito:preferred_role`) of a user's tokens.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::service::{Result, State};
use crate::store::groups::{self as group_store, GroupRow};

/// The group claims of a user's tokens.
pub struct GroupClaims {
    groups: Vec<GroupRow>,
}

/// Reads the user's groups for their tokens.
pub async fn token_claims(state: &State, pool_id: &str, sub: &str) -> Result<GroupClaims> {
    let groups = group_store::list_for_user(&state.db, pool_id, sub, None, 10_000).await?;
    Ok(GroupClaims { groups })
}

impl GroupClaims {
    /// `cognito:groups`, absent when the user is in no group, as in Cognito.
    pub fn groups(&self) -> Option<Vec<String>> {
        (!self.groups.is_empty()).then(|| self.groups.iter().map(|g| g.name.clone()).collect())
    }

    /// The role the lowest precedence picks; none when equally ranked groups disagree.
    pub fn preferred_role(&self) -> Option<String> {
        let with_roles = self.groups.iter().filter(|g| g.role_arn.is_some());
        let best = with_roles
            .clone()
            .map(|g| g.precedence.unwrap_or(i64::MAX))
            .min()?;
        let mut roles = with_roles
            .filter(|g| g.precedence.unwrap_or(i64::MAX) == best)
            .filter_map(|g| g.role_arn.clone());
        let first = roles.next()?;
        roles.all(|r| r == first).then_some(first)
    }

    /// The distinct IAM roles of the user's groups, sorted.
    pub fn roles(&self) -> Vec<String> {
        let mut roles: Vec<String> = self
            .groups
            .iter()
            .filter_map(|g| g.role_arn.clone())
            .collect();
        roles.sort();
        roles.dedup();
        roles
    }

    /// Adds `cognito:groups`, `cognito:roles` and `cognito:preferred_role` to ID token claims.
    pub fn add_to(&self, claims: &mut BTreeMap<String, Value>) {
        let Some(names) = self.groups() else { return };
        claims.insert("cognito:groups".into(), names.into());
        let mut roles: Vec<String> = self
            .groups
            .iter()
            .filter_map(|g| g.role_arn.clone())
            .collect();
        roles.sort();
        roles.dedup();
        if !roles.is_empty() {
            claims.insert("cognito:roles".into(), roles.into());
        }
        if let Some(role) = self.preferred_role() {
            claims.insert("cognito:preferred_role".into(), role.into());
        }
    }
}
