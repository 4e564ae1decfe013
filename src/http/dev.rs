//! Operational endpoints: `/health`, and the dev outbox of local mode.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

use super::aws::AwsError;
use super::guard::LocalHosts;
use crate::service::outbound::messaging;
use crate::service::State;

pub async fn health(state: web::Data<State>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({"status": "ok", "database": "ok"})),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({"status": "error", "database": "unreachable"}))
        }
    }
}

#[derive(Deserialize)]
pub struct OutboxQuery {
    pool_id: Option<String>,
    username: Option<String>,
}

#[derive(Serialize)]
struct OutboxMessage {
    pool_id: String,
    username: String,
    medium: String,
    destination: String,
    purpose: String,
    code: Option<String>,
    subject: Option<String>,
    body: String,
    sent_at: String,
}

impl From<messaging::OutboxRow> for OutboxMessage {
    fn from(r: messaging::OutboxRow) -> Self {
        let sent_at = chrono::DateTime::from_timestamp_millis(r.sent_at)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
            .unwrap_or_default();
        OutboxMessage {
            pool_id: r.pool_id,
            username: r.username,
            medium: r.medium,
            destination: r.destination,
            purpose: r.purpose,
            code: r.code,
            subject: r.subject,
            body: r.body,
            sent_at,
        }
    }
}

/// `GET /_dev/outbox?pool_id=&username=`: messages newest first; 404 outside local mode,
/// 403 for a `Host` that is not this server's (a DNS-rebinding page).
pub async fn outbox(
    req: HttpRequest,
    query: web::Query<OutboxQuery>,
    state: web::Data<State>,
    hosts: web::Data<LocalHosts>,
) -> Result<HttpResponse, AwsError> {
    if !state.local_mode {
        return Ok(HttpResponse::NotFound().finish());
    }
    if !hosts.allows(&req) {
        return Err(AwsError::new(
            "AccessDeniedException",
            "The dev outbox is served only to a loopback Host or the public URL's host.",
        ));
    }
    let rows =
        messaging::outbox(&state, query.pool_id.as_deref(), query.username.as_deref()).await?;
    let messages: Vec<OutboxMessage> = rows.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(messages))
}

/// `GET /_dev/sender-key/{pool_id}`: the key the pool's CustomEmailSender and CustomSMSSender
/// functions decrypt `request.code` with (base64, 32 bytes, ChaCha20-Poly1305); local mode
/// only, to a loopback Host, like the outbox.
pub async fn sender_key(
    req: HttpRequest,
    pool_id: web::Path<String>,
    state: web::Data<State>,
    hosts: web::Data<LocalHosts>,
) -> Result<HttpResponse, AwsError> {
    if !state.local_mode {
        return Ok(HttpResponse::NotFound().finish());
    }
    if !hosts.allows(&req) {
        return Err(AwsError::new(
            "AccessDeniedException",
            "The sender key is served only to a loopback Host or the public URL's host.",
        ));
    }
    let pool = crate::service::directory::pools::load(&state, &pool_id).await?;
    let key = crate::service::triggers::senders::sender_key(&state, &pool.id);
    use base64::Engine;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "poolId": pool.id,
        "algorithm": "CHACHA20_POLY1305",
        "key": base64::engine::general_purpose::STANDARD.encode(key),
        "layout": "base64(nonce[12] || ciphertext || tag[16])",
    })))
}
