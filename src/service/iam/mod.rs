//! IAM's part that identity pools need: roles with their trust and inline policies, the
//! temporary credentials issued for a role, and the decision whether a request signed with
//! them may do what it asks (the IAM policy language, evaluated by scratchstack-aspen).

pub mod authorize;
pub mod credentials;
pub mod oidc_providers;
pub mod policy;
pub mod roles;

use std::collections::HashSet;
use std::sync::Mutex;

use crate::service::State;

/// The undefined roles and OpenID Connect providers already warned about (local mode serves
/// roles as allow-all, and accepts a provider's tokens for any client).
#[derive(Default)]
pub struct Warned(Mutex<HashSet<String>>);

impl Warned {
    /// Logs the warning for `role_arn` the first time only.
    pub fn once(&self, role_arn: &str) {
        let first = self.0.lock().unwrap().insert(role_arn.to_string());
        if first {
            tracing::warn!(
                role_arn,
                "local mode: IAM holds no such role; serving it as allow-all (create it with \
                 `aws iam create-role` to scope it)"
            );
        }
    }

    /// Logs the warning for the OpenID Connect provider `arn` the first time only.
    pub fn once_oidc(&self, arn: &str) {
        let first = self.0.lock().unwrap().insert(arn.to_string());
        if first {
            tracing::warn!(
                provider_arn = arn,
                "local mode: IAM holds no such OpenID Connect provider; accepting its tokens for \
                 any client (create it with `aws iam create-open-id-connect-provider` to check \
                 their aud)"
            );
        }
    }
}

/// The role's name in an ARN `arn:aws:iam::{account}:role/{path}{name}`.
pub fn role_name(arn: &str) -> Option<&str> {
    let resource = arn.strip_prefix("arn:aws:iam::")?.split_once(':')?.1;
    let path_and_name = resource.strip_prefix("role/")?;
    path_and_name.rsplit('/').next().filter(|n| !n.is_empty())
}

pub fn role_arn(state: &State, path: &str, name: &str) -> String {
    format!("arn:aws:iam::{}:role{}{}", state.account_id, path, name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn role_names_come_from_arns() {
        assert_eq!(
            super::role_name("arn:aws:iam::1:role/a/b/Auth"),
            Some("Auth")
        );
        assert_eq!(super::role_name("arn:aws:iam::1:role/Auth"), Some("Auth"));
        assert_eq!(super::role_name("arn:aws:s3:::x"), None);
    }
}
