//! The sign-in pipeline: what follows each factor's [`Outcome`]. A proven password may owe
//! a new one (NEW_PASSWORD_REQUIRED); then a remembered device or MFA; then tokens.

use super::params::check_can_sign_in;
use super::session::SessionState;
use super::step::{Outcome, Step};
use super::{device, mfa, new_password};
use crate::service::directory::users::UserStatus;
use crate::service::directory::{devices, pools};
use crate::service::kernel::ids;
use crate::service::tokens::customize::TokenContext;
use crate::service::tokens::{self, Session};
use crate::service::triggers::auth::no_metadata;
use crate::service::triggers::events::Metadata;
use crate::service::triggers::tokens::TokenSource;
use crate::service::triggers::{self, Context};
use crate::service::{now_ms, Result, State};
use crate::store::clients::ClientRecord;
use crate::store::pools::PoolRecord;
use crate::store::users::UserRecord;

/// The step that follows `outcome`.
pub async fn advance(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    outcome: Outcome,
) -> Result<Step> {
    advance_with(state, pool, client, outcome, no_metadata()).await
}

/// [`advance`] with the ClientMetadata of the call, which the triggers it runs receive.
pub async fn advance_with(
    state: &State,
    pool: &PoolRecord,
    client: &ClientRecord,
    outcome: Outcome,
    meta: &Metadata,
) -> Result<Step> {
    let call = Call { pool, client, meta };
    match outcome {
        Outcome::Challenge(c) => Ok(Step::Challenge(c)),
        Outcome::PasswordProven { user, device_key } => {
            first_factor_passed(state, &call, user, device_key).await
        }
        Outcome::PasswordChanged { user, st } => {
            let source = TokenSource::NewPasswordChallenge;
            after_password(state, &call, user, st, source).await
        }
        Outcome::CodeProven { user, mut st } => {
            check_can_sign_in(&user)?;
            st.auth_time = now_ms() / 1000;
            finish(state, &call, &user, &st, TokenSource::Authentication).await
        }
        Outcome::Verified { user, st } => {
            finish(state, &call, &user, &st, TokenSource::Authentication).await
        }
    }
}

/// The call a sign-in step belongs to.
pub struct Call<'a> {
    pub pool: &'a PoolRecord,
    pub client: &'a ClientRecord,
    pub meta: &'a Metadata,
}

/// After the password (plain or SRP) was proven: a new password if one is owed, then a
/// device or MFA, then tokens.
async fn first_factor_passed(
    state: &State,
    call: &Call<'_>,
    user: UserRecord,
    device_key: Option<String>,
) -> Result<Step> {
    let (pool, client) = (call.pool, call.client);
    check_can_sign_in(&user)?;
    let st = SessionState {
        username: user.username.clone(),
        auth_time: now_ms() / 1000,
        device_key,
        ..SessionState::default()
    };
    if user.status == UserStatus::ForceChangePassword {
        pools::check_temporary_password_age(pool, &user)?;
        let challenge = new_password::challenge(state, client, &user, &st).await?;
        return Ok(Step::Challenge(challenge));
    }
    after_password(state, call, user, st, TokenSource::Authentication).await
}

/// A remembered device's proof instead of MFA, else MFA if the pool and user call for it,
/// else tokens.
pub async fn after_password(
    state: &State,
    call: &Call<'_>,
    user: UserRecord,
    st: SessionState,
    source: TokenSource,
) -> Result<Step> {
    let (pool, client) = (call.pool, call.client);
    let device = st.device_key.as_deref();
    if devices::remembered(state, pool, &user, device)
        .await?
        .is_some()
    {
        let challenge = device::challenge(state, client, &user, &st).await?;
        return Ok(Step::Challenge(challenge));
    }
    if let Some(challenge) = mfa::next_challenge(state, pool, client, &user, &st).await? {
        return Ok(Step::Challenge(challenge));
    }
    finish(state, call, &user, &st, source).await
}

/// Issues the tokens that end a sign-in, once PostAuthentication (if any) agrees.
pub async fn finish(
    state: &State,
    call: &Call<'_>,
    user: &UserRecord,
    st: &SessionState,
    source: TokenSource,
) -> Result<Step> {
    let (pool, client) = (call.pool, call.client);
    let ctx = Context {
        pool,
        client_id: Some(&client.id),
        user_name: &user.username,
        client_metadata: call.meta,
    };
    triggers::auth::post_authentication(state, &ctx, user, false).await?;
    let (device_key, new_device) =
        devices::for_tokens(state, pool, user, st.device_key.as_deref()).await?;
    let session = Session {
        auth_time: st.auth_time,
        origin_jti: ids::uuid(),
        device_key,
    };
    let why = TokenContext {
        source,
        client_metadata: call.meta,
        grant: Default::default(),
    };
    let mut issued = tokens::issue_with(state, pool, client, user, session, true, &why).await?;
    issued.new_device = new_device;
    Ok(Step::Tokens(issued))
}
