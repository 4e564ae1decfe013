//! The console's pages beside the user pools: identity pools (one with its roles and
//! identities), the audit log (by resource, paged), and the dev outbox of local mode.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::{json, Value};

use super::pages::{at, cell, items, link, seg, txt, when, Page, Reply, Search, Section};
use super::{html, ConsoleError, Session};
use crate::http::admin::call::run_in;
use crate::http::aws::model::Service;
use crate::service::admin::audit;
use crate::service::identity::{identities, pools, roles};
use crate::service::outbound::messaging;
use crate::service::State;

/// Runs a cognito-identity read as the console.
async fn read_identity<'a, Req, Resp, F, Fut>(
    state: &'a State,
    s: &Session,
    op: &'static str,
    input: Value,
    f: F,
) -> Result<Value, String>
where
    Req: serde::de::DeserializeOwned,
    Resp: serde::Serialize,
    F: FnOnce(&'a State, crate::service::idp::Admin, Req) -> Fut,
    Fut: std::future::Future<Output = crate::service::Result<Resp>> + 'a,
{
    let on = ("console", Service::Identity);
    run_in(state, &s.actor, on, op, input, f)
        .await
        .map_err(|p| format!("{}: {}", p.code.trim_end_matches("Exception"), p.detail))
}

pub async fn identity_pools(s: Session, state: web::Data<State>) -> Reply {
    let mut page = Page::new(&s, "Identity pools");
    let input = json!({"MaxResults": 60});
    let list = pools::list_identity_pools;
    match read_identity(&state, &s, "ListIdentityPools", input, list).await {
        Ok(reply) => page.sections.push(Section {
            id: "identity-pools",
            headers: vec!["Name", "Id"],
            rows: items(&reply, "IdentityPools")
                .iter()
                .map(|p| {
                    let id = txt(p, "/IdentityPoolId");
                    let href = format!("/admin/identity-pools/{}", seg(&id));
                    vec![link(txt(p, "/IdentityPoolName"), href), cell(id)]
                })
                .collect(),
            ..Section::default()
        }),
        Err(e) => page.error = Some(e),
    }
    html(page.render())
}

pub async fn identity_pool(s: Session, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let id = path.into_inner();
    let mut page = Page::new(&s, "Identity pool");
    page.crumb = Some(("All identity pools".into(), "/admin/identity-pools".into()));
    let input = json!({"IdentityPoolId": id});
    let describe = pools::describe_identity_pool;
    let pool =
        match read_identity(&state, &s, "DescribeIdentityPool", input.clone(), describe).await {
            Ok(p) => p,
            Err(e) => {
                page.error = Some(e);
                return html(page.render());
            }
        };
    let providers = items(&pool, "CognitoIdentityProviders")
        .iter()
        .map(|p| txt(p, "/ProviderName"))
        .collect::<Vec<_>>()
        .join(", ");
    let get_roles = roles::get_identity_pool_roles;
    let role_map = read_identity(&state, &s, "GetIdentityPoolRoles", input.clone(), get_roles)
        .await
        .unwrap_or_default();
    let mut pairs = vec![
        ("Name".into(), txt(&pool, "/IdentityPoolName")),
        ("Id".into(), id.clone()),
        (
            "Guest access".into(),
            txt(&pool, "/AllowUnauthenticatedIdentities"),
        ),
        ("Classic flow".into(), txt(&pool, "/AllowClassicFlow")),
        ("User pools".into(), providers),
        (
            "Login providers".into(),
            txt(&pool, "/SupportedLoginProviders"),
        ),
        (
            "Developer provider".into(),
            txt(&pool, "/DeveloperProviderName"),
        ),
    ];
    if let Some(r) = role_map.get("Roles").and_then(Value::as_object) {
        pairs.extend(r.iter().map(|(k, v)| (format!("Role ({k})"), txt(v, ""))));
    }
    page.sections.push(Section {
        id: "settings",
        pairs,
        ..Section::default()
    });
    let mut input = input;
    input["MaxResults"] = json!(60);
    let list = identities::list_identities;
    let found = read_identity(&state, &s, "ListIdentities", input, list)
        .await
        .unwrap_or_default();
    page.sections.push(Section {
        id: "identities",
        title: "Identities (first 60)".into(),
        headers: vec!["Identity id", "Logins", "Created"],
        rows: items(&found, "Identities")
            .iter()
            .map(|i| {
                vec![
                    cell(txt(i, "/IdentityId")),
                    cell(txt(i, "/Logins")),
                    cell(when(i, "/CreationDate")),
                ]
            })
            .collect(),
        ..Section::default()
    });
    html(page.render())
}

#[derive(Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    resource: String,
    #[serde(default)]
    cursor: Option<String>,
}

pub async fn audit_log(s: Session, state: web::Data<State>, q: web::Query<AuditQuery>) -> Reply {
    let mut page = Page::new(&s, "Audit log");
    let resource = q.resource.trim();
    page.search = Some(Search {
        action: "/admin/audit".into(),
        name: "resource",
        label: "Resource",
        value: resource.to_string(),
        placeholder: "pool/us-east-1_abc/user/ana",
    });
    let filter = (!resource.is_empty()).then_some(resource);
    match audit::list(&state, filter, 0, q.cursor.as_deref(), 50).await {
        Ok((entries, next)) => page.sections.push(Section {
            id: "audit",
            headers: vec![
                "When",
                "Who",
                "Via",
                "Operation",
                "Resource",
                "Fields",
                "From",
            ],
            rows: entries
                .into_iter()
                .map(|e| {
                    vec![
                        cell(at(e.at)),
                        cell(format!("{} ({})", e.actor, e.actor_kind)),
                        cell(e.surface),
                        cell(e.operation),
                        cell(e.resource),
                        cell(e.fields.join(", ")),
                        cell(e.source),
                    ]
                })
                .collect(),
            next: next
                .map(|c| format!("/admin/audit?resource={}&cursor={}", seg(resource), seg(&c))),
            ..Section::default()
        }),
        Err(e) => page.error = Some(e.to_string()),
    }
    html(page.render())
}

pub async fn outbox(s: Session, state: web::Data<State>) -> Reply {
    if !state.local_mode {
        return Ok(HttpResponse::NotFound().finish());
    }
    let mut page = Page::new(&s, "Dev outbox");
    let rows = messaging::outbox(&state, None, None)
        .await
        .map_err(|e| ConsoleError::Internal(e.to_string()))?;
    page.sections.push(Section {
        id: "outbox",
        headers: vec!["Sent", "Pool", "User", "Medium", "To", "Purpose", "Code"],
        rows: rows
            .into_iter()
            .map(|m| {
                let user = format!(
                    "/admin/pools/{}/users/{}",
                    seg(&m.pool_id),
                    seg(&m.username)
                );
                vec![
                    cell(at(m.sent_at)),
                    cell(m.pool_id),
                    link(m.username, user),
                    cell(m.medium),
                    cell(m.destination),
                    cell(m.purpose),
                    cell(m.code.unwrap_or_default()),
                ]
            })
            .collect(),
        ..Section::default()
    });
    html(page.render())
}
