//! Sign-in: the session and its factors (password, SRP, new password, MFA, choice, device).
//! Each factor answers with an [`Outcome`]; the [`pipeline`] alone decides what follows and
//! answers the caller with a [`Step`]. Nothing here knows the shape of an AWS reply: the AWS
//! actions map a step to `AuthResponse`, the hosted UI to a page or a redirect.
//!
//! Imports run one way: `start` and `respond` use the pipeline and the factors, the pipeline
//! uses the factors, and the factors use only `step`, `params` and `session`.

pub mod choice;
pub mod custom;
pub mod device;
pub mod mfa;
pub mod migration;
pub mod new_password;
pub mod params;
pub mod password;
pub mod pipeline;
pub mod refresh;
pub mod respond;
pub mod session;
pub mod srp;
pub mod start;
pub mod step;

pub use step::{Caller, Challenge, Outcome, Step};
