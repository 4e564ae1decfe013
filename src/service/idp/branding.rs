//! Managed-login branding: Create/Describe/Update/DeleteManagedLoginBranding and
//! DescribeManagedLoginBrandingByClient. A style belongs to one app client; its settings
//! document (colours) and assets (logo, favicon, background) dress that client's pages.

use base64::Engine;
use serde_json::Value;

use super::Admin;
use crate::service::directory::{clients, pools};
use crate::service::kernel::ids;
use crate::service::{fail, invalid_parameter, now_ms, Error, Exception, Result, State};
use crate::store::branding::{self as store, BrandingRow};
use crate::types::branding::*;
use crate::types::{epoch_seconds, Empty};

fn describe(r: BrandingRow) -> ManagedLoginBrandingReply {
    ManagedLoginBrandingReply {
        managed_login_branding: ManagedLoginBrandingType {
            managed_login_branding_id: r.id,
            user_pool_id: r.pool_id,
            use_cognito_provided_values: r.use_cognito_provided_values,
            settings: serde_json::from_str(&r.settings)
                .unwrap_or(Value::Object(Default::default())),
            assets: serde_json::from_str(&r.assets).unwrap_or_default(),
            creation_date: epoch_seconds(r.created_at),
            last_modified_date: epoch_seconds(r.updated_at),
        },
    }
}

/// The stored settings and assets, checked: Cognito's own values exclude a style's own.
fn contents(
    use_cognito: bool,
    settings: Option<Value>,
    assets: Option<Vec<AssetType>>,
) -> Result<(String, String)> {
    if use_cognito && (settings.is_some() || assets.as_ref().is_some_and(|a| !a.is_empty())) {
        return invalid_parameter(
            "Settings and Assets must be omitted when UseCognitoProvidedValues is true.",
        );
    }
    let settings = settings.unwrap_or(Value::Object(Default::default()));
    if !settings.is_object() {
        return invalid_parameter("Settings must be a JSON object.");
    }
    let assets = assets.unwrap_or_default();
    for a in &assets {
        let bytes = a.bytes.as_deref().unwrap_or_default();
        if base64::engine::general_purpose::STANDARD
            .decode(bytes)
            .is_err()
        {
            return invalid_parameter(format!("The {} asset's Bytes are not base64.", a.category));
        }
    }
    Ok((json(&settings)?, json(&assets)?))
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(e.into()))
}

async fn load(state: &State, pool_id: &str, id: &str) -> Result<BrandingRow> {
    pools::load(state, pool_id).await?;
    match store::find_branding(&state.db, pool_id, id).await? {
        Some(r) => Ok(r),
        None => fail(
            Exception::ResourceNotFound,
            format!("Managed login branding {id} does not exist in user pool {pool_id}."),
        ),
    }
}

pub async fn create_managed_login_branding(
    state: &State,
    _: Admin,
    req: CreateManagedLoginBrandingRequest,
) -> Result<ManagedLoginBrandingReply> {
    let client = clients::load_in_pool(state, &req.user_pool_id, &req.client_id).await?;
    let use_cognito = req.use_cognito_provided_values.unwrap_or(false);
    let (settings, assets) = contents(use_cognito, req.settings, req.assets)?;
    let now = now_ms();
    let row = BrandingRow {
        id: ids::uuid(),
        pool_id: client.pool_id,
        client_id: client.id,
        use_cognito_provided_values: use_cognito,
        settings,
        assets,
        created_at: now,
        updated_at: now,
    };
    if !store::insert_branding(&state.db, &row).await? {
        return fail(
            Exception::ManagedLoginBrandingExists,
            "A managed login branding style already exists for this app client.",
        );
    }
    Ok(describe(row))
}

pub async fn describe_managed_login_branding(
    state: &State,
    _: Admin,
    req: DescribeManagedLoginBrandingRequest,
) -> Result<ManagedLoginBrandingReply> {
    let row = load(state, &req.user_pool_id, &req.managed_login_branding_id).await?;
    Ok(describe(row))
}

pub async fn describe_managed_login_branding_by_client(
    state: &State,
    _: Admin,
    req: DescribeManagedLoginBrandingByClientRequest,
) -> Result<ManagedLoginBrandingReply> {
    let client = clients::load_in_pool(state, &req.user_pool_id, &req.client_id).await?;
    match store::find_branding_by_client(&state.db, &client.pool_id, &client.id).await? {
        Some(r) => Ok(describe(r)),
        None => fail(
            Exception::ResourceNotFound,
            format!("App client {} has no managed login branding.", client.id),
        ),
    }
}

/// UpdateManagedLoginBranding replaces what it is given: settings, assets, or both.
pub async fn update_managed_login_branding(
    state: &State,
    _: Admin,
    req: UpdateManagedLoginBrandingRequest,
) -> Result<ManagedLoginBrandingReply> {
    let (Some(pool_id), Some(id)) = (&req.user_pool_id, &req.managed_login_branding_id) else {
        return invalid_parameter("UserPoolId and ManagedLoginBrandingId are required.");
    };
    let mut row = load(state, pool_id, id).await?;
    let use_cognito = req.use_cognito_provided_values.unwrap_or(false);
    let keep_settings = req.settings.is_none() && !use_cognito;
    let keep_assets = req.assets.is_none() && !use_cognito;
    let (settings, assets) = contents(use_cognito, req.settings, req.assets)?;
    if !keep_settings {
        row.settings = settings;
    }
    if !keep_assets {
        row.assets = assets;
    }
    row.use_cognito_provided_values = use_cognito;
    row.updated_at = now_ms();
    store::update_branding(&state.db, &row).await?;
    Ok(describe(row))
}

pub async fn delete_managed_login_branding(
    state: &State,
    _: Admin,
    req: DeleteManagedLoginBrandingRequest,
) -> Result<Empty> {
    pools::load(state, &req.user_pool_id).await?;
    if !store::delete_branding(&state.db, &req.user_pool_id, &req.managed_login_branding_id).await?
    {
        return fail(
            Exception::ResourceNotFound,
            format!(
                "Managed login branding {} does not exist.",
                req.managed_login_branding_id
            ),
        );
    }
    Ok(Empty {})
}
