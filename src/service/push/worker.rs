//! The outbox worker: fans each logged dataset change out into deliveries, claims the due
//! ones (safely beside other instances on the same database), sends each through FCM,
//! APNs or ADM, and retries failures with exponential back-off. A token the platform reports dead
//! disables its endpoint, as SNS does.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::devices::attach_endpoint;
use super::sns::{sender, Sender};
use super::stopped;
use crate::service::outbound::push::{Outcome, SyncTrigger};
use crate::service::{now_ms, Result, State};
use crate::store::push_outbox::{self as outbox, DeliveryRecord};
use crate::store::{sns as sns_store, sync_devices, Db};

/// Deliveries claimed per round, and how long a claim holds.
const BATCH: i64 = 32;
const LEASE_MS: i64 = 60_000;
/// Attempts before a delivery is given up on, and the back-off's first step and cap.
pub const MAX_ATTEMPTS: i64 = 10;
const FIRST_RETRY_MS: i64 = 2_000;
const LONGEST_RETRY_MS: i64 = 15 * 60_000;

/// The wait before attempt `attempts + 1`: 2 s, 4 s, 8 s, ... at most 15 minutes.
pub fn backoff_ms(attempts: i64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 20) as u32;
    FIRST_RETRY_MS
        .saturating_mul(1 << doublings)
        .min(LONGEST_RETRY_MS)
}

pub(super) async fn run(state: Arc<State>, stop: watch::Receiver<bool>) {
    fn wake(push: &super::Push) -> &tokio::sync::Notify {
        &push.work
    }
    drain(state, stop, "push delivery", wake, round, outbox::next_due).await
}

/// Drains one outbox until stopped: `round` again at once while it reports more to do,
/// otherwise when `wake` is notified, when `next_due`'s row falls due, or after the poll
/// interval, whichever comes first.
pub(super) async fn drain(
    state: Arc<State>,
    mut stop: watch::Receiver<bool>,
    what: &str,
    wake: fn(&super::Push) -> &tokio::sync::Notify,
    round: impl AsyncFn(&Arc<State>) -> Result<bool>,
    next_due: impl AsyncFn(&Db) -> crate::store::Result<Option<i64>>,
) {
    let poll = state.push.settings.poll_ms.max(10) as i64;
    loop {
        let busy = match round(&state).await {
            Ok(busy) => busy,
            Err(e) => {
                tracing::warn!(error = %e, "{what} round failed");
                false
            }
        };
        if *stop.borrow() {
            return;
        }
        if busy {
            continue;
        }
        let now = now_ms();
        let due = next_due(&state.db).await.ok().flatten();
        let wait = due.map_or(poll, |at| (at - now).clamp(0, poll));
        tokio::select! {
            _ = stopped(&mut stop) => return,
            _ = wake(&state.push).notified() => {}
            _ = tokio::time::sleep(Duration::from_millis(wait.max(1) as u64)) => {}
        }
    }
}

/// One round: fan out, then deliver what is due. True when there may be more to do now.
async fn round(state: &Arc<State>) -> Result<bool> {
    let now = now_ms();
    let fanned = outbox::fan_out(&state.db, now, 100).await?;
    let claimed = outbox::claim(&state.db, now, now + LEASE_MS, BATCH).await?;
    let full = claimed.len() as i64 == BATCH || fanned == 100;
    let mut sending = tokio::task::JoinSet::new();
    for d in claimed {
        let state = state.clone();
        sending.spawn(async move {
            if let Err(e) = deliver(&state, &d).await {
                tracing::warn!(error = %e, seq = d.change_seq, "push delivery failed");
            }
        });
    }
    while sending.join_next().await.is_some() {}
    Ok(full)
}

async fn deliver(state: &State, d: &DeliveryRecord) -> Result<()> {
    let outcome = attempt(state, d).await?;
    let db = &state.db;
    match outcome {
        None | Some(Outcome::Delivered) => outbox::complete(db, d).await?,
        Some(Outcome::Dead(reason)) => {
            tracing::info!(device = %d.device_id, %reason, "push token dead: endpoint disabled");
            outbox::complete(db, d).await?;
        }
        Some(Outcome::Failed(reason)) if d.attempts >= MAX_ATTEMPTS => {
            tracing::warn!(device = %d.device_id, %reason, "push given up after retries");
            outbox::complete(db, d).await?;
        }
        Some(Outcome::Failed(reason)) => {
            let at = now_ms() + backoff_ms(d.attempts);
            outbox::reschedule(db, d, at, &reason).await?;
        }
    }
    Ok(())
}

/// Sends one delivery; `None` when there is nothing to send to (the device, its endpoint or
/// application gone, the endpoint disabled, or no PushSync application for its platform).
async fn attempt(state: &State, d: &DeliveryRecord) -> Result<Option<Outcome>> {
    let Some(device) = sync_devices::find_device(&state.db, &d.device_id).await? else {
        return Ok(None);
    };
    let Some(arn) = attach_endpoint(state, &device).await? else {
        return Ok(None);
    };
    let endpoint = match sns_store::find_endpoint(&state.db, &arn).await? {
        Some(e) if e.enabled => e,
        _ => return Ok(None),
    };
    let Some(app) = sns_store::find_app(&state.db, &endpoint.application_arn).await? else {
        return Ok(None);
    };
    let trigger = SyncTrigger::new(
        &d.identity_pool_id,
        &d.identity_id,
        &d.dataset_name,
        d.sync_count,
    );
    let now = now_ms();
    let outcome = match sender(&app) {
        Err(e) => Outcome::Failed(e),
        Ok(Sender::Fcm(account)) => {
            let fcm = &state.push.fcm;
            fcm.send(&account, &endpoint.token, &trigger, now).await
        }
        Ok(Sender::ApnsCertificate { pair, sandbox }) => {
            let apns = &state.push.apns;
            apns.send_certified(&pair, sandbox, &endpoint.token, &trigger)
                .await
        }
        Ok(Sender::Adm(client)) => {
            let adm = &state.push.adm;
            adm.send(&client, &endpoint.token, &trigger, now).await
        }
        Ok(Sender::Apns { key, sandbox }) => {
            let apns = &state.push.apns;
            apns.send(&key, sandbox, &endpoint.token, &trigger, now)
                .await
        }
    };
    if let Outcome::Dead(_) = outcome {
        sns_store::disable_endpoint(&state.db, &endpoint.arn).await?;
    }
    Ok(Some(outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_its_cap() {
        assert_eq!(backoff_ms(1), 2_000);
        assert_eq!(backoff_ms(2), 4_000);
        assert_eq!(backoff_ms(5), 32_000);
        assert_eq!(backoff_ms(40), LONGEST_RETRY_MS);
    }
}
