//! `--server BIN`: per-core figures. Starts the release binary BIN pinned to core 0, pins
//! the bench to core 1, drives the server over keep-alive connections with pre-built
//! requests, and prints one Markdown table: ops/s, p50/p99/p999, the server's CPU time per
//! operation (utime + stime from /proc/PID/stat) and, at the end, its start-up time and peak
//! RSS (VmHWM).

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::server::{self, Server};
use crate::wire::{Conn, Requests};

const PASSWORD: &str = "Bench-passw0rd!";

pub struct Options {
    pub bin: String,
    pub connections: usize,
    /// Operations of the rows that hash a password (sign-up, sign-in).
    pub slow: usize,
    /// Operations of the other rows.
    pub fast: usize,
    pub database_url: Option<String>,
    /// Users to bulk-load for the ListUsers rows of a large pool, if any.
    pub list_users: Option<usize>,
    /// Only the rows whose name contains this (sign-up and sign-in run anyway, as set-up), to
    /// profile one row at a time.
    pub only: Option<String>,
    /// Sync WebSockets of the push fan-out rows.
    pub ws_devices: usize,
}

type OpResult = (Conn, Result<(), String>);
pub(crate) type Op =
    Arc<dyn Fn(Conn, usize) -> Pin<Box<dyn Future<Output = OpResult> + Send>> + Send + Sync>;

/// One row of the table.
pub struct Row {
    pub name: String,
    pub ops: usize,
    pub seconds: f64,
    pub latencies: Vec<Duration>,
    pub cpu_seconds: f64,
    pub errors: usize,
    /// The server's peak RSS during this row alone (VmHWM, reset before the row).
    pub peak_mib: Option<f64>,
}

impl Row {
    pub(crate) fn markdown(&self) -> String {
        let pct = |p: f64| {
            let l = &self.latencies;
            l[((l.len() as f64 * p) as usize).min(l.len() - 1)]
        };
        let ms = |d: Duration| format_ms(d.as_secs_f64() * 1000.0);
        let peak = self.peak_mib.map_or("?".into(), |m| format!("{m:.1} MiB"));
        format!(
            "| {} | {:.0} | {} | {} | {} | {} | {} | {peak} |",
            self.name,
            self.ops as f64 / self.seconds,
            ms(pct(0.50)),
            ms(pct(0.99)),
            ms(pct(0.999)),
            format_ms(self.cpu_seconds * 1000.0 / self.ops as f64),
            self.errors
        )
    }
}

pub(crate) fn format_ms(ms: f64) -> String {
    match ms {
        m if m < 1.0 => format!("{:.0} µs", m * 1000.0),
        m if m < 10.0 => format!("{m:.2} ms"),
        m => format!("{m:.1} ms"),
    }
}

/// Runs `op` `count` times over `connections` fresh keep-alive connections, each sending
/// its next request as soon as the last is answered.
pub(crate) async fn drive(
    server: &Server,
    name: &str,
    connections: usize,
    count: usize,
    op: Op,
) -> Row {
    drive_paced(server, name, connections, count, op, None).await
}

