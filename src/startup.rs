//! Builds the application: database, state, routes, and the bound listener.

use std::net::TcpListener;

use actix_web::dev::{Server, Service};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{web, App, HttpServer};
use tracing::Instrument;

use crate::config::Config;
use crate::http::aws::cors::Cors;
use crate::http::aws::quotas::RateLimits;
use crate::http::aws::sigv4::AdminAuth;
use crate::http::guard::LocalHosts;
use crate::sealing::Sealer;
use crate::service::directory::keys::KeyCache;
use crate::service::kernel::crypto::{self, Argon2Memory};
use crate::service::kernel::workers::Workers;
use crate::service::outbound::messaging::Delivery;
use crate::service::State;
use crate::store::Db;

pub struct Application {
    port: u16,
    public_url: String,
    server: Server,
    push: crate::service::push::Background,
}

impl Application {
    /// Connects to the database, migrates it, and binds the listener (port 0 picks one).
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        config.validate()?;
        let db = Db::connect(&config.database_url, sealer(&config)?).await?;
        crate::service::directory::sweep::start(db.clone(), config.sweep_interval_secs);
        let listener = TcpListener::bind(config.listen_addr()?)?;
        let addr = listener.local_addr()?;
        let public_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_string();
        let local_mode = config.local_mode();
        if local_mode {
            tracing::warn!(
                "local mode: no admin credentials are configured, so admin calls accept any \
                 well-formed SigV4 signature and the dev outbox is on; listening on loopback only"
            );
        }
        let state = web::Data::new(domain_state(&config, db, &public_url, local_mode).await?);
        if let Some(path) = &config.import {
            let report = import_file(&state, path, None).await?;
            tracing::info!(?report, "template imported");
        }
        crate::service::directory::import_jobs::start(state.clone().into_inner());
        let edge = Edge::new(&config, &public_url, local_mode);
        let push = crate::service::push::Background::start(state.clone().into_inner());
        let server = serve(listener, state, edge)?;
        tracing::info!(%addr, %public_url, "cognate listening");
        Ok(Application {
            port: addr.port(),
            public_url,
            server,
            push,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// Serves until SIGINT or SIGTERM, then drains in-flight requests and stops the push
    /// worker (what it has not delivered stays in the outbox for the next start).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = self.server.await;
        self.push.stop().await;
        served
    }
}

/// What the HTTP edge holds beside the domain's state: admin authentication, the Host guard,
/// the request-rate quotas and the CORS origins.
#[derive(Clone)]
struct Edge {
    auth: web::Data<AdminAuth>,
    hosts: web::Data<LocalHosts>,
    limits: web::Data<RateLimits>,
    cors: web::Data<Cors>,
    documents: web::Data<crate::http::wellknown::Documents>,
    /// The kernel send buffer of each connection, when configured.
    send_buffer: Option<usize>,
}

impl Edge {
    fn new(config: &Config, public_url: &str, local_mode: bool) -> Self {
        let hosts = LocalHosts::new(public_url);
        let quotas = config.quotas.in_force(local_mode);
        match &quotas {
            Some(rates) => tracing::info!(?rates, "request-rate quotas per instance"),
            None => tracing::info!("request-rate quotas are off"),
        }
        Edge {
            auth: web::Data::new(AdminAuth {
                credentials: config
                    .admin_access_key_id
                    .clone()
                    .zip(config.admin_secret_access_key.clone()),
                region: config.region.clone(),
                account_id: config.account_id.clone(),
                hosts: hosts.clone(),
            }),
            hosts: web::Data::new(hosts),
            limits: web::Data::new(RateLimits::new(quotas)),
            cors: web::Data::new(Cors::new(&config.cors_origins)),
            documents: web::Data::default(),
            send_buffer: config.http_send_buffer,
        }
    }
}

/// The master key's sealer: the configured key, or in local mode the key file in the data
/// folder, created on first start. `validate` has refused a missing key outside local mode.
pub fn sealer(config: &Config) -> anyhow::Result<Sealer> {
    match &config.master_key {
        Some(key) => Ok(Sealer::from_base64(key.expose())?),
        None if config.local_mode() => {
            let path = config.master_key_file();
            let sealer = Sealer::from_key_file(&path)?;
            tracing::info!(path = %path.display(), key = sealer.key_id(), "master key from the local key file");
            Ok(sealer)
        }
        None => anyhow::bail!("COGNATE_MASTER_KEY is required outside local mode"),
    }
}

/// `cognate rotate-master-key`: re-seals every sealed value under `new_key` (base64) in one
/// transaction. When the current key came from the local key file, the file then holds the
/// new key; otherwise the operator configures `COGNATE_MASTER_KEY` with it. Returns how many
/// values moved.
pub async fn rotate_master_key(config: &Config, new_key: &str) -> anyhow::Result<u64> {
    config.validate()?;
    let new = Sealer::from_base64(new_key)?;
    let db = Db::connect(&config.database_url, sealer(config)?).await?;
    // The new key is on disk before any value is sealed with it: should the process stop
    // between the commit and the rename, `master.key.new` still holds it.
    let key_file = config
        .master_key
        .is_none()
        .then(|| config.master_key_file());
    let staged = key_file.as_ref().map(|path| path.with_extension("key.new"));
    if let Some(staged) = &staged {
        Sealer::write_key_file(staged, new_key.trim())?;
    }
    let resealed = crate::store::sealed::reseal(&db, &new).await;
    db.close().await;
    let moved = match resealed {
        Ok(moved) => moved,
        Err(e) => {
            // Nothing moved: the staged key is of no use.
            if let Some(staged) = &staged {
                let _ = std::fs::remove_file(staged);
            }
            return Err(e.into());
        }
    };
    if let (Some(staged), Some(path)) = (staged, key_file) {
        std::fs::rename(&staged, &path).map_err(|e| {
            anyhow::anyhow!(
                "values are sealed under the new key, kept in {}; move it to {}: {e}",
                staged.display(),
                path.display()
            )
        })?;
    }
    Ok(moved)
}

/// The domain's state: the database, the senders, and the settings that shape replies.
async fn domain_state(
    config: &Config,
    db: Db,
    public_url: &str,
    local_mode: bool,
) -> anyhow::Result<State> {
    let delivery = Delivery::from_config(config)?;
    let argon2 = config.argon2;
    let dummy_password_hash = crypto::dummy_password_hash(argon2)?;
    let workers = match config.hash_workers {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let hashing = Workers::start("cognate-hash", workers, config.hash_queue, move || {
        Argon2Memory::for_params(argon2)
    })?;
    tracing::info!(workers, queue = config.hash_queue, "hashing workers");
    Ok(State {
        db,
        region: config.region.clone(),
        account_id: config.account_id.clone(),
        public_url: public_url.to_string(),
        local_mode,
        argon2,
        keys: KeyCache::default(),
        iam_warned: Default::default(),
        delivery,
        dummy_password_hash,
        hashing,
        triggers: crate::service::outbound::lambda::Invoker::from_config(config)?,
        push: crate::service::push::Push::new(crate::service::push::PushSettings {
            fcm_url: config.fcm_url.clone(),
            apns_url: config.apns_url.clone(),
            adm_url: config.adm_url.clone(),
            worker: config.push_worker,
            poll_ms: config.push_poll_ms,
            database_url: config.database_url.clone(),
            socket_queue: config.push_socket_queue,
        })?,
        sync_streams: std::sync::Arc::new(crate::service::outbound::streams::Streams::from_config(
            config,
        )?),
        aws_issuer: config.issuer_style == crate::config::IssuerStyle::Aws,
        metrics: Default::default(),
        audit_retention_days: config.audit_retention_days as i64,
        upstream: crate::service::outbound::upstream::Upstream::new(
            config.federation_urls.clone(),
        )?,
        import_wakeup: Default::default(),
    })
}

/// The HTTP server on `listener`, every route with the request-id, tracing and
/// security-header middleware.
fn serve(listener: TcpListener, state: web::Data<State>, edge: Edge) -> std::io::Result<Server> {
    let send_buffer = edge.send_buffer;
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(edge.auth.clone())
            .app_data(edge.hosts.clone())
            .app_data(edge.limits.clone())
            .app_data(edge.cors.clone())
            .app_data(edge.documents.clone())
            .wrap_fn(|req, srv| {
                let path = req.path().to_string();
                let request_id = uuid::Uuid::new_v4().to_string();
                let span = tracing::info_span!("request", id = %request_id, method = %req.method(), path = %req.path());
                let timer = crate::http::metrics::Timer::start(&req);
                let fut = srv.call(req);
                async move {
                    let mut res = fut.await?;
                    timer.finish(&res);
                    tracing::debug!(status = res.status().as_u16(), "reply");
                    crate::http::security_headers(&path, res.headers_mut());
                    if let Ok(v) = HeaderValue::from_str(&request_id) {
                        res.headers_mut().insert(HeaderName::from_static("x-amzn-requestid"), v);
                    }
                    Ok(res)
                }
                .instrument(span)
            })
            .configure(crate::http::routes)
    })
    .on_connect(move |connection, _| {
        let tcp = connection.downcast_ref::<actix_web::rt::net::TcpStream>();
        if let (Some(bytes), Some(tcp)) = (send_buffer, tcp) {
            if let Err(e) = socket2::SockRef::from(tcp).set_send_buffer_size(bytes) {
                tracing::warn!(error = %e, "cannot set a connection's send buffer");
            }
        }
    })
    .listen(listener)?
    // Longer than SDK connection pools keep idle connections (90 s), so that a client never
    // reuses a connection the server has just closed.
    .keep_alive(std::time::Duration::from_secs(120))
    .shutdown_timeout(10)
    .run())
}

/// The stack name of a template file: its name without the extension, unless one is given.
fn stack_name(path: &std::path::Path, stack: Option<&str>) -> String {
    stack.map(String::from).unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "template".into())
    })
}

async fn import_file(
    state: &State,
    path: &std::path::Path,
    stack: Option<&str>,
) -> anyhow::Result<crate::template::Report> {
    let template = crate::template::load(path)?;
    crate::template::import(state, &stack_name(path, stack), &template).await
}

/// `cognate import template.yaml`: creates or updates the template's Cognito resources.
pub async fn import_template(
    config: &Config,
    path: &std::path::Path,
    stack: Option<&str>,
) -> anyhow::Result<crate::template::Report> {
    config.validate()?;
    let db = Db::connect(&config.database_url, sealer(config)?).await?;
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen));
    let state = domain_state(config, db.clone(), &public_url, config.local_mode()).await?;
    let report = import_file(&state, path, stack).await;
    db.close().await;
    report
}
