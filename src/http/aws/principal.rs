//! Authorization as extractors: each operation's service function names the principal it
//! needs, and the dispatcher can only call it once that principal has been established.
//!
//! - [`Admin`]: a SigV4 signature of the admin credentials (strict), or any well-formed one
//!   (local mode), checked before the request is even validated, as AWS does.
//! - [`Public`]: nothing; the operation authenticates with what its request carries.
//! - [`Bearer`]: the request's `AccessToken`, verified, after the request is validated.

use std::future::Future;

use actix_web::HttpRequest;
use bytes::Bytes;
use serde_json::Value;

use super::error::AwsError;
use super::sigv4::AdminAuth;
use crate::service::idp::{Admin, Bearer, Public};
use crate::service::{tokens, State};

/// What an operation needs before it may run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A SigV4 signature (the service model's default auth).
    Signed,
    /// No signature: the service model marks the operation `authtype: none`.
    Unsigned,
}

/// The parts of a request a principal is established from.
pub struct Ctx<'a> {
    pub state: &'a State,
    pub auth: &'a AdminAuth,
    pub req: &'a HttpRequest,
    pub body: &'a Bytes,
    /// The signing name of the service the request is for (`cognito-idp`, ...).
    pub service: &'static str,
}

pub trait Principal: Sized {
    const KIND: Kind;

    /// Runs before the request is validated against the service model.
    fn authenticate(ctx: &Ctx<'_>) -> impl Future<Output = Result<(), AwsError>> {
        let _ = ctx;
        async { Ok(()) }
    }

    /// Establishes the principal from the validated request.
    fn extract(ctx: &Ctx<'_>, input: &Value) -> impl Future<Output = Result<Self, AwsError>>;
}

impl Principal for Admin {
    const KIND: Kind = Kind::Signed;

    async fn authenticate(ctx: &Ctx<'_>) -> Result<(), AwsError> {
        ctx.auth.authenticate(ctx.req, ctx.body, ctx.service).await
    }

    async fn extract(_: &Ctx<'_>, _: &Value) -> Result<Self, AwsError> {
        // `authenticate` has checked the signature; nothing else is needed.
        Ok(Admin::verified())
    }
}

impl Principal for Public {
    const KIND: Kind = Kind::Unsigned;

    async fn extract(_: &Ctx<'_>, _: &Value) -> Result<Self, AwsError> {
        Ok(Public)
    }
}

impl Principal for Bearer {
    const KIND: Kind = Kind::Unsigned;

    async fn extract(ctx: &Ctx<'_>, input: &Value) -> Result<Self, AwsError> {
        let Some(token) = input.get("AccessToken").and_then(Value::as_str) else {
            return Err(AwsError::new(
                "InvalidParameterException",
                "1 validation error detected: Value null at 'accessToken' failed to satisfy \
                 constraint: Member must not be null",
            ));
        };
        let auth = tokens::authenticate_access_token(ctx.state, token).await?;
        Ok(Bearer(auth))
    }
}
