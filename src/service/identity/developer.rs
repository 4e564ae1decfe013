//! Developer-authenticated identities: a backend, signed as the admin, vouches for its own
//! user ids (GetOpenIdTokenForDeveloperIdentity) and manages them (Lookup, Merge and
//! UnlinkDeveloperIdentity).

use super::credentials::{amr_of, Proven};
use super::{load_identity, load_pool, logins, new_id, openid, Admin};
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::identity::{self as store, IdentityPoolRecord, IdentityRecord, LoginRecord};
use crate::types::identity::*;
use crate::types::Empty;

fn developer_provider(pool: &IdentityPoolRecord) -> Result<String> {
    match &pool.settings.pool.developer_provider_name {
        Some(name) => Ok(name.clone()),
        None => fail(
            Exception::NotAuthorized,
            "This identity pool has no developer provider.",
        ),
    }
}

fn check_provider(pool: &IdentityPoolRecord, name: &str) -> Result<()> {
    if developer_provider(pool)? != name {
        return fail(
            Exception::NotAuthorized,
            format!("{name} is not the developer provider of this identity pool."),
        );
    }
    Ok(())
}

pub async fn get_open_id_token_for_developer_identity(
    state: &State,
    _: Admin,
    mut req: DeveloperTokenRequest,
) -> Result<OpenIdTokenResponse> {
    let pool = load_pool(state, &req.identity_pool_id).await?;
    let provider = developer_provider(&pool)?;
    let Some(user) = req.logins.remove(&provider) else {
        return invalid_parameter(format!(
            "Logins must include the developer provider {provider}."
        ));
    };
    let lifetime = req.token_duration.unwrap_or(openid::DEFAULT_LIFETIME_S);
    if !(1..=openid::MAX_LIFETIME_S).contains(&lifetime) {
        return invalid_parameter(format!(
            "TokenDuration must be 1 to {} seconds.",
            openid::MAX_LIFETIME_S
        ));
    }
    let verified = logins::verify(state, &pool, &req.logins).await?;
    let linked = store::find_by_login(&state.db, &pool.id, &provider, &user).await?;
    let identity_id = match (linked, req.identity_id) {
        (Some(found), Some(asked)) if found != asked => {
            return fail(
                Exception::ResourceConflict,
                "The developer user identifier is linked to another identity.",
            );
        }
        (Some(found), _) => found,
        (None, asked) => link_developer(state, &pool, asked, &provider, &user).await?,
    };
    let mut proven = Proven {
        pool,
        identity_id,
        verified,
        authenticated: true,
    };
    let mut amr = amr_of(&proven);
    amr.push(provider.clone());
    amr.push(format!("{provider}:{}", user));
    let token = openid::sign(state, &proven.pool.id, &proven.identity_id, amr, lifetime).await?;
    Ok(OpenIdTokenResponse {
        identity_id: std::mem::take(&mut proven.identity_id),
        token,
    })
}

/// Links the developer's user id to `asked` (which must be of this pool), or to a new identity.
async fn link_developer(
    state: &State,
    pool: &IdentityPoolRecord,
    asked: Option<String>,
    provider: &str,
    user: &str,
) -> Result<String> {
    let login = LoginRecord {
        provider: provider.into(),
        subject: user.into(),
        developer: 1,
    };
    let now = now_ms();
    if let Some(id) = asked {
        let identity = load_identity(state, &id).await?;
        if identity.pool_id != pool.id {
            return fail(
                Exception::ResourceNotFound,
                format!("Identity '{id}' not found."),
            );
        }
        store::link(&state.db, &pool.id, &id, &[login], now).await?;
        return Ok(id);
    }
    let identity = IdentityRecord {
        id: new_id(state),
        pool_id: pool.id.clone(),
        created_at: now,
        updated_at: now,
    };
    store::insert_identity(&state.db, &identity, &[login]).await?;
    Ok(identity.id)
}

pub async fn lookup_developer_identity(
    state: &State,
    _: Admin,
    req: LookupDeveloperIdentityRequest,
) -> Result<LookupDeveloperIdentityResponse> {
    let pool = load_pool(state, &req.identity_pool_id).await?;
    let provider = developer_provider(&pool)?;
    let identity_id = match (&req.identity_id, &req.developer_user_identifier) {
        (Some(id), _) => id.clone(),
        (None, Some(user)) => {
            match store::find_by_login(&state.db, &pool.id, &provider, user).await? {
                Some(id) => id,
                None => {
                    return fail(
                        Exception::ResourceNotFound,
                        "No identity is linked to this developer user identifier.",
                    )
                }
            }
        }
        (None, None) => {
            return invalid_parameter("Either IdentityId or DeveloperUserIdentifier is required.")
        }
    };
    let identity = load_identity(state, &identity_id).await?;
    if identity.pool_id != pool.id {
        return fail(
            Exception::ResourceNotFound,
            format!("Identity '{identity_id}' not found."),
        );
    }
    let list = store::logins_of(&state.db, &identity_id)
        .await?
        .into_iter()
        .filter(|l| l.developer != 0 && l.provider == provider)
        .map(|l| l.subject)
        .collect();
    Ok(LookupDeveloperIdentityResponse {
        identity_id,
        developer_user_identifier_list: list,
        next_token: None,
    })
}

pub async fn merge_developer_identities(
    state: &State,
    _: Admin,
    req: MergeDeveloperIdentitiesRequest,
) -> Result<IdentityIdResponse> {
    let pool = load_pool(state, &req.identity_pool_id).await?;
    check_provider(&pool, &req.developer_provider_name)?;
    let find = |user: String| {
        let (db, pool_id, provider) = (
            &state.db,
            pool.id.clone(),
            req.developer_provider_name.clone(),
        );
        async move {
            match store::find_by_login(db, &pool_id, &provider, &user).await? {
                Some(id) => Ok(id),
                None => fail(
                    Exception::ResourceNotFound,
                    format!("No identity is linked to {user}."),
                ),
            }
        }
    };
    let source = find(req.source_user_identifier.clone()).await?;
    let destination = find(req.destination_user_identifier.clone()).await?;
    if source != destination {
        store::move_logins(&state.db, &source, &destination, now_ms()).await?;
    }
    Ok(IdentityIdResponse {
        identity_id: destination,
    })
}

pub async fn unlink_developer_identity(
    state: &State,
    _: Admin,
    req: UnlinkDeveloperIdentityRequest,
) -> Result<Empty> {
    let pool = load_pool(state, &req.identity_pool_id).await?;
    check_provider(&pool, &req.developer_provider_name)?;
    let identity = load_identity(state, &req.identity_id).await?;
    let unlinked = identity.pool_id == pool.id
        && store::unlink(
            &state.db,
            &identity.id,
            &req.developer_provider_name,
            &req.developer_user_identifier,
        )
        .await?;
    if !unlinked {
        return fail(
            Exception::ResourceNotFound,
            "The developer user identifier is not linked to this identity.",
        );
    }
    Ok(Empty {})
}
