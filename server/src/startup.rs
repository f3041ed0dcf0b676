//! `Application::build(config)`: used by `main` and by the tests' `spawn_app()`.
use crate::{config::Config, rate_limit::Limits};
use app::{
    platform::{AppState, db, secrets::SecretBox},
    platform::{AuthSettings, throttle::IpLimiter},
};
use axum::{Router, serve::ListenerExt};
use std::{
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::net::TcpListener;

pub use crate::router::route_list;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot connect to the database ({backend}): {source}")]
    Database {
        backend: &'static str,
        source: sea_orm::DbErr,
    },
    #[error("database migration failed: {0}")]
    Migration(sea_orm::DbErr),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Setup(app::error::AppError),
    #[error("{0}")]
    Secrets(#[from] app::platform::secrets::SecretError),
    #[error("cannot create DIHYA_DATA_DIR {0}: {1}")]
    DataDir(String, std::io::Error),
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    setup_token: Option<String>,
    public_url: String,
    limits: Arc<Limits>,
    state: AppState,
    audit_retention_days: u32,
    raw_retention_days: u32,
    /// Multiplies monitors' intervals (1; the tests shrink time).
    check_interval_scale: f64,
    run_concurrency: usize,
}

/// Connects and migrates; shared by `serve` and `dihya migrate`.
pub async fn open_database(url: &str) -> Result<sea_orm::DatabaseConnection, StartupError> {
    let backend = db::Backend::from_url(url)
        .map(db::Backend::name)
        .unwrap_or("unknown");
    let conn = db::connect(url)
        .await
        .map_err(|source| StartupError::Database { backend, source })?;
    app::domains::migrate(&conn)
        .await
        .map_err(StartupError::Migration)?;
    Ok(conn)
}

const KEY_ID_ROW: &str = "secrets_key_id";

/// The key sealing secrets at rest, checked against the id recorded with the
/// first sealed secret: starting without it (or with another key) would make
/// every stored secret unreadable, so start-up stops instead.
async fn secret_box(
    config: &Config,
    db: &sea_orm::DatabaseConnection,
) -> Result<SecretBox, StartupError> {
    use app::platform::meta;
    use app::platform::secrets::SecretError;
    let recorded = meta::get(db, KEY_ID_ROW)
        .await
        .map_err(StartupError::Setup)?;
    let sb =
        match &config.secret_key {
            Some(key) => SecretBox::from_base64(key.expose())?,
            None => SecretBox::from_key_file(&config.data_dir, recorded.is_none())?.ok_or_else(
                || SecretError::WrongKey {
                    stored: recorded.clone().unwrap_or_default(),
                    found: "missing".into(),
                },
            )?,
        };
    match recorded {
        Some(kid) if kid != sb.key_id() => Err(SecretError::WrongKey {
            stored: kid,
            found: sb.key_id().to_string(),
        }
        .into()),
        Some(_) => Ok(sb),
        None => {
            meta::put_new(db, KEY_ID_ROW, sb.key_id().into())
                .await
                .map_err(StartupError::Setup)?;
            Ok(sb)
        }
    }
}

/// Where the HMAC key of 2FA recovery codes is stored (sealed).
const RECOVERY_KEY_ROW: &str = "recovery_hmac_key";

/// Database, roles, keys: everything `serve` and the `user` commands share.
pub async fn build_state(config: &Config) -> Result<AppState, StartupError> {
    let started = Instant::now();
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| StartupError::DataDir(config.data_dir.display().to_string(), e))?;
    let db = open_database(&config.database_url).await?;
    app::users::roles::sync_builtin(&db)
        .await
        .map_err(StartupError::Migration)?;
    let secrets = secret_box(config, &db).await?;
    let jwt_key = app::tokens::service::load_or_create_key(&db, &secrets)
        .await
        .map_err(StartupError::Setup)?;
    let recovery_key = app::tokens::service::instance_key(&db, &secrets, RECOVERY_KEY_ROW)
        .await
        .map_err(StartupError::Setup)?;
    Ok(AppState {
        db,
        domains: app::domains::ALL,
        started,
        public_url: Arc::from(config.public_url.as_str()),
        source_url: config.source_url.as_deref().map(Arc::from),
        secrets: Arc::new(secrets),
        auth: Arc::new(AuthSettings {
            idle: Duration::from_secs(config.session_idle_minutes * 60),
            absolute: Duration::from_secs(config.session_absolute_hours * 3600),
            cookie_secure: config.cookie_is_secure(),
            login_limiter: IpLimiter::per_minute(config.login_attempts_per_ip),
            jwt_key,
            recovery_key,
        }),
        events: app::platform::events::EventBus::new(
            1024,
            app::platform::jobs::worker::instance_name(),
        ),
        jobs_wake: Arc::new(tokio::sync::Notify::new()),
        runs_wake: Arc::new(tokio::sync::Notify::new()),
        local_executor: config.local_executor,
    })
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        let app_state = build_state(&config).await?;
        let setup_token = app::setup::service::issue_token_if_needed(&app_state.db)
            .await
            .map_err(StartupError::Setup)?;
        let listener =
            TcpListener::bind(config.addr)
                .await
                .map_err(|source| StartupError::Bind {
                    addr: config.addr,
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: config.addr,
            source,
        })?;
        let limits = Arc::new(Limits::new(
            config.rate_limit_per_ip,
            config.rate_limit_global,
        ));
        let router = crate::router::router(&config, addr, app_state.clone(), limits.clone());
        Ok(Application {
            listener,
            router,
            setup_token,
            public_url: config.public_url,
            limits,
            state: app_state,
            audit_retention_days: config.audit_retention_days,
            raw_retention_days: config.raw_retention_days,
            check_interval_scale: 1.0,
            run_concurrency: config.run_concurrency,
        })
    }

    /// Runs every monitor `scale` times its interval apart: tests check a
    /// 10 s monitor every half second rather than wait.
    pub fn scale_check_intervals(&mut self, scale: f64) {
        self.check_interval_scale = scale;
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The one-time first-run link, when setup is still pending.
    pub fn setup_link(&self) -> Option<String> {
        self.setup_token
            .as_ref()
            .map(|t| format!("{}/setup/{t}", self.public_url))
    }

    /// Serves until `shutdown` resolves, then drains open requests.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let janitor = tokio::spawn(crate::janitor::run(
            self.limits.clone(),
            self.state.clone(),
            self.audit_retention_days,
        ));
        let (stop_jobs, jobs_stopped) = tokio::sync::oneshot::channel::<()>();
        let worker = tokio::spawn(
            crate::janitor::worker(self.state.clone(), self.raw_retention_days).run(async {
                let _ = jobs_stopped.await;
            }),
        );
        let (stop_runs, runs_stopped) = tokio::sync::oneshot::channel::<()>();
        let runs = tokio::spawn(
            crate::janitor::runs_worker(self.state.clone(), self.run_concurrency).run(async {
                let _ = runs_stopped.await;
            }),
        );
        let (stop_checks, checks_stopped) = tokio::sync::oneshot::channel::<()>();
        let engine = tokio::spawn(
            crate::janitor::engine(self.state.clone(), self.check_interval_scale).run(async {
                let _ = checks_stopped.await;
            }),
        );
        // Alert rules run on this process's results (the bus is per
        // process, like the leases of the monitors it checks).
        let (stop_alerts, alerts_stopped) = tokio::sync::oneshot::channel::<()>();
        let evaluator = tokio::spawn(
            app::alerts::evaluator::Evaluator::new(
                self.state.db.clone(),
                self.state.events.clone(),
            )
            .run(async {
                let _ = alerts_stopped.await;
            }),
        );
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        // Nagle's algorithm would hold back a streamed body (static files)
        // behind its headers until the peer's delayed ACK: ~40 ms per request.
        let listener = self.listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let result = axum::serve(listener, service)
            .with_graceful_shutdown(shutdown)
            .await;
        janitor.abort();
        // Running jobs get the worker's grace period; what remains is
        // claimed again after its lease expires.
        let _ = stop_jobs.send(());
        let _ = stop_checks.send(());
        let _ = stop_runs.send(());
        let _ = worker.await;
        let _ = runs.await;
        let _ = engine.await;
        let _ = stop_alerts.send(());
        let _ = evaluator.await;
        result
    }

    /// Serves until SIGINT or SIGTERM.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutdown signal received, draining requests");
}
