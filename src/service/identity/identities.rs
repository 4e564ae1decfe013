//! Identities: ListIdentities, DescribeIdentity, DeleteIdentities, UnlinkIdentity.

use super::credentials::prove;
use super::{load_identity, load_pool, Admin, Public};
use crate::service::kernel::paging;
use crate::service::{fail, invalid_parameter, Exception, Result, State};
use crate::store::identity::{self as store, IdentityRecord};
use crate::types::identity::*;
use crate::types::{epoch_seconds, Empty};

async fn describe(state: &State, identity: IdentityRecord) -> Result<IdentityDescription> {
    let mut logins: Vec<String> = store::logins_of(&state.db, &identity.id)
        .await?
        .into_iter()
        .map(|l| l.provider)
        .collect();
    logins.sort();
    logins.dedup();
    Ok(IdentityDescription {
        identity_id: identity.id,
        logins,
        creation_date: epoch_seconds(identity.created_at),
        last_modified_date: epoch_seconds(identity.updated_at),
    })
}

pub async fn describe_identity(
    state: &State,
    _: Admin,
    req: IdentityIdRequest,
) -> Result<IdentityDescription> {
    let identity = load_identity(state, &req.identity_id).await?;
    describe(state, identity).await
}

/// The identity pool an identity belongs to (which IdentityDescription does not say).
pub async fn identity_pool_of(state: &State, _: Admin, identity_id: &str) -> Result<String> {
    Ok(load_identity(state, identity_id).await?.pool_id)
}

pub async fn list_identities(
    state: &State,
    _: Admin,
    req: ListIdentitiesRequest,
) -> Result<ListIdentitiesResponse> {
    let pool = load_pool(state, &req.identity_pool_id).await?;
    let after = req
        .next_token
        .as_deref()
        .map(paging::decode_created)
        .transpose()?;
    let limit = req.max_results.clamp(1, 60);
    let mut rows = store::list_identities(&state.db, &pool.id, after, limit + 1).await?;
    let next_token = paging::next_token(&mut rows, limit, |r| {
        paging::encode_created(r.created_at, &r.id)
    });
    let mut identities = Vec::with_capacity(rows.len());
    for row in rows {
        identities.push(describe(state, row).await?);
    }
    Ok(ListIdentitiesResponse {
        identity_pool_id: pool.id,
        identities,
        next_token,
    })
}

/// AWS's limit of identities deleted in one call.
const MAX_DELETE: usize = 60;

pub async fn delete_identities(
    state: &State,
    _: Admin,
    req: DeleteIdentitiesRequest,
) -> Result<DeleteIdentitiesResponse> {
    if req.identity_ids_to_delete.len() > MAX_DELETE {
        return invalid_parameter(format!(
            "At most {MAX_DELETE} identities can be deleted at once."
        ));
    }
    let mut unprocessed = Vec::new();
    for id in req.identity_ids_to_delete {
        if !store::delete_identity(&state.db, &id).await? {
            unprocessed.push(UnprocessedIdentityId {
                identity_id: id,
                error_code: "InternalServerError".into(),
            });
        }
    }
    Ok(DeleteIdentitiesResponse {
        unprocessed_identity_ids: unprocessed,
    })
}

pub async fn unlink_identity(
    state: &State,
    _: Public,
    req: UnlinkIdentityRequest,
) -> Result<Empty> {
    if req.logins.is_empty() {
        return fail(
            Exception::NotAuthorized,
            format!("Access to Identity '{}' is forbidden.", req.identity_id),
        );
    }
    let proven = prove(state, &req.identity_id, &req.logins).await?;
    let linked = store::logins_of(&state.db, &proven.identity_id).await?;
    for provider in &req.logins_to_remove {
        let provider = super::logins::user_pool_of(state, provider)
            .map(|p| format!("cognito-idp.{}.amazonaws.com/{p}", state.region))
            .unwrap_or_else(|| provider.clone());
        for login in linked
            .iter()
            .filter(|l| l.provider == provider && l.developer == 0)
        {
            store::unlink(
                &state.db,
                &proven.identity_id,
                &login.provider,
                &login.subject,
            )
            .await?;
        }
    }
    Ok(Empty {})
}
