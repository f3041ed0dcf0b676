//! Server functions of monitoring (`/api/monitors…`, `/api/monitoring…`).
// `save_monitor` and `test_monitor` take the fields of their JSON body
// (`MonitorInput`); `#[server]` does not pass an `allow` on the function to
// the browser's copy.
#![allow(clippy::too_many_arguments)]
use super::{CheckOutcome, HostSeries, MonitorView, Overview, Series};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};
use std::collections::BTreeMap;

/// Counts per status and a page of monitors.
#[server(prefix = "/api", endpoint = "monitoring", input = GetUrl, output = Json)]
pub async fn monitoring_overview(
    #[server(default)] status: Option<String>,
    #[server(default)] server_id: Option<i32>,
    #[server(default)] q: Option<String>,
    #[server(default)] cursor: Option<String>,
    #[server(default)] per_page: Option<u64>,
) -> Result<Overview, AppError> {
    let query = super::OverviewQuery {
        status,
        server_id,
        q,
        cursor,
        per_page,
    };
    crate::platform::serve(|ctx| async move { super::service::overview(&ctx, query).await }).await
}

/// Builds the input both `save_monitor` and `test_monitor` take (their
/// bodies run on the server only).
#[cfg(feature = "ssr")]
macro_rules! monitor_input {
    ($($field:ident),*) => { super::MonitorInput { $($field),* } };
}

/// Creates a monitor, or updates the one named by `id`.
#[server(prefix = "/api", endpoint = "monitors", input = Json, output = Json)]
pub async fn save_monitor(
    #[server(default)] id: Option<i32>,
    name: String,
    kind: String,
    #[server(default)] target: String,
    interval_seconds: u32,
    timeout_seconds: u32,
    #[server(default)] retries: u32,
    #[server(default)] server_id: Option<i32>,
    #[server(default)] paused: bool,
    #[server(default)] method: Option<String>,
    #[server(default)] headers: BTreeMap<String, String>,
    #[server(default)] expected_status: Option<String>,
    #[server(default)] keyword: Option<String>,
    #[server(default)] regex: Option<String>,
    #[server(default)] tls_days: Option<u32>,
    #[server(default)] ignore_tls_errors: bool,
    #[server(default)] max_bytes: Option<u32>,
    #[server(default)] record_type: Option<String>,
    #[server(default)] resolver: Option<String>,
    #[server(default)] expected: Option<String>,
) -> Result<MonitorView, AppError> {
    let input = monitor_input!(
        id,
        name,
        kind,
        target,
        interval_seconds,
        timeout_seconds,
        retries,
        server_id,
        paused,
        method,
        headers,
        expected_status,
        keyword,
        regex,
        tls_days,
        ignore_tls_errors,
        max_bytes,
        record_type,
        resolver,
        expected
    );
    crate::platform::serve(|ctx| async move { super::service::save(&ctx, input).await }).await
}

/// Runs one check of a monitor definition now; stores nothing.
#[server(prefix = "/api", endpoint = "monitors/test", input = Json, output = Json)]
pub async fn test_monitor(
    #[server(default)] id: Option<i32>,
    #[server(default)] name: String,
    kind: String,
    #[server(default)] target: String,
    interval_seconds: u32,
    timeout_seconds: u32,
    #[server(default)] retries: u32,
    #[server(default)] server_id: Option<i32>,
    #[server(default)] paused: bool,
    #[server(default)] method: Option<String>,
    #[server(default)] headers: BTreeMap<String, String>,
    #[server(default)] expected_status: Option<String>,
    #[server(default)] keyword: Option<String>,
    #[server(default)] regex: Option<String>,
    #[server(default)] tls_days: Option<u32>,
    #[server(default)] ignore_tls_errors: bool,
    #[server(default)] max_bytes: Option<u32>,
    #[server(default)] record_type: Option<String>,
    #[server(default)] resolver: Option<String>,
    #[server(default)] expected: Option<String>,
) -> Result<CheckOutcome, AppError> {
    // An unsaved definition may have no name yet.
    let name = if name.trim().is_empty() {
        "test".to_string()
    } else {
        name
    };
    let input = monitor_input!(
        id,
        name,
        kind,
        target,
        interval_seconds,
        timeout_seconds,
        retries,
        server_id,
        paused,
        method,
        headers,
        expected_status,
        keyword,
        regex,
        tls_days,
        ignore_tls_errors,
        max_bytes,
        record_type,
        resolver,
        expected
    );
    crate::platform::serve(|ctx| async move { super::service::test(&ctx, input).await }).await
}

/// Deletes a monitor and its series.
#[server(prefix = "/api", endpoint = "monitors/delete", input = Json, output = Json)]
pub async fn delete_monitor(id: i32) -> Result<(), AppError> {
    crate::platform::serve(|ctx| async move { super::service::delete(&ctx, id).await }).await
}

