//! What sign-in steps answer with: the [`Outcome`] of a factor, and the [`Step`] the
//! pipeline makes of it for the caller.

use std::collections::HashMap;

use super::session::SessionState;
use crate::service::tokens::Issued;
use crate::store::users::UserRecord;

/// What a sign-in step leads to.
#[derive(Debug)]
pub enum Step {
    /// Another challenge to answer within the session.
    Challenge(Challenge),
    /// The sign-in is complete.
    Tokens(Issued),
}

/// A challenge the user must answer next.
#[derive(Debug)]
pub struct Challenge {
    pub name: &'static str,
    /// The session token that the answer must carry.
    pub session: String,
    pub parameters: HashMap<String, String>,
    /// For SELECT_CHALLENGE: the challenges the user may pick.
    pub available: Option<Vec<String>>,
}

/// What a factor established; the pipeline decides what follows.
#[derive(Debug)]
pub enum Outcome {
    /// The factor needs an answer first.
    Challenge(Challenge),
    /// The password was proven (plain or SRP): a new password, a device or MFA may follow.
    PasswordProven {
        user: UserRecord,
        device_key: Option<String>,
    },
    /// A temporary password was replaced: a device or MFA may follow.
    PasswordChanged { user: UserRecord, st: SessionState },
    /// A one-time code stood in for the password (choice-based sign-in): nothing follows.
    CodeProven { user: UserRecord, st: SessionState },
    /// The last factor (MFA, device, MFA set-up) passed: tokens follow.
    Verified { user: UserRecord, st: SessionState },
}

/// Which caller started the sign-in: the public API or an administrator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    Public,
    Admin,
}
