//! Per-core rows for push fan-out over the sync WebSocket (`/_cognate/sync/ws`, presigned
//! SigV4 URLs): `devices` sockets, two per guest identity (a phone and a laptop, both
//! registered and subscribed to the identity's "notes"); each write (UpdateRecords from the
//! phone, its DeviceId given) is pushed to the identity's laptop and not back to the phone.
//! Reported: the writes, and the time from sending each write to its SyncTrigger arriving.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::percore::{drive, Op, Row};
use crate::server::{self, Server};
use crate::sync::{guest, json as call_json, Identity};
use crate::wire::{Conn, Requests};

/// One identity: its devices, session token, record sync count, and when each write went.
struct Person {
    identity: Identity,
    phone: String,
    laptop: String,
    token: String,
    count: i64,
}

/// The set-up of one identity over `conn`: credentials, two devices, their subscriptions.
async fn person(conn: &mut Conn, rq: &Requests, pool: &str) -> Result<Person, String> {
    let identity = guest(conn, rq, pool).await?;
    let mut devices = Vec::new();
    for token in ["phone", "laptop"] {
        let path = format!("/identitypools/{}/identity/{}/device", pool, identity.id);
        let body = json!({"Platform": "GCM", "Token": format!("{token}-{}", identity.id)});
        let got = call_json(conn, &identity.request("POST", &path, &body.to_string())).await?;
        let device = got["DeviceId"].as_str().ok_or("no DeviceId")?.to_string();
        let path = identity.dataset("notes", &format!("/subscriptions/{device}"));
        call_json(conn, &identity.request("POST", &path, "")).await?;
        devices.push(device);
    }
    let listed = call_json(conn, &identity.list_records("notes")).await?;
    let token = listed["SyncSessionToken"]
        .as_str()
        .ok_or("no token")?
        .to_string();
    let laptop = devices.pop().unwrap();
    Ok(Person {
        identity,
        phone: devices.pop().unwrap(),
        laptop,
        token,
        count: 0,
    })
}

/// The soft limit of open files of this process (the server, its child, inherits it).
fn open_files_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

pub async fn rows(
    server: &Server,
    rq: &Requests,
    (k, devices, writes): (usize, usize, usize),
    want: impl Fn(&str) -> bool,
) -> Vec<Row> {
    let (write_row, receipt_row) = (
        format!("push: UpdateRecords, {devices} sockets"),
        format!("push: write to receipt, {devices} sockets"),
    );
    if !want(&write_row) && !want(&receipt_row) {
        return Vec::new();
    }
    if let Some(limit) = open_files_limit() {
        // Each socket is a descriptor here and one in the server.
        assert!(
            limit > devices + 256,
            "raise `ulimit -n` above {} (it is {limit})",
            devices + 256
        );
    }
    let pool = crate::sync::pool(server, rq).await;
    let people = devices.div_ceil(2);
    let next = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..k)
        .map(|_| {
            let (next, rq, pool, addr) =
                (next.clone(), rq.clone(), pool.clone(), server.addr.clone());
            tokio::spawn(async move {
                let mut conn = Conn::open(&addr).await.unwrap();
                let mut out = Vec::new();
                while next.fetch_add(1, Ordering::Relaxed) < people {
                    out.push(person(&mut conn, &rq, &pool).await.expect("push set-up"));
                }
                out
            })
        })
        .collect();
    let mut everyone = Vec::new();
    for t in tasks {
        everyone.extend(t.await.unwrap());
    }
    // When each write of each person was sent, by sync count; receipts measured against it.
    let sent: Arc<Vec<Mutex<Vec<Instant>>>> =
        Arc::new((0..people).map(|_| Mutex::new(Vec::new())).collect());
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(writes)));
    let (stray, received) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut sockets = Vec::new();
    for (j, p) in everyone.iter().enumerate() {
        for (device, listens) in [(&p.phone, false), (&p.laptop, true)] {
            let url = p.identity.websocket_url(device);
            let (socket, _) = tokio_tungstenite::connect_async(url)
                .await
                .expect("the socket opens");
            let (sent, latencies, stray, received) = (
                sent.clone(),
                latencies.clone(),
                stray.clone(),
                received.clone(),
            );
            sockets.push(tokio::spawn(async move {
                let (_write, mut read) = socket.split();
                while let Some(Ok(message)) = read.next().await {
                    let Message::Text(text) = message else {
                        continue;
                    };
                    let at = Instant::now();
                    let v: Value = serde_json::from_str(&text).unwrap_or_default();
                    let n = v["data"]["syncCount"].as_i64().unwrap_or(0) as usize;
                    let start = sent[j].lock().unwrap().get(n.wrapping_sub(1)).copied();
                    match (listens, start) {
                        (true, Some(t)) => latencies.lock().unwrap().push(at - t),
                        _ => {
                            stray.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    received.fetch_add(1, Ordering::Relaxed);
                }
            }));
        }
    }
    let ticks = server::clock_ticks();
    let cpu_before = server::cpu_seconds(server.pid(), ticks);
    let start = Instant::now();
    let idle = Arc::new(Mutex::new(
        everyone.into_iter().enumerate().collect::<VecDeque<_>>(),
    ));
    let write = drive(server, &write_row, k, writes, writer(idle, sent)).await;
    let wait = Instant::now();
    while received.load(Ordering::Relaxed) < writes - write.errors
        && wait.elapsed() < Duration::from_secs(10)
    {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let seconds = start.elapsed().as_secs_f64();
    let cpu_seconds = server::cpu_seconds(server.pid(), ticks) - cpu_before;
    for s in &sockets {
        s.abort();
    }
    let mut latencies = std::mem::take(&mut *latencies.lock().unwrap());
    latencies.sort();
    let delivered = latencies.len();
    let missing = (writes - write.errors).saturating_sub(delivered);
    eprintln!(
        "{receipt_row}: {delivered} delivered, {missing} missing, {} stray",
        stray.load(Ordering::Relaxed)
    );
    let receipt = Row {
        name: receipt_row,
        ops: delivered.max(1),
        seconds,
        latencies: if latencies.is_empty() {
            vec![Duration::ZERO]
        } else {
            latencies
        },
        cpu_seconds,
        errors: missing + stray.load(Ordering::Relaxed),
        peak_mib: write.peak_mib,
    };
    let mut rows = vec![];
    if want(&write.name) {
        rows.push(write);
    }
    if want(&receipt.name) {
        rows.push(receipt);
    }
    rows
}

/// UpdateRecords from an idle person's phone, over its record's sync count; the send time
/// kept first, as the push may arrive before the reply.
fn writer(idle: Arc<Mutex<VecDeque<(usize, Person)>>>, sent: Arc<Vec<Mutex<Vec<Instant>>>>) -> Op {
    Arc::new(move |mut conn: Conn, _| {
        let (idle, sent) = (idle.clone(), sent.clone());
        Box::pin(async move {
            let (j, mut p) = idle.lock().unwrap().pop_front().expect("an idle identity");
            let request = p
                .identity
                .update("notes", &p.token, "title", p.count, Some(&p.phone));
            sent[j].lock().unwrap().push(Instant::now());
            let r = call_json(&mut conn, &request).await.and_then(|v| {
                let c = v["Records"][0]["SyncCount"]
                    .as_i64()
                    .ok_or("no SyncCount")?;
                if c != sent[j].lock().unwrap().len() as i64 {
                    return Err(format!("sync count {c} after {} writes", p.count));
                }
                p.count = c;
                Ok(())
            });
            idle.lock().unwrap().push_back((j, p));
            (conn, r)
        })
    })
}
