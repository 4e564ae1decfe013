//! Administration that is not AWS-shaped: the audit log of administrative changes and the
//! REST admin API's tokens. It sits above `idp`: the REST API reaches the directory through
//! the same actions the AWS API calls.

pub mod audit;
pub mod templates;
pub mod tokens;

/// Who made an administrative change, and from where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// `token` (a REST admin token), `sigv4` (the admin credentials) or `local` (a loopback
    /// caller in local mode).
    pub kind: &'static str,
    /// The token's name, or the access key id the request was signed with.
    pub name: String,
    /// The peer address the request came from.
    pub source: String,
}
