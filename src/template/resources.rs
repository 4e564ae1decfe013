//! The resource types a template may define, each as the actions that create and update it:
//! the same actions, through the same validation, as the AWS and REST APIs. The user pool's
//! resources are here; identity pools and IAM roles in `identity`.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::http::admin::call::run_as;
use crate::http::admin::problem::Problem;
use crate::http::aws::model::{model, Service};
use crate::service::admin::Actor;
use crate::service::directory::providers::complete_details;
use crate::service::idp::{
    admin_users, clients, groups, identity_providers, oauth_domains, pools, resource_servers,
};
use crate::service::State;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Pool,
    Client,
    Group,
    User,
    IdentityProvider,
    Domain,
    ResourceServer,
    IdentityPool,
    RoleAttachment,
    Role,
}

impl Kind {
    pub fn of(resource_type: &str) -> Option<Kind> {
        Some(match resource_type {
            "AWS::Cognito::UserPool" => Kind::Pool,
            "AWS::Cognito::UserPoolClient" => Kind::Client,
            "AWS::Cognito::UserPoolGroup" => Kind::Group,
            "AWS::Cognito::UserPoolUser" => Kind::User,
            "AWS::Cognito::UserPoolIdentityProvider" => Kind::IdentityProvider,
            "AWS::Cognito::UserPoolDomain" => Kind::Domain,
            "AWS::Cognito::UserPoolResourceServer" => Kind::ResourceServer,
            "AWS::Cognito::IdentityPool" => Kind::IdentityPool,
            "AWS::Cognito::IdentityPoolRoleAttachment" => Kind::RoleAttachment,
            "AWS::IAM::Role" => Kind::Role,
            _ => return None,
        })
    }

    fn ops(self) -> (&'static str, &'static str) {
        match self {
            Kind::Pool => ("CreateUserPool", "UpdateUserPool"),
            Kind::Client => ("CreateUserPoolClient", "UpdateUserPoolClient"),
            Kind::Group => ("CreateGroup", "UpdateGroup"),
            Kind::User => ("AdminCreateUser", "AdminUpdateUserAttributes"),
            Kind::IdentityProvider => ("CreateIdentityProvider", "UpdateIdentityProvider"),
            Kind::Domain => ("CreateUserPoolDomain", "UpdateUserPoolDomain"),
            Kind::ResourceServer => ("CreateResourceServer", "UpdateResourceServer"),
            Kind::IdentityPool => ("CreateIdentityPool", "UpdateIdentityPool"),
            Kind::RoleAttachment => ("SetIdentityPoolRoles", "SetIdentityPoolRoles"),
            Kind::Role => ("CreateRole", "UpdateRole"),
        }
    }

    /// The service whose model checks the kind's requests (IAM's has none here).
    fn service(self) -> Option<Service> {
        match self {
            Kind::IdentityPool | Kind::RoleAttachment => Some(Service::Identity),
            Kind::Role => None,
            _ => Some(Service::Idp),
        }
    }

    /// A property CloudFormation generates when the template leaves it out.
    pub fn generated_name(self) -> Option<&'static str> {
        match self {
            Kind::IdentityPool => Some("IdentityPoolName"),
            Kind::Role => Some("RoleName"),
            _ => None,
        }
    }
}

/// A resource as made: its physical id and its attributes.
pub type Made = (String, BTreeMap<String, String>);

/// The members of `props` that `op` takes (CloudFormation names a pool `UserPoolName`).
fn input(op: &str, props: &Value, ids: &[(&str, &str)]) -> Value {
    input_of(Service::Idp, op, props, ids)
}

/// [`input`] for an operation of `service`.
pub fn input_of(service: Service, op: &str, props: &Value, ids: &[(&str, &str)]) -> Value {
    let mut out = serde_json::Map::new();
    for name in model(service).input_members(op) {
        let from = match name {
            "PoolName" => "UserPoolName",
            other => other,
        };
        if let Some(v) = props.get(from) {
            out.insert(name.to_string(), v.clone());
        }
    }
    for (k, v) in ids {
        out.insert(k.to_string(), json!(v));
    }
    Value::Object(out)
}

