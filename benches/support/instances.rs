//! `--two-instances`: two Cognate instances on one PostgreSQL, each pinned to a core of its
//! own. The same offered load (REFRESH_TOKEN_AUTH and GetUser, alternating, paced so neither
//! core saturates) is sent first to instance A alone, then to A and B at once; the table
//! compares each instance's CPU time per operation and latency with A's alone, and counts
//! the samples of `pg_stat_activity` in which a Cognate connection waited on a lock.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use sqlx::Connection;

use crate::percore::{call, drive_paced, simple, Row};
use crate::server::{pin_self, Server};
use crate::wire::Requests;

const PASSWORD: &str = "Bench-passw0rd!";
/// Users per instance, and connections per instance.
const USERS: usize = 32;
const CONNECTIONS: usize = 16;

pub struct Options {
    pub bin: String,
    pub database_url: String,
    /// Operations per instance and phase.
    pub count: usize,
    /// Offered load per instance, in operations per second.
    pub rate: f64,
}

/// Signs up, confirms and signs in `users` users named `{prefix}{i}`; their access and
/// refresh tokens.
async fn tokens(server: &Server, ids: (&str, &str), prefix: &str) -> Vec<(String, String)> {
    let (pool_id, client_id) = ids;
    let rq = Requests {
        addr: server.addr.clone(),
    };
    let mut out = Vec::new();
    for i in 0..USERS {
        let name = format!("{prefix}{i}");
        let body = json!({"ClientId": client_id, "Username": name, "Password": PASSWORD});
        call(server, &rq.idp("SignUp", &body, false)).await;
        let body = json!({"UserPoolId": pool_id, "Username": name});
        call(server, &rq.idp("AdminConfirmSignUp", &body, true)).await;
        let body = json!({"ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD}});
        let reply = call(server, &rq.idp("InitiateAuth", &body, false)).await;
        let result = &reply["AuthenticationResult"];
        let s = |k: &str| result[k].as_str().unwrap().to_string();
        out.push((s("AccessToken"), s("RefreshToken")));
    }
    out
}

/// REFRESH_TOKEN_AUTH and GetUser, alternating, over `tokens`, at `opts.rate` per second.
async fn mixed(
    server: &Server,
    name: &str,
    client_id: &str,
    tokens: Arc<Vec<(String, String)>>,
    opts: &Options,
) -> Row {
    let rq = Requests {
        addr: server.addr.clone(),
    };
    let client_id = client_id.to_string();
    let op = simple(move |i| {
        let (access, refresh) = &tokens[(i / 2) % tokens.len()];
        if i % 2 == 0 {
            let params = json!({"REFRESH_TOKEN": refresh});
            let body = json!({"ClientId": client_id, "AuthFlow": "REFRESH_TOKEN_AUTH",
                "AuthParameters": params});
            rq.idp("InitiateAuth", &body, false)
        } else {
            rq.idp("GetUser", &json!({"AccessToken": access}), false)
        }
    });
    let pace = Duration::from_secs_f64(CONNECTIONS as f64 / opts.rate);
    let waited = run_queue_seconds(server.pid());
    let row = drive_paced(server, name, CONNECTIONS, opts.count, op, Some(pace)).await;
    let waited = run_queue_seconds(server.pid()) - waited;
    println!(
        "- {name}: its threads waited {} per operation for a core (run queue, /proc/PID/task/*/schedstat)",
        crate::percore::format_ms(waited * 1000.0 / row.ops as f64)
    );
    row
}

/// Time the threads of `pid` alive now have spent runnable but waiting for a core, in
/// seconds (the second field of each thread's schedstat, in nanoseconds).
fn run_queue_seconds(pid: u32) -> f64 {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return 0.0;
    };
    let ns: u64 = tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .sum();
    ns as f64 / 1e9
}

/// Samples `pg_stat_activity` every 5 ms until `stop`: how many samples saw a backend of
/// this database waiting on a heavyweight lock, and how many samples were taken.
fn lock_watch(
    database_url: &str,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<(usize, usize)> {
    let url = database_url.to_string();
    tokio::spawn(async move {
        let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
        let (mut waiting, mut samples) = (0, 0);
        while !stop.load(Ordering::Relaxed) {
            let n: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_stat_activity \
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
            .fetch_one(&mut conn)
            .await
            .unwrap();
            samples += 1;
            waiting += usize::from(n > 0);
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        (waiting, samples)
    })
}

pub async fn run(opts: Options) {
    assert!(
        opts.database_url.starts_with("postgres"),
        "--two-instances needs COGNATE_BENCH_DATABASE_URL=postgres://..."
    );
    // Both cores run servers; the bench and PostgreSQL share them.
    pin_self("0,1");
    // One folder for both: B must seal and unseal with A's local master key.
    let dir = tempfile::tempdir().unwrap();
    let a = Server::start(&opts.bin, &opts.database_url, dir.path(), Some("0")).await;
    let rq = Requests {
        addr: a.addr.clone(),
    };
    let create = rq.idp("CreateUserPool", &json!({"PoolName": "two"}), true);
    let pool = call(&a, &create).await["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"UserPoolId": pool, "ClientName": "two", "ExplicitAuthFlows":
        ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]});
    let client = call(&a, &rq.idp("CreateUserPoolClient", &body, true)).await["UserPoolClient"]
        ["ClientId"]
        .as_str()
        .unwrap()
        .to_string();
    let ids = (pool.as_str(), client.as_str());
    let tokens_a = Arc::new(tokens(&a, ids, "a").await);
    println!(
        "two instances on one PostgreSQL: {CONNECTIONS} connections each, {:.0} operations/s offered to each, {} operations per instance and phase",
        opts.rate, opts.count
    );

    let watch = |stop: &Arc<AtomicBool>| lock_watch(&opts.database_url, stop.clone());
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = watch(&stop);
    let alone = mixed(&a, "A alone", &client, tokens_a.clone(), &opts).await;
    stop.store(true, Ordering::Relaxed);
    let (alone_waits, alone_samples) = watcher.await.unwrap();

    let b = Server::start(&opts.bin, &opts.database_url, dir.path(), Some("1")).await;
    let tokens_b = Arc::new(tokens(&b, ids, "b").await);
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = watch(&stop);
    let (with_a, with_b) = tokio::join!(
        mixed(&a, "A beside B", &client, tokens_a.clone(), &opts),
        mixed(&b, "B beside A", &client, tokens_b, &opts),
    );
    stop.store(true, Ordering::Relaxed);
    let (both_waits, both_samples) = watcher.await.unwrap();

    println!();
    println!("| instance | ops/s | p50 | p99 | p999 | server CPU per op | errors | peak RSS |");
    println!("|---|---|---|---|---|---|---|---|");
    for row in [&alone, &with_a, &with_b] {
        println!("{}", row.markdown());
    }
    let per_op = |r: &Row| r.cpu_seconds / r.ops as f64;
    let p99 = |r: &Row| r.latencies[(r.latencies.len() as f64 * 0.99) as usize].as_secs_f64();
    let pct = |x: f64, base: f64| (x / base - 1.0) * 100.0;
    println!();
    for row in [&with_a, &with_b] {
        println!(
            "- {}: CPU per op {:+.1} %, p99 {:+.1} % against A alone",
            row.name,
            pct(per_op(row), per_op(&alone)),
            pct(p99(row), p99(&alone))
        );
    }
    println!(
        "- lock waits in pg_stat_activity: {alone_waits} of {alone_samples} samples alone, {both_waits} of {both_samples} with both"
    );
    a.stop();
    b.stop();
}
