//! The server under test for the per-core bench: a `cognate` binary started pinned to one
//! core, and what `/proc` says about it (CPU time, peak RSS).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    pub addr: String,
    /// From spawning the process to its first answer on `/health`.
    pub startup: Duration,
}

impl Server {
    /// Starts `bin` on a free loopback port with `database_url`, pinned to `core` when given,
    /// its files (the local master key) in `dir`.
    pub async fn start(
        bin: &str,
        database_url: &str,
        dir: &std::path::Path,
        core: Option<&str>,
    ) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        // The server runs in `dir`: a relative path must not be read from there.
        let bin = std::fs::canonicalize(bin).expect("the server binary exists");
        let bin = bin.to_str().expect("a UTF-8 path");
        let mut cmd = match core {
            Some(core) => {
                let mut c = Command::new("taskset");
                c.args(["-c", core, bin]);
                c
            }
            None => Command::new(bin),
        };
        let log_name = format!("server-{port}.log");
        let log = std::fs::File::create(dir.join(&log_name)).unwrap();
        let start = Instant::now();
        let child = cmd
            .current_dir(dir)
            .env("COGNATE_LISTEN", &addr)
            .env("COGNATE_DATABASE_URL", database_url)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("the server binary starts");
        let health = format!("GET /health HTTP/1.1\r\nHost: {addr}\r\n\r\n").into_bytes();
        loop {
            if let Ok(mut conn) = super::wire::Conn::open(&addr).await {
                if let Ok(r) = conn.call(&health).await {
                    if r.status == 200 {
                        break;
                    }
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the server did not answer in 30 s (see {}/{log_name})",
                dir.display()
            );
            tokio::time::sleep(Duration::from_micros(500)).await;
        }
        Server {
            startup: start.elapsed(),
            addr,
            child,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Clock ticks per second of `/proc/PID/stat`'s times.
pub fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// The process's CPU time so far (utime + stime, every thread, living or gone), in seconds.
pub fn cpu_seconds(pid: u32, ticks: f64) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which ends with the last ')': state is field 3, utime 14.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let field = |n: usize| {
        fields
            .get(n - 3)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (field(14) + field(15)) / ticks
}

/// `/proc/PID/status`, read once for the fields wanted.
fn status(pid: u32) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{pid}/status")).ok()
}

/// The kB field `name` (such as `VmHWM:`) of a `/proc/PID/status` text, in MiB.
fn field_mib(status: &str, name: &str) -> Option<f64> {
    let line = status.lines().find(|l| l.starts_with(name))?;
    Some(line.split_whitespace().nth(1)?.parse::<f64>().ok()? / 1024.0)
}

/// Peak resident memory (VmHWM) of `pid`, in MiB.
pub fn peak_rss_mib(pid: u32) -> Option<f64> {
    field_mib(&status(pid)?, "VmHWM:")
}

/// What `pid` has resident now, in MiB: its private memory (RssAnon) and its pages of
/// mapped files (RssFile: the executable's code and read-only data, shared and reclaimable).
pub fn resident_mib(pid: u32) -> Option<(f64, f64)> {
    let status = status(pid)?;
    Some((
        field_mib(&status, "RssAnon:")?,
        field_mib(&status, "RssFile:")?,
    ))
}

/// Starts `pid`'s peak RSS afresh from its current RSS (`5` to /proc/PID/clear_refs), so
/// that the next reading is the peak of what ran since.
pub fn reset_peak_rss(pid: u32) {
    let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
}

/// Pins this process (every thread of it) to `core`.
pub fn pin_self(core: &str) {
    let pid = std::process::id().to_string();
    let ok = Command::new("taskset")
        .args(["-a", "-p", "-c", core, &pid])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("could not pin the bench to core {core}");
    }
}
