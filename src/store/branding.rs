//! The hosted pages' look: UI customizations (CSS and logo per pool or client) and
//! managed-login branding styles (settings and assets per client).

use sqlx::FromRow;

use super::{Db, Result};

/// The pool-wide UI customization's client id, as Cognito names it.
pub const ALL_CLIENTS: &str = "ALL";

/// A UI customization; `image` is the logo's bytes in base64.
#[derive(Debug, Clone, FromRow)]
pub struct UiCustomizationRow {
    pub pool_id: String,
    pub client_id: String,
    pub css: Option<String>,
    pub css_version: Option<String>,
    pub image: Option<String>,
    pub image_type: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Creates or replaces the customization of (`pool_id`, `client_id`).
pub async fn put_ui(db: &Db, r: &UiCustomizationRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO ui_customizations (pool_id, client_id, css, css_version, image, \
         image_type, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (pool_id, client_id) DO UPDATE SET css = excluded.css, \
         css_version = excluded.css_version, image = excluded.image, \
         image_type = excluded.image_type, updated_at = excluded.updated_at",
    )
    .bind(&r.pool_id)
    .bind(&r.client_id)
    .bind(&r.css)
    .bind(&r.css_version)
    .bind(&r.image)
    .bind(&r.image_type)
    .bind(r.created_at)
    .bind(r.updated_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn find_ui(
    db: &Db,
    pool_id: &str,
    client_id: &str,
) -> Result<Option<UiCustomizationRow>> {
    Ok(sqlx::query_as(
        "SELECT pool_id, client_id, css, css_version, image, image_type, created_at, \
         updated_at FROM ui_customizations WHERE pool_id = $1 AND client_id = $2",
    )
    .bind(pool_id)
    .bind(client_id)
    .fetch_optional(db.pool())
    .await?)
}

/// A branding style: `settings` is its JSON document, `assets` the JSON list of its assets
/// as AWS shapes them.
#[derive(Debug, Clone, FromRow)]
pub struct BrandingRow {
    pub id: String,
    pub pool_id: String,
    pub client_id: String,
    pub use_cognito_provided_values: bool,
    pub settings: String,
    pub assets: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(FromRow)]
struct StoredBranding {
    id: String,
    pool_id: String,
    client_id: String,
    use_cognito_provided_values: i64,
    settings: String,
    assets: String,
    created_at: i64,
    updated_at: i64,
}

impl From<StoredBranding> for BrandingRow {
    fn from(s: StoredBranding) -> Self {
        BrandingRow {
            id: s.id,
            pool_id: s.pool_id,
            client_id: s.client_id,
            use_cognito_provided_values: s.use_cognito_provided_values != 0,
            settings: s.settings,
            assets: s.assets,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

const BRANDING_COLUMNS: &str = "id, pool_id, client_id, use_cognito_provided_values, \
                                settings, assets, created_at, updated_at";

/// Inserts a style; false when the client already has one.
pub async fn insert_branding(db: &Db, b: &BrandingRow) -> Result<bool> {
    let done = sqlx::query(&format!(
        "INSERT INTO managed_login_brandings ({BRANDING_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (pool_id, client_id) DO NOTHING"
    ))
    .bind(&b.id)
    .bind(&b.pool_id)
    .bind(&b.client_id)
    .bind(i64::from(b.use_cognito_provided_values))
    .bind(&b.settings)
    .bind(&b.assets)
    .bind(b.created_at)
    .bind(b.updated_at)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn find_branding(db: &Db, pool_id: &str, id: &str) -> Result<Option<BrandingRow>> {
    let row: Option<StoredBranding> = sqlx::query_as(&format!(
        "SELECT {BRANDING_COLUMNS} FROM managed_login_brandings WHERE pool_id = $1 AND id = $2"
    ))
    .bind(pool_id)
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(BrandingRow::from))
}

pub async fn find_branding_by_client(
    db: &Db,
    pool_id: &str,
    client_id: &str,
) -> Result<Option<BrandingRow>> {
    let row: Option<StoredBranding> = sqlx::query_as(&format!(
        "SELECT {BRANDING_COLUMNS} FROM managed_login_brandings \
         WHERE pool_id = $1 AND client_id = $2"
    ))
    .bind(pool_id)
    .bind(client_id)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(BrandingRow::from))
}

pub async fn update_branding(db: &Db, b: &BrandingRow) -> Result<()> {
    sqlx::query(
        "UPDATE managed_login_brandings SET use_cognito_provided_values = $3, settings = $4, \
         assets = $5, updated_at = $6 WHERE pool_id = $1 AND id = $2",
    )
    .bind(&b.pool_id)
    .bind(&b.id)
    .bind(i64::from(b.use_cognito_provided_values))
    .bind(&b.settings)
    .bind(&b.assets)
    .bind(b.updated_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn delete_branding(db: &Db, pool_id: &str, id: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM managed_login_brandings WHERE pool_id = $1 AND id = $2")
        .bind(pool_id)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}
