//! The directory: user pools and their schema, app clients, groups, users with their aliases
//! and attributes, one-time codes, lockout, credentials, signing keys, MFA factor records and
//! devices. It sends through `outbound`, builds on `kernel`, and knows nothing of sign-in,
//! tokens or any wire format.

pub mod aliases;
pub mod attributes;
pub mod clients;
pub mod codes;
pub mod credentials;
pub mod devices;
pub mod federated;
pub mod groups;
pub mod import_jobs;
pub mod import_rows;
pub mod keys;
pub mod lockout;
pub mod mfa;
pub mod pending;
pub mod pools;
pub mod profile;
pub mod providers;
pub mod recovery;
pub mod schema;
pub mod scopes;
pub mod sweep;
pub mod users;
