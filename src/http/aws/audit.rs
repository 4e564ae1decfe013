//! The audit hook of the AWS surface: an Admin operation that changes something is recorded
//! once it has succeeded, with the access key it was signed with and the names (never the
//! values) of the fields its request set.

use actix_web::HttpRequest;
use serde_json::Value;

use super::principal::{Ctx, Kind};
use crate::service::admin::audit::{self, Change};
use crate::service::admin::Actor;
use crate::service::identity::identities;
use crate::service::idp::Admin;
use crate::service::State;

/// The members that name the resource rather than change it.
const IDENTIFIERS: &[&str] = &[
    "UserPoolId",
    "Username",
    "ClientId",
    "GroupName",
    "IdentityPoolId",
    "IdentityId",
    "DatasetName",
];

/// Whether `op` only reads (or signs in, which is not an administrative change).
pub fn is_read_only(op: &str) -> bool {
    let op = op.strip_prefix("Admin").unwrap_or(op);
    ["Get", "List", "Describe", "Lookup"]
        .iter()
        .any(|verb| op.starts_with(verb))
        || matches!(op, "InitiateAuth" | "RespondToAuthChallenge")
}

/// A change about to be made by a signed operation, recorded once it succeeds.
pub struct Pending {
    actor: Actor,
    change: Change,
    pool_id: Option<String>,
    /// A cognito-identity or Cognito Sync change: the identity pool and identity it names,
    /// if it does.
    identity: Option<(Option<String>, Option<String>)>,
    /// A Cognito Sync change: the dataset it names, below the identity.
    dataset: Option<String>,
}

impl Pending {
    /// `None` unless `op` is a signed (admin) operation that changes something.
    pub fn new(ctx: &Ctx<'_>, kind: Kind, op: &str, input: &Value) -> Option<Pending> {
        if kind != Kind::Signed {
            return None;
        }
        Pending::signed(ctx.req, op, input)
    }

    /// [`Pending::by`] the signer of `req`, through the AWS API.
    pub fn signed(req: &HttpRequest, op: &str, input: &Value) -> Option<Pending> {
        Pending::by(signer(req), "aws", op, input)
    }

    /// `None` unless `op` changes something; `actor` made the call through `surface`.
    pub fn by(actor: Actor, surface: &'static str, op: &str, input: &Value) -> Option<Pending> {
        if is_read_only(op) {
            return None;
        }
        let text = |name: &str| input.get(name).and_then(Value::as_str).map(String::from);
        Some(
            Pending {
                actor,
                change: Change {
                    surface,
                    operation: op.to_string(),
                    resource: String::new(),
                    fields: field_names(input),
                },
                pool_id: text("UserPoolId"),
                identity: identity_names(input),
                dataset: text("DatasetName"),
            }
            .with_resource(text("Username"), text("ClientId"), text("GroupName")),
        )
    }

    fn with_resource(
        mut self,
        user: Option<String>,
        client: Option<String>,
        group: Option<String>,
    ) -> Pending {
        let mut below = String::new();
        match (group, user, client) {
            (Some(g), Some(u), _) => below = format!("/group/{g}/member/{u}"),
            (Some(g), None, _) => below = format!("/group/{g}"),
            (None, Some(u), _) => below = format!("/user/{u}"),
            (None, None, Some(c)) => below = format!("/client/{c}"),
            _ => {}
        }
        self.change.resource = below;
        self
    }

    /// Before the change: the identity pool of the identity a cognito-identity change names
    /// alone (DeleteIdentities, UnlinkIdentity), while the identity still exists.
    pub async fn resolved(mut self, state: &State) -> Pending {
        if let Some((None, Some(identity))) = &self.identity {
            let pool = identities::identity_pool_of(state, Admin::verified(), identity).await;
            self.identity = Some((pool.ok(), Some(identity.clone())));
        }
        self
    }

    /// Records the change; `reply` supplies the ids a create call made.
    pub async fn record(self, state: &State, reply: &Value) {
        let made_identity_pool = reply.get("IdentityPoolId").and_then(Value::as_str);
        if self.identity.is_some() || (self.pool_id.is_none() && made_identity_pool.is_some()) {
            let (pool, identity) = self.identity.unwrap_or_default();
            let pool = pool.or(made_identity_pool.map(String::from));
            let mut change = self.change;
            change.resource = identity_resource(pool.as_deref(), identity.as_deref());
            if let Some(dataset) = self.dataset {
                change.resource.push_str(&format!("/dataset/{dataset}"));
            }
            audit::record(state, &self.actor, change).await;
            return;
        }
        let pool = self.pool_id.or_else(|| {
            reply
                .pointer("/UserPool/Id")
                .and_then(Value::as_str)
                .map(String::from)
        });
        let mut change = self.change;
        let made_client = reply
            .pointer("/UserPoolClient/ClientId")
            .and_then(Value::as_str);
        if change.resource.is_empty() {
            if let Some(client) = made_client {
                change.resource = format!("/client/{client}");
            }
        }
        change.resource = match pool {
            Some(pool) => format!("pool/{pool}{}", change.resource),
            None => format!("pool{}", change.resource),
        };
        audit::record(state, &self.actor, change).await;
    }
}

