//! SNS mobile push, the part Cognito Sync needs: platform applications (GCM with an FCM
//! service account, APNS and APNS_SANDBOX with a token signing key, ADM with a client id and
//! secret) and their endpoints.
//! Credentials are sealed at rest and never returned, as SNS never returns them.

use std::collections::BTreeMap;

use crate::service::kernel::paging;
use crate::service::outbound::adm::ClientCredentials;
use crate::service::outbound::apns::{Certificate, SigningKey};
use crate::service::outbound::fcm::ServiceAccount;
use crate::service::{fail, now_ms, Exception, Result, State};
use crate::store::sns::{self as store, EndpointRecord, PlatformAppRecord};

pub type Attributes = BTreeMap<String, String>;

/// A page of SNS's lists.
pub(super) const PAGE: i64 = 100;
const CREDENTIAL: &str = "PlatformCredential";
const PRINCIPAL: &str = "PlatformPrincipal";
const PLATFORMS: &[&str] = &["GCM", "APNS", "APNS_SANDBOX", "ADM"];
const APP_ATTRIBUTES: &[&str] = &[
    CREDENTIAL,
    PRINCIPAL,
    "ApplePlatformTeamID",
    "ApplePlatformBundleID",
    "Enabled",
    "EventEndpointCreated",
    "EventEndpointDeleted",
    "EventEndpointUpdated",
    "EventDeliveryFailure",
    "SuccessFeedbackRoleArn",
    "FailureFeedbackRoleArn",
    "SuccessFeedbackSampleRate",
];

pub(super) fn invalid<T>(message: impl Into<String>) -> Result<T> {
    fail(Exception::SnsInvalidParameter, message)
}

pub(super) fn not_found<T>(what: &str) -> Result<T> {
    fail(Exception::NotFound, format!("{what} does not exist"))
}

/// What a platform application delivers with.
pub enum Sender {
    Fcm(ServiceAccount),
    Apns { key: SigningKey, sandbox: bool },
    ApnsCertificate { pair: Certificate, sandbox: bool },
    Adm(ClientCredentials),
}

/// The application's sender, from its opened credential.
pub fn sender(app: &PlatformAppRecord) -> std::result::Result<Sender, String> {
    let attributes = stored_attributes(app);
    let credential = app.credential.clone().unwrap_or_default();
    match app.platform.as_str() {
        "GCM" => ServiceAccount::parse(&credential).map(Sender::Fcm),
        "ADM" => Ok(Sender::Adm(ClientCredentials {
            client_id: app.principal.clone().unwrap_or_default(),
            client_secret: credential,
        })),
        platform
            if app
                .principal
                .as_deref()
                .is_some_and(Certificate::is_certificate) =>
        {
            Ok(Sender::ApnsCertificate {
                pair: Certificate {
                    cert_pem: app.principal.clone().unwrap_or_default(),
                    key_pem: credential,
                    bundle_id: attributes.get("ApplePlatformBundleID").cloned(),
                },
                sandbox: platform == "APNS_SANDBOX",
            })
        }
        platform => Ok(Sender::Apns {
            key: SigningKey {
                key_pem: credential,
                key_id: app.principal.clone().unwrap_or_default(),
                team_id: attributes
                    .get("ApplePlatformTeamID")
                    .cloned()
                    .unwrap_or_default(),
                bundle_id: attributes
                    .get("ApplePlatformBundleID")
                    .cloned()
                    .unwrap_or_default(),
            },
            sandbox: platform == "APNS_SANDBOX",
        }),
    }
}

fn stored_attributes(app: &PlatformAppRecord) -> Attributes {
    serde_json::from_str(&app.attributes).unwrap_or_default()
}

fn check_attribute_names(attributes: &Attributes, allowed: &[&str]) -> Result<()> {
    match attributes.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(name) => invalid(format!(
            "Invalid parameter: Attributes Reason: Invalid attribute name: {name}"
        )),
        None => Ok(()),
    }
}

/// Checks the credential attributes the platform needs.
fn check_credentials(platform: &str, credential: Option<&str>, a: &Attributes) -> Result<()> {
    let Some(credential) = credential else {
        return invalid(
            "Invalid parameter: Attributes Reason: PlatformCredential attribute is required",
        );
    };
    if platform == "ADM" {
        // SNS: for ADM, PlatformPrincipal is the client id, PlatformCredential the secret.
        return match a.get(PRINCIPAL) {
            Some(id) if !id.is_empty() && !credential.is_empty() => Ok(()),
            _ => invalid(
                "Invalid parameter: Attributes Reason: PlatformPrincipal attribute is required",
            ),
        };
    }
    if platform == "GCM" {
        return ServiceAccount::parse(credential).map(|_| ()).or_else(|e| {
            invalid(format!(
                "Invalid parameter: Attributes Reason: Platform credentials are invalid ({e})"
            ))
        });
    }
    // SNS: with certificate credentials, PlatformPrincipal is the TLS certificate and
    // PlatformCredential its private key; with token credentials, the key id and the key.
    if let Some(certificate) = a.get(PRINCIPAL).filter(|p| Certificate::is_certificate(p)) {
        return Certificate::check(certificate, credential).or_else(|e| {
            invalid(format!(
                "Invalid parameter: Attributes Reason: Platform credentials are invalid ({e})"
            ))
        });
    }
    for needed in [PRINCIPAL, "ApplePlatformTeamID", "ApplePlatformBundleID"] {
        if a.get(needed).is_none_or(|v| v.is_empty()) {
            return invalid(format!(
                "Invalid parameter: Attributes Reason: {needed} attribute is required \
                 (for token-based APNs authentication; or give a certificate as the principal)"
            ));
        }
    }
    SigningKey::check_key(credential).or_else(|e| {
        invalid(format!(
            "Invalid parameter: Attributes Reason: Platform credentials are invalid ({e})"
        ))
    })
}

