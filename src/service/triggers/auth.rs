//! PreAuthentication and PostAuthentication (source Authentication).

use super::events::{Metadata, NoResponse, PostAuthenticationRequest, PreAuthenticationRequest};
use super::{call, user_attributes, Context, Trigger};
use crate::service::{Result, State};
use crate::store::users::UserRecord;

/// Runs PreAuthentication before a sign-in checks its first factor; `user` is `None` for
/// an unknown user (then only called where the client hides whether users exist).
pub async fn pre_authentication(
    state: &State,
    ctx: &Context<'_>,
    user: Option<&UserRecord>,
) -> Result<()> {
    let attributes = user.map(user_attributes).unwrap_or_default();
    let request = PreAuthenticationRequest {
        user_attributes: &attributes,
        user_not_found: user.is_none(),
        validation_data: ctx.client_metadata,
    };
    let (trigger, source) = (
        Trigger::PreAuthentication,
        "PreAuthentication_Authentication",
    );
    let _: Option<NoResponse> = call(state, trigger, source, ctx, request, NoResponse {}).await?;
    Ok(())
}

/// Runs PostAuthentication once a sign-in has passed, before its tokens are issued.
pub async fn post_authentication(
    state: &State,
    ctx: &Context<'_>,
    user: &UserRecord,
    new_device_used: bool,
) -> Result<()> {
    let request = PostAuthenticationRequest {
        user_attributes: &user_attributes(user),
        new_device_used,
        client_metadata: ctx.client_metadata,
    };
    let (trigger, source) = (
        Trigger::PostAuthentication,
        "PostAuthentication_Authentication",
    );
    let _: Option<NoResponse> = call(state, trigger, source, ctx, request, NoResponse {}).await?;
    Ok(())
}

/// Client metadata for a call that carries none.
pub fn no_metadata() -> &'static Metadata {
    static EMPTY: std::sync::OnceLock<Metadata> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Metadata::new)
}
