//! The console's pool pages: the user pools, a pool's settings and app clients (with the links
//! to its other pages), and a client, its secret hidden until revealed. Each reads through the
//! same actions as the APIs.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::json;

pub use super::view::{
    at, badge, button, cell, items, link, read, seg, txt, when, Action, Cell, Page, Search, Section,
};
use super::{html, ConsoleError, Session, SignInPage};
use crate::service::idp::{clients, pools};
use crate::service::State;

pub type Reply = Result<HttpResponse, ConsoleError>;

pub async fn sign_in() -> Reply {
    html(SignInPage { error: None }.render())
}

pub async fn pools(s: Session, state: web::Data<State>) -> Reply {
    let mut page = Page::new(&s, "User pools");
    page.intro =
        Some("Make pools with the AWS CLI or SDKs, the REST API, or cognate import template.yaml.");
    let input = json!({"MaxResults": 60});
    match read(&state, &s, "ListUserPools", input, pools::list_user_pools).await {
        Ok(reply) => page.sections.push(Section {
            headers: vec!["Name", "Id", "Created"],
            rows: items(&reply, "UserPools")
                .iter()
                .map(|p| {
                    let id = txt(p, "/Id");
                    vec![
                        link(txt(p, "/Name"), format!("/admin/pools/{}", seg(&id))),
                        cell(id),
                        cell(when(p, "/CreationDate")),
                    ]
                })
                .collect(),
            ..Section::default()
        }),
        Err(e) => page.error = Some(e),
    }
    html(page.render())
}

async fn pool_sections(state: &State, s: &Session, id: &str) -> Result<Vec<Section>, String> {
    let pool = read(
        state,
        s,
        "DescribeUserPool",
        json!({"UserPoolId": id}),
        pools::describe_user_pool,
    )
    .await?;
    let settings = Section {
        title: "Settings".into(),
        pairs: vec![
            ("Id".into(), id.to_string()),
            (
                "Estimated users".into(),
                txt(&pool, "/UserPool/EstimatedNumberOfUsers"),
            ),
            ("MFA".into(), txt(&pool, "/UserPool/MfaConfiguration")),
            (
                "Auto-verified".into(),
                txt(&pool, "/UserPool/AutoVerifiedAttributes"),
            ),
            (
                "Username attributes".into(),
                txt(&pool, "/UserPool/UsernameAttributes"),
            ),
            (
                "Password minimum length".into(),
                txt(&pool, "/UserPool/Policies/PasswordPolicy/MinimumLength"),
            ),
            (
                "Deletion protection".into(),
                txt(&pool, "/UserPool/DeletionProtection"),
            ),
        ],
        ..Section::default()
    };
    let input = json!({"UserPoolId": id, "MaxResults": 60});
    let list = read(
        state,
        s,
        "ListUserPoolClients",
        input,
        clients::list_user_pool_clients,
    )
    .await?;
    let app_clients = Section {
        title: "App clients".into(),
        headers: vec!["Name", "Client id"],
        rows: items(&list, "UserPoolClients")
            .iter()
            .map(|c| {
                let cid = txt(c, "/ClientId");
                let href = format!("/admin/pools/{}/clients/{}", seg(id), seg(&cid));
                vec![link(txt(c, "/ClientName"), href), cell(cid)]
            })
            .collect(),
        ..Section::default()
    };
    Ok(vec![settings, app_clients])
}

/// The links between a pool's pages, `current` the one shown.
pub fn pool_tabs(page: &mut Page, pool_id: &str, current: &str) {
    let base = format!("/admin/pools/{}", seg(pool_id));
    page.tabs = vec![
        ("Overview".into(), base.clone()),
        ("Users".into(), format!("{base}/users")),
        ("Groups".into(), format!("{base}/groups")),
        ("Identity providers".into(), format!("{base}/providers")),
        (
            "Audit log".into(),
            format!("/admin/audit?resource={}", seg(&format!("pool/{pool_id}"))),
        ),
    ];
    page.current = current.into();
}

pub async fn pool(s: Session, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let mut page = Page::new(&s, format!("Pool {}", *path));
    page.crumb = Some(("All user pools".into(), "/admin/".into()));
    match pool_sections(&state, &s, &path).await {
        Ok(sections) => page.sections = sections,
        Err(e) => page.error = Some(e),
    }
    pool_tabs(&mut page, &path, "Overview");
    html(page.render())
}

/// A client page; `secret` is shown only after the reveal form was posted.
pub async fn client_page(state: &State, s: &Session, ids: (&str, &str), secret: bool) -> Reply {
    let (pool_id, client_id) = ids;
    let mut page = Page::new(s, "App client");
    page.crumb = Some((
        "Back to the pool".into(),
        format!("/admin/pools/{}", seg(pool_id)),
    ));
    let input = json!({"UserPoolId": pool_id, "ClientId": client_id});
    match read(
        state,
        s,
        "DescribeUserPoolClient",
        input,
        clients::describe_user_pool_client,
    )
    .await
    {
        Ok(reply) => {
            let has_secret = !txt(&reply, "/UserPoolClient/ClientSecret").is_empty();
            let shown = match (has_secret, secret) {
                (false, _) => "none".to_string(),
                (true, false) => "•••••••• (hidden)".to_string(),
                (true, true) => txt(&reply, "/UserPoolClient/ClientSecret"),
            };
            let mut section = Section {
                pairs: vec![
                    ("Name".into(), txt(&reply, "/UserPoolClient/ClientName")),
                    ("Client id".into(), client_id.to_string()),
                    ("Secret".into(), shown),
                    (
                        "Auth flows".into(),
                        txt(&reply, "/UserPoolClient/ExplicitAuthFlows"),
                    ),
                    (
                        "Callback URLs".into(),
                        txt(&reply, "/UserPoolClient/CallbackURLs"),
                    ),
                    (
                        "OAuth scopes".into(),
                        txt(&reply, "/UserPoolClient/AllowedOAuthScopes"),
                    ),
                ],
                ..Section::default()
            };
            if has_secret && !secret {
                section.actions.push(Action {
                    label: "Reveal the secret".into(),
                    url: format!(
                        "/admin/pools/{}/clients/{}/reveal",
                        seg(pool_id),
                        seg(client_id)
                    ),
                    danger: false,
                    confirmed: false,
                });
            }
            page.sections.push(section);
        }
        Err(e) => page.error = Some(e),
    }
    html(page.render())
}

pub async fn client(
    s: Session,
    state: web::Data<State>,
    path: web::Path<(String, String)>,
) -> Reply {
    client_page(&state, &s, (&path.0, &path.1), false).await
}
