//! Custom attributes of a pool's schema: their shape, at CreateUserPool and AddCustomAttributes.

use crate::service::{invalid_parameter, Result};
use crate::types::pools::SchemaAttribute;

/// Cognito's limit on custom attributes per pool.
pub const MAX_CUSTOM_ATTRIBUTES: usize = 50;

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
