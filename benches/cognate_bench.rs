//! cognate-bench: load figures for a running Cognate (or one it starts in-process).
//!
//! cargo bench --bench cognate-bench -- [--url http://127.0.0.1:9229 [--pid PID]] [--clients 16] [--count 400]
//!
//! Drives the server with N concurrent AWS SDK clients for a bounded number of operations per
//! scenario and prints throughput, latency percentiles and the server's peak RSS (VmHWM: of
//! this process for the in-process server, of PID for --url), and then 32 concurrent password
//! sign-ins. Without --url it starts a server on port 0 with a fresh SQLite database (or
//! COGNATE_BENCH_DATABASE_URL).
//!
//! With `--list-users N` (in-process server only) it seeds N users and times ListUsers instead.
//!
//! With `--server target/release/cognate` it measures per core instead: that binary pinned to
//! core 0, the bench on core 1, `--connections 32` keep-alive connections, `--count` operations
//! for the rows that hash a password and `--fast-count` for the others, and prints a Markdown
//! table (see `support/percore.rs`); `--list-users N` then adds ListUsers rows in a pool of N
//! bulk-loaded users, and `--ws-devices N` (default 1000) sets the sockets of the push rows.
//!
//! With `--server BIN --two-instances` (COGNATE_BENCH_DATABASE_URL on PostgreSQL) it runs two
//! instances of BIN on that database instead, one per core, and compares each one's CPU per
//! operation and p99 beside the other with the first one's alone, at `--rate` operations per
//! second offered to each (see `support/instances.rs`).

#[path = "support/floor.rs"]
mod floor;
#[path = "support/identity.rs"]
mod identity;
#[path = "support/instances.rs"]
mod instances;
#[path = "support/list_users.rs"]
mod list_users;
#[path = "support/oauth2.rs"]
mod oauth2;
#[path = "support/percore.rs"]
mod percore;
#[path = "support/push.rs"]
mod push;
#[path = "support/server.rs"]
mod server;
#[path = "support/sync.rs"]
mod sync;
#[path = "support/wire.rs"]
mod wire;

use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_cognitoidentityprovider as idp;
use aws_sdk_cognitoidentityprovider::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, ExplicitAuthFlowsType};
use cognate::config::{Argon2Params, Config};
use cognate::startup::Application;
use tokio::sync::Semaphore;

const PASSWORD: &str = "Bench-passw0rd!";

struct Args {
    url: Option<String>,
    clients: usize,
    count: usize,
    list_users: Option<usize>,
    pid: Option<u32>,
    server: Option<String>,
    connections: usize,
    fast: usize,
    only: Option<String>,
    ws_devices: usize,
    two_instances: bool,
    rate: f64,
}

fn parse_args() -> Args {
    let mut args = Args {
        url: None,
        clients: 16,
        count: 400,
        list_users: None,
        pid: None,
        server: None,
        connections: 32,
        fast: 10_000,
        only: None,
        ws_devices: 1000,
        two_instances: false,
        rate: 400.0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--url" => args.url = it.next(),
            "--clients" => args.clients = it.next().and_then(|v| v.parse().ok()).unwrap_or(16),
            "--count" => args.count = it.next().and_then(|v| v.parse().ok()).unwrap_or(400),
            "--list-users" => args.list_users = it.next().and_then(|v| v.parse().ok()),
            "--pid" => args.pid = it.next().and_then(|v| v.parse().ok()),
            "--server" => args.server = it.next(),
            "--only" => args.only = it.next(),
            "--two-instances" => args.two_instances = true,
            "--rate" => args.rate = it.next().and_then(|v| v.parse().ok()).unwrap_or(400.0),
            "--ws-devices" => {
                args.ws_devices = it.next().and_then(|v| v.parse().ok()).unwrap_or(1000)
            }
            "--connections" => {
                args.connections = it.next().and_then(|v| v.parse().ok()).unwrap_or(32)
            }
            "--fast-count" => args.fast = it.next().and_then(|v| v.parse().ok()).unwrap_or(10_000),
            _ => {} // cargo bench passes --bench
        }
    }
    args
}

fn client(base: &str) -> idp::Client {
    let conf = idp::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(base)
        .credentials_provider(Credentials::new(
            std::env::var("AWS_ACCESS_KEY_ID").unwrap_or_else(|_| "bench".into()),
            std::env::var("AWS_SECRET_ACCESS_KEY").unwrap_or_else(|_| "bench".into()),
            None,
            None,
            "bench",
        ))
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(idp::config::retry::RetryConfig::disabled())
        .build();
    idp::Client::from_conf(conf)
}

