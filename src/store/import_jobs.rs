//! User import jobs: the job rows, their uploaded CSV, the runner's lease and cursor, each
//! batch of users written with the cursor in one transaction, and the job's log.

use sqlx::{Acquire, FromRow};

use super::sealed::UPLOAD_TOKEN;
use super::users::{index_entries, UserRecord, COLUMNS};
use super::{flag, Db, Result, StoreError, Tx};
use crate::types::pools::UserPoolSettings;

#[derive(Debug, Clone)]
pub struct JobRecord {
    pub id: String,
    pub pool_id: String,
    pub name: String,
    pub role_arn: String,
    pub status: String,
    /// The PreSignedUrl's token, opened.
    pub upload_token: String,
    pub uploaded: bool,
    pub rows_done: i64,
    pub imported: i64,
    pub skipped: i64,
    pub failed: i64,
    pub completion_message: Option<String>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub completed_at: Option<i64>,
}

#[derive(FromRow)]
struct JobRow {
    id: String,
    pool_id: String,
    name: String,
    role_arn: String,
    status: String,
    upload_token: String,
    uploaded: i64,
    rows_done: i64,
    imported: i64,
    skipped: i64,
    failed: i64,
    completion_message: Option<String>,
    created_at: i64,
    started_at: Option<i64>,
    completed_at: Option<i64>,
}

const JOB_COLUMNS: &str = "id, pool_id, name, role_arn, status, upload_token, \
     CASE WHEN csv IS NULL THEN 0 ELSE 1 END AS uploaded, rows_done, imported, skipped, failed, \
     completion_message, created_at, started_at, completed_at";

fn open(db: &Db, r: JobRow) -> Result<JobRecord> {
    let upload_token = UPLOAD_TOKEN.open(db.sealer(), &[&r.id], &r.upload_token)?;
    Ok(JobRecord {
        id: r.id,
        pool_id: r.pool_id,
        name: r.name,
        role_arn: r.role_arn,
        status: r.status,
        upload_token,
        uploaded: r.uploaded != 0,
        rows_done: r.rows_done,
        imported: r.imported,
        skipped: r.skipped,
        failed: r.failed,
        completion_message: r.completion_message,
        created_at: r.created_at,
        started_at: r.started_at,
        completed_at: r.completed_at,
    })
}

pub async fn insert(db: &Db, j: &JobRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO user_import_jobs (id, pool_id, name, role_arn, status, upload_token, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&j.id)
    .bind(&j.pool_id)
    .bind(&j.name)
    .bind(&j.role_arn)
    .bind(&j.status)
    .bind(UPLOAD_TOKEN.seal(db.sealer(), &[&j.id], &j.upload_token))
    .bind(j.created_at)
    .execute(db.pool())
    .await?;
    Ok(())
}

pub async fn find_by_id(db: &Db, id: &str) -> Result<Option<JobRecord>> {
    let row: Option<JobRow> = sqlx::query_as(&format!(
        "SELECT {JOB_COLUMNS} FROM user_import_jobs WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db.pool())
    .await?;
    row.map(|r| open(db, r)).transpose()
}

/// Up to `limit` of a pool's jobs with an id after `after`, in id order.
pub async fn list(db: &Db, pool_id: &str, after: &str, limit: i64) -> Result<Vec<JobRecord>> {
    let rows: Vec<JobRow> = sqlx::query_as(&format!(
        "SELECT {JOB_COLUMNS} FROM user_import_jobs WHERE pool_id = $1 AND id > $2 \
         ORDER BY id LIMIT $3"
    ))
    .bind(pool_id)
    .bind(after)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(|r| open(db, r)).collect()
}

/// Cognito's expiry: a pool's jobs created at or before `created_before` and never started
/// become Expired, and the CSV uploaded for them is deleted.
pub async fn expire(db: &Db, pool_id: &str, created_before: i64) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE user_import_jobs SET status = 'Expired', csv = NULL \
         WHERE pool_id = $1 AND status = 'Created' AND created_at <= $2",
    )
    .bind(pool_id)
    .bind(created_before)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}

