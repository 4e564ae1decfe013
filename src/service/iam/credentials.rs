//! Temporary credentials for a role: `ASIA...` key ids, a secret sealed at rest, a session
//! token stored hashed, an expiry. They live in the database, so they survive a restart and
//! work on every instance that shares it.

use super::policy::{self, Keys, COGNITO_FEDERATION};
use super::role_name;
use crate::service::kernel::crypto;
use crate::service::{now_ms, Error, Result, State};
use crate::store::iam::{self as store, RoleRecord, TempCredentialRecord};

/// The default lifetime, as STS and Cognito give it.
pub const DEFAULT_DURATION_S: i64 = 3600;

/// What a role's trust policy says about a web identity.
pub enum Trust {
    Granted(RoleRecord),
    /// Local mode, and IAM holds no such role: served as allow-all.
    Undefined,
    /// No such role, or its trust policy does not admit this identity; the reason says which.
    Refused(String),
}

/// The web identity a set of credentials is for: an identity of an identity pool.
pub struct WebIdentity {
    pub pool_id: String,
    pub identity_id: String,
    pub authenticated: bool,
    /// The login provider it signed in with, for `amr`.
    pub provider: Option<String>,
    /// Session tags (from the pool's PrincipalTagAttributeMap), read as `aws:PrincipalTag/*`.
    pub principal_tags: Keys,
}

impl WebIdentity {
    /// The keys its policies read: aud, sub and amr (and the identity id by name).
    pub fn keys(&self) -> Keys {
        let amr = if self.authenticated {
            "authenticated"
        } else {
            "unauthenticated"
        };
        [
            (format!("{COGNITO_FEDERATION}:aud"), self.pool_id.clone()),
            (
                format!("{COGNITO_FEDERATION}:sub"),
                self.identity_id.clone(),
            ),
            (format!("{COGNITO_FEDERATION}:amr"), amr.to_string()),
        ]
        .into_iter()
        .chain(
            self.principal_tags
                .iter()
                .map(|(k, v)| (format!("aws:PrincipalTag/{k}"), v.clone())),
        )
        .collect()
    }
}

/// Whether `role_arn` may be assumed by this web identity.
pub async fn trust(state: &State, role_arn: &str, identity: &WebIdentity) -> Result<Trust> {
    let ours = role_arn.starts_with(&format!("arn:aws:iam::{}:role/", state.account_id));
    let role = match role_name(role_arn).filter(|_| ours) {
        Some(name) => crate::store::iam::find_role(&state.db, name).await?,
        None => {
            return Ok(Trust::Refused(format!(
                "{role_arn} is not a role ARN of this account."
            )))
        }
    };
    let Some(role) = role else {
        if state.local_mode {
            state.iam_warned.once(role_arn);
            return Ok(Trust::Undefined);
        }
        return Ok(Trust::Refused(format!("IAM holds no role {role_arn}.")));
    };
    if super::role_arn(state, &role.path, &role.name) != role_arn {
        return Ok(Trust::Refused(format!("IAM holds no role {role_arn}.")));
    }
    match policy::trusts_web_identity(&role.trust_policy, &state.account_id, &identity.keys())? {
        true => Ok(Trust::Granted(role)),
        false => Ok(Trust::Refused(format!(
            "The trust policy of {role_arn} does not admit {COGNITO_FEDERATION} for this identity."
        ))),
    }
}

/// Credentials just issued.
pub struct Issued {
    pub access_key_id: String,
    pub secret_key: String,
    pub session_token: String,
    pub expires_at: i64,
    pub assumed_role_arn: String,
    pub assumed_role_id: String,
}

/// The hash a session token is stored and looked up as.
pub fn token_hash(token: &str) -> String {
    crypto::sha256_hex("cognate sts session token", token)
}

fn key_id() -> String {
    let raw = crypto::random_token(24).to_uppercase();
    let id: String = raw
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect();
    format!("ASIA{id:A<16}")
}

/// Issues credentials for `role_arn` (granted, or undefined in local mode) to `identity`.
pub async fn issue(
    state: &State,
    role_arn: &str,
    role: Option<&RoleRecord>,
    identity: &WebIdentity,
    session_name: &str,
    duration_s: Option<i64>,
) -> Result<Issued> {
    let max = role.map_or(43200, |r| r.max_session_duration);
    let duration = duration_s.unwrap_or(DEFAULT_DURATION_S);
    if !(900..=max).contains(&duration) {
        return crate::service::fail(
            crate::service::Exception::ValidationError,
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role, or is under 900 seconds.",
        );
    }
    let name = role_name(role_arn).unwrap_or("role").to_string();
    let role_id = role.map_or_else(|| "AROALOCALUNDEFINED".to_string(), |r| r.role_id.clone());
    let mut keys = identity.keys();
    keys.insert("cognate:identity_id".into(), identity.identity_id.clone());
    keys.insert("cognate:pool_id".into(), identity.pool_id.clone());
    keys.insert("cognate:allow_all".into(), role.is_none().to_string());
    keys.insert("aws:userid".into(), format!("{role_id}:{session_name}"));
    let now = now_ms();
    let record = TempCredentialRecord {
        access_key_id: key_id(),
        secret_key: crypto::random_token(30),
        token_hash: String::new(),
        role_arn: role_arn.to_string(),
        session_name: session_name.to_string(),
        context: serde_json::to_string(&keys).map_err(|e| Error::Internal(e.into()))?,
        expires_at: now + duration * 1000,
        created_at: now,
    };
    let session_token = crypto::random_token(96);
    let record = TempCredentialRecord {
        token_hash: token_hash(&session_token),
        ..record
    };
    store::insert_credential(&state.db, &record).await?;
    Ok(Issued {
        assumed_role_arn: assumed_role_arn(state, &name, session_name),
        assumed_role_id: format!("{role_id}:{session_name}"),
        access_key_id: record.access_key_id,
        secret_key: record.secret_key,
        session_token,
        expires_at: record.expires_at,
    })
}

pub fn assumed_role_arn(state: &State, role: &str, session: &str) -> String {
    format!(
        "arn:aws:sts::{}:assumed-role/{role}/{session}",
        state.account_id
    )
}

/// The stored credentials of an access key id, for checking a signature made with them.
pub async fn for_signing(
    state: &State,
    access_key_id: &str,
) -> Result<Option<TempCredentialRecord>> {
    Ok(store::find_credential(&state.db, access_key_id).await?)
}
