//! GetId: the identity of a set of logins (the same logins always the same identity, new
//! logins accumulating on it), or a new guest identity where the pool allows guests.

use super::logins::{self, Verified};
use super::{load_pool, new_id, Public};
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::identity::{self as store, IdentityPoolRecord, IdentityRecord, LoginRecord};
use crate::store::StoreError;
use crate::types::identity::{GetIdRequest, IdentityIdResponse};

/// AWS's limit of logins linked to one identity.
const MAX_LOGINS: usize = 10;

pub async fn get_id(state: &State, _: Public, req: GetIdRequest) -> Result<IdentityIdResponse> {
    let pool = load_pool(state, &req.identity_pool_id).await?;
    let verified = logins::verify(state, &pool, &req.logins.unwrap_or_default()).await?;
    let identity_id = resolve(state, &pool, &verified).await?;
    Ok(IdentityIdResponse { identity_id })
}

pub fn guests_refused<T>() -> Result<T> {
    fail(
        Exception::NotAuthorized,
        "Unauthenticated access is not supported for this identity pool.",
    )
}

/// The identity the verified logins belong to, created or extended as needed.
pub async fn resolve(
    state: &State,
    pool: &IdentityPoolRecord,
    verified: &[Verified],
) -> Result<String> {
    if verified.is_empty() && !pool.settings.pool.allow_unauthenticated_identities {
        return guests_refused();
    }
    match resolve_once(state, pool, verified).await {
        // A concurrent request linked one of these logins first: it now resolves to that.
        Err(crate::service::Error::Internal(e)) if is_conflict(&e) => {
            resolve_once(state, pool, verified).await
        }
        other => other,
    }
}

fn is_conflict(e: &anyhow::Error) -> bool {
    matches!(
        e.downcast_ref::<StoreError>(),
        Some(StoreError::Conflict(_))
    )
}

/// The identity already holding any of the logins, if one does; two different ones conflict.
async fn existing(
    state: &State,
    pool: &IdentityPoolRecord,
    verified: &[Verified],
) -> Result<Option<String>> {
    let mut found: Option<String> = None;
    for v in verified {
        let id = match v.is_openid_token() {
            true => Some(v.subject.clone()),
            false => store::find_by_login(&state.db, &pool.id, &v.provider, &v.subject).await?,
        };
        if let Some(id) = id {
            if found.as_ref().is_some_and(|f| *f != id) {
                return fail(
                    Exception::ResourceConflict,
                    "The logins belong to different identities.",
                );
            }
            found = Some(id);
        }
    }
    Ok(found)
}

async fn resolve_once(
    state: &State,
    pool: &IdentityPoolRecord,
    verified: &[Verified],
) -> Result<String> {
    let found = existing(state, pool, verified).await?;
    let now = now_ms();
    let mut new_logins = Vec::new();
    for v in verified.iter().filter(|v| !v.is_openid_token()) {
        let linked = store::find_by_login(&state.db, &pool.id, &v.provider, &v.subject).await?;
        if linked.is_none() {
            new_logins.push(LoginRecord {
                provider: v.provider.clone(),
                subject: v.subject.clone(),
                developer: 0,
            });
        }
    }
    let Some(id) = found else {
        let identity = IdentityRecord {
            id: new_id(state),
            pool_id: pool.id.clone(),
            created_at: now,
            updated_at: now,
        };
        store::insert_identity(&state.db, &identity, &new_logins).await?;
        return Ok(identity.id);
    };
    let identity = super::load_identity(state, &id).await?;
    if identity.pool_id != pool.id {
        return fail(
            Exception::NotAuthorized,
            "Invalid login token. The token belongs to another identity pool.",
        );
    }
    if !new_logins.is_empty() {
        let count = store::logins_of(&state.db, &id).await?.len();
        if count + new_logins.len() > MAX_LOGINS {
            return fail(
                Exception::LimitExceeded,
                format!("An identity can have at most {MAX_LOGINS} logins."),
            );
        }
        store::link(&state.db, &pool.id, &id, &new_logins, now).await?;
    }
    Ok(id)
}
