//! IAM over the Query protocol, the role operations an identity pool set-up needs:
//! CreateRole, GetRole, ListRoles, UpdateAssumeRolePolicy, DeleteRole, and the inline
//! policies (Put/Get/Delete/ListRolePolicies), and the OpenID Connect providers (in
//! `iam_oidc`). Only the administrator may call them.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::query::{el, reply, QueryCtx, IAM_NS};
use super::sigv4::Signer;
use super::sts::iso8601;
use super::AwsError;
use crate::service::iam::{role_arn, roles};
use crate::store::iam::RoleRecord;

pub const ACTIONS: &[&str] = &[
    "CreateRole",
    "GetRole",
    "ListRoles",
    "UpdateAssumeRolePolicy",
    "DeleteRole",
    "PutRolePolicy",
    "GetRolePolicy",
    "DeleteRolePolicy",
    "ListRolePolicies",
];

/// Everything but RFC 3986's unreserved characters.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Policy documents travel URL-encoded in IAM's replies.
fn encoded(document: &str) -> String {
    utf8_percent_encode(document, ENCODED).to_string()
}

fn role_xml(ctx: &QueryCtx<'_>, r: &RoleRecord) -> String {
    let description = r
        .description
        .as_deref()
        .map(|d| el("Description", d))
        .unwrap_or_default();
    format!(
        "{}{}{}{}{}{}{description}{}",
        el("Path", &r.path),
        el("RoleName", &r.name),
        el("RoleId", &r.role_id),
        el("Arn", &role_arn(ctx.state, &r.path, &r.name)),
        el("CreateDate", &iso8601(r.created_at)),
        el("AssumeRolePolicyDocument", &encoded(&r.trust_policy)),
        el("MaxSessionDuration", &r.max_session_duration.to_string())
    )
}

pub async fn run(ctx: &QueryCtx<'_>, action: &str) -> Result<String, AwsError> {
    let oidc = super::iam_oidc::ACTIONS.contains(&action);
    if !ACTIONS.contains(&action) && !oidc {
        return Err(AwsError::new(
            "InvalidAction",
            format!("Cognate's IAM does not serve {action:?}."),
        ));
    }
    let signer = ctx
        .auth
        .authenticate_signer(ctx.state, ctx.req, &ctx.body.to_vec().into(), "iam")
        .await?;
    if let Signer::Temporary(caller) = signer {
        return Err(AwsError::new(
            "AccessDenied",
            format!(
                "User: {} is not authorized to perform: iam:{action}",
                caller.assumed_role_arn(ctx.state)
            ),
        ));
    }
    if oidc {
        return Ok(reply(
            IAM_NS,
            action,
            super::iam_oidc::run(ctx, action).await?,
        ));
    }
    let (state, p) = (ctx.state, &ctx.params);
    let role = || p.required("RoleName");
    let result = match action {
        "CreateRole" => {
            let new = roles::NewRole {
                name: role()?.into(),
                path: p.get("Path").map(String::from),
                trust_policy: p.required("AssumeRolePolicyDocument")?.into(),
                description: p.get("Description").map(String::from),
                max_session_duration: p.number("MaxSessionDuration")?,
            };
            let r = roles::create_role(state, new).await?;
            Some(format!("<Role>{}</Role>", role_xml(ctx, &r)))
        }
        "GetRole" => Some(format!(
            "<Role>{}</Role>",
            role_xml(ctx, &roles::get_role(state, role()?).await?)
        )),
        "ListRoles" => {
            let (list, next) = roles::list_roles(
                state,
                p.get("Marker").map(String::from),
                p.number("MaxItems")?,
            )
            .await?;
            let members: String = list
                .iter()
                .map(|r| format!("<member>{}</member>", role_xml(ctx, r)))
                .collect();
            let marker = next.as_deref().map(|m| el("Marker", m)).unwrap_or_default();
            Some(format!(
                "<Roles>{members}</Roles>{}{marker}",
                el("IsTruncated", &next.is_some().to_string())
            ))
        }
        "UpdateAssumeRolePolicy" => {
            roles::update_assume_role_policy(state, role()?, p.required("PolicyDocument")?).await?;
            None
        }
        "DeleteRole" => {
            roles::delete_role(state, role()?).await?;
            None
        }
        "PutRolePolicy" => {
            roles::put_role_policy(
                state,
                role()?,
                p.required("PolicyName")?,
                p.required("PolicyDocument")?,
            )
            .await?;
            None
        }
        "GetRolePolicy" => {
            let name = p.required("PolicyName")?;
            let document = roles::get_role_policy(state, role()?, name).await?;
            Some(format!(
                "{}{}{}",
                el("RoleName", role()?),
                el("PolicyName", name),
                el("PolicyDocument", &encoded(&document))
            ))
        }
        "DeleteRolePolicy" => {
            roles::delete_role_policy(state, role()?, p.required("PolicyName")?).await?;
            None
        }
        _ => {
            let names: String = roles::list_role_policies(state, role()?)
                .await?
                .iter()
                .map(|n| el("member", n))
                .collect();
            Some(format!(
                "<PolicyNames>{names}</PolicyNames>{}",
                el("IsTruncated", "false")
            ))
        }
    };
    Ok(reply(IAM_NS, action, result))
}
