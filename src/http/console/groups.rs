//! The console's group and identity-provider pages of a pool: the groups, one group with its
//! members, the identity providers, and one provider (its client secret never shown).

use actix_web::web;
use askama::Template;
use serde_json::json;

use super::pages::{
    badge, cell, items, link, pool_tabs, read, seg, txt, when, Page, Reply, Section,
};
use super::{html, Session};
use crate::service::idp::{groups, identity_providers};
use crate::service::State;

pub async fn groups(s: Session, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let pool_id = path.into_inner();
    let mut page = Page::new(&s, "Groups");
    pool_tabs(&mut page, &pool_id, "Groups");
    let input = json!({"UserPoolId": pool_id, "Limit": 60});
    let base = format!("/admin/pools/{}/groups", seg(&pool_id));
    match read(&state, &s, "ListGroups", input, groups::list_groups).await {
        Ok(list) => page.sections.push(Section {
            id: "groups",
            headers: vec!["Name", "Precedence", "Role", "Description"],
            rows: items(&list, "Groups")
                .iter()
                .map(|g| {
                    let name = txt(g, "/GroupName");
                    vec![
                        link(name.clone(), format!("{base}/{}", seg(&name))),
                        cell(txt(g, "/Precedence")),
                        cell(txt(g, "/RoleArn")),
                        cell(txt(g, "/Description")),
                    ]
                })
                .collect(),
            ..Section::default()
        }),
        Err(e) => page.error = Some(e),
    }
    html(page.render())
}

pub async fn group(
    s: Session,
    state: web::Data<State>,
    path: web::Path<(String, String)>,
) -> Reply {
    let (pool_id, name) = path.into_inner();
    let mut page = Page::new(&s, format!("Group {name}"));
    pool_tabs(&mut page, &pool_id, "Groups");
    page.crumb = Some((
        "All groups".into(),
        format!("/admin/pools/{}/groups", seg(&pool_id)),
    ));
    let input = json!({"UserPoolId": pool_id, "GroupName": name});
    let found = read(&state, &s, "GetGroup", input.clone(), groups::get_group).await;
    let group = match found {
        Ok(g) => g,
        Err(e) => {
            page.error = Some(e);
            return html(page.render());
        }
    };
    page.sections.push(Section {
        pairs: vec![
            ("Description".into(), txt(&group, "/Group/Description")),
            ("Precedence".into(), txt(&group, "/Group/Precedence")),
            ("IAM role".into(), txt(&group, "/Group/RoleArn")),
            ("Created".into(), when(&group, "/Group/CreationDate")),
        ],
        ..Section::default()
    });
    let mut input = input;
    input["Limit"] = json!(60);
    let members = read(
        &state,
        &s,
        "ListUsersInGroup",
        input,
        groups::list_users_in_group,
    )
    .await
    .unwrap_or_default();
    let users = format!("/admin/pools/{}/users", seg(&pool_id));
    page.sections.push(Section {
        id: "members",
        title: "Members".into(),
        headers: vec!["Username", "Status"],
        rows: items(&members, "Users")
            .iter()
            .map(|u| {
                let name = txt(u, "/Username");
                vec![
                    link(name.clone(), format!("{users}/{}", seg(&name))),
                    badge(txt(u, "/UserStatus")),
                ]
            })
            .collect(),
        ..Section::default()
    });
    html(page.render())
}

pub async fn providers(s: Session, state: web::Data<State>, path: web::Path<String>) -> Reply {
    let pool_id = path.into_inner();
    let mut page = Page::new(&s, "Identity providers");
    pool_tabs(&mut page, &pool_id, "Identity providers");
    let input = json!({"UserPoolId": pool_id, "MaxResults": 60});
    let base = format!("/admin/pools/{}/providers", seg(&pool_id));
    let list = identity_providers::list_identity_providers;
    match read(&state, &s, "ListIdentityProviders", input, list).await {
        Ok(list) => page.sections.push(Section {
            id: "providers",
            headers: vec!["Name", "Type", "Modified"],
            rows: items(&list, "Providers")
                .iter()
                .map(|p| {
                    let name = txt(p, "/ProviderName");
                    vec![
                        link(name.clone(), format!("{base}/{}", seg(&name))),
                        cell(txt(p, "/ProviderType")),
                        cell(when(p, "/LastModifiedDate")),
                    ]
                })
                .collect(),
            ..Section::default()
        }),
        Err(e) => page.error = Some(e),
    }
    html(page.render())
}

/// Provider details that are secrets: named, never shown.
fn secret_detail(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("secret") || name == "private_key"
}

pub async fn provider(
    s: Session,
    state: web::Data<State>,
    path: web::Path<(String, String)>,
) -> Reply {
    let (pool_id, name) = path.into_inner();
    let mut page = Page::new(&s, format!("Provider {name}"));
    pool_tabs(&mut page, &pool_id, "Identity providers");
    page.crumb = Some((
        "All identity providers".into(),
        format!("/admin/pools/{}/providers", seg(&pool_id)),
    ));
    let input = json!({"UserPoolId": pool_id, "ProviderName": name});
    let describe = identity_providers::describe_identity_provider;
    let p = match read(&state, &s, "DescribeIdentityProvider", input, describe).await {
        Ok(p) => p,
        Err(e) => {
            page.error = Some(e);
            return html(page.render());
        }
    };
    let p = &p["IdentityProvider"];
    page.sections.push(Section {
        pairs: vec![
            ("Type".into(), txt(p, "/ProviderType")),
            ("Identifiers".into(), txt(p, "/IdpIdentifiers")),
            ("Created".into(), when(p, "/CreationDate")),
            ("Modified".into(), when(p, "/LastModifiedDate")),
        ],
        ..Section::default()
    });
    let table = |title: &str, id, member: &str, hide: bool| Section {
        id,
        title: title.into(),
        headers: vec!["Name", "Value"],
        rows: p
            .get(member)
            .and_then(|m| m.as_object())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        let v = v.as_str().map_or_else(|| v.to_string(), String::from);
                        let shown = if hide && secret_detail(k) {
                            "•••••••• (hidden)".to_string()
                        } else {
                            v
                        };
                        vec![cell(k.clone()), cell(shown)]
                    })
                    .collect()
            })
            .unwrap_or_default(),
        ..Section::default()
    };
    page.sections
        .push(table("Details", "details", "ProviderDetails", true));
    page.sections.push(table(
        "Attribute mapping",
        "mapping",
        "AttributeMapping",
        false,
    ));
    html(page.render())
}