/// The request that creates, or (given what it made before) updates, the resource.
pub fn request(kind: Kind, props: &Value, existing: Option<&str>) -> (&'static str, Value) {
    let (create, update) = kind.ops();
    match (kind, existing) {
        (Kind::IdentityPool | Kind::RoleAttachment | Kind::Role, _) => {
            super::identity::request(kind, (create, update), props, existing)
        }
        (_, None) => (create, input(create, props, &[])),
        (Kind::Pool, Some(id)) => (update, input(update, props, &[("UserPoolId", id)])),
        (Kind::Client, Some(id)) => (update, input(update, props, &[("ClientId", id)])),
        (_, Some(_)) => (update, input(update, props, &[])),
    }
}

/// Checks a request against the service model, as the action would be checked (and a new
/// identity provider's details as CreateIdentityProvider checks them).
pub fn check(kind: Kind, op: &str, input: &Value) -> Result<(), String> {
    if kind == Kind::IdentityProvider && op == "CreateIdentityProvider" {
        check_provider(input)?;
    }
    match kind.service() {
        Some(service) => model(service)
            .check(op, input)
            .map_err(|r| format!("{}: {}", r.code, r.message)),
        None => super::identity::check_role(input),
    }
}

fn provider_attrs(props: &Value) -> BTreeMap<String, String> {
    let kind = props.get("ProviderType").and_then(Value::as_str);
    kind.map(|k| BTreeMap::from([("ProviderType".to_string(), k.to_string())]))
        .unwrap_or_default()
}

/// What CloudFormation can change only by replacing the resource, which an import does not
/// do: a provider's name and type once it is made.
pub fn check_fixed(kind: Kind, props: &Value, existing: Option<&Made>) -> Result<(), String> {
    let (Kind::IdentityProvider, Some((name, attrs))) = (kind, existing) else {
        return Ok(());
    };
    let wanted = props.get("ProviderName").and_then(Value::as_str);
    if wanted.is_some_and(|w| w != name) {
        return Err(format!(
            "ProviderName cannot change from {name} (CloudFormation would replace the provider)"
        ));
    }
    let had = attrs.get("ProviderType").map(String::as_str);
    let wanted = props.get("ProviderType").and_then(Value::as_str);
    if had.is_some() && wanted.is_some() && had != wanted {
        return Err(format!(
            "ProviderType cannot change from {} (CloudFormation would replace the provider)",
            had.unwrap_or_default()
        ));
    }
    Ok(())
}

