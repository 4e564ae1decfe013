//! A pool's external identity providers: their types, the ProviderDetails keys Cognito fills
//! with each type's real endpoints (overridable: that is how tests reach local mocks), the
//! default attribute mapping, and the endpoints a sign-in at one of them uses.

use std::collections::BTreeMap;

use crate::service::outbound::relying::{Endpoints, Protocol};
use crate::service::{fail, invalid_parameter, Exception, Result, State};
use crate::store::federation::{self as store, ProviderRecord};

pub const OIDC: &str = "OIDC";
pub const GOOGLE: &str = "Google";
pub const FACEBOOK: &str = "Facebook";
pub const AMAZON: &str = "LoginWithAmazon";
pub const APPLE: &str = "SignInWithApple";
pub const SAML: &str = "SAML";

/// The version of Facebook's Graph API used where the details name none.
const FACEBOOK_API_VERSION: &str = "v17.0";

/// The details keys each type requires.
fn required_keys(provider_type: &str) -> &'static [&'static str] {
    match provider_type {
        OIDC => &["client_id", "authorize_scopes", "oidc_issuer"],
        GOOGLE | FACEBOOK | AMAZON => &["client_id", "client_secret", "authorize_scopes"],
        APPLE => &[
            "client_id",
            "team_id",
            "key_id",
            "private_key",
            "authorize_scopes",
        ],
        _ => &[],
    }
}

/// Details as Cognito stores them: what was given, with each type's endpoints filled in
/// where the caller left them out.
pub fn complete_details(
    provider_type: &str,
    mut details: BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    if provider_type == SAML {
        return fail(
            Exception::Unsupported,
            "SAML identity providers are not supported by Cognate.",
        );
    }
    for key in required_keys(provider_type) {
        if details.get(*key).is_none_or(|v| v.is_empty()) {
            return invalid_parameter(format!(
                "ProviderDetails must contain {key} for provider type {provider_type}."
            ));
        }
    }
    let defaults = defaults(provider_type, &details);
    for (key, value) in defaults {
        details.entry(key.to_string()).or_insert(value);
    }
    if let Some(m) = details.get("attributes_request_method") {
        if m != "GET" && m != "POST" {
            return invalid_parameter("attributes_request_method must be GET or POST.");
        }
    }
    Ok(details)
}

/// Each type's real endpoints, for the keys the details leave out.
fn defaults(
    provider_type: &str,
    details: &BTreeMap<String, String>,
) -> Vec<(&'static str, String)> {
    match provider_type {
        GOOGLE => vec![
            (
                "authorize_url",
                "https://accounts.google.com/o/oauth2/v2/auth".into(),
            ),
            (
                "token_url",
                "https://www.googleapis.com/oauth2/v4/token".into(),
            ),
            (
                "attributes_url",
                "https://people.googleapis.com/v1/people/me?personFields=".into(),
            ),
            ("attributes_url_add_attributes", "true".into()),
            ("oidc_issuer", "https://accounts.google.com".into()),
            ("token_request_method", "POST".into()),
        ],
        FACEBOOK => {
            let v = details
                .get("api_version")
                .cloned()
                .unwrap_or_else(|| FACEBOOK_API_VERSION.into());
            vec![
                ("api_version", v.clone()),
                (
                    "authorize_url",
                    format!("https://www.facebook.com/{v}/dialog/oauth"),
                ),
                (
                    "token_url",
                    format!("https://graph.facebook.com/{v}/oauth/access_token"),
                ),
                (
                    "attributes_url",
                    format!("https://graph.facebook.com/{v}/me?fields="),
                ),
                ("attributes_url_add_attributes", "true".into()),
                ("token_request_method", "GET".into()),
            ]
        }
        AMAZON => vec![
            ("authorize_url", "https://www.amazon.com/ap/oa".into()),
            ("token_url", "https://api.amazon.com/auth/o2/token".into()),
            (
                "attributes_url",
                "https://api.amazon.com/user/profile".into(),
            ),
            ("attributes_url_add_attributes", "false".into()),
            ("token_request_method", "POST".into()),
        ],
        APPLE => vec![
            (
                "authorize_url",
                "https://appleid.apple.com/auth/authorize".into(),
            ),
            ("token_url", "https://appleid.apple.com/auth/token".into()),
            ("oidc_issuer", "https://appleid.apple.com".into()),
            ("token_request_method", "POST".into()),
        ],
        _ => vec![("attributes_request_method", "GET".into())],
    }
}

/// The details as DescribeIdentityProvider shows them: Apple's private key never leaves.
pub fn shown_details(details: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    details
        .iter()
        .filter(|(k, _)| k.as_str() != "private_key")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The attribute that names the user at the provider, where the mapping names none.
pub fn default_subject_attribute(provider_type: &str) -> &'static str {
    match provider_type {
        FACEBOOK => "id",
        AMAZON => "user_id",
        _ => "sub",
    }
}

/// The mapping as stored: `username` always maps to the provider's subject attribute.
pub fn complete_mapping(
    provider_type: &str,
    mut mapping: BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    mapping
        .entry("username".into())
        .or_insert_with(|| default_subject_attribute(provider_type).into());
    mapping
}

/// The provider `name` of the pool, or ResourceNotFoundException.
pub async fn load(state: &State, pool_id: &str, name: &str) -> Result<ProviderRecord> {
    match store::find_provider(&state.db, pool_id, name).await? {
        Some(p) => Ok(p),
        None => fail(
            Exception::ResourceNotFound,
            format!("Identity provider {name} does not exist."),
        ),
    }
}

/// The endpoints a sign-in at `p` uses.
pub fn endpoints(p: &ProviderRecord) -> Result<Endpoints> {
    let d = |k: &str| p.details.get(k).filter(|v| !v.is_empty()).cloned();
    let protocol = match p.provider_type.as_str() {
        OIDC | GOOGLE => Protocol::OpenId,
        FACEBOOK | AMAZON => Protocol::Social,
        other => {
            return fail(
                Exception::Unsupported,
                format!("Sign-in through {other} providers is not supported by Cognate."),
            )
        }
    };
    let add_fields = d("attributes_url_add_attributes").as_deref() == Some("true");
    // Google's people API takes its own field names; its ID token carries the claims.
    let attributes_url = match p.provider_type.as_str() {
        GOOGLE => None,
        _ => d("attributes_url"),
    };
    let attribute_fields = (add_fields && protocol == Protocol::Social).then(|| {
        let mut fields: Vec<String> = vec![default_subject_attribute(&p.provider_type).into()];
        for v in p.attribute_mapping.values() {
            if !fields.contains(v) {
                fields.push(v.clone());
            }
        }
        fields
    });
    Ok(Endpoints {
        protocol,
        client_id: d("client_id").unwrap_or_default(),
        client_secret: d("client_secret"),
        scopes: d("authorize_scopes").unwrap_or_default(),
        issuer: d("oidc_issuer"),
        authorize_url: d("authorize_url"),
        token_url: d("token_url"),
        attributes_url,
        jwks_uri: d("jwks_uri"),
        attributes_request_method: d("attributes_request_method").unwrap_or("GET".into()),
        token_request_method: d("token_request_method").unwrap_or("POST".into()),
        attribute_fields,
    })
}
