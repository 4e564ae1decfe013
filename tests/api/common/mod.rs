//! What the end-to-end tests share: the server under test, its SDK client and helpers.

use aws_sdk_cognitoidentityprovider as idp;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use serde_json::Value;
use sqlx::Connection;

mod auth;
mod iam;
mod identity;
mod internals;
mod pools;
mod rest;
mod sync;
mod users;

pub use auth::*;
pub use iam::*;
pub use identity::*;
pub use internals::*;
pub use pools::*;
pub use sync::*;
pub use users::*;

pub struct TestApp {
    pub base: String,
    /// The server's settings, for opening its database the way it does.
    pub config: Config,
    /// The test's own database, for simulating the passage of time in stored rows.
    pub database_url: String,
    pub idp: idp::Client,
    pub http: reqwest::Client,
    _dir: tempfile::TempDir,
}

/// A PostgreSQL test database is dropped with its test, so that runs leave nothing behind.
impl Drop for TestApp {
    fn drop(&mut self) {
        let Ok(base) = std::env::var("COGNATE_TEST_DATABASE_URL") else {
            return;
        };
        let Some((_, name)) = self.database_url.rsplit_once('/') else {
            return;
        };
        let statement = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        // Drop may run inside the test's runtime, which cannot block on itself.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                sqlx::any::install_default_drivers();
                let mut conn = sqlx::AnyConnection::connect(&base).await.ok()?;
                sqlx::query(&statement).execute(&mut conn).await.ok()?;
                conn.close().await.ok()
            })
        })
        .join();
    }
}

pub async fn spawn() -> TestApp {
    spawn_with(|c| c).await
}

/// A fresh database for one test: a SQLite file, or a new PostgreSQL database.
async fn fresh_database(dir: &tempfile::TempDir) -> String {
    match std::env::var("COGNATE_TEST_DATABASE_URL") {
        Ok(base) if !base.is_empty() => {
            let name = format!("cognate_test_{}", uuid::Uuid::new_v4().simple());
            sqlx::any::install_default_drivers();
            let mut conn = sqlx::AnyConnection::connect(&base)
                .await
                .expect("connect to PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create test database");
            conn.close().await.ok();
            let (prefix, _) = base.rsplit_once('/').expect("database URL has a path");
            format!("{prefix}/{name}")
        }
        _ => format!("sqlite://{}/cognate.db", dir.path().display()),
    }
}

pub async fn spawn_with(adjust: impl FnOnce(Config) -> Config) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let database_url = fresh_database(&dir).await;
    // SQLite tests use the key file local mode creates beside the database; elsewhere it
    // would land in the working directory, so PostgreSQL tests get a key of their own.
    let master_key =
        (!database_url.starts_with("sqlite:")).then(|| Secret::new(Sealer::generate_key()));
    let config = adjust(Config {
        listen: "127.0.0.1:0".into(),
        database_url,
        master_key,
        // Cheaper than the default, still argon2id; the default is measured by the bench.
        argon2: Argon2Params {
            memory_kib: 4096,
            iterations: 1,
        },
        ..Config::default()
    });
    let database_url = config.database_url.clone();
    let app = Application::build(config.clone())
        .await
        .expect("server starts");
    let base = app.public_url().to_string();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        config,
        idp: sdk_client(&base, "AKIDTEST", "test-secret"),
        base,
        database_url,
        http: reqwest::Client::new(),
        _dir: dir,
    }
}

/// A server that sends its email through the SMTP server on `port` of loopback.
pub async fn spawn_with_smtp(port: u16) -> TestApp {
    spawn_with(|c| Config {
        smtp_url: Some(Secret::new(format!("smtp://127.0.0.1:{port}"))),
        ..c
    })
    .await
}

/// A loopback port nobody listens on: every connection to it is refused.
pub fn unused_port() -> u16 {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    closed.local_addr().unwrap().port()
}

pub fn sdk_client(base: &str, key: &str, secret: &str) -> idp::Client {
    let conf = idp::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(base)
        .credentials_provider(Credentials::new(key, secret, None, None, "test"))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(idp::config::retry::RetryConfig::disabled())
        .build();
    idp::Client::from_conf(conf)
}

/// The error code of a failed SDK call.
pub fn code<E, R>(err: &idp::error::SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::fmt::Debug,
    R: std::fmt::Debug,
{
    err.code()
        .map(String::from)
        .unwrap_or_else(|| format!("no code: {err:?}"))
}

pub fn message<E, R>(err: &idp::error::SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata,
{
    err.message().unwrap_or_default().to_string()
}

pub const PASSWORD: &str = "Corr3ct-horse!";

impl TestApp {
    /// Messages in the dev outbox for one user, newest first.
    pub async fn outbox(&self, pool_id: &str, username: &str) -> Vec<Value> {
        let reply = self
            .http
            .get(format!("{}/_dev/outbox", self.base))
            .query(&[("pool_id", pool_id), ("username", username)])
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 200);
        reply.json().await.unwrap()
    }

    pub async fn latest_code(&self, pool_id: &str, username: &str) -> String {
        let messages = self.outbox(pool_id, username).await;
        messages[0]["code"]
            .as_str()
            .expect("a code in the outbox")
            .to_string()
    }

    /// A raw AWS JSON call, for what the SDK will not send.
    pub async fn raw(&self, target: &str, body: &str, signed: bool) -> reqwest::Response {
        let mut req = self
            .http
            .post(&self.base)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", target)
            .body(body.to_string());
        if signed {
            req = req.header(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/cognito-idp/aws4_request, \
                 SignedHeaders=host;x-amz-date, Signature=00",
            );
        }
        req.send().await.unwrap()
    }
}

impl TestApp {
    async fn database(&self) -> sqlx::AnyConnection {
        sqlx::any::install_default_drivers();
        sqlx::AnyConnection::connect(&self.database_url)
            .await
            .unwrap()
    }

    /// Runs one SQL statement on the test's database: how tests move stored deadlines into
    /// the past instead of sleeping.
    pub async fn sql(&self, statement: &str) {
        let mut conn = self.database().await;
        sqlx::query(statement).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    }

    /// The server's database, opened as the server opens it (same master key).
    pub async fn db(&self) -> Db {
        let sealer = startup::sealer(&self.config).unwrap();
        Db::connect(&self.config.database_url, sealer)
            .await
            .unwrap()
    }

    /// One text value from the test's database.
    pub async fn sql_text(&self, query: &str) -> String {
        let mut conn = self.database().await;
        let (s,): (String,) = sqlx::query_as(query).fetch_one(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        s
    }

    /// One integer from the test's database.
    pub async fn sql_i64(&self, query: &str) -> i64 {
        let mut conn = self.database().await;
        let (n,): (i64,) = sqlx::query_as(query).fetch_one(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        n
    }
}
