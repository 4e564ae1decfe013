//! What leaves the server: email and SMS today; push, upstream identity providers and Lambda
//! triggers join here. Uses the kernel and the store, nothing of the domain above.

pub mod adm;
pub mod apns;
pub mod fcm;
pub mod lambda;
pub mod messaging;
pub mod push;
pub mod relying;
pub mod streams;
pub mod upstream;
