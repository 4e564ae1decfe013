//! The record of imported templates: which physical resource each logical id became.

use crate::service::{Result, State};
use crate::store::templates as store;
pub use crate::store::templates::TemplateResource;

pub async fn resources(state: &State, stack: &str) -> Result<Vec<TemplateResource>> {
    Ok(store::find_by_stack(&state.db, stack).await?)
}

pub async fn remember(state: &State, stack: &str, resource: &TemplateResource) -> Result<()> {
    Ok(store::upsert(&state.db, stack, resource).await?)
}