fn check_provider(input: &Value) -> Result<(), String> {
    let provider_type = input.get("ProviderType").and_then(Value::as_str);
    let details = input.get("ProviderDetails").cloned().unwrap_or(json!({}));
    let (Some(provider_type), Ok(details)) = (provider_type, serde_json::from_value(details))
    else {
        return Ok(()); // the model check words what is wrong
    };
    match complete_details(provider_type, details) {
        Ok(_) => Ok(()),
        Err(crate::service::Error::Cognito { kind, message }) => {
            Err(format!("{}: {message}", kind.name()))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Stand-in ids for checking a template before anything is made.
pub fn placeholder(kind: Kind, logical_id: &str, props: &Value) -> Made {
    let text = |k: &str| props.get(k).and_then(Value::as_str).unwrap_or(logical_id);
    match kind {
        Kind::Pool => pool_made("us-east-1", "000000000000", "us-east-1_Placeholder0"),
        Kind::Client => ("placeholderclient000000000".into(), BTreeMap::new()),
        Kind::Group => (text("GroupName").to_string(), BTreeMap::new()),
        Kind::User => (text("Username").to_string(), BTreeMap::new()),
        Kind::IdentityProvider => (text("ProviderName").to_string(), BTreeMap::new()),
        Kind::Domain => (
            text("Domain").to_string(),
            BTreeMap::from([("CloudFrontDistribution".into(), "localhost".into())]),
        ),
        Kind::ResourceServer => (text("Identifier").to_string(), BTreeMap::new()),
        _ => super::identity::placeholder(kind, logical_id, props),
    }
}

fn pool_made(region: &str, account: &str, id: &str) -> Made {
    let attrs = BTreeMap::from([
        (
            "Arn".to_string(),
            format!("arn:aws:cognito-idp:{region}:{account}:userpool/{id}"),
        ),
        (
            "ProviderName".to_string(),
            format!("cognito-idp.{region}.amazonaws.com/{id}"),
        ),
        (
            "ProviderURL".to_string(),
            format!("https://cognito-idp.{region}.amazonaws.com/{id}"),
        ),
        ("UserPoolId".to_string(), id.to_string()),
    ]);
    (id.to_string(), attrs)
}

/// Runs the request; what the resource is now.
pub async fn apply(
    state: &State,
    actor: &Actor,
    kind: Kind,
    op: &'static str,
    input: Value,
    existing: Option<&Made>,
) -> Result<Made, Problem> {
    let t = "template";
    let text = |v: &Value, p: &str| {
        v.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    match (kind, existing) {
        (Kind::Pool, None) => {
            let reply = run_as(state, actor, t, op, input, pools::create_user_pool).await?;
            let id = text(&reply, "/UserPool/Id");
            Ok(pool_made(&state.region, &state.account_id, &id))
        }
        (Kind::Pool, Some(made)) => {
            run_as(state, actor, t, op, input, pools::update_user_pool).await?;
            Ok(made.clone())
        }
        (Kind::Client, existing) => {
            let reply = match existing {
                None => {
                    run_as(state, actor, t, op, input, clients::create_user_pool_client).await?
                }
                Some(_) => {
                    run_as(state, actor, t, op, input, clients::update_user_pool_client).await?
                }
            };
            let id = text(&reply, "/UserPoolClient/ClientId");
            let mut attrs = BTreeMap::from([
                ("ClientId".to_string(), id.clone()),
                (
                    "Name".to_string(),
                    text(&reply, "/UserPoolClient/ClientName"),
                ),
            ]);
            let secret = text(&reply, "/UserPoolClient/ClientSecret");
            if !secret.is_empty() {
                attrs.insert("ClientSecret".into(), secret);
            }
            Ok((id, attrs))
        }
        (Kind::Group, existing) => {
            let name = text(&input, "/GroupName");
            match existing {
                None => run_as(state, actor, t, op, input, groups::create_group).await?,
                Some(_) => run_as(state, actor, t, op, input, groups::update_group).await?,
            };
            Ok((name, BTreeMap::new()))
        }
        (Kind::IdentityProvider, existing) => {
            // Ref gives the provider's name; its name and type are fixed once made.
            let name = text(&input, "/ProviderName");
            let attrs = match existing {
                None => {
                    let attrs = provider_attrs(&input);
                    let create = identity_providers::create_identity_provider;
                    run_as(state, actor, t, op, input, create).await?;
                    attrs
                }
                Some((_, attrs)) => {
                    let update = identity_providers::update_identity_provider;
                    run_as(state, actor, t, op, input, update).await?;
                    attrs.clone()
                }
            };
            Ok((name, attrs))
        }
        (Kind::Domain, existing) => domain(state, actor, op, input, existing.is_some()).await,
        (Kind::ResourceServer, existing) => {
            let id = text(&input, "/Identifier");
            match existing {
                None => {
                    let create = resource_servers::create_resource_server;
                    run_as(state, actor, t, op, input, create).await?
                }
                Some(_) => {
                    let update = resource_servers::update_resource_server;
                    run_as(state, actor, t, op, input, update).await?
                }
            };
            Ok((id, BTreeMap::new()))
        }
        (Kind::IdentityPool | Kind::RoleAttachment | Kind::Role, _) => {
            super::identity::apply(state, actor, kind, op, input, existing).await
        }
        (Kind::User, existing) => {
            let name = text(&input, "/Username");
            match existing {
                None => run_as(state, actor, t, op, input, admin_users::admin_create_user).await?,
                Some(_) => {
                    let update = admin_users::admin_update_user_attributes;
                    run_as(state, actor, t, op, input, update).await?
                }
            };
            Ok((name, BTreeMap::new()))
        }
    }
}

/// A domain, created or updated; its CloudFrontDistribution as DescribeUserPoolDomain says.
async fn domain(
    state: &State,
    actor: &Actor,
    op: &'static str,
    input: Value,
    existed: bool,
) -> Result<Made, Problem> {
    let t = "template";
    let name = input
        .get("Domain")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if existed {
        let update = oauth_domains::update_user_pool_domain;
        run_as(state, actor, t, op, input, update).await?;
    } else {
        let create = oauth_domains::create_user_pool_domain;
        run_as(state, actor, t, op, input, create).await?;
    }
    let describe = oauth_domains::describe_user_pool_domain;
    let about = json!({"Domain": name});
    let reply = run_as(state, actor, t, "DescribeUserPoolDomain", about, describe).await?;
    let cloud_front = reply
        .pointer("/DomainDescription/CloudFrontDistribution")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let attrs = BTreeMap::from([("CloudFrontDistribution".to_string(), cloud_front.into())]);
    Ok((name, attrs))
}
