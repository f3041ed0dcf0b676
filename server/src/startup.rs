//! `Application::build(config)`: used by `main` and by the tests' `spawn_app()`.
use crate::{
    config::Config, page_cache::PageCache, rate_limit::Limits, routes, security, state::ServerState,
};
use app::{
    App,
    platform::{AppState, db, migrations, secrets::SecretBox},
    platform::{AuthSettings, throttle::IpLimiter},
    sessions::store::SeaOrmStore,
    shell,
};
use axum::{Router, middleware, routing::get, serve::ListenerExt};
use http::{HeaderValue, Method, Request, header};
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::{
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};
use tokio::net::TcpListener;
use tower_http::{
    compression::CompressionLayer,
    cors::{AllowOrigin, CorsLayer},
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};

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
}

/// Connects and migrates; shared by `serve` and `dihya migrate`.
pub async fn open_database(url: &str) -> Result<sea_orm::DatabaseConnection, StartupError> {
    let backend = db::Backend::from_url(url)
        .map(db::Backend::name)
        .unwrap_or("unknown");
    let conn = db::connect(url)
        .await
        .map_err(|source| StartupError::Database { backend, source })?;
    migrations::run(&conn)
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
        let router = router(&config, addr, app_state.clone(), limits.clone());
        Ok(Application {
            listener,
            router,
            setup_token,
            public_url: config.public_url,
            limits,
            state: app_state,
            audit_retention_days: config.audit_retention_days,
        })
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
        let janitor = tokio::spawn(janitor(
            self.limits.clone(),
            self.state.clone(),
            self.audit_retention_days,
        ));
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
        result
    }

    /// Serves until SIGINT or SIGTERM.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }
}

/// Housekeeping: limiter memory every minute; expired sessions, stale
/// sign-in counters and audit rows past retention every hour.
async fn janitor(limits: Arc<Limits>, state: AppState, audit_retention_days: u32) {
    use tower_sessions::ExpiredDeletion;
    let store = SeaOrmStore::new(state.db.clone());
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    for minute in 0u64.. {
        tick.tick().await;
        limits.shrink();
        state.auth.login_limiter.shrink();
        if minute % 60 == 0 {
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "expired session cleanup failed");
            }
            let _ = app::platform::throttle::purge(&state.db).await;
            match app::audit::service::purge_older_than(&state.db, audit_retention_days).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(rows = n, "audit rows past retention deleted"),
                Err(e) => tracing::warn!(error = %e, "audit retention purge failed"),
            }
        }
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

/// `scheme://host[:port]` of a URL.
fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{host}")
}

/// Hashed asset names are used when cargo-leptos left `hash.txt` beside the binary.
fn hash_file_present() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(|d| d.join("hash.txt").exists()))
        .unwrap_or(false)
}

fn leptos_options(config: &Config, addr: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("dihya")
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .hash_files(hash_file_present())
        .build()
}

/// The app's routes, generated once per process. Generating them renders
/// the whole app with resource loading suppressed by a process-wide flag, so
/// a resource first polled meanwhile by a request being served hangs for
/// good (leptos issue #4773). Servers built later in the same process (the
/// tests start many) reuse this list instead of generating it again.
pub fn route_list() -> &'static [leptos_axum::AxumRouteListing] {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App))
}

fn router(config: &Config, addr: SocketAddr, app_state: AppState, limits: Arc<Limits>) -> Router {
    let leptos = leptos_options(config, addr);
    let hashed = leptos.hash_files;
    let state = ServerState {
        leptos: leptos.clone(),
        app: app_state.clone(),
    };
    let routes = route_list().to_vec();
    let ctx = {
        let app_state = app_state.clone();
        move || leptos::prelude::provide_context(app_state.clone())
    };
    let server_fns = {
        let ctx = ctx.clone();
        move |req: Request<axum::body::Body>| {
            let ctx = ctx.clone();
            async move { crate::server_fns::handle(req, ctx).await }
        }
    };
    let shell_fn = {
        let leptos = leptos.clone();
        move || shell(leptos.clone())
    };

    let mut router = Router::new();
    for (path, handler) in routes::plain() {
        router = router.route(path, handler);
    }
    let router = router
        .route("/api/{*fn_name}", get(server_fns.clone()).post(server_fns))
        .leptos_routes_with_context(&state, routes, ctx.clone(), shell_fn)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            ServerState,
            _,
        >(ctx, shell))
        .with_state(state);
    // The middleware below wraps the routed app once instead of each route:
    // a cached page is answered before routing, without cloning route state.
    let router = Router::new().fallback_service(router);

    let edge = Arc::new(crate::edge::Edge {
        security: security::SecurityConfig {
            hsts: config.is_https(),
            hashed_assets: hashed,
        },
        limits,
        cache: PageCache::default(),
        // Validated with the rest of the configuration.
        proxies: crate::client_ip::TrustedProxies::parse(&config.trusted_proxies)
            .unwrap_or_default(),
        site_root: config.site_root.clone(),
    });
    let auth = Arc::new(crate::auth_layer::AuthLayer {
        public_origin: origin_of(&config.public_url),
        cookie_name: app_state.auth.cookie_name(),
        app: app_state.clone(),
    });
    let sessions = SessionManagerLayer::new(SeaOrmStore::new(app_state.db.clone()))
        .with_name(app_state.auth.cookie_name())
        .with_secure(app_state.auth.cookie_secure)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(
            time::Duration::try_from(app_state.auth.idle).unwrap_or(time::Duration::minutes(30)),
        ));
    let mut router = router
        .layer(middleware::from_fn_with_state(
            auth,
            crate::auth_layer::authenticate,
        ))
        .layer(sessions)
        .layer(RequestBodyLimitLayer::new(config.body_limit_bytes))
        // Inside `edge`, whose page cache answers first: a cached page is
        // copied from memory and cannot hang, and arming a timer for it cost
        // a fifth of the throughput (each new tokio timer wakes the time
        // driver).
        .layer(TimeoutLayer::with_status_code(
            http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.request_timeout_secs),
        ))
        // Outside the body limit and timeout so their plain-text errors become JSON.
        .layer(middleware::from_fn_with_state(edge, crate::edge::edge))
        .layer(CompressionLayer::new());
    if !config.cors_origins.is_empty() {
        let origins: Vec<HeaderValue> = config
            .cors_origins
            .iter()
            .filter_map(|o| HeaderValue::from_str(o).ok())
            .collect();
        router = router.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
                .allow_credentials(true),
        );
    }
    router
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(crate::telemetry::request_span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}
