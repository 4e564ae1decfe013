//! What the console's pages are made of: sections of pairs, tables and action forms on one
//! page template, and the helpers that read the actions' JSON replies into them.

use askama::Template;
use serde_json::Value;

use super::Session;
use crate::http::admin::call::run_as;
use crate::service::State;

pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    /// A button in the cell (a row's own action, such as forgetting one device).
    pub action: Option<Action>,
    /// A badge's colour (`ok`, `bad`, `warn`, or `plain`); empty for plain text.
    pub tone: &'static str,
}

pub struct Action {
    pub label: String,
    pub url: String,
    pub danger: bool,
    pub confirmed: bool,
}

#[derive(Default)]
pub struct Section {
    /// The panel's element id, for links to it (and for tests).
    pub id: &'static str,
    pub title: String,
    pub pairs: Vec<(String, String)>,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    pub next: Option<String>,
    pub actions: Vec<Action>,
}

/// A page's search form: a GET to `action` with one field.
pub struct Search {
    pub action: String,
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    pub placeholder: &'static str,
}

#[derive(Template, Default)]
#[template(path = "console/page.html")]
pub struct Page {
    pub title: String,
    pub csrf: String,
    pub who: String,
    pub local: bool,
    pub crumb: Option<(String, String)>,
    pub error: Option<String>,
    pub notice: Option<String>,
    /// A line under the title saying what the page is for.
    pub intro: Option<&'static str>,
    pub search: Option<Search>,
    /// Links to the pages beside this one (a pool's users, groups, providers, ...).
    pub tabs: Vec<(String, String)>,
    /// The tab this page is.
    pub current: String,
    pub sections: Vec<Section>,
}

impl Page {
    pub fn new(s: &Session, title: impl Into<String>) -> Page {
        Page {
            title: title.into(),
            csrf: s.csrf.clone(),
            who: s.actor.name.clone(),
            local: s.local,
            ..Page::default()
        }
    }
}

pub fn cell(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        href: None,
        action: None,
        tone: "",
    }
}

/// A user status or an enabled flag as a coloured badge.
pub fn badge(text: impl Into<String>) -> Cell {
    let text = text.into();
    let tone = match text.as_str() {
        "CONFIRMED" | "Enabled" | "EXTERNAL_PROVIDER" => "ok",
        "Disabled" | "COMPROMISED" => "bad",
        "UNCONFIRMED" | "RESET_REQUIRED" | "FORCE_CHANGE_PASSWORD" => "warn",
        _ => "plain",
    };
    Cell { tone, ..cell(text) }
}

pub fn link(text: impl Into<String>, href: String) -> Cell {
    Cell {
        href: Some(href),
        ..cell(text)
    }
}

/// A cell holding a button that posts to `url` (asking first where `danger`).
pub fn button(label: impl Into<String>, url: String, danger: bool) -> Cell {
    Cell {
        action: Some(Action {
            label: label.into(),
            url,
            danger,
            confirmed: false,
        }),
        ..cell("")
    }
}

/// A time in epoch milliseconds or seconds (as the AWS replies give it), as UTC.
pub fn when(v: &Value, p: &str) -> String {
    let ms = match v.pointer(p) {
        Some(Value::Number(n)) => n.as_f64().map(|s| (s * 1000.0) as i64),
        _ => None,
    };
    ms.map(at).unwrap_or_default()
}

/// Epoch milliseconds as `2026-12-02 12:30 UTC`.
pub fn at(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// A path segment, percent-encoded.
pub fn seg(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

pub fn txt(v: &Value, p: &str) -> String {
    match v.pointer(p) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

pub fn items<'v>(v: &'v Value, name: &str) -> &'v [Value] {
    v.get(name)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Runs a cognito-idp read as the console.
pub async fn read<'a, Req, Resp, F, Fut>(
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
    run_as(state, &s.actor, "console", op, input, f)
        .await
        .map_err(|p| format!("{}: {}", p.code.trim_end_matches("Exception"), p.detail))
}
