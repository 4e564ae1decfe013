//! STS AssumeRoleWithWebIdentity with an identity pool's OpenID token (the basic flow): the
//! token is verified, the role's trust policy is checked against its `aud` and `amr`, and
//! credentials are issued for the role.

use serde_json::Value;

use super::{openid, Public};
use crate::service::iam::credentials::{self as iam, Issued, Trust, WebIdentity};
use crate::service::{fail, Error, Exception, Result, State};

pub struct AssumeRoleWithWebIdentity {
    pub role_arn: String,
    pub role_session_name: String,
    pub web_identity_token: String,
    pub duration_seconds: Option<i64>,
}

pub struct Assumed {
    pub credentials: Issued,
    pub subject: String,
    pub audience: String,
}

/// The token's failures as STS names them.
async fn verified(state: &State, token: &str) -> Result<serde_json::Map<String, Value>> {
    match openid::verify_claims(state, token, None).await {
        Err(Error::Cognito { message, .. }) if message.contains("expired") => fail(
            Exception::ExpiredToken,
            "Token expired: current date/time is past the token's exp claim.",
        ),
        Err(Error::Cognito { .. }) => fail(
            Exception::InvalidIdentityToken,
            "The ID token provided is not valid.",
        ),
        other => other,
    }
}

pub async fn assume_role_with_web_identity(
    state: &State,
    _: Public,
    req: AssumeRoleWithWebIdentity,
) -> Result<Assumed> {
    let name_ok = (2..=64).contains(&req.role_session_name.len())
        && req
            .role_session_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@-_".contains(c));
    if !name_ok {
        return fail(Exception::ValidationError, "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*");
    }
    let claims = verified(state, &req.web_identity_token).await?;
    let text = |k: &str| {
        claims
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let identity = WebIdentity {
        pool_id: text("aud"),
        identity_id: text("sub"),
        authenticated: openid::amr(&claims).iter().any(|a| a == "authenticated"),
        provider: None,
        principal_tags: Default::default(),
    };
    let role = match iam::trust(state, &req.role_arn, &identity).await? {
        Trust::Granted(role) => Some(role),
        Trust::Undefined => None,
        Trust::Refused(why) => {
            tracing::info!(
                role_arn = req.role_arn,
                why,
                "AssumeRoleWithWebIdentity refused"
            );
            return fail(
                Exception::AccessDenied,
                "Not authorized to perform sts:AssumeRoleWithWebIdentity",
            );
        }
    };
    let credentials = iam::issue(
        state,
        &req.role_arn,
        role.as_ref(),
        &identity,
        &req.role_session_name,
        req.duration_seconds,
    )
    .await?;
    Ok(Assumed {
        credentials,
        subject: identity.identity_id,
        audience: identity.pool_id,
    })
}
