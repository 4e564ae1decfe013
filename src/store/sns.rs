//! SNS mobile push: platform applications (their credential sealed) and their endpoints.

use sqlx::FromRow;

use super::sealed::PLATFORM_CREDENTIAL;
use super::{flag, Db, Result};

/// A platform application, its credential opened.
#[derive(Debug, Clone)]
pub struct PlatformAppRecord {
    pub arn: String,
    pub name: String,
    /// GCM, APNS or APNS_SANDBOX.
    pub platform: String,
    /// The attributes SNS returns, as a JSON object of strings.
    pub attributes: String,
    pub credential: Option<String>,
    pub principal: Option<String>,
    pub created_at: i64,
}

#[derive(FromRow)]
struct AppRow {
    arn: String,
    name: String,
    platform: String,
    attributes: String,
    credential: Option<String>,
    principal: Option<String>,
    created_at: i64,
}

impl AppRow {
    fn open(self, db: &Db) -> Result<PlatformAppRecord> {
        let credential = self
            .credential
            .as_deref()
            .map(|c| PLATFORM_CREDENTIAL.open(db.sealer(), &[&self.arn], c))
            .transpose()?;
        Ok(PlatformAppRecord {
            arn: self.arn,
            name: self.name,
            platform: self.platform,
            attributes: self.attributes,
            credential,
            principal: self.principal,
            created_at: self.created_at,
        })
    }
}

const APP_COLUMNS: &str = "arn, name, platform, attributes, credential, principal, created_at";

/// Creates the application, or overwrites the one of the same ARN (SNS's CreatePlatformApplication
/// with an existing name updates it).
pub async fn save_app(db: &Db, a: &PlatformAppRecord) -> Result<()> {
    let credential = a
        .credential
        .as_deref()
        .map(|c| PLATFORM_CREDENTIAL.seal(db.sealer(), &[&a.arn], c));
    sqlx::query(
        "INSERT INTO sns_platform_applications (arn, name, platform, attributes, credential, \
         principal, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (arn) DO UPDATE SET attributes = excluded.attributes, \
         credential = excluded.credential, principal = excluded.principal",
    )
    .bind(&a.arn)
    .bind(&a.name)
    .bind(&a.platform)
    .bind(&a.attributes)
    .bind(credential)
    .bind(&a.principal)
    .bind(a.created_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn find_app(db: &Db, arn: &str) -> Result<Option<PlatformAppRecord>> {
    let row: Option<AppRow> = sqlx::query_as(&format!(
        "SELECT {APP_COLUMNS} FROM sns_platform_applications WHERE arn = $1"
    ))
    .bind(arn)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| r.open(db)).transpose()
}

/// Applications after `after` in ARN order, at most `limit`.
pub async fn list_apps(db: &Db, after: &str, limit: i64) -> Result<Vec<PlatformAppRecord>> {
    let rows: Vec<AppRow> = sqlx::query_as(&format!(
        "SELECT {APP_COLUMNS} FROM sns_platform_applications WHERE arn > $1 ORDER BY arn LIMIT $2"
    ))
    .bind(after)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(|r| r.open(db)).collect()
}

/// Deletes the application and its endpoints; deleting a missing one is no error.
pub async fn delete_app(db: &Db, arn: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM sns_endpoints WHERE application_arn = $1")
        .bind(arn)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sns_platform_applications WHERE arn = $1")
        .bind(arn)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRecord {
    pub arn: String,
    pub application_arn: String,
    pub token: String,
    pub enabled: bool,
    pub custom_user_data: Option<String>,
    pub created_at: i64,
}

#[derive(FromRow)]
struct EndpointRow {
    arn: String,
    application_arn: String,
    token: String,
    enabled: i64,
    custom_user_data: Option<String>,
    created_at: i64,
}

impl From<EndpointRow> for EndpointRecord {
    fn from(r: EndpointRow) -> Self {
        EndpointRecord {
            arn: r.arn,
            application_arn: r.application_arn,
            token: r.token,
            enabled: r.enabled != 0,
            custom_user_data: r.custom_user_data,
            created_at: r.created_at,
        }
    }
}

const ENDPOINT_COLUMNS: &str = "arn, application_arn, token, enabled, custom_user_data, created_at";

/// Inserts the endpoint unless the application has one for the token already; either way
/// the endpoint that holds the token.
pub async fn insert_endpoint(db: &Db, e: &EndpointRecord) -> Result<EndpointRecord> {
    sqlx::query(
        "INSERT INTO sns_endpoints (arn, application_arn, token, enabled, custom_user_data, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (application_arn, token) DO NOTHING",
    )
    .bind(&e.arn)
    .bind(&e.application_arn)
    .bind(&e.token)
    .bind(flag(e.enabled))
    .bind(&e.custom_user_data)
    .bind(e.created_at)
    .execute(db.pool())
    .await?;
    let row: EndpointRow = sqlx::query_as(&format!(
        "SELECT {ENDPOINT_COLUMNS} FROM sns_endpoints WHERE application_arn = $1 AND token = $2"
    ))
    .bind(&e.application_arn)
    .bind(&e.token)
    .fetch_one(db.pool())
    .await?;
    Ok(row.into())
}

pub async fn find_endpoint(db: &Db, arn: &str) -> Result<Option<EndpointRecord>> {
    let row: Option<EndpointRow> = sqlx::query_as(&format!(
        "SELECT {ENDPOINT_COLUMNS} FROM sns_endpoints WHERE arn = $1"
    ))
    .bind(arn)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(Into::into))
}

/// The application's endpoints after `after` in ARN order, at most `limit`.
pub async fn list_endpoints(
    db: &Db,
    application_arn: &str,
    after: &str,
    limit: i64,
) -> Result<Vec<EndpointRecord>> {
    let rows: Vec<EndpointRow> = sqlx::query_as(&format!(
        "SELECT {ENDPOINT_COLUMNS} FROM sns_endpoints WHERE application_arn = $1 AND arn > $2 \
         ORDER BY arn LIMIT $3"
    ))
    .bind(application_arn)
    .bind(after)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Writes the endpoint's token, state and user data; false when it no longer exists.
pub async fn update_endpoint(db: &Db, e: &EndpointRecord) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE sns_endpoints SET token = $2, enabled = $3, custom_user_data = $4 WHERE arn = $1",
    )
    .bind(&e.arn)
    .bind(&e.token)
    .bind(flag(e.enabled))
    .bind(&e.custom_user_data)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Disables the endpoint (the platform reported its token dead).
pub async fn disable_endpoint(db: &Db, arn: &str) -> Result<()> {
    sqlx::query("UPDATE sns_endpoints SET enabled = $2 WHERE arn = $1")
        .bind(arn)
        .bind(flag(false))
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete_endpoint(db: &Db, arn: &str) -> Result<()> {
    sqlx::query("DELETE FROM sns_endpoints WHERE arn = $1")
        .bind(arn)
        .execute(db.pool())
        .await?;
    Ok(())
}
