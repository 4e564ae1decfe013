//! The console's user pages: a pool's users searched with ListUsers' filter language and
//! paged, and one user: status, MFA, attributes, groups, remembered devices and live sign-in
//! sessions, with the actions of the REST API (those that destroy ask first).

use actix_web::web;
use serde::Deserialize;
use serde_json::{json, Value};

use super::pages::{
    at, badge, button, cell, items, link, pool_tabs, read, seg, txt, when, Action, Cell, Page,
    Reply, Search, Section,
};
use super::{html, Session};
use crate::service::idp::{devices, groups, list_users, users};
use crate::service::tokens::sessions;
use crate::service::State;
use askama::Template;

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
    page.intro = Some(
        "Filter as ListUsers does: username, email, phone_number, name, given_name, \
         family_name, preferred_username, status or sub, with = or ^= (starts with).",
    );
    pool_tabs(&mut page, &pool_id, "Users");
    let base = format!("/admin/pools/{}/users", seg(&pool_id));
    page.search = Some(Search {
        action: base.clone(),
        name: "filter",
        label: "Filter",
        value: q.filter.clone(),
        placeholder: "email ^= \"ana\"",
    });
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
                id: "users",
                headers: vec!["Username", "Email", "Status", "Enabled", "Created"],
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
        badge(txt(u, "/UserStatus")),
        badge(enabled_word(u)),
        cell(when(u, "/UserCreateDate")),
    ]
}

fn enabled_word(u: &Value) -> &'static str {
    match u.get("Enabled").and_then(Value::as_bool) {
        Some(false) => "Disabled",
        _ => "Enabled",
    }
}

/// The user's status, MFA and dates, then their actions.
fn profile(user: &Value, base: &str) -> Section {
    let mfa = items(user, "UserMFASettingList")
        .iter()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    let preferred = match txt(user, "/PreferredMfaSetting") {
        p if p.is_empty() => "none".to_string(),
        p => p,
    };
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
    if txt(user, "/UserStatus") == "UNCONFIRMED" {
        actions.push(("Confirm", "confirm", false));
    }
    Section {
        id: "profile",
        title: "Status".into(),
        pairs: vec![
            ("Status".into(), txt(user, "/UserStatus")),
            ("Enabled".into(), enabled_word(user).into()),
            (
                "MFA".into(),
                if mfa.is_empty() { "off".into() } else { mfa },
            ),
            ("Preferred MFA".into(), preferred),
            ("Created".into(), when(user, "/UserCreateDate")),
            ("Modified".into(), when(user, "/UserLastModifiedDate")),
        ],
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
    }
}

fn attributes(user: &Value) -> Section {
    Section {
        id: "attributes",
        title: "Attributes".into(),
        headers: vec!["Name", "Value"],
        rows: items(user, "UserAttributes")
            .iter()
            .map(|a| vec![cell(txt(a, "/Name")), cell(txt(a, "/Value"))])
            .collect(),
        ..Section::default()
    }
}

async fn user_groups(state: &State, s: &Session, pool_id: &str, input: Value) -> Section {
    let list = read(
        state,
        s,
        "AdminListGroupsForUser",
        input,
        groups::admin_list_groups_for_user,
    )
    .await
    .unwrap_or_default();
    let base = format!("/admin/pools/{}/groups", seg(pool_id));
    Section {
        id: "groups",
        title: "Groups".into(),
        headers: vec!["Group", "Precedence"],
        rows: items(&list, "Groups")
            .iter()
            .map(|g| {
                let name = txt(g, "/GroupName");
                vec![
                    link(name.clone(), format!("{base}/{}", seg(&name))),
                    cell(txt(g, "/Precedence")),
                ]
            })
            .collect(),
        ..Section::default()
    }
}

async fn user_devices(state: &State, s: &Session, input: Value, base: &str) -> Section {
    let mut input = input;
    input["Limit"] = json!(60);
    let list = read(
        state,
        s,
        "AdminListDevices",
        input,
        devices::admin_list_devices,
    )
    .await
    .unwrap_or_default();
    let attribute = |d: &Value, name: &str| {
        items(d, "DeviceAttributes")
            .iter()
            .find(|a| a["Name"] == name)
            .map(|a| txt(a, "/Value"))
            .unwrap_or_default()
    };
    Section {
        id: "devices",
        title: "Remembered devices".into(),
        headers: vec!["Name", "Device key", "Remembered", "Last sign-in", ""],
        rows: items(&list, "Devices")
            .iter()
            .map(|d| {
                let key = txt(d, "/DeviceKey");
                let remembered = attribute(d, "dev:device_remembered_status") == "remembered";
                vec![
                    cell(attribute(d, "device_name")),
                    cell(key.clone()),
                    cell(if remembered { "yes" } else { "no" }),
                    cell(when(d, "/DeviceLastAuthenticatedDate")),
                    button(
                        "Forget",
                        format!("{base}/devices/{}/forget", seg(&key)),
                        true,
                    ),
                ]
            })
            .collect(),
        ..Section::default()
    }
}

async fn user_sessions(state: &State, who: (&str, &str), base: &str) -> Section {
    let (pool_id, username) = who;
    let live = sessions::list(state, pool_id, username)
        .await
        .unwrap_or_default();
    Section {
        id: "sessions",
        title: "Sign-in sessions (refresh tokens)".into(),
        headers: vec!["Client", "Signed in", "Expires", "Device", ""],
        rows: live
            .into_iter()
            .map(|t| {
                let url = format!("{base}/sessions/{}/revoke", seg(&t.id));
                vec![
                    cell(t.client_id),
                    cell(at(t.auth_time)),
                    cell(at(t.expires_at)),
                    cell(t.device_key.unwrap_or_default()),
                    button("Revoke", url, true),
                ]
            })
            .collect(),
        ..Section::default()
    }
}

/// The user's page, with a notice or an error from the action just taken.
pub async fn user_page(
    state: &State,
    s: &Session,
    (pool_id, username): (&str, &str),
    (notice, error): (Option<String>, Option<String>),
) -> Reply {
    let mut page = Page::new(s, username.to_string());
    pool_tabs(&mut page, pool_id, "Users");
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
    let base = format!("/admin/pools/{}/users/{}", seg(pool_id), seg(username));
    page.sections = vec![
        profile(&user, &base),
        attributes(&user),
        user_groups(state, s, pool_id, input.clone()).await,
        user_devices(state, s, input, &base).await,
        user_sessions(state, (pool_id, username), &base).await,
    ];
    let audit = format!("pool/{pool_id}/user/{username}");
    page.sections.push(Section {
        headers: vec!["History"],
        rows: vec![vec![link(
            "This user's audit entries",
            format!("/admin/audit?resource={}", seg(&audit)),
        )]],
        ..Section::default()
    });
    html(page.render())
}

pub async fn user(s: Session, state: web::Data<State>, path: web::Path<(String, String)>) -> Reply {
    user_page(&state, &s, (&path.0, &path.1), (None, None)).await
}
