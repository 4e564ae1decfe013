//! The console's pages: user pools, a pool (settings, clients, groups), a client (its secret
//! hidden), users with the filter language and paging, a user with its actions, identity
//! pools, and the dev outbox in local mode. Each reads through the same actions as the APIs.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use serde_json::{json, Value};

pub use super::view::{cell, items, link, read, seg, txt, Action, Cell, Page, Section};
use super::{html, ConsoleError, Session, SignInPage};
use crate::http::admin::call::run_in;
use crate::http::aws::model::Service;
use crate::service::idp::{clients, groups, list_users, pools, users};
use crate::service::outbound::messaging;
use crate::service::State;

pub type Reply = Result<HttpResponse, ConsoleError>;

pub async fn sign_in() -> Reply {
    html(SignInPage { error: None }.render())
}

pub async fn pools(s: Session, state: web::Data<State>) -> Reply {
    let mut page = Page::new(&s, "User pools");
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
                        cell(txt(p, "/CreationDate")),
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
    let input = json!({"UserPoolId": id, "Limit": 60});
    let list = read(state, s, "ListGroups", input, groups::list_groups).await?;
    let group_rows = Section {
        title: "Groups".into(),
        headers: vec!["Name", "Precedence", "Description"],
        rows: items(&list, "Groups")
            .iter()
            .map(|g| {
                vec![
                    cell(txt(g, "/GroupName")),
                    cell(txt(g, "/Precedence")),
                    cell(txt(g, "/Description")),
                ]
            })
            .collect(),
        ..Section::default()
    };
    Ok(vec![settings, app_clients, group_rows])
}

