//! User import jobs: GetCSVHeader, CreateUserImportJob (whose PreSignedUrl this server
//! serves: a PUT of the CSV with the job's unguessable token), Start/Stop/Describe/
//! ListUserImportJobs, and the job's log as CloudWatch would hold it.

use super::Admin;
use crate::service::directory::import_rows::csv_header;
use crate::service::directory::{attributes, pools};
use crate::service::kernel::crypto::{constant_time_eq, random_token};
use crate::service::kernel::{ids, paging};
use crate::service::outbound::messaging::Medium;
use crate::service::{fail, invalid_parameter, now_ms, Exception, Result, State};
use crate::store::import_jobs::{self as job_store, JobRecord};
use crate::types::epoch_seconds;
use crate::types::import_jobs::*;

/// The path of a job's upload URL, below the public URL.
pub const UPLOAD_PATH: &str = "/_cognate/user-import";

/// How long a job may stay Created before it is Expired (Cognito: "did not start the job
/// within 24-48 hours"; the lower bound here).
pub const EXPIRES_AFTER_MS: i64 = 24 * 60 * 60 * 1000;

/// Expires the pool's jobs created too long ago and never started, before any is read.
async fn expire_stale(state: &State, pool_id: &str) -> Result<()> {
    job_store::expire(&state.db, pool_id, now_ms() - EXPIRES_AFTER_MS).await?;
    Ok(())
}

fn describe(state: &State, j: JobRecord) -> UserImportJobType {
    UserImportJobType {
        pre_signed_url: format!(
            "{}{UPLOAD_PATH}/{}?signature={}",
            state.public_url, j.id, j.upload_token
        ),
        job_name: j.name,
        job_id: j.id,
        user_pool_id: j.pool_id,
        creation_date: epoch_seconds(j.created_at),
        start_date: j.started_at.map(epoch_seconds),
        completion_date: j.completed_at.map(epoch_seconds),
        status: j.status,
        cloud_watch_logs_role_arn: j.role_arn,
        imported_users: j.imported,
        skipped_users: j.skipped,
        failed_users: j.failed,
        completion_message: j.completion_message,
    }
}

fn reply(state: &State, j: JobRecord) -> UserImportJobReply {
    UserImportJobReply {
        user_import_job: describe(state, j),
    }
}

async fn load(state: &State, pool_id: &str, job_id: &str) -> Result<JobRecord> {
    pools::load(state, pool_id).await?;
    expire_stale(state, pool_id).await?;
    match job_store::find_by_id(&state.db, job_id).await? {
        Some(j) if j.pool_id == pool_id => Ok(j),
        _ => fail(
            Exception::ResourceNotFound,
            format!("Import job {job_id} does not exist in user pool {pool_id}."),
        ),
    }
}

pub async fn get_csv_header(
    state: &State,
    _: Admin,
    req: GetCsvHeaderRequest,
) -> Result<GetCsvHeaderResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    Ok(GetCsvHeaderResponse {
        csv_header: csv_header(&pool),
        user_pool_id: pool.id,
    })
}

pub async fn create_user_import_job(
    state: &State,
    _: Admin,
    req: CreateUserImportJobRequest,
) -> Result<UserImportJobReply> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    if req.password_hashing_algorithm.is_some() {
        return invalid_parameter("Importing password hashes is not supported.");
    }
    let job = JobRecord {
        id: format!("import-{}", ids::uuid()),
        pool_id: pool.id,
        name: req.job_name,
        role_arn: req.cloud_watch_logs_role_arn,
        status: "Created".into(),
        upload_token: random_token(32),
        uploaded: false,
        rows_done: 0,
        imported: 0,
        skipped: 0,
        failed: 0,
        completion_message: None,
        created_at: now_ms(),
        started_at: None,
        completed_at: None,
    };
    job_store::insert(&state.db, &job).await?;
    Ok(reply(state, job))
}

pub async fn describe_user_import_job(
    state: &State,
    _: Admin,
    req: UserImportJobRequest,
) -> Result<UserImportJobReply> {
    let job = load(state, &req.user_pool_id, &req.job_id).await?;
    Ok(reply(state, job))
}

