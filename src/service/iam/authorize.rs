//! Whether a caller holding temporary credentials may perform an action on a resource: the
//! role's inline policies decide (an explicit Deny wins, no Allow is a deny). This is what the
//! authorizer endpoint and Cognito Sync call once the request's SigV4 signature is verified.

use scratchstack_aspen::Decision;
use scratchstack_aws_principal::{AssumedRole, Principal};

use super::policy::{self, Keys};
use super::role_name;
use crate::service::{Error, Result, State};
use crate::store::iam::{self as store, TempCredentialRecord};

/// Whom a request signed with temporary credentials speaks for.
#[derive(Debug, Clone)]
pub struct Caller {
    pub access_key_id: String,
    pub role_arn: String,
    pub session_name: String,
    /// The values policies read (`cognito-identity.amazonaws.com:sub`, ...).
    pub keys: Keys,
}

impl Caller {
    pub fn from_record(record: &TempCredentialRecord) -> Result<Caller> {
        Ok(Caller {
            access_key_id: record.access_key_id.clone(),
            role_arn: record.role_arn.clone(),
            session_name: record.session_name.clone(),
            keys: serde_json::from_str(&record.context).map_err(|e| Error::Internal(e.into()))?,
        })
    }

    pub fn role_name(&self) -> &str {
        role_name(&self.role_arn).unwrap_or("role")
    }

    pub fn assumed_role_arn(&self, state: &State) -> String {
        super::credentials::assumed_role_arn(state, self.role_name(), &self.session_name)
    }

    pub fn identity_id(&self) -> Option<&str> {
        self.keys.get("cognate:identity_id").map(String::as_str)
    }

    pub fn pool_id(&self) -> Option<&str> {
        self.keys.get("cognate:pool_id").map(String::as_str)
    }

    pub fn user_id(&self) -> String {
        self.keys.get("aws:userid").cloned().unwrap_or_default()
    }
}

/// The answer: allowed or not, and why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// A statement denies it explicitly.
    ExplicitDeny,
    /// No statement allows it.
    ImplicitDeny,
}

/// Decides `action` (`service:Api`) on `resource` (an ARN or `*`) for `caller`. A role IAM
/// does not hold is allow-all in local mode (warned about once) and denies everything
/// otherwise.
pub async fn decide(
    state: &State,
    caller: &Caller,
    action: &str,
    resource: &str,
) -> Result<Verdict> {
    let name = caller.role_name().to_string();
    let Some(_) = store::find_role(&state.db, &name).await? else {
        if state.local_mode {
            state.iam_warned.once(&caller.role_arn);
            return Ok(Verdict::Allow);
        }
        return Ok(Verdict::ImplicitDeny);
    };
    let policies = store::policies_of(&state.db, &name).await?;
    let actor = AssumedRole::new("aws", &state.account_id, &name, &caller.session_name)
        .map_err(|e| Error::Internal(anyhow::anyhow!("assumed role: {e}")))?;
    let decision = policy::decide(
        &policies,
        Principal::from(actor),
        action,
        resource,
        &caller.keys,
    )?;
    Ok(match decision {
        Decision::Allow => Verdict::Allow,
        Decision::Deny => Verdict::ExplicitDeny,
        Decision::DefaultDeny => Verdict::ImplicitDeny,
    })
}
