//! End-to-end tests: the real server on port 0 with a fresh database per test, driven by the
//! official AWS SDK for Rust and plain HTTP. Set COGNATE_TEST_DATABASE_URL to a PostgreSQL URL
//! to run them against PostgreSQL (a fresh database is created per test).

mod common;

mod admin_flows;
mod admin_users;
mod admin_users_more;
mod aliases;
mod choice;
mod clients;
mod delivery;
mod devices;
mod flow;
mod groups;
mod list_users;
mod lockout;
mod mfa;
mod model_validation;
mod passwords;
mod pools;
mod protocol;
mod refresh;
mod self_service;
mod signin_errors;
mod sigv4;
mod srp;
mod tags;