/// One monitor with its settings and current state.
#[server(prefix = "/api", endpoint = "monitors/detail", input = GetUrl, output = Json)]
pub async fn read_monitor(id: i32) -> Result<MonitorView, AppError> {
    crate::platform::serve(|ctx| async move { super::service::detail(&ctx, id).await }).await
}

/// A monitor's results in `[from, to)` (Unix seconds) by `step` seconds;
/// without `to`, up to the next whole step from now; without `from`, the
/// day before `to`.
#[server(prefix = "/api", endpoint = "monitoring/series", input = GetUrl, output = Json)]
pub async fn monitor_series(
    monitor: i32,
    #[server(default)] from: Option<i64>,
    #[server(default)] to: Option<i64>,
    #[server(default)] step: Option<i64>,
) -> Result<Series, AppError> {
    crate::platform::serve(|ctx| async move {
        super::service::series(&ctx, monitor, from, to, step).await
    })
    .await
}

/// A server's CPU, memory, disk and load from its node_exporter check, in
/// `[from, to)` by `step` (same defaults as `monitor_series`).
#[server(prefix = "/api", endpoint = "monitoring/host", input = GetUrl, output = Json)]
pub async fn read_host(
    server_id: i32,
    #[server(default)] from: Option<i64>,
    #[server(default)] to: Option<i64>,
    #[server(default)] step: Option<i64>,
) -> Result<HostSeries, AppError> {
    crate::platform::serve(|ctx| async move {
        super::service::host(&ctx, server_id, from, to, step).await
    })
    .await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::error::AppError;
    use crate::monitoring::{
        CheckOutcome, HostSeries, MonitorInput, MonitorView, Overview, OverviewQuery, Series,
    };
    use crate::platform::IdInput;

    #[utoipa::path(get, path = "/api/monitoring", tag = "monitoring", params(OverviewQuery),
        responses((status = 200, body = Overview), (status = 401, body = AppError), (status = 403, body = AppError),
            (status = 422, description = "Unknown filter or cursor", body = AppError)))]
    pub fn openapi_monitoring_overview() {}

    #[utoipa::path(post, path = "/api/monitors", tag = "monitoring", request_body = MonitorInput,
        responses((status = 200, body = MonitorView), (status = 401, body = AppError), (status = 403, body = AppError),
            (status = 404, body = AppError), (status = 409, description = "The name is taken", body = AppError),
            (status = 422, description = "Invalid fields", body = AppError)))]
    pub fn openapi_save_monitor() {}

    #[utoipa::path(post, path = "/api/monitors/test", tag = "monitoring", request_body = MonitorInput,
        responses((status = 200, description = "What one check found", body = CheckOutcome), (status = 403, body = AppError),
            (status = 422, description = "Invalid fields", body = AppError)))]
    pub fn openapi_test_monitor() {}

    #[utoipa::path(post, path = "/api/monitors/delete", tag = "monitoring", request_body = IdInput,
        responses((status = 200, description = "Deleted"), (status = 403, body = AppError), (status = 404, body = AppError)))]
    pub fn openapi_delete_monitor() {}

    #[utoipa::path(get, path = "/api/monitors/detail", tag = "monitoring", params(("id" = i32, Query)),
        responses((status = 200, body = MonitorView), (status = 403, body = AppError), (status = 404, body = AppError)))]
    pub fn openapi_read_monitor() {}

    #[utoipa::path(get, path = "/api/monitoring/series", tag = "monitoring",
        params(("monitor" = i32, Query), ("from" = Option<i64>, Query, description = "Unix seconds (default: a day before `to`)"),
            ("to" = Option<i64>, Query, description = "Unix seconds (default: the next whole step from now)"), ("step" = Option<i64>, Query, description = "Seconds per point")),
        responses((status = 200, body = Series), (status = 403, body = AppError), (status = 404, body = AppError),
            (status = 422, description = "An empty range or too many points", body = AppError)))]
    pub fn openapi_monitor_series() {}

    #[utoipa::path(get, path = "/api/monitoring/host", tag = "monitoring",
        params(("server_id" = i32, Query), ("from" = Option<i64>, Query, description = "Unix seconds (default: a day before `to`)"),
            ("to" = Option<i64>, Query, description = "Unix seconds (default: the next whole step from now)"), ("step" = Option<i64>, Query, description = "Seconds per point")),
        responses((status = 200, description = "The server's CPU, memory, disk and load (`monitor` is null without a node_exporter check)", body = HostSeries),
            (status = 403, body = AppError), (status = 404, body = AppError),
            (status = 422, description = "An empty range or too many points", body = AppError)))]
    pub fn openapi_host_series() {}

    crate::server_parts!(
        paths(
            openapi_monitoring_overview,
            openapi_save_monitor,
            openapi_test_monitor,
            openapi_delete_monitor,
            openapi_read_monitor,
            openapi_monitor_series,
            openapi_host_series
        ),
        bodies(super::SaveMonitor, super::TestMonitor, super::DeleteMonitor),
        migrations(
            crate::monitoring::migration::Migration,
            crate::monitoring::migration::History
        ),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
