//! GetUICustomization and SetUICustomization: the classic hosted UI's CSS and logo, for the
//! whole pool (client `ALL`) or one client, which falls back to the pool's.

use base64::Engine;

use super::Admin;
use crate::service::directory::{clients, pools};
use crate::service::kernel::ui_css;
use crate::service::{invalid_parameter, now_ms, Result, State};
use crate::store::branding::{self as store, UiCustomizationRow, ALL_CLIENTS};
use crate::types::branding::*;
use crate::types::epoch_seconds;

/// The client a request names, checked to belong to the pool; `ALL` for the pool itself.
async fn client_key(state: &State, pool_id: &str, client: Option<&str>) -> Result<String> {
    match client.filter(|c| *c != ALL_CLIENTS) {
        Some(c) => Ok(clients::load_in_pool(state, pool_id, c).await?.id),
        None => {
            pools::load(state, pool_id).await?;
            Ok(ALL_CLIENTS.to_string())
        }
    }
}

/// Where the pages (and callers) fetch a customization's logo.
pub fn image_url(public_url: &str, r: &UiCustomizationRow) -> Option<String> {
    r.image.as_ref().map(|_| {
        format!(
            "{public_url}/_cognate/ui-image/{}/{}?v={}",
            r.pool_id, r.client_id, r.updated_at
        )
    })
}

fn describe(
    state: &State,
    pool_id: &str,
    client_id: &str,
    r: Option<UiCustomizationRow>,
) -> UiCustomizationReply {
    let ui_customization = match r {
        Some(r) => UiCustomizationType {
            image_url: image_url(&state.public_url, &r),
            user_pool_id: r.pool_id,
            client_id: r.client_id,
            css: r.css,
            css_version: r.css_version,
            last_modified_date: Some(epoch_seconds(r.updated_at)),
            creation_date: Some(epoch_seconds(r.created_at)),
        },
        None => UiCustomizationType {
            user_pool_id: pool_id.to_string(),
            client_id: client_id.to_string(),
            image_url: None,
            css: None,
            css_version: None,
            last_modified_date: None,
            creation_date: None,
        },
    };
    UiCustomizationReply { ui_customization }
}

/// The customization the pages of `client_id` wear: the client's own, else the pool's.
pub async fn effective(
    state: &State,
    pool_id: &str,
    client_id: &str,
) -> Result<Option<UiCustomizationRow>> {
    if client_id != ALL_CLIENTS {
        if let Some(r) = store::find_ui(&state.db, pool_id, client_id).await? {
            return Ok(Some(r));
        }
    }
    Ok(store::find_ui(&state.db, pool_id, ALL_CLIENTS).await?)
}

pub async fn get_ui_customization(
    state: &State,
    _: Admin,
    req: GetUiCustomizationRequest,
) -> Result<UiCustomizationReply> {
    let client = client_key(state, &req.user_pool_id, req.client_id.as_deref()).await?;
    let found = effective(state, &req.user_pool_id, &client).await?;
    Ok(describe(state, &req.user_pool_id, &client, found))
}

/// The logo's media type, from its first bytes: Cognito takes PNG and JPEG.
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G']) {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

pub async fn set_ui_customization(
    state: &State,
    _: Admin,
    req: SetUiCustomizationRequest,
) -> Result<UiCustomizationReply> {
    let client = client_key(state, &req.user_pool_id, req.client_id.as_deref()).await?;
    if let Some(why) = req.css.as_deref().and_then(ui_css::refusal) {
        return invalid_parameter(why);
    }
    let (image, kind) = match req.image_file.as_deref().filter(|i| !i.is_empty()) {
        Some(b64) => {
            let bytes = base64::engine::general_purpose::STANDARD.decode(b64);
            let kind = bytes.ok().as_deref().and_then(image_type);
            let Some(kind) = kind else {
                return invalid_parameter("The image file must be a PNG or JPEG image.");
            };
            (Some(b64.to_string()), Some(kind.to_string()))
        }
        None => (None, None),
    };
    let now = now_ms();
    let created_at = store::find_ui(&state.db, &req.user_pool_id, &client)
        .await?
        .map_or(now, |r| r.created_at);
    let row = UiCustomizationRow {
        pool_id: req.user_pool_id.to_string(),
        client_id: client.clone(),
        css_version: req.css.as_ref().map(|_| now.to_string()),
        css: req.css,
        image,
        image_type: kind,
        created_at,
        updated_at: now,
    };
    store::put_ui(&state.db, &row).await?;
    Ok(describe(state, &req.user_pool_id, &client, Some(row)))
}
