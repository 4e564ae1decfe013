//! Cognito Sync's REST-JSON surface under `/identitypools/...`: routed by the service
//! model's request URIs, signed and validated like every AWS call, and refused by name until
//! the sync operations exist.

use actix_web::{web, HttpRequest, HttpResponse};

use super::model::{self, Service};
use super::principal::Ctx;
use super::sigv4::AdminAuth;
use super::{read_body, AwsError};
use crate::service::State;

pub async fn dispatch(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<State>,
    auth: web::Data<AdminAuth>,
) -> Result<HttpResponse, AwsError> {
    let body = read_body(payload).await?;
    let sync = model::model(Service::Sync);
    let routed = sync.route(req.method().as_str(), req.path(), req.query_string(), &body);
    let Some(routed) = routed else {
        return Err(AwsError::new(
            "UnknownOperationException",
            format!(
                "No Cognito Sync operation at {} {}",
                req.method(),
                req.path()
            ),
        ));
    };
    let (op, mut input) = routed?;
    for (member, header) in sync.header_members(&op) {
        if let Some(value) = req.headers().get(header).and_then(|v| v.to_str().ok()) {
            input[member] = value.into();
        }
    }
    let ctx = Ctx {
        state: &state,
        auth: &auth,
        req: &req,
        body: &body,
        service: "cognito-sync",
    };
    if !sync.is_unsigned(&op) {
        auth.authenticate(ctx.req, ctx.body, ctx.service).await?;
    }
    sync.check(&op, &input)?;
    Err(AwsError::new(
        "UnsupportedOperationException",
        format!("Cognate does not implement {op} yet."),
    ))
}
