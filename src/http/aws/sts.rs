//! STS over the Query protocol: GetCallerIdentity (admin or temporary credentials) and
//! AssumeRoleWithWebIdentity (unsigned; the web identity token is the credential).

use super::query::{el, reply, QueryCtx, STS_NS};
use super::sigv4::Signer;
use super::AwsError;
use crate::service::identity::sts::{assume_role_with_web_identity, AssumeRoleWithWebIdentity};
use crate::service::identity::Public;

pub async fn run(ctx: &QueryCtx<'_>, action: &str) -> Result<String, AwsError> {
    match action {
        "GetCallerIdentity" => get_caller_identity(ctx).await,
        "AssumeRoleWithWebIdentity" => assume(ctx).await,
        "" => Err(AwsError::new("MissingAction", "Missing Action")),
        other => Err(AwsError::new(
            "InvalidAction",
            format!("Cognate's STS does not serve {other}."),
        )),
    }
}

async fn get_caller_identity(ctx: &QueryCtx<'_>) -> Result<String, AwsError> {
    let signer = ctx
        .auth
        .authenticate_signer(ctx.state, ctx.req, &ctx.body.to_vec().into(), "sts")
        .await?;
    let account = &ctx.state.account_id;
    let (arn, user_id) = match signer {
        Signer::Admin => (
            format!("arn:aws:iam::{account}:user/cognate-admin"),
            "AIDACOGNATEADMIN".to_string(),
        ),
        Signer::Temporary(caller) => (caller.assumed_role_arn(ctx.state), caller.user_id()),
    };
    Ok(reply(
        STS_NS,
        "GetCallerIdentity",
        Some(format!(
            "{}{}{}",
            el("Arn", &arn),
            el("UserId", &user_id),
            el("Account", account)
        )),
    ))
}

pub fn iso8601(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

async fn assume(ctx: &QueryCtx<'_>) -> Result<String, AwsError> {
    let p = &ctx.params;
    let req = AssumeRoleWithWebIdentity {
        role_arn: p.required("RoleArn")?.to_string(),
        role_session_name: p.required("RoleSessionName")?.to_string(),
        web_identity_token: p.required("WebIdentityToken")?.to_string(),
        duration_seconds: p.number("DurationSeconds")?,
    };
    let out = assume_role_with_web_identity(ctx.state, Public, req).await?;
    let c = &out.credentials;
    let credentials = format!(
        "<Credentials>{}{}{}{}</Credentials>",
        el("AccessKeyId", &c.access_key_id),
        el("SecretAccessKey", &c.secret_key),
        el("SessionToken", &c.session_token),
        el("Expiration", &iso8601(c.expires_at))
    );
    let user = format!(
        "<AssumedRoleUser>{}{}</AssumedRoleUser>",
        el("Arn", &c.assumed_role_arn),
        el("AssumedRoleId", &c.assumed_role_id)
    );
    let result = format!(
        "{}{}{user}{credentials}{}",
        el("SubjectFromWebIdentityToken", &out.subject),
        el("Audience", &out.audience),
        el("Provider", "cognito-identity.amazonaws.com")
    );
    Ok(reply(STS_NS, "AssumeRoleWithWebIdentity", Some(result)))
}
