//! `GET /_cognate/sync/ws`: a WebSocket that receives Cognito Sync's SyncTrigger messages
//! live, for web apps (and anything without FCM or APNs). It is opened with a URL presigned
//! (SigV4, query parameters) with the identity's temporary credentials, naming
//! `IdentityPoolId`, `IdentityId` and optionally the `DeviceId` it speaks for; the role's
//! policy must allow `cognito-sync:SubscribeToDataset` on the identity's datasets.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use actix_ws::Message;

use super::aws::presigned::verify_presigned;
use super::aws::AwsError;
use crate::service::iam::authorize::{self, Verdict};
use crate::service::outbound::push::SyncTrigger;
use crate::service::push::live::is_device_of;
use crate::service::push::sockets::{Listening, Next, Routed};
use crate::service::State;

/// Who the socket is for, established from the presigned URL.
struct Listener {
    identity_id: String,
    device_id: Option<String>,
}

fn denied(message: impl Into<String>) -> AwsError {
    AwsError::new("AccessDeniedException", message)
}

async fn listener(req: &HttpRequest, state: &State) -> Result<Listener, AwsError> {
    let query: BTreeMap<String, String> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let param = |name: &str| {
        query.get(name).cloned().ok_or_else(|| {
            AwsError::new(
                "InvalidParameterException",
                format!("The WebSocket URL must name {name}."),
            )
        })
    };
    let (pool_id, identity_id) = (param("IdentityPoolId")?, param("IdentityId")?);
    let resource = format!(
        "arn:aws:cognito-sync:{}:{}:identitypool/{pool_id}/identity/{identity_id}/dataset/*",
        state.region, state.account_id
    );
    let caller = verify_presigned(state, req).await?;
    let action = "cognito-sync:SubscribeToDataset";
    let verdict = authorize::decide(state, &caller, action, &resource).await?;
    if caller.identity_id() != Some(identity_id.as_str()) || caller.pool_id() != Some(&pool_id) {
        return Err(denied("The credentials are not this identity's."));
    }
    if verdict != Verdict::Allow {
        return Err(denied(format!(
            "The role's policy does not allow {action} on {resource}."
        )));
    }
    let device_id = query.get("DeviceId").cloned();
    if let Some(device) = &device_id {
        if !is_device_of(state, &identity_id, device).await? {
            return Err(AwsError::new(
                "ResourceNotFoundException",
                format!("Device '{device}' not found."),
            ));
        }
    }
    Ok(Listener {
        identity_id,
        device_id,
    })
}

pub async fn sync_ws(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<State>,
) -> Result<HttpResponse, AwsError> {
    let who = listener(&req, &state).await?;
    let (response, session, stream) = actix_ws::handle(&req, body)
        .map_err(|e| AwsError::new("InvalidParameterException", e.to_string()))?;
    // Registered before the upgrade is answered: a client whose socket is open misses nothing.
    let feed = state.push.sockets.listen(&who.identity_id);
    actix_web::rt::spawn(serve(who, feed, session, stream));
    Ok(response)
}

/// Forwards the changes the listener wants until either side closes.
async fn serve(
    who: Listener,
    mut feed: Listening,
    mut session: actix_ws::Session,
    mut stream: actix_ws::MessageStream,
) {
    loop {
        tokio::select! {
            msg = stream.recv() => match msg {
                Some(Ok(Message::Ping(bytes))) => {
                    if session.pong(&bytes).await.is_err() {
                        return;
                    }
                }
                Some(Ok(Message::Close(reason))) => {
                    let _ = session.close(reason).await;
                    return;
                }
                Some(Ok(_)) => {}
                None | Some(Err(_)) => return,
            },
            next = feed.recv() => match next {
                Next::Change(routed) => {
                    if !forward(&who, &routed, &mut session).await {
                        return;
                    }
                }
                Next::Behind => {
                    // The changes this socket missed cannot be replayed: closing tells the
                    // client to reconnect and pull (ListRecords), so none is lost unnoticed.
                    tracing::warn!("a sync WebSocket fell behind the live feed; closing it");
                    let reason = actix_ws::CloseReason {
                        code: actix_ws::CloseCode::Again,
                        description: Some("fell behind: reconnect and sync".into()),
                    };
                    let _ = session.close(Some(reason)).await;
                    return;
                }
                Next::Closed => return,
            },
        }
    }
}

/// Sends the change if the listener wants it; false once the socket is closed.
async fn forward(who: &Listener, routed: &Routed, session: &mut actix_ws::Session) -> bool {
    if !routed.wanted_by(who.device_id.as_deref()) {
        return true;
    }
    let change = &routed.change;
    let trigger = SyncTrigger::new(
        &change.identity_pool_id,
        &change.identity_id,
        &change.dataset_name,
        change.sync_count,
    );
    session.text(trigger.message()).await.is_ok()
}