/// Splits the attributes into the record's columns: credential, principal, the rest.
fn app_record(state: &State, name: &str, platform: &str, mut a: Attributes) -> PlatformAppRecord {
    let credential = a.remove(CREDENTIAL);
    let principal = a.remove(PRINCIPAL);
    a.entry("Enabled".into()).or_insert_with(|| "true".into());
    PlatformAppRecord {
        arn: format!(
            "arn:aws:sns:{}:{}:app/{platform}/{name}",
            state.region, state.account_id
        ),
        name: name.to_string(),
        platform: platform.to_string(),
        attributes: serde_json::to_string(&a).unwrap_or_else(|_| "{}".into()),
        credential,
        principal,
        created_at: now_ms(),
    }
}

pub async fn create_platform_application(
    state: &State,
    name: &str,
    platform: &str,
    attributes: Attributes,
) -> Result<String> {
    let valid_name = (1..=256).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    if !valid_name {
        return invalid("Invalid parameter: Name");
    }
    if !PLATFORMS.contains(&platform) {
        return invalid(format!(
            "Invalid parameter: Platform (Cognate delivers to {})",
            PLATFORMS.join(", ")
        ));
    }
    check_attribute_names(&attributes, APP_ATTRIBUTES)?;
    let credential = attributes.get(CREDENTIAL).map(String::as_str);
    check_credentials(platform, credential, &attributes)?;
    let record = app_record(state, name, platform, attributes);
    if let Some(existing) = store::find_app(&state.db, &record.arn).await? {
        let same = existing.attributes == record.attributes
            && existing.credential == record.credential
            && existing.principal == record.principal;
        if !same {
            return invalid("Invalid parameter: Name Reason: An application with the same name but different properties already exists");
        }
        return Ok(existing.arn);
    }
    store::save_app(&state.db, &record).await?;
    Ok(record.arn)
}

pub(super) async fn app(state: &State, arn: &str) -> Result<PlatformAppRecord> {
    match store::find_app(&state.db, arn).await? {
        Some(app) => Ok(app),
        None => not_found("PlatformApplication"),
    }
}

/// The application's attributes, its credential and principal left out.
pub async fn get_platform_application_attributes(state: &State, arn: &str) -> Result<Attributes> {
    Ok(stored_attributes(&app(state, arn).await?))
}

pub async fn set_platform_application_attributes(
    state: &State,
    arn: &str,
    changes: Attributes,
) -> Result<()> {
    let existing = app(state, arn).await?;
    check_attribute_names(&changes, APP_ATTRIBUTES)?;
    let mut merged = stored_attributes(&existing);
    if let Some(c) = &existing.credential {
        merged.insert(CREDENTIAL.into(), c.clone());
    }
    if let Some(p) = &existing.principal {
        merged.insert(PRINCIPAL.into(), p.clone());
    }
    merged.extend(changes);
    let credential = merged.get(CREDENTIAL).map(String::as_str);
    check_credentials(&existing.platform, credential, &merged)?;
    let mut record = app_record(state, &existing.name, &existing.platform, merged);
    record.created_at = existing.created_at;
    store::save_app(&state.db, &record).await?;
    Ok(())
}

pub(super) fn after(next_token: Option<&str>) -> Result<String> {
    match next_token {
        None => Ok(String::new()),
        Some(t) => paging::decode(t).or_else(|_| invalid("Invalid parameter: NextToken")),
    }
}

/// A page of applications with their attributes, and the token of the next.
pub async fn list_platform_applications(
    state: &State,
    next_token: Option<&str>,
) -> Result<(Vec<(String, Attributes)>, Option<String>)> {
    let mut apps = store::list_apps(&state.db, &after(next_token)?, PAGE + 1).await?;
    let next = paging::next_token(&mut apps, PAGE, |a| paging::encode(&a.arn));
    let page = apps
        .iter()
        .map(|a| (a.arn.clone(), stored_attributes(a)))
        .collect();
    Ok((page, next))
}

pub async fn delete_platform_application(state: &State, arn: &str) -> Result<()> {
    Ok(store::delete_app(&state.db, arn).await?)
}

/// An endpoint's attributes as SNS returns them.
pub fn endpoint_attributes(e: &EndpointRecord) -> Attributes {
    let mut a = Attributes::new();
    a.insert("Token".into(), e.token.clone());
    a.insert("Enabled".into(), e.enabled.to_string());
    if let Some(data) = &e.custom_user_data {
        a.insert("CustomUserData".into(), data.clone());
    }
    a
}

pub(super) fn check_endpoint_attributes(a: &Attributes) -> Result<()> {
    check_attribute_names(a, &["CustomUserData", "Enabled", "Token"])?;
    if let Some(enabled) = a.get("Enabled") {
        if enabled != "true" && enabled != "false" {
            return invalid("Invalid parameter: Attributes Reason: Enabled must be true or false");
        }
    }
    if a.get("CustomUserData").is_some_and(|d| d.len() > 2048) {
        return invalid("Invalid parameter: CustomUserData Reason: longer than 2048 bytes");
    }
    if a.get("Token")
        .is_some_and(|t| t.is_empty() || t.len() > 4096)
    {
        return invalid("Invalid parameter: Token");
    }
    Ok(())
}
