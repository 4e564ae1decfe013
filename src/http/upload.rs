//! The PreSignedUrl of a user import job, served here instead of by S3: `PUT` the CSV with
//! the job's token (as `curl -T users.csv "$URL"` does). Errors as S3 words them, in XML.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::service::idp::import_jobs::{upload_csv, UploadRefused};
use crate::service::State;

/// The largest CSV a job takes.
pub const MAX_CSV_BYTES: usize = 64 << 20;

#[derive(Deserialize)]
pub struct Signed {
    #[serde(default)]
    signature: String,
}

fn s3_error(status: StatusCode, code: &str, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("application/xml")
        .body(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code>\
             <Message>{message}</Message></Error>"
        ))
}

pub async fn put_csv(
    state: web::Data<State>,
    path: web::Path<String>,
    query: web::Query<Signed>,
    body: web::Bytes,
) -> HttpResponse {
    let Ok(csv) = std::str::from_utf8(&body) else {
        return s3_error(
            StatusCode::BAD_REQUEST,
            "InvalidArgument",
            "The CSV file is not UTF-8.",
        );
    };
    match upload_csv(&state, &path, &query.signature, csv).await {
        Ok(Ok(())) => HttpResponse::Ok().finish(),
        Ok(Err(UploadRefused::Denied)) => s3_error(
            StatusCode::FORBIDDEN,
            "AccessDenied",
            "The request signature does not match.",
        ),
        Ok(Err(UploadRefused::Started)) => s3_error(
            StatusCode::CONFLICT,
            "OperationAborted",
            "The import job has been started; its file can no longer change.",
        ),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "storing an import job's CSV");
            s3_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalError",
                "We encountered an internal error. Please try again.",
            )
        }
    }
}

/// The upload route, with its own body limit.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource(format!(
            "{}/{{job_id}}",
            crate::service::idp::import_jobs::UPLOAD_PATH
        ))
        .app_data(web::PayloadConfig::new(MAX_CSV_BYTES))
        .route(web::put().to(put_csv)),
    );
}
