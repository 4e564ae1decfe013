//! End-to-end tests: the real server on port 0 with a fresh database per test, driven by the
//! official AWS SDK for Rust and plain HTTP. Set COGNATE_TEST_DATABASE_URL to a PostgreSQL URL
//! to run them against PostgreSQL (a fresh database is created per test).

mod common;

mod admin_create_user;
mod admin_rest;
mod admin_rest_resources;
mod admin_user_lifecycle;
mod alias_uniqueness;
mod aliases;
mod attack_resistance;
mod audit;
mod aws_json_protocol;
mod browsers;
mod choice_based_sign_in;
mod clients;
mod code_delivery;
mod expiry_sweep;
mod groups;
mod identity_pools;
mod import_jobs;
mod invited_users;
mod issuer_style;
mod list_users;
mod load_shedding;
mod lockout;
mod metrics;
mod mfa;
mod model_validation;
mod oauth2_flows;
mod oauth2_pages;
mod oauth2_setup;
mod oauth2_support;
mod password_change_and_reset;
mod password_sign_in;
mod pools;
mod refresh_tokens;
mod remembered_devices;
mod secrets_at_rest;
mod sign_out_and_revocation;
mod sign_up;
mod sigv4;
mod srp_sign_in;
mod sts_iam;
mod tags;
mod template_import;
mod tokens_and_discovery;
mod triggers_custom_auth;
mod triggers_failures;
mod triggers_lambda;
mod triggers_signup;
mod triggers_tokens;
mod user_attributes;
mod user_existence;
mod user_settings;
mod wellknown_caching;