/// Keeps the uploaded CSV of a job not started yet; false when it has started.
pub async fn store_csv(db: &Db, id: &str, csv: &str) -> Result<bool> {
    let done =
        sqlx::query("UPDATE user_import_jobs SET csv = $1 WHERE id = $2 AND status = 'Created'")
            .bind(csv)
            .bind(id)
            .execute(db.pool())
            .await?;
    Ok(done.rows_affected() > 0)
}

/// StartUserImportJob: a Created job with its CSV becomes Pending; false otherwise.
pub async fn start(db: &Db, id: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE user_import_jobs SET status = 'Pending', started_at = $1 \
         WHERE id = $2 AND status = 'Created' AND csv IS NOT NULL",
    )
    .bind(now)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() > 0)
}

/// StopUserImportJob: a Pending or InProgress job becomes Stopping; its runner stops it at
/// the next batch. False when it was in neither status.
pub async fn stop(db: &Db, id: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE user_import_jobs SET status = 'Stopping' \
         WHERE id = $1 AND status IN ('Pending', 'InProgress')",
    )
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Takes one runnable job whose lease has run out (none held, or its holder gone), holding it
/// until `now + lease_ms`; a Pending job becomes InProgress. Returns it with its CSV.
pub async fn claim(db: &Db, now: i64, lease_ms: i64) -> Result<Option<(JobRecord, String)>> {
    let found: Option<(String, i64)> = sqlx::query_as(
        "SELECT id, lease_until FROM user_import_jobs \
         WHERE status IN ('Pending', 'InProgress', 'Stopping') AND lease_until < $1 \
         ORDER BY created_at LIMIT 1",
    )
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    let Some((id, old_lease)) = found else {
        return Ok(None);
    };
    let taken = sqlx::query(
        "UPDATE user_import_jobs SET lease_until = $1, \
         status = CASE WHEN status = 'Pending' THEN 'InProgress' ELSE status END \
         WHERE id = $2 AND lease_until = $3",
    )
    .bind(now + lease_ms)
    .bind(&id)
    .bind(old_lease)
    .execute(db.pool())
    .await?;
    if taken.rows_affected() == 0 {
        // Another instance took it first.
        return Ok(None);
    }
    let csv: (Option<String>,) = sqlx::query_as("SELECT csv FROM user_import_jobs WHERE id = $1")
        .bind(&id)
        .fetch_one(db.pool())
        .await?;
    let job = find_by_id(db, &id).await?;
    Ok(job.map(|j| (j, csv.0.unwrap_or_default())))
}

/// A row that will not be imported, as the job's log names it.
pub struct LogLine {
    pub line: i64,
    pub outcome: &'static str,
    pub message: String,
}

/// A user to import: its line in the CSV, its record, and its MFAOptions JSON if any.
pub struct NewUser {
    pub line: i64,
    pub user: UserRecord,
    pub mfa_options: Option<String>,
}

/// What a batch did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Batch {
    pub imported: i64,
    pub skipped: i64,
    pub failed: i64,
}

/// Writes one batch in one transaction: each user (a taken username is skipped, a taken
/// alias fails, each in a savepoint of its own), the log lines, and the cursor moved from
/// `from` to `to` with the counts. `None` when the job is no longer this runner's at `from`
/// (stopped, or taken over): then nothing is written.
#[allow(clippy::too_many_arguments)]
pub async fn commit_batch(
    db: &Db,
    job_id: &str,
    settings: &UserPoolSettings,
    (from, to): (i64, i64),
    users: &[NewUser],
    mut log: Vec<LogLine>,
    lease_until: i64,
) -> Result<Option<Batch>> {
    let mut tx = db.begin().await?;
    let held = sqlx::query(
        "UPDATE user_import_jobs SET lease_until = $1 \
         WHERE id = $2 AND status = 'InProgress' AND rows_done = $3",
    )
    .bind(lease_until)
    .bind(job_id)
    .bind(from)
    .execute(&mut *tx)
    .await?;
    if held.rows_affected() == 0 {
        return Ok(None);
    }
    let mut batch = Batch {
        failed: log.len() as i64,
        ..Batch::default()
    };
    for new in users {
        let line = &new.line;
        match insert_user(&mut tx, settings, new).await {
            Ok(()) => batch.imported += 1,
            Err(StoreError::Conflict(_)) => {
                batch.skipped += 1;
                log.push(LogLine {
                    line: *line,
                    outcome: "SKIPPED",
                    message: "The user already exists.".into(),
                });
            }
            Err(StoreError::AliasTaken { name }) => {
                batch.failed += 1;
                log.push(LogLine {
                    line: *line,
                    outcome: "FAILED",
                    message: format!("Another user already has this {name}."),
                });
            }
            Err(e) => return Err(e),
        }
    }
    write_log(&mut tx, job_id, &log).await?;
    sqlx::query(
        "UPDATE user_import_jobs SET rows_done = $1, imported = imported + $2, \
         skipped = skipped + $3, failed = failed + $4 WHERE id = $5",
    )
    .bind(to)
    .bind(batch.imported)
    .bind(batch.skipped)
    .bind(batch.failed)
    .bind(job_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Some(batch))
}

