//! Changing a user's attributes: the one path every update takes (schema checks, the
//! verified flags of a changed email or phone, values held back until verified, unique
//! aliases, the codes that follow).

use super::attributes::{self, Attribute, Writer};
use super::{aliases, pending};
use crate::service::outbound::messaging::Delivered;
use crate::service::{now_ms, Result, State};
use crate::store::pools::PoolRecord;
use crate::store::users::{self as user_store, UserRecord};

/// Applies `given` to `user` and stores it; returns the verification codes sent.
pub async fn update(
    state: &State,
    pool: &PoolRecord,
    user: &mut UserRecord,
    writer: Writer,
    given: &[Attribute],
) -> Result<Vec<Delivered>> {
    attributes::check_updates(pool, writer, given)?;
    let (now, held) = pending::split(pool, user, given);
    let changed = attributes::apply_updates(user, &now);
    user.updated_at = now_ms();
    aliases::check_unique(state, pool, user, false).await?;
    user_store::update_status(&state.db, user, None).await?;
    let mut sent = attributes::send_changed(state, pool, user, &changed).await?;
    sent.extend(pending::hold(state, pool, user, held).await?);
    Ok(sent)
}
