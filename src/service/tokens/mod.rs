//! ID, access and refresh tokens: issued with Cognito's claims, checked, and refreshed.
//! Domain values only: the AWS actions turn `Issued` into their replies.

pub mod claims;
pub mod customize;
pub mod issue;
pub mod machine;
pub mod refresh;
pub mod sessions;
pub mod verify;

pub use issue::{issue, issue_for_grant, issue_with, Grant};
pub use verify::{authenticate_access_token, Authenticated};

use crate::service::directory::devices::NewDevice;

/// The session a set of tokens belongs to: when the user authenticated, and the id that ties
/// every token issued from one sign-in together.
pub struct Session {
    pub auth_time: i64,
    pub origin_jti: String,
    /// The remembered device the sign-in came from, if any.
    pub device_key: Option<String>,
}

/// Tokens just issued.
#[derive(Debug)]
pub struct Issued {
    pub access_token: String,
    pub id_token: String,
    /// Only when a sign-in (not a refresh) issued them, or a rotation replaced it.
    pub refresh_token: Option<String>,
    /// Lifetime of the access token, in seconds.
    pub expires_in: i64,
    /// A device the pool started tracking with this sign-in, for the app to confirm.
    pub new_device: Option<NewDevice>,
}
