//! Server functions of alerting (`/api/alerts…`). The Alertmanager
//! receiver is a plain route (`receiver.rs`): its body is Alertmanager's.
// `save_alert_rule` and `save_maintenance` take the fields of their JSON
// body; `#[server]` does not pass an `allow` on the function to the
// browser's copy.
#![allow(clippy::too_many_arguments)]
use super::{AlertPage, AlertView, MaintenanceView, RulePreview, RuleView, SilenceView};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

/// Alerts, newest first: filter by `status` (`open` for pending or
/// firing), `severity`, `q`; by cursor.
#[server(prefix = "/api", endpoint = "alerts", input = GetUrl, output = Json)]
pub async fn list_alerts(
    #[server(default)] status: Option<String>,
    #[server(default)] severity: Option<String>,
    #[server(default)] q: Option<String>,
    #[server(default)] cursor: Option<String>,
    #[server(default)] per_page: Option<u64>,
) -> Result<AlertPage, AppError> {
    let query = super::AlertQuery {
        status,
        severity,
        q,
        cursor,
        per_page,
    };
    crate::platform::serve(|ctx| async move { super::service::list(&ctx, query).await }).await
}

/// Acknowledges the open alerts among `ids`.
#[server(prefix = "/api", endpoint = "alerts/acknowledge", input = Json, output = Json)]
pub async fn acknowledge_alerts(ids: Vec<i32>) -> Result<Vec<AlertView>, AppError> {
    let input = super::AckInput { ids };
    crate::platform::serve(|ctx| async move { super::service::acknowledge(&ctx, input).await })
        .await
}

/// Silences each alert among `ids` (by its labels) for `minutes`.
#[server(prefix = "/api", endpoint = "alerts/silence", input = Json, output = Json)]
pub async fn silence_alerts(
    ids: Vec<i32>,
    minutes: u32,
    reason: String,
) -> Result<Vec<SilenceView>, AppError> {
    let input = super::BulkSilenceInput {
        ids,
        minutes,
        reason,
    };
    crate::platform::serve(|ctx| async move { super::service::silence_alerts(&ctx, input).await })
        .await
}

/// Every rule, by name.
#[server(prefix = "/api", endpoint = "alerts/rules", input = GetUrl, output = Json)]
pub async fn list_alert_rules() -> Result<Vec<RuleView>, AppError> {
    crate::platform::serve(|ctx| async move { super::rules::list(&ctx).await }).await
}

/// Creates a rule, or updates rule `id`.
#[server(prefix = "/api", endpoint = "alerts/rules", input = Json, output = Json)]
pub async fn save_alert_rule(
    #[server(default)] id: Option<i32>,
    name: String,
    condition: String,
    #[server(default)] monitor_id: Option<i32>,
    #[server(default)] server_id: Option<i32>,
    #[server(default)] consecutive: Option<u32>,
    #[server(default)] for_seconds: Option<u32>,
    #[server(default)] comparator: Option<String>,
    #[server(default)] threshold: Option<f64>,
    #[server(default)] days: Option<u32>,
    severity: String,
    #[server(default)] labels: String,
    #[server(default)] opens_incident: bool,
    #[server(default)] enabled: bool,
    #[server(default)] escalation: Vec<super::EscalationStep>,
) -> Result<RuleView, AppError> {
    let input = super::RuleInput {
        id,
        name,
        condition,
        monitor_id,
        server_id,
        consecutive,
        for_seconds,
        comparator,
        threshold,
        days,
        severity,
        labels,
        opens_incident,
        enabled,
        escalation,
    };
    crate::platform::serve(|ctx| async move { super::rules::save(&ctx, input).await }).await
}

/// What a rule would have fired over the last 24 hours (nothing is saved).
#[server(prefix = "/api", endpoint = "alerts/rules/preview", input = Json, output = Json)]
pub async fn preview_alert_rule(
    name: String,
    condition: String,
    #[server(default)] monitor_id: Option<i32>,
    #[server(default)] server_id: Option<i32>,
    #[server(default)] consecutive: Option<u32>,
    #[server(default)] for_seconds: Option<u32>,
    #[server(default)] comparator: Option<String>,
    #[server(default)] threshold: Option<f64>,
    #[server(default)] days: Option<u32>,
    severity: String,
) -> Result<RulePreview, AppError> {
    let input = super::RuleInput {
        name,
        condition,
        monitor_id,
        server_id,
        consecutive,
        for_seconds,
        comparator,
        threshold,
        days,
        severity,
        enabled: true,
        ..Default::default()
    };
    crate::platform::serve(|ctx| async move { super::preview::preview(&ctx, input).await }).await
}

/// Deletes a rule (its alerts stay as history).
#[server(prefix = "/api", endpoint = "alerts/rules/delete", input = Json, output = Json)]
pub async fn delete_alert_rule(id: i32) -> Result<(), AppError> {
    crate::platform::serve(|ctx| async move { super::rules::delete(&ctx, id).await }).await
}

