//! GetCredentialsForIdentity (the enhanced flow: logins in, credentials for the role the
//! pool's roles and role mappings choose) and GetOpenIdToken (the basic flow's first step).

use super::logins::{self, Verified};
use super::{load_identity, load_pool, openid, principal_tags, roles, Public};
use crate::service::iam::credentials::{self as iam, Trust, WebIdentity};
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::identity::{self as store, IdentityPoolRecord, LoginRecord};
use crate::types::epoch_seconds;
use crate::types::identity::*;

/// The session name of the enhanced flow's credentials, as Cognito names it.
pub const SESSION_NAME: &str = "CognitoIdentityCredentials";

/// An identity with logins that check out for it.
pub struct Proven {
    pub pool: IdentityPoolRecord,
    pub identity_id: String,
    pub verified: Vec<Verified>,
    pub authenticated: bool,
}

fn forbidden<T>(id: &str) -> Result<T> {
    fail(
        Exception::NotAuthorized,
        format!("Access to Identity '{id}' is forbidden."),
    )
}

/// Checks that `logins` speak for identity `id` (linking new ones to it), or that it is a
/// guest of a pool that allows guests.
pub async fn prove(state: &State, id: &str, logins: &Logins) -> Result<Proven> {
    let identity = load_identity(state, id).await?;
    let pool = load_pool(state, &identity.pool_id).await?;
    let verified = logins::verify(state, &pool, logins).await?;
    let linked = store::logins_of(&state.db, id).await?;
    if verified.is_empty() {
        if !linked.is_empty() {
            return forbidden(id);
        }
        if !pool.settings.pool.allow_unauthenticated_identities {
            return super::ids::guests_refused();
        }
    }
    let mut new = Vec::new();
    let mut authenticated = false;
    for v in &verified {
        if v.is_openid_token() {
            if v.subject != id {
                return forbidden(id);
            }
            authenticated |= openid::amr(&v.claims).iter().any(|a| a == "authenticated");
            continue;
        }
        authenticated = true;
        match store::find_by_login(&state.db, &pool.id, &v.provider, &v.subject).await? {
            Some(other) if other != id => return forbidden(id),
            Some(_) => {}
            None => new.push(LoginRecord {
                provider: v.provider.clone(),
                subject: v.subject.clone(),
                developer: 0,
            }),
        }
    }
    if !new.is_empty() {
        store::link(&state.db, &pool.id, id, &new, now_ms()).await?;
    }
    Ok(Proven {
        pool,
        identity_id: id.to_string(),
        verified,
        authenticated,
    })
}

fn misconfigured<T>() -> Result<T> {
    fail(
        Exception::InvalidIdentityPoolConfiguration,
        "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
    )
}

pub async fn get_credentials_for_identity(
    state: &State,
    _: Public,
    req: GetCredentialsRequest,
) -> Result<GetCredentialsResponse> {
    let proven = prove(state, &req.identity_id, &req.logins.unwrap_or_default()).await?;
    let role_arn = roles::choose(state, &proven, req.custom_role_arn.as_deref())?;
    let identity = WebIdentity {
        pool_id: proven.pool.id.clone(),
        identity_id: proven.identity_id.clone(),
        authenticated: proven.authenticated,
        provider: proven.verified.first().map(|v| v.provider.clone()),
        principal_tags: principal_tags::tags(&proven.pool, &proven.verified),
    };
    let role = match iam::trust(state, &role_arn, &identity).await? {
        Trust::Granted(role) => Some(role),
        Trust::Undefined => None,
        Trust::Refused(why) => {
            tracing::info!(role_arn, why, "credentials refused");
            return misconfigured();
        }
    };
    let issued = iam::issue(
        state,
        &role_arn,
        role.as_ref(),
        &identity,
        SESSION_NAME,
        None,
    )
    .await?;
    Ok(GetCredentialsResponse {
        identity_id: proven.identity_id,
        credentials: Credentials {
            access_key_id: issued.access_key_id,
            secret_key: issued.secret_key,
            session_token: issued.session_token,
            expiration: epoch_seconds(issued.expires_at).floor(),
        },
    })
}

/// The `amr` of an OpenID token: how the identity signed in.
pub fn amr_of(proven: &Proven) -> Vec<String> {
    if !proven.authenticated {
        return vec!["unauthenticated".into()];
    }
    let mut amr = vec!["authenticated".to_string()];
    for v in proven.verified.iter().filter(|v| !v.is_openid_token()) {
        amr.push(v.provider.clone());
        amr.push(format!("{}:{}", v.provider, v.subject));
    }
    amr
}

pub async fn get_open_id_token(
    state: &State,
    _: Public,
    req: GetOpenIdTokenRequest,
) -> Result<OpenIdTokenResponse> {
    let proven = prove(state, &req.identity_id, &req.logins.unwrap_or_default()).await?;
    if proven.pool.settings.pool.allow_classic_flow != Some(true) {
        return invalid_parameter("Basic (classic) flow is not enabled for this identity pool.");
    }
    let token = openid::sign(
        state,
        &proven.pool.id,
        &proven.identity_id,
        amr_of(&proven),
        openid::DEFAULT_LIFETIME_S,
    )
    .await?;
    Ok(OpenIdTokenResponse {
        identity_id: proven.identity_id,
        token,
    })
}
