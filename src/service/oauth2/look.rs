//! How a client's hosted pages look: the pool's or client's UI customization (CSS on
//! Cognito's customizable classes, a logo) and the client's managed-login branding style
//! (colours, logo, favicon, background). Everything here is safe to put in a page: colours
//! are checked hex values and images are data URIs or this server's own URLs.

use serde_json::Value;

use crate::service::idp::ui_customization;
use crate::service::{Result, State};
use crate::store::branding as store;
use crate::store::clients::ClientRecord;

/// What the page template needs to dress itself.
#[derive(Clone, Debug, Default)]
pub struct Look {
    /// The name shown beside the mark when there is no logo.
    pub name: String,
    /// Custom properties that override the stylesheet's colours (`--accent: #...;`).
    pub vars: String,
    /// The UI customization's CSS, checked when it was set.
    pub css: String,
    pub logo: Option<String>,
    pub favicon: Option<String>,
    pub background: Option<String>,
}

impl Look {
    pub fn plain() -> Self {
        Look {
            name: "Cognate".into(),
            ..Look::default()
        }
    }
}

/// A colour as Cognito's branding editor writes it (`0972d3ff`, `#0972d3`), as CSS.
fn colour(v: Option<&Value>) -> Option<String> {
    let hex = v?.as_str()?.trim_start_matches('#');
    let ok = matches!(hex.len(), 3 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit());
    ok.then(|| format!("#{hex}"))
}

/// The custom properties a branding style's settings set.
fn variables(settings: &Value) -> String {
    let at = |path: &str| settings.pointer(path);
    let pairs = [
        (
            "--accent",
            "/components/primaryButton/lightMode/defaults/backgroundColor",
        ),
        (
            "--accent-hover",
            "/components/primaryButton/lightMode/hover/backgroundColor",
        ),
        (
            "--accent-ink",
            "/components/primaryButton/lightMode/defaults/textColor",
        ),
        ("--page", "/components/pageBackground/lightMode/color"),
        ("--card", "/components/form/lightMode/backgroundColor"),
        ("--ink", "/components/pageText/lightMode/bodyColor"),
        ("--line", "/components/form/lightMode/borderColor"),
    ];
    pairs
        .iter()
        .filter_map(|(name, path)| colour(at(path)).map(|c| format!("{name}:{c};")))
        .collect()
}

fn media_type(extension: &str) -> Option<&'static str> {
    Some(match extension {
        "ICO" => "image/x-icon",
        "JPEG" => "image/jpeg",
        "PNG" => "image/png",
        "SVG" => "image/svg+xml",
        "WEBP" => "image/webp",
        _ => return None,
    })
}

/// The first light-mode (or dynamic) asset of one of `categories`, as a data URI.
fn asset(assets: &[Value], categories: &[&str]) -> Option<String> {
    categories.iter().find_map(|category| {
        assets.iter().find_map(|a| {
            let field = |k: &str| a.get(k).and_then(Value::as_str);
            let light = matches!(field("ColorMode"), Some("LIGHT" | "DYNAMIC"));
            if field("Category") != Some(category) || !light {
                return None;
            }
            let kind = media_type(field("Extension")?)?;
            let bytes = field("Bytes").filter(|b| !b.is_empty())?;
            // Base64 was checked when the style was stored; its alphabet is URI-safe here.
            let clean = bytes
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c));
            clean.then(|| format!("data:{kind};base64,{bytes}"))
        })
    })
}

/// The look of `client`'s pages.
pub async fn for_client(state: &State, client: &ClientRecord) -> Result<Look> {
    let mut look = Look {
        name: if client.name.is_empty() {
            "Cognate".into()
        } else {
            client.name.clone()
        },
        ..Look::default()
    };
    if let Some(ui) = ui_customization::effective(state, &client.pool_id, &client.id).await? {
        look.css = ui.css.clone().unwrap_or_default();
        look.logo = ui_customization::image_url(&state.public_url, &ui);
    }
    let branding = store::find_branding_by_client(&state.db, &client.pool_id, &client.id).await?;
    if let Some(b) = branding.filter(|b| !b.use_cognito_provided_values) {
        let settings: Value = serde_json::from_str(&b.settings).unwrap_or(Value::Null);
        let assets: Vec<Value> = serde_json::from_str(&b.assets).unwrap_or_default();
        look.vars = variables(&settings);
        if let Some(logo) = asset(&assets, &["FORM_LOGO", "PAGE_HEADER_LOGO"]) {
            look.logo = Some(logo);
        }
        look.favicon = asset(&assets, &["FAVICON_SVG", "FAVICON_ICO"]);
        look.background = asset(&assets, &["PAGE_BACKGROUND"]);
    }
    Ok(look)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hex_colours_reach_the_page() {
        let settings = serde_json::json!({"components": {
            "primaryButton": {"lightMode": {"defaults": {"backgroundColor": "0a7d4fff"}}},
            "pageBackground": {"lightMode": {"color": "red;}</style>"}}
        }});
        assert_eq!(variables(&settings), "--accent:#0a7d4fff;");
    }
}
