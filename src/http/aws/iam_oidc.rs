//! IAM's OpenID Connect provider operations over the Query protocol:
//! CreateOpenIDConnectProvider, GetOpenIDConnectProvider, ListOpenIDConnectProviders,
//! DeleteOpenIDConnectProvider, Add/RemoveClientIDToOpenIDConnectProvider.

use super::query::{el, Params, QueryCtx};
use super::sts::iso8601;
use super::AwsError;
use crate::service::iam::oidc_providers::{self as oidc, NewProvider};

pub const ACTIONS: &[&str] = &[
    "CreateOpenIDConnectProvider",
    "GetOpenIDConnectProvider",
    "ListOpenIDConnectProviders",
    "DeleteOpenIDConnectProvider",
    "AddClientIDToOpenIDConnectProvider",
    "RemoveClientIDFromOpenIDConnectProvider",
];

/// `Tags.member.N.Key` / `.Value`, in N's order.
fn tags(p: &Params) -> Vec<(String, String)> {
    (1..)
        .map_while(|n| {
            let key = p.get(&format!("Tags.member.{n}.Key"))?;
            let value = p.get(&format!("Tags.member.{n}.Value")).unwrap_or_default();
            Some((key.to_string(), value.to_string()))
        })
        .collect()
}

fn tags_xml(tags: &[(String, String)]) -> String {
    let members: String = tags
        .iter()
        .map(|(k, v)| format!("<member>{}{}</member>", el("Key", k), el("Value", v)))
        .collect();
    format!("<Tags>{members}</Tags>")
}

fn members(items: &[String]) -> String {
    items.iter().map(|i| el("member", i)).collect()
}

/// Serves one of `ACTIONS` for the (already authorized) administrator: its result.
pub async fn run(ctx: &QueryCtx<'_>, action: &str) -> Result<Option<String>, AwsError> {
    let (state, p) = (ctx.state, &ctx.params);
    let arn = || p.required("OpenIDConnectProviderArn");
    Ok(match action {
        "CreateOpenIDConnectProvider" => {
            let new = NewProvider {
                url: p.required("Url")?.into(),
                client_ids: p.list("ClientIDList"),
                thumbprints: p.list("ThumbprintList"),
                tags: tags(p),
            };
            let tags = new.tags.clone();
            let arn = oidc::create(state, new).await?;
            Some(format!(
                "{}{}",
                el("OpenIDConnectProviderArn", &arn),
                tags_xml(&tags)
            ))
        }
        "GetOpenIDConnectProvider" => {
            let provider = oidc::get(state, arn()?).await?;
            Some(format!(
                "{}<ClientIDList>{}</ClientIDList><ThumbprintList>{}</ThumbprintList>{}{}",
                el("Url", &provider.url),
                members(&provider.client_ids),
                members(&provider.thumbprints),
                el("CreateDate", &iso8601(provider.created_at)),
                tags_xml(&provider.tags)
            ))
        }
        "ListOpenIDConnectProviders" => {
            let list: String = oidc::list(state)
                .await?
                .iter()
                .map(|a| format!("<member>{}</member>", el("Arn", a)))
                .collect();
            Some(format!(
                "<OpenIDConnectProviderList>{list}</OpenIDConnectProviderList>"
            ))
        }
        "DeleteOpenIDConnectProvider" => {
            oidc::delete(state, arn()?).await?;
            None
        }
        "AddClientIDToOpenIDConnectProvider" => {
            oidc::add_client_id(state, arn()?, p.required("ClientID")?).await?;
            None
        }
        _ => {
            oidc::remove_client_id(state, arn()?, p.required("ClientID")?).await?;
            None
        }
    })
}
