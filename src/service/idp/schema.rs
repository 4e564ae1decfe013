//! AddCustomAttributes: new custom attributes in a pool's schema.

use super::Admin;
use crate::service::directory::pools;
use crate::service::directory::schema::{custom_attribute, name_and_kind, MAX_CUSTOM_ATTRIBUTES};
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::pools as pool_store;
use crate::types::pools::AddCustomAttributesRequest;
use crate::types::Empty;

pub async fn add_custom_attributes(
    state: &State,
    _: Admin,
    req: AddCustomAttributesRequest,
) -> Result<Empty> {
    let mut pool = pools::load(state, &req.user_pool_id).await?;
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
    pool.updated_at = now_ms();
    pool_store::update(&state.db, &pool).await?;
    Ok(Empty {})
}