/// The identity pool and identity a cognito-identity request names (its `ResourceArn` for
/// the tag operations); `None` for a request of another service.
fn identity_names(input: &Value) -> Option<(Option<String>, Option<String>)> {
    let text = |name: &str| input.get(name).and_then(Value::as_str).map(String::from);
    let arn_pool = text("ResourceArn").and_then(|arn| {
        arn.strip_prefix("arn:aws:cognito-identity:")
            .and_then(|rest| rest.split_once(":identitypool/"))
            .map(|(_, id)| id.to_string())
    });
    let identity = text("IdentityId").or_else(|| {
        let ids = input.get("IdentityIdsToDelete")?.as_array()?;
        ids.first()?.as_str().map(String::from)
    });
    let pool = text("IdentityPoolId").or(arn_pool);
    if pool.is_none() && identity.is_none() {
        return None;
    }
    Some((pool, identity))
}

/// `identity-pool/{id}` and, for a change to one identity, `/identity/{id}` below it: the
/// scheme of the user pools' `pool/{id}/user/{name}`.
fn identity_resource(pool: Option<&str>, identity: Option<&str>) -> String {
    let mut out = match pool {
        Some(pool) => format!("identity-pool/{pool}"),
        None => "identity-pool".to_string(),
    };
    if let Some(identity) = identity {
        out.push_str(&format!("/identity/{identity}"));
    }
    out
}

/// The names of the members a request set, and of the attributes in its attribute lists
/// (`UserAttributes.email`); never a value.
pub fn field_names(input: &Value) -> Vec<String> {
    let Some(members) = input.as_object() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, value) in members {
        if IDENTIFIERS.contains(&name.as_str()) {
            continue;
        }
        let named: Vec<&str> = value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.get("Name").and_then(Value::as_str))
                    .collect()
            })
            .unwrap_or_default();
        if named.is_empty() {
            out.push(name.clone());
        } else {
            out.extend(named.iter().map(|n| format!("{name}.{n}")));
        }
    }
    out
}

/// The access key id of the request's SigV4 signature, and where it came from.
fn signer(req: &HttpRequest) -> Actor {
    let authorization = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let key = authorization
        .split_once("Credential=")
        .and_then(|(_, rest)| rest.split('/').next())
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(128)
        .collect();
    Actor {
        kind: "sigv4",
        name: key,
        source: peer(req),
    }
}

/// The peer's address (not a forwarded-for header, which the caller could write).
pub fn peer(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_not_changes() {
        for op in [
            "AdminGetUser",
            "ListUsers",
            "DescribeUserPool",
            "AdminInitiateAuth",
        ] {
            assert!(is_read_only(op), "{op}");
        }
        for op in ["AdminCreateUser", "UpdateUserPool", "AdminSetUserPassword"] {
            assert!(!is_read_only(op), "{op}");
        }
    }

    #[test]
    fn only_names_are_kept() {
        let input = serde_json::json!({
            "UserPoolId": "p", "Username": "u", "Password": "s3cret!",
            "UserAttributes": [{"Name": "email", "Value": "a@b.c"}]
        });
        let names = field_names(&input);
        assert_eq!(names, ["Password", "UserAttributes.email"]);
        assert!(!format!("{names:?}").contains("s3cret"));
    }

    #[test]
    fn identity_changes_name_the_identity_pool() {
        let arn = "arn:aws:cognito-identity:us-east-1:000000000000:identitypool/us-east-1:abc";
        let tagged = identity_names(&serde_json::json!({"ResourceArn": arn}));
        assert_eq!(tagged, Some((Some("us-east-1:abc".into()), None)));
        let pool_arn = "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_x";
        assert_eq!(
            identity_names(&serde_json::json!({"ResourceArn": pool_arn})),
            None
        );
        let deleted = identity_names(&serde_json::json!({"IdentityIdsToDelete": ["r:1"]}));
        assert_eq!(deleted, Some((None, Some("r:1".into()))));
        assert_eq!(
            identity_resource(Some("p"), Some("r:1")),
            "identity-pool/p/identity/r:1"
        );
        assert!(is_read_only("LookupDeveloperIdentity"));
    }
}