/// Active and pending silences, and those that ended in the last week.
#[server(prefix = "/api", endpoint = "alerts/silences", input = GetUrl, output = Json)]
pub async fn list_silences() -> Result<Vec<SilenceView>, AppError> {
    crate::platform::serve(|ctx| async move { super::silences::list(&ctx).await }).await
}

/// Creates a silence.
#[server(prefix = "/api", endpoint = "alerts/silences", input = Json, output = Json)]
pub async fn create_silence(
    matchers: String,
    #[server(default)] starts_at: Option<String>,
    #[server(default)] ends_at: Option<String>,
    #[server(default)] minutes: Option<u32>,
    reason: String,
) -> Result<SilenceView, AppError> {
    let input = super::SilenceInput {
        matchers,
        starts_at,
        ends_at,
        minutes,
        reason,
    };
    crate::platform::serve(|ctx| async move { super::silences::create(&ctx, input).await }).await
}

/// Ends a silence now.
#[server(prefix = "/api", endpoint = "alerts/silences/expire", input = Json, output = Json)]
pub async fn expire_silence(id: i32) -> Result<SilenceView, AppError> {
    crate::platform::serve(|ctx| async move { super::silences::expire(&ctx, id).await }).await
}

/// Every maintenance window, with whether it is in force.
#[server(prefix = "/api", endpoint = "alerts/maintenance", input = GetUrl, output = Json)]
pub async fn list_maintenance() -> Result<Vec<MaintenanceView>, AppError> {
    crate::platform::serve(|ctx| async move { super::windows::list(&ctx).await }).await
}

/// The maintenance windows' occurrences over `days` from `from` (UTC).
#[server(prefix = "/api", endpoint = "alerts/maintenance/calendar", input = GetUrl, output = Json)]
pub async fn maintenance_calendar(
    #[server(default)] from: Option<String>,
    #[server(default)] days: Option<u32>,
) -> Result<super::MaintenanceCalendar, AppError> {
    crate::platform::serve(|ctx| async move { super::windows::calendar(&ctx, from, days).await })
        .await
}

/// Creates a maintenance window, or updates window `id`.
#[server(prefix = "/api", endpoint = "alerts/maintenance", input = Json, output = Json)]
pub async fn save_maintenance(
    #[server(default)] id: Option<i32>,
    title: String,
    #[server(default)] server_ids: Vec<i32>,
    #[server(default)] tags: Vec<String>,
    kind: String,
    #[server(default)] starts_at: Option<String>,
    #[server(default)] ends_at: Option<String>,
    #[server(default)] weekdays: Vec<String>,
    #[server(default)] start_time: Option<String>,
    #[server(default)] duration_minutes: Option<u32>,
    #[server(default)] time_zone: Option<String>,
) -> Result<MaintenanceView, AppError> {
    let input = super::MaintenanceInput {
        id,
        title,
        server_ids,
        tags,
        kind,
        starts_at,
        ends_at,
        weekdays,
        start_time,
        duration_minutes,
        time_zone,
    };
    crate::platform::serve(|ctx| async move { super::windows::save(&ctx, input).await }).await
}