/// Runs `op(i)` for i in 0..count with at most `clients` in flight; prints the figures.
async fn run<F, Fut>(name: &str, clients: usize, count: usize, op: F)
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>> + Send + 'static,
{
    let gate = Arc::new(Semaphore::new(clients));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(count);
    for i in 0..count {
        let permit = gate.clone().acquire_owned().await.unwrap();
        let fut = op(i);
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let r = fut.await;
            drop(permit);
            (t.elapsed(), r)
        }));
    }
    let mut latencies = Vec::with_capacity(count);
    let mut errors = 0;
    for t in tasks {
        let (d, r) = t.await.unwrap();
        if let Err(e) = r {
            if errors == 0 {
                eprintln!("{name}: first error: {e}");
            }
            errors += 1;
        }
        latencies.push(d);
    }
    let total = start.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<22} {count:>6} ops {:>9.1} ops/s   p50 {:>7.2} ms   p99 {:>7.2} ms   errors {errors}",
        count as f64 / total.as_secs_f64(),
        ms(pct(0.50)),
        ms(pct(0.99)),
    );
}

/// The server's peak resident memory (VmHWM) in MiB: this process's for the in-process
/// server, or that of --pid; `None` where /proc is not there to tell.
fn peak_rss_mib(status_file: Option<&str>) -> Option<f64> {
    let status = std::fs::read_to_string(status_file?).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn print_peak_rss(status_file: Option<&str>) {
    match peak_rss_mib(status_file) {
        Some(mib) => println!("{:<22} {mib:.1} MiB", "  peak RSS so far"),
        None => println!("  peak RSS unknown (no /proc, or --url without --pid)"),
    }
}

fn srp_cost() {
    let (_, verifier) = cognate::service::kernel::srp::make_verifier("bench", "user", PASSWORD);
    let n = 20;
    let start = Instant::now();
    for _ in 0..n {
        cognate::service::kernel::srp::server_ephemeral(&verifier).unwrap();
    }
    println!(
        "one SRP exponentiation (3072-bit group, B = kv + g^b): {:.2} ms",
        start.elapsed().as_secs_f64() * 1000.0 / n as f64
    );
}

fn argon2_cost() {
    let params = Argon2Params::default();
    let start = Instant::now();
    let n = 10;
    for _ in 0..n {
        cognate::service::kernel::crypto::hash_password(params, PASSWORD).unwrap();
    }
    println!(
        "one argon2id hash (m={} KiB, t={}): {:.1} ms",
        params.memory_kib,
        params.iterations,
        start.elapsed().as_secs_f64() * 1000.0 / n as f64
    );
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    if let (Some(bin), true) = (args.server.clone(), args.two_instances) {
        instances::run(instances::Options {
            bin,
            database_url: std::env::var("COGNATE_BENCH_DATABASE_URL").unwrap_or_default(),
            count: args.fast,
            rate: args.rate,
        })
        .await;
        return;
    }
    if let Some(bin) = args.server.clone() {
        percore::run(percore::Options {
            bin,
            connections: args.connections,
            slow: args.count,
            fast: args.fast,
            database_url: std::env::var("COGNATE_BENCH_DATABASE_URL").ok(),
            list_users: args.list_users,
            only: args.only.clone(),
            ws_devices: args.ws_devices,
        })
        .await;
        return;
    }
    let _dir = tempfile::tempdir().unwrap();
    let database_url = std::env::var("COGNATE_BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}/bench.db", _dir.path().display()));
    let base = match &args.url {
        Some(url) => url.clone(),
        None => {
            let config = Config {
                listen: "127.0.0.1:0".into(),
                database_url: database_url.clone(),
                ..Config::default()
            };
            let app = Application::build(config).await.expect("server starts");
            let base = app.public_url().to_string();
            tokio::spawn(app.run_until_stopped());
            base
        }
    };
    println!(
        "cognate-bench against {base}: {} clients, {} operations per scenario, {} cores",
        args.clients,
        args.count,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    argon2_cost();
    srp_cost();
    let c = client(&base);
    let pool_id = c
        .create_user_pool()
        .pool_name("bench")
        .send()
        .await
        .unwrap()
        .user_pool
        .unwrap()
        .id
        .unwrap();
    let client_id = c
        .create_user_pool_client()
        .user_pool_id(&pool_id)
        .client_name("bench")
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserPasswordAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowRefreshTokenAuth)
        .explicit_auth_flows(ExplicitAuthFlowsType::AllowUserSrpAuth)
        .send()
        .await
        .unwrap()
        .user_pool_client
        .unwrap()
        .client_id
        .unwrap();
    let (n, k) = (args.count, args.clients);
    if let (Some(users), None) = (args.list_users, &args.url) {
        let start = Instant::now();
        list_users::seed(&database_url, &pool_id, users).await;
        println!(
            "seeded {users} users in {:.1} s",
            start.elapsed().as_secs_f64()
        );
        list_users::scenarios(&c, &pool_id, users, k, n).await;
        return;
    }
    let user = |i: usize| format!("user{i}");
    let status_file = match (&args.url, args.pid) {
        (None, _) => Some("/proc/self/status".to_string()),
        (Some(_), Some(pid)) => Some(format!("/proc/{pid}/status")),
        (Some(_), None) => None,
    };
    let rss = || print_peak_rss(status_file.as_deref());

    run("sign-up + confirm", k, n, |i| {
        let (c, pool_id, client_id, name) =
            (c.clone(), pool_id.clone(), client_id.clone(), user(i));
        async move {
            c.sign_up()
                .client_id(&client_id)
                .username(&name)
                .password(PASSWORD)
                .send()
                .await
                .map_err(|e| format!("{e:?}"))?;
            c.admin_confirm_sign_up()
                .user_pool_id(&pool_id)
                .username(&name)
                .send()
                .await
                .map_err(|e| format!("{e:?}"))?;
            Ok(())
        }
    })
    .await;
    rss();

    let sign_in = |c: idp::Client, client_id: String, name: String| async move {
        c.initiate_auth()
            .client_id(client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", name)
            .auth_parameters("PASSWORD", PASSWORD)
            .send()
            .await
            .map_err(|e| format!("{e:?}"))
            .map(|o| o.authentication_result.unwrap())
    };
    run("password sign-in", k, n, |i| {
        let fut = sign_in(c.clone(), client_id.clone(), user(i));
        async move { fut.await.map(|_| ()) }
    })
    .await;
    rss();

    // The load that once grew the server to gigabytes: 32 argon2 verifications at a time.
    run("32 concurrent sign-ins", 32, n, |i| {
        let fut = sign_in(c.clone(), client_id.clone(), user(i));
        async move { fut.await.map(|_| ()) }
    })
    .await;
    rss();

    run("SRP sign-in", k, n, |i| {
        let (c, pool_id, client_id, name) =
            (c.clone(), pool_id.clone(), client_id.clone(), user(i));
        async move { srp_sign_in(&c, &pool_id, &client_id, &name).await }
    })
    .await;
    rss();

    let tokens = sign_in(c.clone(), client_id.clone(), user(0))
        .await
        .unwrap();
    let refresh = tokens.refresh_token.unwrap();
    let access = tokens.access_token.unwrap();
    run("refresh", k, n, |_| {
        let (c, client_id, refresh) = (c.clone(), client_id.clone(), refresh.clone());
        async move {
            c.initiate_auth()
                .client_id(client_id)
                .auth_flow(AuthFlowType::RefreshTokenAuth)
                .auth_parameters("REFRESH_TOKEN", refresh)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| format!("{e:?}"))
        }
    })
    .await;
    rss();
    run("GetUser", k, n, |_| {
        let (c, access) = (c.clone(), access.clone());
        async move {
            c.get_user()
                .access_token(access)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| format!("{e:?}"))
        }
    })
    .await;
    rss();
}

