//! The cognito-identity actions: identity pools, the identities they hand out, the logins
//! linked to them, their roles, and the credentials they exchange logins for (through `iam`).

pub mod credentials;
pub mod developer;
pub mod external;
pub mod identities;
pub mod ids;
pub mod logins;
pub mod openid;
pub mod pools;
pub mod principal_tags;
pub mod roles;
pub mod sts;
pub mod tags;

pub use crate::service::idp::{Admin, Public};

use crate::service::{fail, Exception, Result, State};
use crate::store::identity::{self as store, IdentityPoolRecord, IdentityRecord};

pub async fn load_pool(state: &State, id: &str) -> Result<IdentityPoolRecord> {
    match store::find_pool(&state.db, id).await? {
        Some(pool) => Ok(pool),
        None => fail(
            Exception::ResourceNotFound,
            format!("IdentityPool '{id}' not found."),
        ),
    }
}

pub async fn load_identity(state: &State, id: &str) -> Result<IdentityRecord> {
    match store::find_identity(&state.db, id).await? {
        Some(identity) => Ok(identity),
        None => fail(
            Exception::ResourceNotFound,
            format!("Identity '{id}' not found."),
        ),
    }
}

/// A new identity pool or identity id: `{region}:{uuid}`.
pub fn new_id(state: &State) -> String {
    format!("{}:{}", state.region, uuid::Uuid::new_v4())
}
