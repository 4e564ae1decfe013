//! A user import job created and not started within 24 hours is Expired, as Cognito's are:
//! its CSV is gone, it can no longer be started or uploaded to; a job started in time is
//! not. The stored creation time is moved back instead of waiting.

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::{UserImportJobStatusType as Status, UserImportJobType};

use crate::common::*;

const ROLE: &str = "arn:aws:iam::123456789012:role/CognitoImportRole";
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

async fn create_job(app: &TestApp, pool_id: &str, name: &str) -> UserImportJobType {
    app.idp
        .create_user_import_job()
        .user_pool_id(pool_id)
        .job_name(name)
        .cloud_watch_logs_role_arn(ROLE)
        .send()
        .await
        .unwrap()
        .user_import_job
        .unwrap()
}

async fn upload(app: &TestApp, job: &UserImportJobType, csv: &str) -> u16 {
    app.http
        .put(job.pre_signed_url().unwrap())
        .body(csv.to_string())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn status(app: &TestApp, pool_id: &str, job_id: &str) -> Option<Status> {
    app.idp
        .describe_user_import_job()
        .user_pool_id(pool_id)
        .job_id(job_id)
        .send()
        .await
        .unwrap()
        .user_import_job
        .unwrap()
        .status
}

/// Moves the job's creation back by `ms`.
async fn age(app: &TestApp, job_id: &str, ms: i64) {
    app.sql(&format!(
        "UPDATE user_import_jobs SET created_at = created_at - {ms} WHERE id = '{job_id}'"
    ))
    .await;
}

#[tokio::test]
async fn a_job_not_started_within_a_day_expires_and_cannot_start() {
    let app = spawn().await;
    let pool = app.pool().await;
    let pool_id = pool.pool_id.as_str();
    let header = app
        .idp
        .get_csv_header()
        .user_pool_id(pool_id)
        .send()
        .await
        .unwrap()
        .csv_header
        .unwrap()
        .join(",");
    let stale = create_job(&app, pool_id, "stale").await;
    let fresh = create_job(&app, pool_id, "fresh").await;
    let (stale_id, fresh_id) = (stale.job_id().unwrap(), fresh.job_id().unwrap());
    assert_eq!(upload(&app, &stale, &header).await, 200);
    assert_eq!(upload(&app, &fresh, &header).await, 200);

    // Just under a day: still Created.
    age(&app, stale_id, DAY_MS - 60_000).await;
    assert_eq!(status(&app, pool_id, stale_id).await, Some(Status::Created));
    age(&app, stale_id, 60_000).await;
    assert_eq!(status(&app, pool_id, stale_id).await, Some(Status::Expired));
    let csv = app
        .sql_i64(&format!(
            "SELECT COUNT(*) FROM user_import_jobs WHERE id = '{stale_id}' AND csv IS NULL"
        ))
        .await;
    assert_eq!(csv, 1, "the expired job's CSV is deleted");

    let listed = app
        .idp
        .list_user_import_jobs()
        .user_pool_id(pool_id)
        .max_results(10)
        .send()
        .await
        .unwrap();
    let statuses: Vec<(&str, Option<&Status>)> = listed
        .user_import_jobs()
        .iter()
        .map(|j| (j.job_name().unwrap(), j.status()))
        .collect();
    assert!(
        statuses.contains(&("stale", Some(&Status::Expired))),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&("fresh", Some(&Status::Created))),
        "{statuses:?}"
    );

    let start = app
        .idp
        .start_user_import_job()
        .user_pool_id(pool_id)
        .job_id(stale_id)
        .send()
        .await;
    assert_eq!(code(&start.unwrap_err()), "PreconditionNotMetException");
    assert_eq!(upload(&app, &stale, &header).await, 409);
    let stop = app
        .idp
        .stop_user_import_job()
        .user_pool_id(pool_id)
        .job_id(stale_id)
        .send()
        .await;
    assert_eq!(code(&stop.unwrap_err()), "PreconditionNotMetException");

    // A job started in time does not expire however old it gets.
    let started = app
        .idp
        .start_user_import_job()
        .user_pool_id(pool_id)
        .job_id(fresh_id)
        .send()
        .await
        .unwrap();
    assert_ne!(
        started.user_import_job.unwrap().status,
        Some(Status::Created)
    );
    age(&app, fresh_id, 3 * DAY_MS).await;
    let later = status(&app, pool_id, fresh_id).await;
    assert_ne!(later, Some(Status::Expired));
    assert_ne!(later, Some(Status::Created));
}
