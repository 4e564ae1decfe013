//! Custom attributes of a pool's schema: their shape at CreateUserPool, and AddCustomAttributes.

use super::{fail, invalid_parameter, pools, Exception, Result, State};
use crate::store::pools as pool_store;
use crate::types::pools::{AddCustomAttributesRequest, SchemaAttribute};
use crate::types::Empty;

/// Cognito's limit on custom attributes per pool.
const MAX_CUSTOM_ATTRIBUTES: usize = 50;

/// The schema entry of a new custom (or developer-only) attribute named `name` of type `kind`.
pub fn custom_attribute(
    name: &str,
    kind: String,
    attr: SchemaAttribute,
) -> Result<SchemaAttribute> {
    if attr.required == Some(true) {
        return invalid_parameter("Required custom attributes are not supported currently.");
    }
    let developer_only = attr.developer_only_attribute.unwrap_or(false);
    Ok(SchemaAttribute {
        name: Some(format!(
            "{}:{name}",
            if developer_only { "dev" } else { "custom" }
        )),
        attribute_data_type: Some(kind),
        developer_only_attribute: Some(developer_only),
        mutable: Some(attr.mutable.unwrap_or(true)),
        required: Some(false),
        number_attribute_constraints: attr.number_attribute_constraints,
        string_attribute_constraints: attr.string_attribute_constraints,
    })
}

/// Checks a requested attribute's name (1 to 20 characters) and type.
pub fn name_and_kind(attr: &SchemaAttribute) -> Result<(String, String)> {
    let Some(name) = attr
        .name
        .clone()
        .filter(|n| (1..=20).contains(&n.chars().count()))
    else {
        return invalid_parameter("Schema attribute names must be 1 to 20 characters long.");
    };
    let kind = attr
        .attribute_data_type
        .clone()
        .unwrap_or_else(|| "String".into());
    if !["String", "Number", "DateTime", "Boolean"].contains(&kind.as_str()) {
        return invalid_parameter(format!(
            "Invalid AttributeDataType {kind} for attribute {name}."
        ));
    }
    Ok((name, kind))
}

pub async fn add_custom_attributes(
    state: &State,
    req: AddCustomAttributesRequest,
) -> Result<Empty> {
    let mut pool = pools::load(state, &req.user_pool_id).await?;
    if req.custom_attributes.is_empty() {
        return invalid_parameter(
            "1 validation error detected: Value at 'customAttributes' failed to satisfy \
             constraint: Member must have length greater than or equal to 1",
        );
    }
    let mut schema = pool.settings.schema_attributes.take().unwrap_or_default();
    for attr in req.custom_attributes {
        let (name, kind) = name_and_kind(&attr)?;
        let entry = custom_attribute(&name, kind, attr)?;
        let full = entry.name.clone().unwrap_or_default();
        if schema.iter().any(|a| a.name.as_deref() == Some(&full)) {
            return invalid_parameter(format!("Existing attribute already has name {full}."));
        }
        schema.push(entry);
    }
    let custom = schema
        .iter()
        .filter(|a| a.name.as_deref().is_some_and(|n| n.contains(':')))
        .count();
    if custom > MAX_CUSTOM_ATTRIBUTES {
        return fail(
            Exception::LimitExceeded,
            format!("A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes."),
        );
    }
    pool.settings.schema_attributes = Some(schema);
    pool.updated_at = super::now_ms();
    pool_store::update(&state.db, &pool).await?;
    Ok(Empty {})
}