/// Deletes a maintenance window.
#[server(prefix = "/api", endpoint = "alerts/maintenance/delete", input = Json, output = Json)]
pub async fn delete_maintenance(id: i32) -> Result<(), AppError> {
    crate::platform::serve(|ctx| async move { super::windows::delete(&ctx, id).await }).await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::alerts::{
        AckInput, AlertPage, AlertQuery, AlertView, BulkSilenceInput, MaintenanceInput,
        MaintenanceView, RuleInput, RulePreview, RuleView, SilenceInput, SilenceView,
    };
    use crate::error::AppError;
    use crate::platform::IdInput;

    #[utoipa::path(get, path = "/api/alerts", tag = "alerts", params(AlertQuery),
        responses((status = 200, description = "A page of alerts and how many fire now", body = AlertPage),
            (status = 401, body = AppError), (status = 403, body = AppError),
            (status = 422, description = "Unknown filter or cursor", body = AppError)))]
    pub fn openapi_list_alerts() {}

    #[utoipa::path(post, path = "/api/alerts/acknowledge", tag = "alerts", request_body = AckInput,
        responses((status = 200, description = "The alerts acknowledged now", body = Vec<AlertView>),
            (status = 403, body = AppError), (status = 422, body = AppError)))]
    pub fn openapi_acknowledge_alerts() {}

    #[utoipa::path(post, path = "/api/alerts/silence", tag = "alerts", request_body = BulkSilenceInput,
        responses((status = 200, description = "One silence per alert, matching its labels", body = Vec<SilenceView>),
            (status = 403, body = AppError), (status = 404, body = AppError), (status = 422, body = AppError)))]
    pub fn openapi_silence_alerts() {}

    #[utoipa::path(get, path = "/api/alerts/rules", tag = "alerts",
        responses((status = 200, body = Vec<RuleView>), (status = 401, body = AppError), (status = 403, body = AppError)))]
    pub fn openapi_list_alert_rules() {}

    #[utoipa::path(post, path = "/api/alerts/rules", tag = "alerts", request_body = RuleInput,
        responses((status = 200, body = RuleView), (status = 403, body = AppError), (status = 404, body = AppError),
            (status = 422, description = "Invalid fields, a name taken, an unknown monitor or server", body = AppError)))]
    pub fn openapi_save_alert_rule() {}

    #[utoipa::path(post, path = "/api/alerts/rules/delete", tag = "alerts", request_body = IdInput,
        responses((status = 200), (status = 403, body = AppError), (status = 404, body = AppError)))]
    pub fn openapi_delete_alert_rule() {}

    #[utoipa::path(post, path = "/api/alerts/rules/preview", tag = "alerts", request_body = PreviewInput,
        responses((status = 200, description = "What the rule would have fired over the last 24 hours", body = RulePreview),
            (status = 403, body = AppError), (status = 422, body = AppError)))]
    pub fn openapi_preview_alert_rule() {}

    /// The rule's condition and scope (`POST /api/alerts/rules/preview`).
    #[derive(utoipa::ToSchema)]
    #[allow(dead_code)]
    pub struct PreviewInput {
        name: String,
        condition: String,
        monitor_id: Option<i32>,
        server_id: Option<i32>,
        consecutive: Option<u32>,
        for_seconds: Option<u32>,
        comparator: Option<String>,
        threshold: Option<f64>,
        days: Option<u32>,
        severity: String,
    }

    #[utoipa::path(get, path = "/api/alerts/silences", tag = "alerts",
        responses((status = 200, body = Vec<SilenceView>), (status = 401, body = AppError), (status = 403, body = AppError)))]
    pub fn openapi_list_silences() {}

    #[utoipa::path(post, path = "/api/alerts/silences", tag = "alerts", request_body = SilenceInput,
        responses((status = 200, body = SilenceView), (status = 403, body = AppError),
            (status = 422, description = "Invalid matchers, an inverted or past range, no reason", body = AppError)))]
    pub fn openapi_create_silence() {}

    #[utoipa::path(post, path = "/api/alerts/silences/expire", tag = "alerts", request_body = IdInput,
        responses((status = 200, body = SilenceView), (status = 403, body = AppError), (status = 404, body = AppError)))]
    pub fn openapi_expire_silence() {}

    #[utoipa::path(get, path = "/api/alerts/maintenance", tag = "alerts",
        responses((status = 200, body = Vec<MaintenanceView>), (status = 401, body = AppError), (status = 403, body = AppError)))]
    pub fn openapi_list_maintenance() {}

    #[utoipa::path(get, path = "/api/alerts/maintenance/calendar", tag = "alerts",
        params(("from" = Option<String>, Query, description = "YYYY-MM-DD (UTC); today by default"),
            ("days" = Option<u32>, Query, description = "1 to 62; 14 by default")),
        responses((status = 200, description = "Every occurrence overlapping the range, computed from the windows' rules", body = crate::alerts::MaintenanceCalendar),
            (status = 401, body = AppError), (status = 403, body = AppError), (status = 422, body = AppError)))]
    pub fn openapi_maintenance_calendar() {}

    #[utoipa::path(post, path = "/api/alerts/maintenance", tag = "alerts", request_body = MaintenanceInput,
        responses((status = 200, body = MaintenanceView), (status = 403, body = AppError), (status = 404, body = AppError),
            (status = 422, description = "Invalid fields, an inverted or past range, an unknown time zone or server", body = AppError)))]
    pub fn openapi_save_maintenance() {}

    #[utoipa::path(post, path = "/api/alerts/maintenance/delete", tag = "alerts", request_body = IdInput,
        responses((status = 200), (status = 403, body = AppError), (status = 404, body = AppError)))]
    pub fn openapi_delete_maintenance() {}

    crate::server_parts!(
        paths(
            openapi_list_alerts,
            openapi_acknowledge_alerts,
            openapi_silence_alerts,
            openapi_list_alert_rules,
            openapi_save_alert_rule,
            openapi_delete_alert_rule,
            openapi_preview_alert_rule,
            openapi_list_silences,
            openapi_create_silence,
            openapi_expire_silence,
            openapi_list_maintenance,
            openapi_maintenance_calendar,
            openapi_save_maintenance,
            openapi_delete_maintenance
        ),
        bodies(
            super::AcknowledgeAlerts,
            super::SilenceAlerts,
            super::SaveAlertRule,
            super::DeleteAlertRule,
            super::PreviewAlertRule,
            super::CreateSilence,
            super::ExpireSilence,
            super::SaveMaintenance,
            super::DeleteMaintenance
        ),
        migrations(
            crate::alerts::migration::Migration,
            crate::alerts::migration::LevelsMigration
        ),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
