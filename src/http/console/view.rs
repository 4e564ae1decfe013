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
}

pub struct Action {
    pub label: String,
    pub url: String,
    pub danger: bool,
    pub confirmed: bool,
}

#[derive(Default)]
pub struct Section {
    pub title: String,
    pub pairs: Vec<(String, String)>,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    pub next: Option<String>,
    pub actions: Vec<Action>,
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
    pub search: Option<(String, String)>,
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
    }
}

pub fn link(text: impl Into<String>, href: String) -> Cell {
    Cell {
        text: text.into(),
        href: Some(href),
    }
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