/// A new user with its index rows and alias claims, in a savepoint: a conflict undoes only it.
async fn insert_user(tx: &mut Tx, settings: &UserPoolSettings, new: &NewUser) -> Result<()> {
    let u = &new.user;
    let mut sp = tx.begin().await?;
    sqlx::query(&format!(
        "INSERT INTO users ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .bind(&u.pool_id)
    .bind(&u.sub)
    .bind(&u.username)
    .bind(&u.username_key)
    .bind(u.status.as_str())
    .bind(flag(u.enabled))
    .bind(&u.password_hash)
    .bind(&u.srp_salt)
    .bind(&u.srp_verifier)
    .bind(serde_json::to_string(&u.attributes)?)
    .bind(u.created_at)
    .bind(u.updated_at)
    .execute(&mut *sp)
    .await?;
    let entries = index_entries(u);
    let values: Vec<String> = (0..entries.len())
        .map(|i| {
            format!(
                "(${}, ${}, ${}, ${})",
                4 * i + 1,
                4 * i + 2,
                4 * i + 3,
                4 * i + 4
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO user_attribute_index (pool_id, sub, name, value) VALUES {}",
        values.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for (name, value) in &entries {
        query = query.bind(&u.pool_id).bind(&u.sub).bind(name).bind(value);
    }
    query.execute(&mut *sp).await?;
    if let Some(options) = &new.mfa_options {
        sqlx::query("UPDATE users SET mfa_options = $1 WHERE pool_id = $2 AND sub = $3")
            .bind(options)
            .bind(&u.pool_id)
            .bind(&u.sub)
            .execute(&mut *sp)
            .await?;
    }
    for (name, value) in super::aliases::claims(settings, u) {
        let claimed = sqlx::query(
            "INSERT INTO user_aliases (pool_id, name, value, sub) VALUES ($1, $2, $3, $4)",
        )
        .bind(&u.pool_id)
        .bind(&name)
        .bind(&value)
        .bind(&u.sub)
        .execute(&mut *sp)
        .await;
        match claimed.map_err(StoreError::from) {
            Ok(_) => {}
            Err(StoreError::Conflict(_)) => return Err(StoreError::AliasTaken { name }),
            Err(e) => return Err(e),
        }
    }
    sp.commit().await?;
    Ok(())
}

async fn write_log(tx: &mut Tx, job_id: &str, log: &[LogLine]) -> Result<()> {
    for entry in log {
        sqlx::query(
            "INSERT INTO user_import_log (job_id, line, outcome, message) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (job_id, line) DO NOTHING",
        )
        .bind(job_id)
        .bind(entry.line)
        .bind(entry.outcome)
        .bind(&entry.message)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Ends a job in `status` with `message`, letting go of its lease.
pub async fn finish(db: &Db, id: &str, status: &str, message: &str, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE user_import_jobs SET status = $1, completion_message = $2, completed_at = $3, \
         lease_until = 0, csv = NULL WHERE id = $4",
    )
    .bind(status)
    .bind(message)
    .bind(now)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The job's log lines (rows skipped or failed), in line order.
pub async fn log(db: &Db, job_id: &str) -> Result<Vec<(i64, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT line, outcome, message FROM user_import_log WHERE job_id = $1 ORDER BY line",
    )
    .bind(job_id)
    .fetch_all(db.pool())
    .await?)
}
