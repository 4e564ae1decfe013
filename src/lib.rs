//! Cognate: a self-hostable identity server that speaks AWS Cognito's protocols.

#[cfg(test)]
mod architecture;
pub mod config;
pub mod http;
pub mod metrics;
pub mod sealing;
pub mod service;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod template;
pub mod types;
