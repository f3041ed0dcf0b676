//! `GET /metrics` and `GET /api/prometheus/targets`, for Prometheus: read
//! with a `monitoring:read` credential (an API token, as Prometheus sends
//! it in `authorization`), or from a network in `DIHYA_METRICS_ALLOW`.
//! Anyone else: 401 (403 for a credential without the permission).
use crate::client_ip::ClientIp;
use crate::state::ServerState;
use app::error::ErrorCode;
use app::platform::Permission;
use axum::{
    extract::{Request, State},
    http::header,
    response::{IntoResponse, Response},
};

/// Whether this request may read monitoring's exports.
fn allowed(state: &ServerState, req: &Request) -> Result<(), ErrorCode> {
    let from_allowed_net = req
        .extensions()
        .get::<ClientIp>()
        .is_some_and(|ip| state.metrics_allow.contains(ip.0));
    if from_allowed_net {
        return Ok(());
    }
    let ctx = crate::auth_layer::ctx_of(&state.app, req);
    ctx.require(Permission::MonitoringRead)
        .map(|_| ())
        .map_err(|e| e.error.code)
}

pub async fn metrics(State(state): State<ServerState>, req: Request) -> Response {
    if let Err(code) = allowed(&state, &req) {
        return crate::api_errors::json_error(code, req.headers());
    }
    match app::monitoring::metrics::render(&state.app.db, &state.app.events).await {
        Ok(mut body) => {
            body.push_str(&app::alerts::evaluator::metrics_text());
            (
                [(
                    header::CONTENT_TYPE,
                    "text/plain; version=0.0.4; charset=utf-8",
                )],
                body,
            )
                .into_response()
        }
        Err(e) => crate::api_errors::json_error(e.error.code, req.headers()),
    }
}

pub async fn targets(State(state): State<ServerState>, req: Request) -> Response {
    if let Err(code) = allowed(&state, &req) {
        return crate::api_errors::json_error(code, req.headers());
    }
    match app::monitoring::metrics::targets(&state.app.db).await {
        Ok(groups) => axum::Json(groups).into_response(),
        Err(e) => crate::api_errors::json_error(e.error.code, req.headers()),
    }
}