pub async fn pool(s: Session, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let mut page = Page::new(&s, format!("Pool {}", *path));
    page.crumb = Some(("All user pools".into(), "/admin/".into()));
    match pool_sections(&state, &s, &path).await {
        Ok(sections) => page.sections = sections,
        Err(e) => page.error = Some(e),
    }
    let users = format!("/admin/pools/{}/users", seg(&path));
    page.sections.insert(
        0,
        Section {
            headers: vec!["Users"],
            rows: vec![vec![link("Browse and search users", users)]],
            ..Section::default()
        },
    );
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

#[derive(Deserialize)]
pub struct UsersQuery {
    #[serde(default)]
    filter: String,
    #[serde(default)]
    cursor: Option<String>,
}

pub async fn users(
    s: Session,
    state: web::Data<State>,
    path: web::Path<String>,
    q: web::Query<UsersQuery>,
) -> Reply {
    let pool_id = path.into_inner();
    let mut page = Page::new(&s, "Users");
    page.crumb = Some((
        "Back to the pool".into(),
        format!("/admin/pools/{}", seg(&pool_id)),
    ));
    let base = format!("/admin/pools/{}/users", seg(&pool_id));
    page.search = Some((base.clone(), q.filter.clone()));
    let mut input = json!({"UserPoolId": pool_id, "Limit": 20});
    if !q.filter.trim().is_empty() {
        input["Filter"] = json!(q.filter);
    }
    if let Some(c) = &q.cursor {
        input["PaginationToken"] = json!(c);
    }
    match read(&state, &s, "ListUsers", input, list_users::list_users).await {
        Ok(reply) => {
            let next = reply
                .get("PaginationToken")
                .and_then(Value::as_str)
                .map(|t| format!("{base}?filter={}&cursor={}", seg(&q.filter), seg(t)));
            page.sections.push(Section {
                headers: vec!["Username", "Email", "Status", "Enabled"],
                rows: items(&reply, "Users")
                    .iter()
                    .map(|u| user_row(&base, u))
                    .collect(),
                next,
                ..Section::default()
            });
        }
        Err(e) => page.error = Some(e),
    }
    html(page.render())
}

fn user_row(base: &str, u: &Value) -> Vec<Cell> {
    let name = txt(u, "/Username");
    let email = items(u, "Attributes")
        .iter()
        .find(|a| a["Name"] == "email")
        .map(|a| txt(a, "/Value"))
        .unwrap_or_default();
    vec![
        link(name.clone(), format!("{base}/{}", seg(&name))),
        cell(email),
        cell(txt(u, "/UserStatus")),
        cell(txt(u, "/Enabled")),
    ]
}

/// The user's page, with a notice or an error from the action just taken.
pub async fn user_page(
    state: &State,
    s: &Session,
    (pool_id, username): (&str, &str),
    (notice, error): (Option<String>, Option<String>),
) -> Reply {
    let mut page = Page::new(s, username.to_string());
    page.crumb = Some((
        "All users".into(),
        format!("/admin/pools/{}/users", seg(pool_id)),
    ));
    page.notice = notice;
    page.error = error;
    let input = json!({"UserPoolId": pool_id, "Username": username});
    let user = match read(
        state,
        s,
        "AdminGetUser",
        input.clone(),
        users::admin_get_user,
    )
    .await
    {
        Ok(u) => u,
        Err(e) => {
            page.error = Some(e);
            return html(page.render());
        }
    };
    let mut pairs = vec![
        ("Status".into(), txt(&user, "/UserStatus")),
        ("Enabled".into(), txt(&user, "/Enabled")),
        ("MFA".into(), txt(&user, "/UserMFASettingList")),
        ("Created".into(), txt(&user, "/UserCreateDate")),
    ];
    pairs.extend(
        items(&user, "UserAttributes")
            .iter()
            .map(|a| (txt(a, "/Name"), txt(a, "/Value"))),
    );
    let list = read(
        state,
        s,
        "AdminListGroupsForUser",
        input,
        groups::admin_list_groups_for_user,
    )
    .await;
    let group_names: Vec<String> = list
        .map(|l| {
            items(&l, "Groups")
                .iter()
                .map(|g| txt(g, "/GroupName"))
                .collect()
        })
        .unwrap_or_default();
    pairs.push(("Groups".into(), group_names.join(", ")));
    let base = format!("/admin/pools/{}/users/{}", seg(pool_id), seg(username));
    let enabled = user.get("Enabled").and_then(Value::as_bool).unwrap_or(true);
    let mut actions = vec![
        if enabled {
            ("Disable", "disable", true)
        } else {
            ("Enable", "enable", false)
        },
        ("Reset password", "reset-password", true),
        ("Sign out everywhere", "global-sign-out", true),
    ];
    if txt(&user, "/UserStatus") == "UNCONFIRMED" {
        actions.push(("Confirm", "confirm", false));
    }
    page.sections.push(Section {
        pairs,
        actions: actions
            .into_iter()
            .map(|(label, action, danger)| Action {
                label: label.into(),
                url: format!("{base}/{action}"),
                danger,
                confirmed: false,
            })
            .collect(),
        ..Section::default()
    });
    html(page.render())
}

pub async fn user(s: Session, state: web::Data<State>, path: web::Path<(String, String)>) -> Reply {
    user_page(&state, &s, (&path.0, &path.1), (None, None)).await
}

pub async fn identity_pools(s: Session, state: web::Data<State>) -> Reply {
    let mut page = Page::new(&s, "Identity pools");
    let input = json!({"MaxResults": 60});
    let list = crate::service::identity::pools::list_identity_pools;
    let on = ("console", Service::Identity);
    match run_in(&state, &s.actor, on, "ListIdentityPools", input, list).await {
        Ok(reply) => page.sections.push(Section {
            headers: vec!["Name", "Id"],
            rows: items(&reply, "IdentityPools")
                .iter()
                .map(|p| {
                    vec![
                        cell(txt(p, "/IdentityPoolName")),
                        cell(txt(p, "/IdentityPoolId")),
                    ]
                })
                .collect(),
            ..Section::default()
        }),
        Err(p) => page.error = Some(p.detail),
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
        headers: vec!["Pool", "User", "Medium", "To", "Purpose", "Code"],
        rows: rows
            .into_iter()
            .map(|m| {
                vec![
                    cell(m.pool_id),
                    cell(m.username),
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
