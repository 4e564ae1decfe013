//! `/admin/api/v1/pools/{pool_id}/import-jobs`: user import jobs (ListUserImportJobs,
//! DescribeUserImportJob) and each job's log, the lines Cognito writes to CloudWatch.

use actix_web::{web, HttpResponse};
use serde_json::json;

use super::auth::Authed;
use super::call::{run, with};
use super::pools::paging;
use super::problem::{Problem, ProblemBody};
use super::shapes::{member, ok, page, Page, PageQuery};
use crate::service::idp::{import_jobs, Admin};
use crate::service::State;

type Reply = Result<HttpResponse, Problem>;

#[utoipa::path(get, operation_id = "import_jobs_list", path = "/admin/api/v1/pools/{pool_id}/import-jobs", tag = "import-jobs",
    params(("pool_id" = String, Path, description = "The user pool's id"), PageQuery),
    responses((status = 200, description = "A page of user import jobs (UserImportJobType)", body = Page),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn list(
    a: Authed,
    state: web::Data<State>,
    path: web::Path<String>,
    q: web::Query<PageQuery>,
) -> Reply {
    let input = with(
        paging(&q, "MaxResults", "PaginationToken"),
        &[("UserPoolId", &path)],
    )?;
    let list = import_jobs::list_user_import_jobs;
    let reply = run(&state, &a.actor, "ListUserImportJobs", input, list).await?;
    ok(page(reply, "UserImportJobs", "PaginationToken"))
}

#[utoipa::path(get, operation_id = "import_jobs_get", path = "/admin/api/v1/pools/{pool_id}/import-jobs/{job_id}", tag = "import-jobs",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("job_id" = String, Path, description = "The job's id (import-...)")),
    responses((status = 200, description = "The job (UserImportJobType)", body = Object),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn get(a: Authed, state: web::Data<State>, path: web::Path<(String, String)>) -> Reply {
    let input = json!({"UserPoolId": path.0, "JobId": path.1});
    let describe = import_jobs::describe_user_import_job;
    let reply = run(&state, &a.actor, "DescribeUserImportJob", input, describe).await?;
    ok(member(reply, "UserImportJob"))
}

#[utoipa::path(get, operation_id = "import_jobs_log", path = "/admin/api/v1/pools/{pool_id}/import-jobs/{job_id}/log", tag = "import-jobs",
    params(("pool_id" = String, Path, description = "The user pool's id"),
        ("job_id" = String, Path, description = "The job's id (import-...)")),
    responses((status = 200, description = "`[SKIPPED] Line Number 7 - The user already exists.` for each row not imported, then a summary", content_type = "text/plain", body = String),
        (status = "4XX", body = ProblemBody, content_type = "application/problem+json")))]
pub async fn log(_: Authed, state: web::Data<State>, path: web::Path<(String, String)>) -> Reply {
    let lines = import_jobs::job_log(&state, Admin::verified(), &path.0, &path.1).await?;
    let mut body = lines.join("\n");
    body.push('\n');
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(body))
}
