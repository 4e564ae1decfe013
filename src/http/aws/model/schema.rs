//! The generated model files, parsed into shapes that point at each other by index.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::pattern::Pattern;

pub(crate) type ShapeId = usize;

pub(crate) struct Shape {
    pub(crate) name: String,
    pub(crate) kind: Kind,
    pub(crate) min: Option<i64>,
    pub(crate) max: Option<i64>,
    pub(crate) pattern: Option<Pattern>,
    pub(crate) enum_values: Vec<String>,
    pub(crate) sensitive: bool,
}

pub(crate) enum Kind {
    String,
    Integer,
    Long,
    Float(&'static str),
    Boolean,
    Blob,
    Timestamp,
    /// A Smithy document: any JSON value.
    Document,
    Structure(Structure),
    List(ShapeId),
    Map(ShapeId, ShapeId),
}

pub(crate) struct Structure {
    pub(crate) members: Vec<Member>,
    /// The order AWS reports a structure's violations in (see `java_hash_order`).
    pub(crate) check_order: Vec<usize>,
}

pub(crate) struct Member {
    /// The wire name, e.g. `UserPoolId`.
    pub(crate) name: String,
    /// The name in validation messages, e.g. `userPoolId`.
    pub(crate) path_name: String,
    pub(crate) shape: ShapeId,
    pub(crate) required: bool,
    pub(crate) location: Option<String>,
    pub(crate) location_name: Option<String>,
}

pub(crate) struct Operation {
    pub(crate) input: Option<ShapeId>,
    pub(crate) unsigned: bool,
    pub(crate) method: String,
    pub(crate) request_uri: String,
    pub(crate) errors: Vec<String>,
}

pub(crate) struct Schema {
    pub(crate) botocore_version: String,
    pub(crate) protocol: String,
    pub(crate) target_prefix: Option<String>,
    pub(crate) operations: BTreeMap<String, Operation>,
    pub(crate) shapes: Vec<Shape>,
}

#[derive(Deserialize)]
struct RawModel {
    botocore_version: String,
    metadata: RawMetadata,
    operations: BTreeMap<String, RawOperation>,
    shapes: BTreeMap<String, RawShape>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMetadata {
    protocol: String,
    target_prefix: Option<String>,
}

#[derive(Deserialize)]
struct RawOperation {
    authtype: String,
    errors: Vec<String>,
    http: RawHttp,
    input: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawHttp {
    method: String,
    request_uri: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawShape {
    #[serde(rename = "type")]
    kind: String,
    min: Option<i64>,
    max: Option<i64>,
    pattern: Option<String>,
    #[serde(rename = "enum", default)]
    enum_values: Vec<String>,
    #[serde(default)]
    sensitive: bool,
    #[serde(default)]
    document: bool,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default)]
    members: Vec<RawMember>,
    member: Option<String>,
    key: Option<String>,
    value: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMember {
    name: String,
    shape: String,
    location: Option<String>,
    location_name: Option<String>,
}

impl Schema {
    pub(crate) fn parse(json: &str) -> Result<Schema, String> {
        let raw: RawModel = serde_json::from_str(json).map_err(|e| e.to_string())?;
        let ids: HashMap<&str, ShapeId> = raw
            .shapes
            .keys()
            .enumerate()
            .map(|(i, name)| (name.as_str(), i))
            .collect();
        let id = |name: &str| {
            ids.get(name)
                .copied()
                .ok_or_else(|| format!("unknown shape {name}"))
        };
        let mut shapes = Vec::with_capacity(raw.shapes.len());
        for (name, shape) in &raw.shapes {
            shapes.push(resolve_shape(name, shape, &id)?);
        }
        let mut operations = BTreeMap::new();
        for (name, op) in raw.operations {
            let input = op.input.as_deref().map(&id).transpose()?;
            let operation = Operation {
                input,
                unsigned: op.authtype == "none",
                method: op.http.method,
                request_uri: op.http.request_uri,
                errors: op.errors,
            };
            operations.insert(name, operation);
        }
        Ok(Schema {
            botocore_version: raw.botocore_version,
            protocol: raw.metadata.protocol,
            target_prefix: raw.metadata.target_prefix,
            operations,
            shapes,
        })
    }
}

fn resolve_shape(
    name: &str,
    raw: &RawShape,
    id: &dyn Fn(&str) -> Result<ShapeId, String>,
) -> Result<Shape, String> {
    let target = |field: &Option<String>, what: &str| {
        field
            .as_deref()
            .ok_or_else(|| format!("{name}: {what} without a target"))
            .and_then(id)
    };
    let kind = match raw.kind.as_str() {
        "string" => Kind::String,
        "integer" | "short" | "byte" => Kind::Integer,
        "long" => Kind::Long,
        "float" => Kind::Float("a Float"),
        "double" => Kind::Float("a Double"),
        "boolean" => Kind::Boolean,
        "blob" => Kind::Blob,
        "timestamp" => Kind::Timestamp,
        "structure" if raw.document => Kind::Document,
        "structure" => Kind::Structure(resolve_structure(raw, id)?),
        "list" => Kind::List(target(&raw.member, "list")?),
        "map" => Kind::Map(target(&raw.key, "map")?, target(&raw.value, "map")?),
        other => return Err(format!("{name}: unsupported shape type {other}")),
    };
    Ok(Shape {
        name: name.to_string(),
        kind,
        min: raw.min,
        max: raw.max,
        pattern: raw.pattern.as_deref().map(Pattern::new),
        enum_values: raw.enum_values.clone(),
        sensitive: raw.sensitive,
    })
}

fn resolve_structure(
    raw: &RawShape,
    id: &dyn Fn(&str) -> Result<ShapeId, String>,
) -> Result<Structure, String> {
    let mut members = Vec::with_capacity(raw.members.len());
    for m in &raw.members {
        members.push(Member {
            name: m.name.clone(),
            path_name: lower_first(&m.name),
            shape: id(&m.shape)?,
            required: raw.required.contains(&m.name),
            location: m.location.clone(),
            location_name: m.location_name.clone(),
        });
    }
    let names: Vec<&str> = members.iter().map(|m| m.path_name.as_str()).collect();
    let check_order = java_hash_order(&names);
    Ok(Structure {
        members,
        check_order,
    })
}

/// `UserPoolId` → `userPoolId`, `AWSAccountId` → `aWSAccountId`: only the first letter.
pub(crate) fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The iteration order of a `java.util.HashMap` into which `keys` were put in order: AWS's
/// validator walks a structure's members (keyed by their lowerCamel names) this way, which is
/// why e.g. SignUp reports `password` before `username` although the model lists Username
/// first. Buckets are `spread(String.hashCode()) & (capacity - 1)`, capacity the power of two
/// (at least 16) that keeps the load factor at or under 0.75; a bucket keeps insertion order.
pub(crate) fn java_hash_order(keys: &[&str]) -> Vec<usize> {
    let mut capacity = 16usize;
    while keys.len() * 4 > capacity * 3 {
        capacity *= 2;
    }
    let mut order: Vec<(usize, usize)> = keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let h = java_string_hash(key);
            ((h ^ (h >> 16)) as usize & (capacity - 1), i)
        })
        .collect();
    order.sort();
    order.into_iter().map(|(_, i)| i).collect()
}

fn java_string_hash(s: &str) -> u32 {
    s.encode_utf16().fold(0u32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(u32::from(unit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ordered<'a>(keys: &[&'a str]) -> Vec<&'a str> {
        java_hash_order(keys).into_iter().map(|i| keys[i]).collect()
    }

    #[test]
    fn java_hash_order_matches_observed_aws_messages() {
        let sign_up = [
            "clientId",
            "secretHash",
            "username",
            "password",
            "userAttributes",
        ];
        let order = ordered(&sign_up);
        let pos = |k| order.iter().position(|x| *x == k).unwrap();
        assert!(pos("password") < pos("username"), "{order:?}");
        let group: Vec<&str> = ordered(&["userPoolId", "username", "groupName"])
            .into_iter()
            .filter(|k| *k != "userPoolId")
            .collect();
        assert_eq!(group, ["groupName", "username"]);
        let client = ["callbackURLs", "logoutURLs"];
        assert_eq!(ordered(&client), ["logoutURLs", "callbackURLs"]);
        assert_eq!(java_string_hash("hello"), 99162322);
    }

    #[test]
    fn lower_first_changes_one_letter() {
        assert_eq!(lower_first("AWSAccountId"), "aWSAccountId");
        assert_eq!(lower_first("CallbackURLs"), "callbackURLs");
    }
}
