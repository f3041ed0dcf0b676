//! The axum router: Leptos pages and server functions, plain routes, static
//! files, and the middleware stack around them.
use crate::{
    config::Config, page_cache::PageCache, rate_limit::Limits, routes, security, state::ServerState,
};
use app::{App, platform::AppState, sessions::store::SeaOrmStore, shell};
use axum::{Router, middleware, routing::get};
use http::{HeaderValue, Method, Request, header};
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::{net::SocketAddr, sync::Arc, time::Duration};
use tower_http::{
    compression::CompressionLayer,
    cors::{AllowOrigin, CorsLayer},
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    timeout::TimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};

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

pub fn router(
    config: &Config,
    addr: SocketAddr,
    app_state: AppState,
    limits: Arc<Limits>,
) -> Router {
    let leptos = leptos_options(config, addr);
    let hashed = leptos.hash_files;
    let state = ServerState {
        leptos: leptos.clone(),
        app: app_state.clone(),
        // Checked when the configuration was loaded.
        metrics_allow: std::sync::Arc::new(
            crate::client_ip::Networks::parse(&config.metrics_allow).unwrap_or_default(),
        ),
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
    for (path, _, handler) in routes::plain() {
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
    crate::page_cache::follow_changes(Arc::clone(&edge), &app_state.events);
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
