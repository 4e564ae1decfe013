//! User import jobs driven as the AWS SDK and `curl -T` drive Cognito's: GetCSVHeader, a job,
//! the CSV PUT to its PreSignedUrl, Start, progress to Succeeded, per-row failures in the
//! job's log; a job resumed from its cursor by another server, and a stop.

use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider as idp;
use idp::types::{UserImportJobStatusType as Status, UserImportJobType, UserStatusType};
use reqwest::Method;

use crate::common::*;

const ROLE: &str = "arn:aws:iam::123456789012:role/CognitoImportRole";

async fn header(app: &TestApp, pool_id: &str) -> Vec<String> {
    app.idp
        .get_csv_header()
        .user_pool_id(pool_id)
        .send()
        .await
        .unwrap()
        .csv_header
        .unwrap()
}

/// A CSV row with `values` in their columns and the rest empty.
fn row(header: &[String], values: &[(&str, &str)]) -> String {
    header
        .iter()
        .map(|col| {
            values
                .iter()
                .find(|(c, _)| c == col)
                .map_or("", |(_, v)| *v)
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn good(header: &[String], i: usize) -> String {
    let (username, email) = (format!("user{i}"), format!("user{i}@example.com"));
    row(
        header,
        &[
            ("cognito:username", &username),
            ("email", &email),
            ("email_verified", "TRUE"),
            ("given_name", "Ana"),
            ("cognito:mfa_enabled", "false"),
        ],
    )
}

async fn create_job(app: &TestApp, pool_id: &str) -> UserImportJobType {
    app.idp
        .create_user_import_job()
        .user_pool_id(pool_id)
        .job_name("migration")
        .cloud_watch_logs_role_arn(ROLE)
        .send()
        .await
        .unwrap()
        .user_import_job
        .unwrap()
}

async fn upload(app: &TestApp, job: &UserImportJobType, csv: String) -> u16 {
    app.http
        .put(job.pre_signed_url().unwrap())
        .header("x-amz-server-side-encryption", "aws:kms")
        .body(csv)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn describe(client: &idp::Client, pool_id: &str, job_id: &str) -> UserImportJobType {
    client
        .describe_user_import_job()
        .user_pool_id(pool_id)
        .job_id(job_id)
        .send()
        .await
        .unwrap()
        .user_import_job
        .unwrap()
}

/// The job once it has ended, polled through DescribeUserImportJob (bounded).
async fn ended(client: &idp::Client, pool_id: &str, job_id: &str) -> UserImportJobType {
    for _ in 0..3000 {
        let job = describe(client, pool_id, job_id).await;
        match job.status() {
            Some(Status::Succeeded | Status::Failed | Status::Stopped) => return job,
            _ => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
    panic!("the import job did not end");
}

#[tokio::test]
async fn ten_thousand_users_are_imported_and_bad_rows_are_counted_and_logged() {
    let app = spawn().await;
    let pool = app.pool().await;
    let pool_id = pool.pool_id.as_str();
    let header = header(&app, pool_id).await;
    assert_eq!(header.first().map(String::as_str), Some("name"));
    assert!(header.ends_with(&["cognito:mfa_enabled".into(), "cognito:username".into()]));
    app.idp
        .admin_create_user()
        .user_pool_id(pool_id)
        .username("user77")
        .message_action(idp::types::MessageActionType::Suppress)
        .send()
        .await
        .unwrap();

    let mut lines = vec![header.join(",")];
    lines.extend((0..10_000).map(|i| good(&header, i)));
    // Line numbers count the header as line 1.
    let unverified = row(
        &header,
        &[("cognito:username", "bad1"), ("email", "b@x.io")],
    );
    let no_username = row(&header, &[("email", "c@x.io"), ("email_verified", "true")]);
    let no_email = row(
        &header,
        &[("cognito:username", "bad3"), ("email_verified", "true")],
    );
    lines.insert(11, unverified); // line 12
    lines.insert(501, no_username); // line 502
    lines.insert(5002, "too,few,fields".into()); // line 5003
    lines.push(no_email); // line 10005
    let csv = lines.join("\n") + "\n";

    let job = create_job(&app, pool_id).await;
    assert_eq!(job.status(), Some(&Status::Created));
    assert!(job.job_id().unwrap().starts_with("import-"));
    let url = job.pre_signed_url().unwrap().to_string();
    let forged = url.replace("signature=", "signature=x");
    let refused = app.http.put(&forged).body("x").send().await.unwrap();
    assert_eq!(refused.status(), 403);
    assert_eq!(upload(&app, &job, csv).await, 200);

    let started = Instant::now();
    let job_id = job.job_id().unwrap();
    let start = app
        .idp
        .start_user_import_job()
        .user_pool_id(pool_id)
        .job_id(job_id);
    let running = start.send().await.unwrap().user_import_job.unwrap();
    assert!(matches!(
        running.status(),
        Some(Status::Pending | Status::InProgress | Status::Succeeded)
    ));
    let done = ended(&app.idp, pool_id, job_id).await;
    eprintln!("10,004 rows imported in {:?}", started.elapsed());
    assert_eq!(
        done.status(),
        Some(&Status::Succeeded),
        "{:?}",
        done.completion_message()
    );
    assert_eq!(done.imported_users, 9_999);
    assert_eq!(done.skipped_users, 1, "user77 was already there");
    assert_eq!(done.failed_users, 4);
    assert!(done.start_date.is_some() && done.completion_date.is_some());

    let user = app.admin_get_user(&pool, "user4242").await.unwrap();
    assert_eq!(user.user_status(), Some(&UserStatusType::ResetRequired));
    let attributes = user.user_attributes();
    assert_eq!(value_of(attributes, "email"), Some("user4242@example.com"));
    assert_eq!(value_of(attributes, "email_verified"), Some("true"));
    let bad = app
        .idp
        .admin_get_user()
        .user_pool_id(pool_id)
        .username("bad1")
        .send()
        .await;
    assert_eq!(code(&bad.unwrap_err()), "UserNotFoundException");

    let log = app
        .rest(
            Method::GET,
            &format!("/pools/{pool_id}/import-jobs/{job_id}/log"),
            None,
        )
        .await;
    assert_eq!(log.status, 200);
    let log = log.body.as_str().unwrap().to_string();
    assert!(log.contains("[FAILED] Line Number 12 - The User Record does not set any of the auto verified attributes to true."), "{log}");
    assert!(
        log.contains("[FAILED] Line Number 502 - The user record has no cognito:username."),
        "{log}"
    );
    assert!(
        log.contains("[FAILED] Line Number 5003 - The number of fields"),
        "{log}"
    );
    assert!(
        log.contains("[SKIPPED] Line Number 80 - The user already exists."),
        "{log}"
    );
    assert!(
        log.contains("[FAILED] Line Number 10005 - email_verified is true"),
        "{log}"
    );

    // A finished job cannot start again, nor take another file.
    let again = app
        .idp
        .start_user_import_job()
        .user_pool_id(pool_id)
        .job_id(job_id)
        .send()
        .await;
    assert_eq!(code(&again.unwrap_err()), "PreconditionNotMetException");
    assert_eq!(upload(&app, &job, "x".into()).await, 409);
}

#[tokio::test]
async fn import_jobs_refuse_what_cognito_refuses() {
    let app = spawn().await;
    let pool = app.pool().await;
    let pool_id = pool.pool_id.as_str();

    let missing = app
        .idp
        .describe_user_import_job()
        .user_pool_id(pool_id)
        .job_id("import-nothere")
        .send()
        .await;
    assert_eq!(code(&missing.unwrap_err()), "ResourceNotFoundException");
    let no_pool = app
        .idp
        .get_csv_header()
        .user_pool_id("us-east-1_nothere")
        .send()
        .await;
    assert_eq!(code(&no_pool.unwrap_err()), "ResourceNotFoundException");
    let bad_arn = app
        .idp
        .create_user_import_job()
        .user_pool_id(pool_id)
        .job_name("j")
        .cloud_watch_logs_role_arn("not-an-arn-of-any-kind")
        .send()
        .await;
    assert_eq!(code(&bad_arn.unwrap_err()), "InvalidParameterException");

    // Not uploaded yet: it cannot start; not started: it cannot stop.
    let job = create_job(&app, pool_id).await;
    let job_id = job.job_id().unwrap();
    let start = app
        .idp
        .start_user_import_job()
        .user_pool_id(pool_id)
        .job_id(job_id)
        .send()
        .await;
    assert_eq!(code(&start.unwrap_err()), "PreconditionNotMetException");
    let stop = app
        .idp
        .stop_user_import_job()
        .user_pool_id(pool_id)
        .job_id(job_id)
        .send()
        .await;
    assert_eq!(code(&stop.unwrap_err()), "PreconditionNotMetException");

    // A header that lacks a column of GetCSVHeader's fails the whole job.
    assert_eq!(
        upload(&app, &job, "cognito:username,email\nann,a@x.io\n".into()).await,
        200
    );
    let start = app
        .idp
        .start_user_import_job()
        .user_pool_id(pool_id)
        .job_id(job_id);
    start.send().await.unwrap();
    let failed = ended(&app.idp, pool_id, job_id).await;
    assert_eq!(failed.status(), Some(&Status::Failed));
    assert!(failed
        .completion_message()
        .unwrap()
        .contains("no name column"));

    // Jobs page with PaginationToken.
    create_job(&app, pool_id).await;
    let first = app
        .idp
        .list_user_import_jobs()
        .user_pool_id(pool_id)
        .max_results(1)
        .send()
        .await
        .unwrap();
    assert_eq!(first.user_import_jobs().len(), 1);
    let token = first.pagination_token().expect("a second page");
    let second = app
        .idp
        .list_user_import_jobs()
        .user_pool_id(pool_id)
        .max_results(1)
        .pagination_token(token)
        .send()
        .await
        .unwrap();
    assert_eq!(second.user_import_jobs().len(), 1);
    assert_ne!(
        first.user_import_jobs()[0].job_id,
        second.user_import_jobs()[0].job_id
    );

    // A pool that verifies nothing automatically cannot import.
    let bare = app.pool_with(PoolSpec::bare()).await;
    let job = create_job(&app, &bare.pool_id).await;
    let csv = format!("{}\n", header(&app, &bare.pool_id).await.join(","));
    assert_eq!(upload(&app, &job, csv).await, 200);
    let start = app
        .idp
        .start_user_import_job()
        .user_pool_id(&bare.pool_id)
        .job_id(job.job_id().unwrap())
        .send()
        .await;
    assert_eq!(code(&start.unwrap_err()), "PreconditionNotMetException");

    // The REST view of the jobs, and its errors.
    let listed = app
        .rest(Method::GET, &format!("/pools/{pool_id}/import-jobs"), None)
        .await;
    assert_eq!(listed.status, 200);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 2);
    let one = app
        .rest(
            Method::GET,
            &format!("/pools/{pool_id}/import-jobs/{job_id}"),
            None,
        )
        .await;
    assert_eq!(one.body["Status"], "Failed");
    let gone = app
        .rest(
            Method::GET,
            &format!("/pools/{pool_id}/import-jobs/import-x/log"),
            None,
        )
        .await;
    assert_eq!(
        (gone.status, gone.problem()),
        (404, "ResourceNotFoundException")
    );
}

/// A second server on `app`'s database: what a restart (or another instance) does.
async fn second_server(app: &TestApp) -> idp::Client {
    let server = Application::build(app.config.clone())
        .await
        .expect("server starts");
    let base = server.public_url().to_string();
    tokio::spawn(server.run_until_stopped());
    sdk_client(&base, "AKIDTEST", "test-secret")
}

/// A job with `rows` good users uploaded, then marked in the database as a runner that
/// stopped after `done` rows left it (holding its lease until `lease_until`).
async fn interrupted_job(
    app: &TestApp,
    pool_id: &str,
    rows: usize,
    done: i64,
    lease_until: i64,
) -> String {
    let header = header(app, pool_id).await;
    let mut lines = vec![header.join(",")];
    lines.extend((0..rows).map(|i| good(&header, i)));
    let job = create_job(app, pool_id).await;
    assert_eq!(upload(app, &job, lines.join("\n")).await, 200);
    let job_id = job.job_id().unwrap().to_string();
    app.sql(&format!(
        "UPDATE user_import_jobs SET status = 'InProgress', started_at = 1, rows_done = {done}, \
         imported = {done}, lease_until = {lease_until} WHERE id = '{job_id}'"
    ))
    .await;
    job_id
}

#[tokio::test]
async fn a_job_resumes_from_its_cursor_on_another_server() {
    let app = spawn().await;
    let pool = app.pool().await;
    let job_id = interrupted_job(&app, &pool.pool_id, 1_200, 500, 0).await;
    let other = second_server(&app).await;
    let done = ended(&other, &pool.pool_id, &job_id).await;
    assert_eq!(done.status(), Some(&Status::Succeeded));
    assert_eq!((done.imported_users, done.failed_users), (1_200, 0));
    // Rows before the cursor are not read again (the crashed runner had written them).
    let before = other
        .admin_get_user()
        .user_pool_id(&pool.pool_id)
        .username("user499")
        .send()
        .await;
    assert_eq!(code(&before.unwrap_err()), "UserNotFoundException");
    let after = other
        .admin_get_user()
        .user_pool_id(&pool.pool_id)
        .username("user500")
        .send()
        .await;
    assert_eq!(
        after.unwrap().user_status(),
        Some(&UserStatusType::ResetRequired)
    );
}

#[tokio::test]
async fn a_stopped_job_ends_stopped_at_its_cursor() {
    let app = spawn().await;
    let pool = app.pool().await;
    // Held by a runner elsewhere: the stop is recorded and that runner would end it.
    let far = 32_503_680_000_000i64;
    let job_id = interrupted_job(&app, &pool.pool_id, 700, 500, far).await;
    let stop = app
        .idp
        .stop_user_import_job()
        .user_pool_id(&pool.pool_id)
        .job_id(&job_id);
    let stopping = stop.send().await.unwrap().user_import_job.unwrap();
    assert_eq!(stopping.status(), Some(&Status::Stopping));
    // That runner is gone: its lease runs out and another server ends the job.
    app.sql(&format!(
        "UPDATE user_import_jobs SET lease_until = 0 WHERE id = '{job_id}'"
    ))
    .await;
    let other = second_server(&app).await;
    let done = ended(&other, &pool.pool_id, &job_id).await;
    assert_eq!(done.status(), Some(&Status::Stopped));
    assert_eq!(done.imported_users, 500);
    let never = other
        .admin_get_user()
        .user_pool_id(&pool.pool_id)
        .username("user600")
        .send()
        .await;
    assert_eq!(code(&never.unwrap_err()), "UserNotFoundException");
}
