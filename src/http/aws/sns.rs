//! SNS over the Query protocol, the mobile-push part Cognito Sync pushes through: platform
//! applications and their endpoints. Only the administrator may call them.

use std::collections::BTreeMap;

use super::query::{el, reply, QueryCtx, SNS_NS};
use super::sigv4::Signer;
use super::AwsError;
use crate::service::push::{endpoints, sns};

pub const ACTIONS: &[&str] = &[
    "CreatePlatformApplication",
    "GetPlatformApplicationAttributes",
    "SetPlatformApplicationAttributes",
    "ListPlatformApplications",
    "DeletePlatformApplication",
    "CreatePlatformEndpoint",
    "ListEndpointsByPlatformApplication",
    "GetEndpointAttributes",
    "SetEndpointAttributes",
    "DeleteEndpoint",
];

fn attributes_xml(a: &BTreeMap<String, String>) -> String {
    let entries: String = a
        .iter()
        .map(|(k, v)| format!("<entry>{}{}</entry>", el("key", k), el("value", v)))
        .collect();
    format!("<Attributes>{entries}</Attributes>")
}

/// A list of `(arn, attributes)` members under `list`, each ARN named `arn_name`.
fn members_xml(
    list: &str,
    arn_name: &str,
    page: &[(String, BTreeMap<String, String>)],
    next: Option<String>,
) -> String {
    let members: String = page
        .iter()
        .map(|(arn, a)| {
            format!(
                "<member>{}{}</member>",
                el(arn_name, arn),
                attributes_xml(a)
            )
        })
        .collect();
    let next = next.map(|t| el("NextToken", &t)).unwrap_or_default();
    format!("<{list}>{members}</{list}>{next}")
}

async fn authorize(ctx: &QueryCtx<'_>, action: &str) -> Result<(), AwsError> {
    let signer = ctx
        .auth
        .authenticate_signer(ctx.state, ctx.req, &ctx.body.to_vec().into(), "sns")
        .await?;
    if let Signer::Temporary(caller) = signer {
        return Err(AwsError::new(
            "AuthorizationError",
            format!(
                "User: {} is not authorized to perform: SNS:{action}",
                caller.assumed_role_arn(ctx.state)
            ),
        ));
    }
    Ok(())
}

pub async fn run(ctx: &QueryCtx<'_>, action: &str) -> Result<String, AwsError> {
    if !ACTIONS.contains(&action) {
        return Err(AwsError::new(
            "InvalidAction",
            format!("Cognate's SNS does not serve {action:?}."),
        ));
    }
    authorize(ctx, action).await?;
    let result = if action.contains("Endpoint") && action != "CreatePlatformEndpoint" {
        endpoint_action(ctx, action).await?
    } else {
        application_action(ctx, action).await?
    };
    Ok(reply(SNS_NS, action, result))
}

async fn application_action(ctx: &QueryCtx<'_>, action: &str) -> Result<Option<String>, AwsError> {
    let (state, p) = (ctx.state, &ctx.params);
    let app_arn = || p.required("PlatformApplicationArn");
    Ok(match action {
        "CreatePlatformApplication" => {
            let (name, platform) = (p.required("Name")?, p.required("Platform")?);
            let arn = sns::create_platform_application(state, name, platform, p.map("Attributes"))
                .await?;
            Some(el("PlatformApplicationArn", &arn))
        }
        "GetPlatformApplicationAttributes" => {
            let a = sns::get_platform_application_attributes(state, app_arn()?).await?;
            Some(attributes_xml(&a))
        }
        "SetPlatformApplicationAttributes" => {
            let changes = p.map("Attributes");
            sns::set_platform_application_attributes(state, app_arn()?, changes).await?;
            None
        }
        "ListPlatformApplications" => {
            let (page, next) = sns::list_platform_applications(state, p.get("NextToken")).await?;
            Some(members_xml(
                "PlatformApplications",
                "PlatformApplicationArn",
                &page,
                next,
            ))
        }
        "DeletePlatformApplication" => {
            sns::delete_platform_application(state, app_arn()?).await?;
            None
        }
        _ => {
            let arn = endpoints::create_platform_endpoint(
                state,
                app_arn()?,
                p.required("Token")?,
                p.get("CustomUserData").map(String::from),
                p.map("Attributes"),
            )
            .await?;
            Some(el("EndpointArn", &arn))
        }
    })
}

async fn endpoint_action(ctx: &QueryCtx<'_>, action: &str) -> Result<Option<String>, AwsError> {
    let (state, p) = (ctx.state, &ctx.params);
    let arn = || p.required("EndpointArn");
    Ok(match action {
        "ListEndpointsByPlatformApplication" => {
            let app = p.required("PlatformApplicationArn")?;
            let next = p.get("NextToken");
            let (page, next) =
                endpoints::list_endpoints_by_platform_application(state, app, next).await?;
            Some(members_xml("Endpoints", "EndpointArn", &page, next))
        }
        "GetEndpointAttributes" => Some(attributes_xml(
            &endpoints::get_endpoint_attributes(state, arn()?).await?,
        )),
        "SetEndpointAttributes" => {
            endpoints::set_endpoint_attributes(state, arn()?, p.map("Attributes")).await?;
            None
        }
        _ => {
            endpoints::delete_endpoint(state, arn()?).await?;
            None
        }
    })
}