pub async fn list_user_import_jobs(
    state: &State,
    _: Admin,
    req: ListUserImportJobsRequest,
) -> Result<ListUserImportJobsResponse> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    expire_stale(state, &pool.id).await?;
    let after = match req.pagination_token.as_deref() {
        Some(t) => paging::decode(t)?,
        None => String::new(),
    };
    let limit = req.max_results;
    let mut jobs = job_store::list(&state.db, &pool.id, &after, limit + 1).await?;
    let pagination_token = paging::next_token(&mut jobs, limit, |j| paging::encode(&j.id));
    Ok(ListUserImportJobsResponse {
        user_import_jobs: jobs.into_iter().map(|j| describe(state, j)).collect(),
        pagination_token,
    })
}

fn not_in(job: &JobRecord, action: &str) -> crate::service::Error {
    crate::service::Error::Cognito {
        kind: Exception::PreconditionNotMet,
        message: format!(
            "The job {} is {}; it cannot be {action}.",
            job.id, job.status
        ),
    }
}

pub async fn start_user_import_job(
    state: &State,
    _: Admin,
    req: UserImportJobRequest,
) -> Result<UserImportJobReply> {
    let pool = pools::load(state, &req.user_pool_id).await?;
    let job = load(state, &req.user_pool_id, &req.job_id).await?;
    if job.status != "Created" {
        return Err(not_in(&job, "started"));
    }
    if !job.uploaded {
        return fail(
            Exception::PreconditionNotMet,
            "No CSV file has been uploaded to the job's PreSignedUrl.",
        );
    }
    if !attributes::auto_verifies(&pool, Medium::Email)
        && !attributes::auto_verifies(&pool, Medium::Sms)
    {
        return fail(
            Exception::PreconditionNotMet,
            "The user pool has no auto-verified attributes (AutoVerifiedAttributes).",
        );
    }
    if !job_store::start(&state.db, &job.id, now_ms()).await? {
        return Err(not_in(&job, "started"));
    }
    state.import_wakeup.wake();
    Ok(reply(state, load(state, &pool.id, &job.id).await?))
}

pub async fn stop_user_import_job(
    state: &State,
    _: Admin,
    req: UserImportJobRequest,
) -> Result<UserImportJobReply> {
    let job = load(state, &req.user_pool_id, &req.job_id).await?;
    if !job_store::stop(&state.db, &job.id).await? {
        return Err(not_in(&job, "stopped"));
    }
    Ok(reply(state, load(state, &job.pool_id, &job.id).await?))
}

/// Why an upload to a PreSignedUrl was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum UploadRefused {
    /// No such job, or the token is not its: the same answer for both.
    Denied,
    /// The job has been started (or has expired); its file can no longer change.
    Started,
}

/// The PUT to a job's PreSignedUrl: keeps the CSV while the job is Created.
pub async fn upload_csv(
    state: &State,
    job_id: &str,
    token: &str,
    csv: &str,
) -> Result<std::result::Result<(), UploadRefused>> {
    let Some(job) = job_store::find_by_id(&state.db, job_id).await? else {
        return Ok(Err(UploadRefused::Denied));
    };
    if !constant_time_eq(token, &job.upload_token) {
        return Ok(Err(UploadRefused::Denied));
    }
    expire_stale(state, &job.pool_id).await?;
    if !job_store::store_csv(&state.db, job_id, csv).await? {
        return Ok(Err(UploadRefused::Started));
    }
    Ok(Ok(()))
}

/// The job's log as Cognito writes it to CloudWatch (log group
/// `/aws/cognito/userpools/{pool id}/{pool name}`, stream `{job id}/{job name}`): a line for
/// each row skipped or failed, then the summary.
pub async fn job_log(state: &State, _: Admin, pool_id: &str, job_id: &str) -> Result<Vec<String>> {
    let job = load(state, pool_id, job_id).await?;
    let mut lines: Vec<String> = job_store::log(&state.db, &job.id)
        .await?
        .into_iter()
        .map(|(line, outcome, message)| format!("[{outcome}] Line Number {line} - {message}"))
        .collect();
    lines.push(format!(
        "[{}] Imported {}, skipped {}, failed {}.{}",
        job.status.to_uppercase(),
        job.imported,
        job.skipped,
        job.failed,
        job.completion_message
            .map(|m| format!(" {m}"))
            .unwrap_or_default()
    ));
    Ok(lines)
}
