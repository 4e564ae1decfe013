//! `/metrics` (Prometheus text format) and the request timer the middleware wraps every
//! request in: surface and operation are told from the AWS target or the matched route.

use std::time::Instant;

use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{web, HttpResponse};

use super::aws::{model, IDENTITY_TARGET, IDP_TARGET};
use crate::metrics::Gauges;
use crate::service::State;

/// A request being served, timed from the middleware's first look at it.
pub struct Timer {
    started: Instant,
    /// The AWS surface and operation, when the request names a known one.
    aws: Option<(&'static str, String)>,
}

impl Timer {
    pub fn start(req: &ServiceRequest) -> Timer {
        Timer {
            started: Instant::now(),
            aws: aws_operation(req),
        }
    }

    /// Counts the reply.
    pub fn finish<B>(self, res: &ServiceResponse<B>) {
        let Some(state) = res.request().app_data::<web::Data<State>>() else {
            return;
        };
        let path = res.request().path();
        let (surface, operation) = match self.aws {
            Some((surface, op)) => (surface, op),
            None => {
                let surface = if path.starts_with("/admin/api/") {
                    "admin-rest"
                } else {
                    "http"
                };
                let pattern = res
                    .request()
                    .match_pattern()
                    .unwrap_or_else(|| "unmatched".into());
                (surface, format!("{} {pattern}", res.request().method()))
            }
        };
        let seconds = self.started.elapsed().as_secs_f64();
        state
            .metrics
            .request(surface, &operation, res.status().as_u16(), seconds);
    }
}

/// `cognito-idp` and `AdminGetUser` for `X-Amz-Target: AWSCognitoIdentityProviderService.
/// AdminGetUser`; names the models do not know are not labels (they would be unbounded).
fn aws_operation(req: &ServiceRequest) -> Option<(&'static str, String)> {
    if req.path() != "/" {
        return None;
    }
    let target = req.headers().get("x-amz-target")?.to_str().ok()?;
    let (prefix, op) = target.split_once('.')?;
    let (surface, service) = match prefix {
        IDP_TARGET => ("cognito-idp", model::Service::Idp),
        IDENTITY_TARGET => ("cognito-identity", model::Service::Identity),
        _ => return None,
    };
    let op = if model::model(service).has(op) {
        op
    } else {
        "unknown"
    };
    Some((surface, op.to_string()))
}

/// `GET /metrics`.
pub async fn metrics(state: web::Data<State>) -> HttpResponse {
    let (db_size, db_idle) = state.db.pool_usage();
    let text = state.metrics.render(Gauges {
        hash_queue: state.hashing.waiting(),
        hash_workers: state.hashing.count(),
        db_size,
        db_idle,
        sync_websockets: state.push.sockets.open(),
        sync_websockets_behind: state.push.sockets.fell_behind(),
    });
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(text)
}

/// `GET /health/live`: the process serves requests.
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// `GET /health/ready`: the database answers and every migration is applied.
pub async fn ready(state: web::Data<State>) -> HttpResponse {
    let pending = match state.db.ping().await {
        Ok(()) => state.db.pending_migrations().await,
        Err(e) => Err(e),
    };
    match pending {
        Ok(pending) if pending.is_empty() => HttpResponse::Ok()
            .json(serde_json::json!({"status": "ok", "database": "ok", "migrations": "current"})),
        Ok(pending) => HttpResponse::ServiceUnavailable().json(serde_json::json!({
            "status": "error", "database": "ok", "migrations": "pending", "pending": pending
        })),
        Err(e) => {
            tracing::error!(error = %e, "readiness check: database unreachable");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({"status": "error", "database": "unreachable"}))
        }
    }
}
