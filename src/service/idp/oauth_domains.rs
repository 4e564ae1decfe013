//! Hosted-UI domains: Create/Describe/Update/DeleteUserPoolDomain. A pool has at most one
//! prefix domain; Cognate serves its hosted UI at its own public URL whatever the name.

use super::Admin;
use crate::service::directory::pools;
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::oauth::{self as oauth_store, DomainRow};
use crate::types::oauth::*;
use crate::types::Empty;

fn managed_login_version(v: Option<i64>) -> Result<i64> {
    match v.unwrap_or(1) {
        v @ (1 | 2) => Ok(v),
        v => invalid_parameter(format!(
            "ManagedLoginVersion {v} is not supported; use 1 or 2."
        )),
    }
}

fn config_text(config: &Option<serde_json::Value>) -> Option<String> {
    config.as_ref().map(|c| c.to_string())
}

pub async fn create_user_pool_domain(
    state: &State,
    _: Admin,
    req: UserPoolDomainRequest,
) -> Result<UserPoolDomainReply> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let version = managed_login_version(req.managed_login_version)?;
    if oauth_store::find_domain(&state.db, &req.domain)
        .await?
        .is_some()
    {
        return invalid_parameter("Domain already associated with another user pool.");
    }
    if oauth_store::find_domain_by_pool(&state.db, &pool.id)
        .await?
        .is_some()
    {
        return invalid_parameter(format!(
            "User pool {} already has a domain configured.",
            pool.id
        ));
    }
    let row = DomainRow {
        domain: req.domain,
        pool_id: pool.id,
        custom_domain_config: config_text(&req.custom_domain_config),
        managed_login_version: version,
        created_at: now_ms(),
    };
    oauth_store::insert_domain(&state.db, &row).await?;
    Ok(UserPoolDomainReply {
        cloud_front_domain: req.custom_domain_config.map(|_| cloud_front(state)),
        managed_login_version: version,
    })
}

/// Where a custom domain's CNAME would point: this server's own host.
fn cloud_front(state: &State) -> String {
    let url = &state.public_url;
    let host = url.split("://").nth(1).unwrap_or(url);
    host.split('/').next().unwrap_or(host).to_string()
}

pub async fn describe_user_pool_domain(
    state: &State,
    _: Admin,
    req: DescribeUserPoolDomainRequest,
) -> Result<DescribeUserPoolDomainResponse> {
    let row = oauth_store::find_domain(&state.db, &req.domain).await?;
    Ok(DescribeUserPoolDomainResponse {
        domain_description: row.map(|d| DomainDescriptionType {
            user_pool_id: d.pool_id,
            aws_account_id: state.account_id.clone(),
            domain: d.domain,
            cloud_front_distribution: cloud_front(state),
            version: "20130630".into(),
            status: "ACTIVE",
            custom_domain_config: d
                .custom_domain_config
                .and_then(|c| serde_json::from_str(&c).ok()),
            managed_login_version: d.managed_login_version,
        }),
    })
}

/// The domain row, which must belong to the pool named.
async fn owned(state: &State, pool_id: &str, domain: &str) -> Result<DomainRow> {
    pools::load(state, pool_id).await?;
    match oauth_store::find_domain(&state.db, domain).await? {
        Some(d) if d.pool_id == pool_id => Ok(d),
        _ => fail(
            Exception::InvalidParameter,
            format!("Domain {domain} does not exist in user pool {pool_id}."),
        ),
    }
}

pub async fn update_user_pool_domain(
    state: &State,
    _: Admin,
    req: UserPoolDomainRequest,
) -> Result<UserPoolDomainReply> {
    let mut row = owned(state, &req.user_pool_id, &req.domain).await?;
    if req.managed_login_version.is_some() {
        row.managed_login_version = managed_login_version(req.managed_login_version)?;
    }
    if req.custom_domain_config.is_some() {
        row.custom_domain_config = config_text(&req.custom_domain_config);
    }
    oauth_store::update_domain(&state.db, &row).await?;
    Ok(UserPoolDomainReply {
        cloud_front_domain: row
            .custom_domain_config
            .as_ref()
            .map(|_| cloud_front(state)),
        managed_login_version: row.managed_login_version,
    })
}

pub async fn delete_user_pool_domain(
    state: &State,
    _: Admin,
    req: UserPoolDomainRequest,
) -> Result<Empty> {
    let row = owned(state, &req.user_pool_id, &req.domain).await?;
    oauth_store::delete_domain(&state.db, &row.domain).await?;
    Ok(Empty {})
}

/// The domain a pool has, if any (a pool has at most one).
pub async fn pool_domain(state: &State, _: Admin, pool_id: &str) -> Result<Option<String>> {
    let pool = pools::load(state, pool_id).await?;
    let row = oauth_store::find_domain_by_pool(&state.db, &pool.id).await?;
    Ok(row.map(|d| d.domain))
}