/// USER_SRP_AUTH and PASSWORD_VERIFIER, the client's side computed as the JS library does
/// (on a blocking thread, as it is big-number work).
async fn srp_sign_in(
    c: &idp::Client,
    pool_id: &str,
    client_id: &str,
    name: &str,
) -> Result<(), String> {
    use cognate::service::kernel::srp;
    let (a, big_a) = tokio::task::spawn_blocking(srp::client::ephemeral)
        .await
        .unwrap();
    let out = c
        .initiate_auth()
        .client_id(client_id)
        .auth_flow(AuthFlowType::UserSrpAuth)
        .auth_parameters("USERNAME", name)
        .auth_parameters("SRP_A", &big_a)
        .send()
        .await
        .map_err(|e| format!("{e:?}"))?;
    let p = out.challenge_parameters.unwrap_or_default();
    let ts = srp::format_timestamp(chrono::Utc::now());
    let (pool_name, ts2) = (srp::pool_name(pool_id).to_string(), ts.clone());
    let challenge = p.clone();
    let sig = tokio::task::spawn_blocking(move || {
        let user_id = &challenge["USER_ID_FOR_SRP"];
        srp::client::claim(
            &pool_name,
            user_id,
            PASSWORD,
            (&a, &big_a),
            &challenge,
            &ts2,
        )
    })
    .await
    .unwrap();
    c.respond_to_auth_challenge()
        .client_id(client_id)
        .challenge_name(idp::types::ChallengeNameType::PasswordVerifier)
        .challenge_responses("USERNAME", &p["USER_ID_FOR_SRP"])
        .challenge_responses("PASSWORD_CLAIM_SECRET_BLOCK", &p["SECRET_BLOCK"])
        .challenge_responses("PASSWORD_CLAIM_SIGNATURE", sig)
        .challenge_responses("TIMESTAMP", ts)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| format!("{e:?}"))
}
