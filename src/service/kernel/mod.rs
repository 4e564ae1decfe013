//! Pure helpers with no state and no store: cryptography, identifiers, pagination tokens,
//! the password policy, SRP and TOTP, and the worker pool that runs the costly ones.
//! Everything above may use them; they use nothing above.

pub mod crypto;
pub mod ids;
pub mod jws;
pub mod paging;
pub mod password_policy;
pub mod srp;
pub mod totp;
pub mod ui_css;
pub mod workers;
