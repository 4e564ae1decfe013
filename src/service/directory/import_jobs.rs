//! The user import job runner: in the background, each started job's CSV is read a batch at a
//! time, each batch written with the job's cursor and counts in one transaction. A job is
//! held by a lease that every batch renews, so that after a crash or restart (of this or
//! another instance) the job resumes from its cursor once the lease has run out.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use super::import_rows::{self, ImportedUser};
use crate::service::{now_ms, Result, State};
use crate::store::import_jobs::{self as job_store, JobRecord, LogLine, NewUser};
use crate::store::pools::{self as pool_store, PoolRecord};

/// Rows per transaction.
pub const BATCH: usize = 500;
/// How long a runner holds a job between batches before another may take it over.
const LEASE_MS: i64 = 60_000;
/// How often an idle runner looks for jobs left by an instance that stopped.
const POLL: Duration = Duration::from_secs(5);

pub const SUCCEEDED: &str = "Import Job Completed Successfully.";
pub const STOPPED: &str = "The user import job was stopped.";

/// Wakes the runner when a job is started.
#[derive(Default)]
pub struct Wakeup(tokio::sync::Notify);

impl Wakeup {
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Starts the runner of this instance.
pub fn start(state: Arc<State>) {
    tokio::spawn(async move {
        loop {
            run_runnable(&state).await;
            tokio::select! {
                _ = state.import_wakeup.0.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    });
}

/// Runs every job there is to run, one after another.
async fn run_runnable(state: &State) {
    loop {
        match job_store::claim(&state.db, now_ms(), LEASE_MS).await {
            Ok(Some((job, csv))) => {
                if let Err(e) = run(state, &job, &csv).await {
                    // The lease runs out and the job is taken up again from its cursor.
                    tracing::warn!(job = %job.id, error = format!("{e:#}"), "user import job interrupted");
                    return;
                }
            }
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = format!("{e:#}"), "looking for user import jobs");
                return;
            }
        }
    }
}

async fn finish(state: &State, job: &JobRecord, status: &str, message: &str) -> Result<()> {
    tracing::info!(job = %job.id, status, message, "user import job ended");
    Ok(job_store::finish(&state.db, &job.id, status, message, now_ms()).await?)
}

async fn run(state: &State, job: &JobRecord, csv: &str) -> Result<()> {
    if job.status == "Stopping" {
        return finish(state, job, "Stopped", STOPPED).await;
    }
    let Some(pool) = pool_store::find_by_id(&state.db, &job.pool_id).await? else {
        return finish(state, job, "Failed", "The user pool has been deleted.").await;
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(csv.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => {
            let message = format!("The CSV file could not be parsed: {e}");
            return finish(state, job, "Failed", &message).await;
        }
    };
    if let Err(message) = import_rows::check_header(&pool, &header) {
        return finish(state, job, "Failed", &message).await;
    }
    let mut records = reader.into_records().skip(job.rows_done as usize);
    let mut done = job.rows_done;
    loop {
        let batch: Vec<_> = records.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            return finish(state, job, "Succeeded", SUCCEEDED).await;
        }
        let (users, log) = prepare(&pool, &header, done, batch);
        let to = done + (users.len() + log.len()) as i64;
        let lease = now_ms() + LEASE_MS;
        let written = job_store::commit_batch(
            &state.db,
            &job.id,
            &pool.settings,
            (done, to),
            &users,
            log,
            lease,
        )
        .await?;
        if written.is_none() {
            // Stopped, or no longer ours: a stop ends it here, anything else is another's.
            let now = job_store::find_by_id(&state.db, &job.id).await?;
            if now.is_some_and(|j| j.status == "Stopping") {
                return finish(state, job, "Stopped", STOPPED).await;
            }
            return Ok(());
        }
        done = to;
    }
}

type Records = Vec<std::result::Result<csv::StringRecord, csv::Error>>;

/// The users of one batch and the log lines of its rows that break a rule.
fn prepare(
    pool: &PoolRecord,
    header: &[String],
    first: i64,
    batch: Records,
) -> (Vec<NewUser>, Vec<LogLine>) {
    let mut users = Vec::new();
    let mut log = Vec::new();
    for (i, record) in batch.into_iter().enumerate() {
        // Line 1 is the header.
        let line = first + i as i64 + 2;
        let failed = |message: String| LogLine {
            line,
            outcome: "FAILED",
            message,
        };
        let record = match record {
            Ok(r) if r.len() == header.len() => r,
            Ok(_) => {
                log.push(failed(
                    "The number of fields does not match the header.".into(),
                ));
                continue;
            }
            Err(e) => {
                log.push(failed(format!("The row could not be parsed: {e}")));
                continue;
            }
        };
        let fields: BTreeMap<&str, &str> = header
            .iter()
            .map(String::as_str)
            .zip(record.iter().map(str::trim))
            .collect();
        match import_rows::user_of(pool, &fields) {
            Ok(ImportedUser { user, mfa_enabled }) => users.push(NewUser {
                line,
                user,
                mfa_options: mfa_enabled.then(|| {
                    r#"[{"DeliveryMedium":"SMS","AttributeName":"phone_number"}]"#.to_string()
                }),
            }),
            Err(message) => log.push(failed(message)),
        }
    }
    (users, log)
}
