//! The cognito-idp actions: the only code that sees that service's wire types. Each action
//! names in its signature the principal its operation needs ([`Admin`], [`Public`] or
//! [`Bearer`]), calls the domain, and maps the domain's answer to the reply.

pub mod account;
pub mod admin_users;
pub mod auth;
pub mod branding;
pub mod clients;
pub mod devices;
pub mod groups;
pub mod identity_providers;
pub mod import_jobs;
pub mod list_users;
pub mod mfa;
pub mod oauth_domains;
pub mod oauth_settings;
pub mod passwords;
pub mod pools;
pub mod resource_servers;
pub mod schema;
pub mod signup;
pub mod tags;
pub mod ui_customization;
pub mod users;

use crate::service::directory::attributes::Attribute;
use crate::service::outbound::messaging::Delivered;
use crate::service::tokens::Authenticated;
use crate::types::{AttributeType, CodeDeliveryDetails};

/// An administrator: the request carried a valid SigV4 signature of the admin credentials
/// (in local mode, any well-formed one). Only the HTTP edge makes one, after checking.
#[derive(Debug)]
pub struct Admin {
    _checked: (),
}

impl Admin {
    /// For the HTTP edge, once the signature has been verified.
    pub(crate) fn verified() -> Admin {
        Admin { _checked: () }
    }
}

/// An operation that takes no credentials: it authenticates with what the request itself
/// carries (a client id and its secret hash, a session, a code).
#[derive(Debug)]
pub struct Public;

/// The user whose access token the request carried, verified.
#[derive(Debug)]
pub struct Bearer(pub Authenticated);

impl From<Delivered> for CodeDeliveryDetails {
    fn from(d: Delivered) -> Self {
        CodeDeliveryDetails {
            destination: d.destination,
            delivery_medium: d.medium.name().into(),
            attribute_name: d.medium.attribute().into(),
        }
    }
}

/// Attributes as the domain takes them: a missing value is an empty one.
pub fn domain_attributes(given: &[AttributeType]) -> Vec<Attribute> {
    given
        .iter()
        .map(|a| Attribute {
            name: a.name.clone(),
            value: a.value.clone().unwrap_or_default(),
        })
        .collect()
}

/// Delivery details as replies carry them.
pub fn deliveries(sent: Vec<Delivered>) -> Vec<CodeDeliveryDetails> {
    sent.into_iter().map(Into::into).collect()
}