/// [`drive`], with each connection sending at most one request per `pace` when given (an
/// offered load of `connections / pace` per second, whatever the server's speed).
pub(crate) async fn drive_paced(
    server: &Server,
    name: &str,
    connections: usize,
    count: usize,
    op: Op,
    pace: Option<Duration>,
) -> Row {
    let mut conns = Vec::with_capacity(connections);
    for _ in 0..connections {
        conns.push(Conn::open(&server.addr).await.expect("connects"));
    }
    let ticks = server::clock_ticks();
    server::reset_peak_rss(server.pid());
    let next = Arc::new(AtomicUsize::new(0));
    let cpu_before = server::cpu_seconds(server.pid(), ticks);
    let start = Instant::now();
    let tasks: Vec<_> = conns
        .into_iter()
        .enumerate()
        .map(|(j, conn)| {
            let (next, op) = (next.clone(), op.clone());
            // Paced connections start spread over one pace, so that requests arrive evenly
            // rather than all connections at once in bursts that queue behind each other.
            let offset = pace.map_or(Duration::ZERO, |p| p * j as u32 / connections as u32);
            tokio::spawn(async move {
                let mut conn = conn;
                let mut out = Vec::new();
                let mut due = tokio::time::Instant::now() + offset;
                loop {
                    if let Some(pace) = pace {
                        tokio::time::sleep_until(due).await;
                        due += pace;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        return out;
                    }
                    let t = Instant::now();
                    let (c, r) = op(conn, i).await;
                    conn = c;
                    out.push((t.elapsed(), r));
                }
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(count);
    let mut errors = 0;
    for t in tasks {
        for (d, r) in t.await.unwrap() {
            if let Err(e) = r {
                if errors == 0 {
                    eprintln!("{name}: first error: {e}");
                }
                errors += 1;
            }
            latencies.push(d);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let cpu_seconds = server::cpu_seconds(server.pid(), ticks) - cpu_before;
    latencies.sort();
    let row = Row {
        name: name.to_string(),
        ops: count,
        seconds,
        latencies,
        cpu_seconds,
        errors,
        peak_mib: server::peak_rss_mib(server.pid()),
    };
    eprintln!("{}", row.markdown());
    row
}

/// An operation that sends one request built from the operation's index.
pub(crate) fn simple(build: impl Fn(usize) -> Vec<u8> + Send + Sync + 'static) -> Op {
    let build = Arc::new(build);
    Arc::new(move |mut conn: Conn, i| {
        let request = build(i);
        Box::pin(async move {
            let r = conn.call(&request).await.and_then(|r| r.ok()).map(|_| ());
            (conn, r)
        })
    })
}

/// One call outside any measurement, for set-up.
pub(crate) async fn call(server: &Server, request: &[u8]) -> Value {
    let mut conn = Conn::open(&server.addr).await.unwrap();
    conn.call(request)
        .await
        .and_then(|r| r.ok())
        .and_then(|r| r.json())
        .unwrap()
}

pub async fn run(opts: Options) {
    server::pin_self("1");
    let dir = tempfile::tempdir().unwrap();
    let database_url = opts
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}/bench.db", dir.path().display()));
    let server = Server::start(&opts.bin, &database_url, dir.path(), Some("0")).await;
    let rq = Requests {
        addr: server.addr.clone(),
    };
    let pool_id = call(
        &server,
        &rq.idp("CreateUserPool", &json!({"PoolName": "bench"}), true),
    )
    .await["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_string();
    let client_id = call(
        &server,
        &rq.idp(
            "CreateUserPoolClient",
            &json!({"UserPoolId": pool_id, "ClientName": "bench", "ExplicitAuthFlows":
                ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]}),
            true,
        ),
    )
    .await["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_string();
    println!(
        "per-core bench: server pinned to core 0, bench to core 1, {} connections, {} / {} operations, {}",
        opts.connections,
        opts.slow,
        opts.fast,
        database_url.split(':').next().unwrap_or_default()
    );
    let (k, slow, fast) = (opts.connections, opts.slow, opts.fast);
    let mut rows = Vec::new();
    let user = |i: usize| format!("user{i}");

    let (r, c) = (rq.clone(), client_id.clone());
    rows.push(
        drive(
            &server,
            "SignUp",
            k,
            slow,
            simple(move |i| {
                r.idp(
                    "SignUp",
                    &json!({"ClientId": c, "Username": user(i), "Password": PASSWORD,
                "UserAttributes": [{"Name": "email", "Value": format!("user{i}@example.com")}]}),
                    false,
                )
            }),
        )
        .await,
    );
    let (r, p) = (rq.clone(), pool_id.clone());
    drive(
        &server,
        "(AdminConfirmSignUp, set-up)",
        k,
        slow,
        simple(move |i| {
            r.idp(
                "AdminConfirmSignUp",
                &json!({"UserPoolId": p, "Username": user(i)}),
                true,
            )
        }),
    )
    .await;

    // Password sign-ins, keeping each user's tokens for the refresh and GetUser rows.
    let tokens: Arc<std::sync::Mutex<Vec<(String, String)>>> = Default::default();
    let (r, c, t) = (rq.clone(), client_id.clone(), tokens.clone());
    let sign_in: Op = Arc::new(move |mut conn: Conn, i| {
        let request = r.idp(
            "InitiateAuth",
            &json!({"ClientId": c, "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": user(i), "PASSWORD": PASSWORD}}),
            false,
        );
        let t = t.clone();
        Box::pin(async move {
            let r = conn
                .call(&request)
                .await
                .and_then(|r| r.ok())
                .and_then(|r| r.json());
            let r = r.map(|v| {
                let a = &v["AuthenticationResult"];
                let s = |k: &str| a[k].as_str().unwrap_or_default().to_string();
                t.lock()
                    .unwrap()
                    .push((s("AccessToken"), s("RefreshToken")));
            });
            (conn, r)
        })
    });
    rows.push(drive(&server, "USER_PASSWORD_AUTH", k, slow, sign_in).await);
    let tokens = Arc::new(std::mem::take(&mut *tokens.lock().unwrap()));
    assert!(!tokens.is_empty(), "no sign-in succeeded");

    let want = |name: &str| opts.only.as_deref().is_none_or(|o| name.contains(o));
    if want("USER_SRP_AUTH") {
        rows.push(
            drive(
                &server,
                "USER_SRP_AUTH + PASSWORD_VERIFIER",
                k,
                slow,
                srp(&rq, &pool_id, &client_id),
            )
            .await,
        );
    }

    let (r, c, t) = (rq.clone(), client_id.clone(), tokens.clone());
    if want("REFRESH_TOKEN_AUTH") {
        rows.push(
            drive(
                &server,
                "REFRESH_TOKEN_AUTH",
                k,
                fast / 4,
                simple(move |i| {
                    r.idp(
                        "InitiateAuth",
                        &json!({"ClientId": c, "AuthFlow": "REFRESH_TOKEN_AUTH",
                "AuthParameters": {"REFRESH_TOKEN": t[i % t.len()].1}}),
                        false,
                    )
                }),
            )
            .await,
        );
    }
    let (r, t) = (rq.clone(), tokens.clone());
    if want("GetUser") {
        rows.push(
            drive(
                &server,
                "GetUser",
                k,
                fast,
                simple(move |i| r.idp("GetUser", &json!({"AccessToken": t[i % t.len()].0}), false)),
            )
            .await,
        );
    }
    let (r, p) = (rq.clone(), pool_id.clone());
    if want("ListUsers, exact filter") {
        rows.push(
            drive(
                &server,
                "ListUsers, exact filter",
                k,
                fast,
                simple(move |i| {
                    r.idp(
                        "ListUsers",
                        &json!({"UserPoolId": p, "Limit": 60,
                "Filter": format!("email = \"user{}@example.com\"", i % slow)}),
                        true,
                    )
                }),
            )
            .await,
        );
    }
    let (r, path) = (rq.clone(), format!("/{pool_id}/.well-known/jwks.json"));
    if want("JWKS document") {
        rows.push(
            drive(
                &server,
                "JWKS document",
                k,
                fast * 2,
                simple(move |_| r.get(&path)),
            )
            .await,
        );
    }
    let (r, path) = (
        rq.clone(),
        format!("/{pool_id}/.well-known/openid-configuration"),
    );
    if want("OIDC discovery document") {
        rows.push(
            drive(
                &server,
                "OIDC discovery document",
                k,
                fast * 2,
                simple(move |_| r.get(&path)),
            )
            .await,
        );
    }

    let ids = (pool_id.as_str(), client_id.as_str());
    let sizes = (k, slow, fast / 4);
    rows.extend(crate::identity::rows(&server, &rq, ids, sizes, want).await);
    let refresh = tokens.iter().map(|t| t.1.clone()).collect();
    rows.extend(crate::oauth2::rows(&server, &rq, ids, refresh, (k, fast / 4), want).await);
    rows.extend(crate::sync::rows(&server, &rq, (k, fast / 4), want).await);
    let push = (k, opts.ws_devices, fast / 4);
    rows.extend(crate::push::rows(&server, &rq, push, want).await);

    if let Some(n) = opts.list_users {
        // A pool of its own, so that the loaded names do not meet the signed-up users'.
        let create = rq.idp("CreateUserPool", &json!({"PoolName": "large"}), true);
        let pool_id = call(&server, &create).await["UserPool"]["Id"]
            .as_str()
            .unwrap()
            .to_string();
        let start = Instant::now();
        crate::list_users::seed(&database_url, &pool_id, n).await;
        println!(
            "bulk-loaded {n} users in {:.1} s",
            start.elapsed().as_secs_f64()
        );
        rows.extend(crate::list_users::large_pool(&server, &rq, &pool_id, n, k, fast / 10).await);
    }

    println!();
    println!("| operation | ops/s | p50 | p99 | p999 | server CPU per op | errors | peak RSS |");
    println!("|---|---|---|---|---|---|---|---|");
    for row in &rows {
        println!("{}", row.markdown());
    }
    println!(
        "| start to first answer (this run's server) | {} | | | | | | |",
        format_ms(server.startup.as_secs_f64() * 1000.0)
    );
    let peak = server::peak_rss_mib(server.pid());
    let resident = server::resident_mib(server.pid());
    server.stop();
    if opts.database_url.is_none() {
        for line in starts(&opts.bin).await {
            println!("{line}");
        }
    }
    match peak {
        Some(mib) => {
            println!("| peak memory of the whole run (VmHWM) | {mib:.1} MiB | | | | | | |")
        }
        None => println!("| peak memory | unknown | | | | | | |"),
    }
    if let Some((anon, file)) = resident {
        println!(
            "| resident at the end: private (RssAnon) / mapped files, the binary's code (RssFile) | {anon:.1} MiB / {file:.1} MiB | | | | | | |"
        );
    }
    println!();
    println!("| the cryptography alone, on the bench's core | cost |");
    println!("|---|---|");
    for line in crate::floor::lines() {
        println!("{line}");
    }
}

/// Start-up time as a median of five starts, rather than the one start of the run's server:
/// on a fresh SQLite database (every migration runs), then five restarts on that database.
async fn starts(bin: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    for (what, fresh) in [("a fresh database", true), ("an existing database", false)] {
        let mut times = Vec::new();
        for i in 0..5 {
            let url = match fresh {
                true => format!("sqlite://{}/start-{i}.db", dir.path().display()),
                false => format!("sqlite://{}/start-0.db", dir.path().display()),
            };
            let server = Server::start(bin, &url, dir.path(), Some("0")).await;
            times.push(server.startup);
            server.stop();
        }
        times.sort();
        let ms = |d: Duration| format_ms(d.as_secs_f64() * 1000.0);
        lines.push(format!(
            "| start to first answer, {what} (median of 5; fastest, slowest) | {} ({}, {}) | | | | | | |",
            ms(times[2]),
            ms(times[0]),
            ms(times[4])
        ));
    }
    lines
}

/// USER_SRP_AUTH then PASSWORD_VERIFIER, the client's side computed as the JS library does.
fn srp(rq: &Requests, pool_id: &str, client_id: &str) -> Op {
    use cognate::service::kernel::srp as s;
    let (rq, pool_name, client_id) = (
        rq.clone(),
        s::pool_name(pool_id).to_string(),
        client_id.to_string(),
    );
    Arc::new(move |mut conn: Conn, i| {
        let (rq, pool_name, client_id) = (rq.clone(), pool_name.clone(), client_id.clone());
        Box::pin(async move {
            let result = async {
                let (a, big_a) = tokio::task::spawn_blocking(s::client::ephemeral).await.unwrap();
                let first = rq.idp("InitiateAuth", &json!({"ClientId": client_id, "AuthFlow": "USER_SRP_AUTH",
                    "AuthParameters": {"USERNAME": format!("user{i}"), "SRP_A": big_a}}), false);
                let reply = conn.call(&first).await?.ok()?.json()?;
                let p: std::collections::HashMap<String, String> =
                    serde_json::from_value(reply["ChallengeParameters"].clone()).map_err(|e| e.to_string())?;
                let ts = s::format_timestamp(chrono::Utc::now());
                let (p2, ts2, big_a2) = (p.clone(), ts.clone(), big_a.clone());
                let sig = tokio::task::spawn_blocking(move || {
                    s::client::claim(&pool_name, &p2["USER_ID_FOR_SRP"], PASSWORD, (&a, &big_a2), &p2, &ts2)
                })
                .await
                .unwrap();
                let second = rq.idp("RespondToAuthChallenge", &json!({"ClientId": client_id,
                    "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": {
                        "USERNAME": p["USER_ID_FOR_SRP"], "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
                        "PASSWORD_CLAIM_SIGNATURE": sig, "TIMESTAMP": ts}}), false);
                conn.call(&second).await?.ok().map(|_| ())
            }
            .await;
            (conn, result)
        })
    })
}
