//! The one place the tests name the crate's internals. When a module of the crate moves, only
//! these paths change; every test reaches them through `crate::common::*`.

pub use cognate::config::{Argon2Params, Config, IssuerStyle, QuotaCategory, Quotas, Secret};
pub use cognate::http::admin::{BASE as ADMIN_BASE, ROUTES as ADMIN_ROUTES};
pub use cognate::http::aws::idp::OPERATIONS;
pub use cognate::sealing::Sealer;
pub use cognate::service::directory::sweep;
pub use cognate::service::kernel::{srp, totp};
pub use cognate::startup;
pub use cognate::startup::Application;
pub use cognate::store::keys as key_store;
pub use cognate::store::Db;
pub use cognate::store::{sync as sync_store, sync_config, sync_devices};
