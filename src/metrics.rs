//! The Prometheus metrics: one registry per server, counted where each event happens once
//! (the request middleware, the sign-in actions, the lockout, message delivery) and the
//! gauges read when `/metrics` is scraped.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// `cognito-idp`, `cognito-identity`, `admin-rest`, `http`.
    pub surface: String,
    /// The AWS operation, or the route pattern with its method.
    pub operation: String,
    /// The reply's status class (`2xx`, `4xx`, `5xx`).
    pub status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LatencyLabels {
    pub surface: String,
    pub operation: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SignInLabels {
    /// The auth flow, or the challenge answered.
    pub flow: String,
    /// `tokens`, `challenge`, or the Cognito exception that refused it.
    pub outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CodeLabels {
    pub medium: String,
    pub purpose: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TriggerLabels {
    /// The event's triggerSource (`PreSignUp_SignUp`, `TokenGeneration_Authentication`, ...).
    pub source: String,
    /// `ok`, `function_error`, `unreachable` or `invalid_response`.
    pub outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PoolLabels {
    /// `in_use` or `idle`.
    pub state: String,
}

type Latency = Family<LatencyLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// What the server counts; cheap to share (every metric is an `Arc` inside).
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Latency,
    sign_ins: Family<SignInLabels, Counter>,
    lockouts: Counter,
    codes_sent: Family<CodeLabels, Counter>,
    trigger_invocations: Family<TriggerLabels, Counter>,
    trigger_failures: Family<TriggerLabels, Counter>,
    hash_queue: Gauge,
    hash_workers: Gauge,
    db_connections: Family<PoolLabels, Gauge>,
    sync_websockets: Gauge,
    sync_websockets_behind: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("cognate");
        let m = Metrics {
            requests: Family::default(),
            latency: Family::new_with_constructor(latency_histogram),
            sign_ins: Family::default(),
            lockouts: Counter::default(),
            codes_sent: Family::default(),
            trigger_invocations: Family::default(),
            trigger_failures: Family::default(),
            hash_queue: Gauge::default(),
            hash_workers: Gauge::default(),
            db_connections: Family::default(),
            sync_websockets: Gauge::default(),
            sync_websockets_behind: Counter::default(),
            registry: Registry::default(),
        };
        registry.register(
            "requests",
            "Requests served, by surface, operation and status class",
            m.requests.clone(),
        );
        registry.register(
            "request_duration_seconds",
            "Time to serve a request, by surface and operation",
            m.latency.clone(),
        );
        registry.register(
            "sign_ins",
            "Sign-in steps, by flow (or challenge) and outcome",
            m.sign_ins.clone(),
        );
        registry.register(
            "lockouts",
            "Failed sign-ins that locked a user out",
            m.lockouts.clone(),
        );
        registry.register(
            "codes_sent",
            "Messages with a code or link sent, by medium and purpose",
            m.codes_sent.clone(),
        );
        registry.register(
            "trigger_invocations",
            "Lambda trigger invocations, by trigger source and outcome",
            m.trigger_invocations.clone(),
        );
        registry.register(
            "trigger_failures",
            "Lambda trigger invocations that failed, by trigger source and outcome",
            m.trigger_failures.clone(),
        );
        registry.register(
            "hash_queue_depth",
            "Argon2/SRP jobs waiting for a hashing worker",
            m.hash_queue.clone(),
        );
        registry.register(
            "hash_workers",
            "Hashing worker threads",
            m.hash_workers.clone(),
        );
        registry.register(
            "db_connections",
            "Database pool connections, by state",
            m.db_connections.clone(),
        );
        registry.register(
            "sync_websockets",
            "Sync WebSockets open on this instance",
            m.sync_websockets.clone(),
        );
        registry.register(
            "sync_websockets_fell_behind",
            "Sync WebSockets closed (1013) because they fell behind the live feed",
            m.sync_websockets_behind.clone(),
        );
        Metrics { registry, ..m }
    }

    /// One request served.
    pub fn request(&self, surface: &str, operation: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                surface: surface.into(),
                operation: operation.into(),
                status: format!("{}xx", status / 100),
            })
            .inc();
        self.latency
            .get_or_create(&LatencyLabels {
                surface: surface.into(),
                operation: operation.into(),
            })
            .observe(seconds);
    }

    pub fn sign_in(&self, flow: &str, outcome: &str) {
        self.sign_ins
            .get_or_create(&SignInLabels {
                flow: flow.into(),
                outcome: outcome.into(),
            })
            .inc();
    }

    pub fn lockout(&self) {
        self.lockouts.inc();
    }

    pub fn code_sent(&self, medium: &str, purpose: &str) {
        self.codes_sent
            .get_or_create(&CodeLabels {
                medium: medium.into(),
                purpose: purpose.into(),
            })
            .inc();
    }

    /// One trigger invoked: `outcome` is `ok` or why it failed.
    pub fn trigger(&self, source: &str, outcome: &str) {
        let labels = TriggerLabels {
            source: source.into(),
            outcome: outcome.into(),
        };
        self.trigger_invocations.get_or_create(&labels).inc();
        if outcome != "ok" {
            self.trigger_failures.get_or_create(&labels).inc();
        }
    }

    /// The text exposition, with the gauges set to the values read now.
    pub fn render(&self, now: Gauges) -> String {
        self.hash_queue.set(now.hash_queue as i64);
        self.hash_workers.set(now.hash_workers as i64);
        let idle = now.db_idle.min(now.db_size);
        for (state, value) in [("in_use", now.db_size - idle), ("idle", idle)] {
            self.db_connections
                .get_or_create(&PoolLabels {
                    state: state.into(),
                })
                .set(value as i64);
        }
        self.sync_websockets.set(now.sync_websockets as i64);
        // The count lives with the sockets; the counter catches up with it at each scrape.
        self.sync_websockets_behind.inner().fetch_max(
            now.sync_websockets_behind,
            std::sync::atomic::Ordering::Relaxed,
        );
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// The values the gauges show, read at scrape time.
#[derive(Clone, Copy, Debug, Default)]
pub struct Gauges {
    pub hash_queue: usize,
    pub hash_workers: usize,
    pub db_size: u32,
    pub db_idle: u32,
    pub sync_websockets: usize,
    pub sync_websockets_behind: u64,
}
