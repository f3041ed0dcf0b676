//! Server functions of incidents (`/api/incidents…`).
use super::{IncidentDetail, IncidentPage, IncidentView, TimelineEntry};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

/// Every ticket, newest first: filter (`status`, `severity`, `assignee`, `server`, `q`), by cursor.
#[server(prefix = "/api", endpoint = "incidents", input = GetUrl, output = Json)]
pub async fn list_incidents(
    #[server(default)] status: Option<String>,
    #[server(default)] severity: Option<String>,
    #[server(default)] assignee: Option<String>,
    #[server(default)] server: Option<i32>,
    #[server(default)] q: Option<String>,
    #[server(default)] cursor: Option<String>,
    #[server(default)] per_page: Option<u64>,
) -> Result<IncidentPage, AppError> {
    let query = super::IncidentQuery {
        status,
        severity,
        assignee,
        server,
        q,
        cursor,
        per_page,
    };
    crate::platform::serve(|ctx| async move { super::query::list(&ctx, query).await }).await
}

/// The tickets the caller reported, newest first.
#[server(prefix = "/api", endpoint = "incidents/mine", input = GetUrl, output = Json)]
pub async fn my_incidents(
    #[server(default)] status: Option<String>,
    #[server(default)] cursor: Option<String>,
    #[server(default)] per_page: Option<u64>,
) -> Result<IncidentPage, AppError> {
    let query = super::IncidentQuery {
        status,
        cursor,
        per_page,
        ..Default::default()
    };
    crate::platform::serve(|ctx| async move { super::query::mine(&ctx, query).await }).await
}

/// Opens a ticket (status `open`), reported by the caller.
#[server(prefix = "/api", endpoint = "incidents", input = Json, output = Json)]
pub async fn report_incident(
    title: String,
    #[server(default)] description: String,
    severity: String,
    #[server(default)] server_ids: Vec<i32>,
) -> Result<IncidentView, AppError> {
    let input = super::IncidentInput {
        title,
        description,
        severity,
        server_ids,
    };
    crate::platform::serve(|ctx| async move { super::service::create(&ctx, input).await }).await
}

/// One ticket with its timeline.
#[server(prefix = "/api", endpoint = "incidents/detail", input = GetUrl, output = Json)]
pub async fn read_incident(id: i32) -> Result<IncidentDetail, AppError> {
    crate::platform::serve(|ctx| async move { super::service::detail(&ctx, id).await }).await
}

/// Moves a ticket along, assigns it or changes its severity.
#[server(prefix = "/api", endpoint = "incidents/update", input = Json, output = Json)]
pub async fn update_incident(
    id: i32,
    #[server(default)] status: Option<String>,
    #[server(default)] assignee_id: Option<i32>,
    #[server(default)] severity: Option<String>,
) -> Result<IncidentView, AppError> {
    let input = super::IncidentUpdate {
        id,
        status,
        assignee_id,
        severity,
    };
    crate::platform::serve(|ctx| async move { super::service::update(&ctx, input).await }).await
}

/// Adds a comment to a ticket's timeline.
#[server(prefix = "/api", endpoint = "incidents/comment", input = Json, output = Json)]
pub async fn comment_incident(id: i32, body: String) -> Result<TimelineEntry, AppError> {
    let input = super::CommentInput { id, body };
    crate::platform::serve(|ctx| async move { super::service::comment(&ctx, input).await }).await
}

/// A ticket's post-mortem, or its draft assembled from the timeline.
#[server(prefix = "/api", endpoint = "incidents/postmortem", input = GetUrl, output = Json)]
pub async fn read_postmortem(id: i32) -> Result<super::Postmortem, AppError> {
    crate::platform::serve(|ctx| async move { super::postmortem::read(&ctx, id).await }).await
}

/// Saves a ticket's post-mortem.
#[server(prefix = "/api", endpoint = "incidents/postmortem", input = Json, output = Json)]
pub async fn save_postmortem(id: i32, body: String) -> Result<super::Postmortem, AppError> {
    let input = super::PostmortemInput { id, body };
    crate::platform::serve(|ctx| async move { super::postmortem::save(&ctx, input).await }).await
}

/// Shows a ticket's saved post-mortem on the status pages, or takes it back.
#[server(prefix = "/api", endpoint = "incidents/postmortem/publish", input = Json, output = Json)]
pub async fn publish_postmortem(id: i32, published: bool) -> Result<super::Postmortem, AppError> {
    let input = super::PublishInput { id, published };
    crate::platform::serve(|ctx| async move { super::postmortem::publish(&ctx, input).await }).await
}

/// How many tickets, how fast: the last `days` (30 by default).
#[server(prefix = "/api", endpoint = "incidents/report", input = GetUrl, output = Json)]
pub async fn incident_report(
    #[server(default)] days: Option<u32>,
) -> Result<super::IncidentReport, AppError> {
    crate::platform::serve(|ctx| async move { super::query::report(&ctx, days).await }).await
}

/// Every severity's SLA policy, worst first.
#[server(prefix = "/api", endpoint = "incidents/sla", input = GetUrl, output = Json)]
pub async fn list_sla_policies() -> Result<Vec<super::sla::SlaPolicy>, AppError> {
    crate::platform::serve(|ctx| async move { super::sla::policy::list(&ctx).await }).await
}

/// Replaces one severity's SLA policy (administrators).
#[server(prefix = "/api", endpoint = "incidents/sla", input = Json, output = Json)]
pub async fn save_sla_policy(
    severity: String,
    #[server(default)] acknowledge_minutes: Option<u32>,
    #[server(default)] resolve_minutes: Option<u32>,
    #[server(default)] business_days: Vec<String>,
    #[server(default)] day_start: Option<String>,
    #[server(default)] day_end: Option<String>,
    #[server(default)] time_zone: String,
) -> Result<super::sla::SlaPolicy, AppError> {
    let input = super::sla::SlaPolicyInput {
        severity,
        acknowledge_minutes,
        resolve_minutes,
        business_days,
        day_start,
        day_end,
        time_zone,
    };
    crate::platform::serve(|ctx| async move { super::sla::policy::save(&ctx, input).await }).await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::error::AppError;
    use crate::incidents::sla::{SlaPolicy, SlaPolicyInput};
    use crate::incidents::{
        CommentInput, IncidentDetail, IncidentInput, IncidentQuery, IncidentReport, IncidentUpdate,
        IncidentView, Postmortem, PostmortemInput, PublishInput, TimelineEntry,
    };

    #[utoipa::path(get, path = "/api/incidents/report", tag = "incidents",
        params(("days" = Option<u32>, Query, description = "1 to 366; 30 by default")),
        responses((status = 200, description = "Counts, mean time to acknowledge and to resolve, missed deadlines", body = IncidentReport),
            (status = 401, body = AppError), (status = 403, body = AppError), (status = 422, body = AppError)))]
    pub fn openapi_incident_report() {}

    #[utoipa::path(get, path = "/api/incidents/sla", tag = "incidents",
        responses((status = 200, description = "Every severity's policy, worst first (built-in targets until saved)", body = Vec<SlaPolicy>),
            (status = 401, body = AppError), (status = 403, body = AppError)))]
    pub fn openapi_list_sla_policies() {}

    #[utoipa::path(post, path = "/api/incidents/sla", tag = "incidents", request_body = SlaPolicyInput,
        responses((status = 200, description = "Saved; tickets opened or re-graded from now on get its deadlines", body = SlaPolicy),
            (status = 401, body = AppError), (status = 403, description = "Without settings:manage", body = AppError),
            (status = 422, description = "Unknown severity, a target out of 1 to 40,320 minutes or acknowledging after resolving, unknown days, opening hours under 30 minutes, an unknown time zone", body = AppError)))]
    pub fn openapi_save_sla_policy() {}

    #[utoipa::path(get, path = "/api/incidents/postmortem", tag = "incidents", params(("id" = i32, Query)),
        responses((status = 200, description = "The saved post-mortem, or the draft assembled from the timeline", body = Postmortem),
            (status = 401, body = AppError), (status = 404, body = AppError)))]
    pub fn openapi_read_postmortem() {}

    #[utoipa::path(post, path = "/api/incidents/postmortem", tag = "incidents", request_body = PostmortemInput,
        responses((status = 200, body = Postmortem), (status = 403, body = AppError), (status = 404, body = AppError),
            (status = 422, description = "Empty or over 50,000 characters", body = AppError)))]
    pub fn openapi_save_postmortem() {}

    #[utoipa::path(post, path = "/api/incidents/postmortem/publish", tag = "incidents", request_body = PublishInput,
        responses((status = 200, body = Postmortem), (status = 403, body = AppError), (status = 404, body = AppError),
            (status = 422, description = "Publishing a post-mortem nobody saved yet", body = AppError)))]
    pub fn openapi_publish_postmortem() {}

    #[utoipa::path(get, path = "/api/incidents", tag = "incidents", params(IncidentQuery),
        responses((status = 200, body = crate::platform::Page<IncidentView>), (status = 401, body = AppError), (status = 403, body = AppError),
            (status = 422, description = "Unknown filter or cursor", body = AppError)))]
    pub fn openapi_list_incidents() {}

    #[utoipa::path(get, path = "/api/incidents/mine", tag = "incidents",
        params(("status" = Option<String>, Query), ("cursor" = Option<String>, Query), ("per_page" = Option<u64>, Query)),
        responses((status = 200, description = "The caller's own tickets", body = crate::platform::Page<IncidentView>),
            (status = 401, body = AppError), (status = 422, body = AppError)))]
    pub fn openapi_my_incidents() {}

    #[utoipa::path(post, path = "/api/incidents", tag = "incidents", request_body = IncidentInput,
        responses((status = 200, body = IncidentView), (status = 401, body = AppError), (status = 403, body = AppError),
            (status = 422, description = "Invalid fields, or a server not in the inventory", body = AppError)))]
    pub fn openapi_report_incident() {}

    #[utoipa::path(get, path = "/api/incidents/detail", tag = "incidents", params(("id" = i32, Query)),
        responses((status = 200, body = IncidentDetail), (status = 401, body = AppError),
            (status = 404, description = "No such ticket, or not the caller's", body = AppError)))]
    pub fn openapi_read_incident() {}

    #[utoipa::path(post, path = "/api/incidents/update", tag = "incidents", request_body = IncidentUpdate,
        responses((status = 200, body = IncidentView), (status = 403, body = AppError), (status = 404, body = AppError),
            (status = 422, description = "A move the lifecycle does not allow, an unknown severity or assignee, or nothing to change", body = AppError)))]
    pub fn openapi_update_incident() {}

    #[utoipa::path(post, path = "/api/incidents/comment", tag = "incidents", request_body = CommentInput,
        responses((status = 200, body = TimelineEntry), (status = 401, body = AppError),
            (status = 403, description = "May see the ticket but not comment", body = AppError),
            (status = 404, body = AppError), (status = 422, body = AppError)))]
    pub fn openapi_comment_incident() {}

    crate::server_parts!(
        paths(
            openapi_list_incidents,
            openapi_my_incidents,
            openapi_report_incident,
            openapi_read_incident,
            openapi_update_incident,
            openapi_comment_incident,
            openapi_read_postmortem,
            openapi_save_postmortem,
            openapi_publish_postmortem,
            openapi_incident_report,
            openapi_list_sla_policies,
            openapi_save_sla_policy
        ),
        bodies(
            super::ReportIncident,
            super::UpdateIncident,
            super::CommentIncident,
            super::SavePostmortem,
            super::PublishPostmortem,
            super::SaveSlaPolicy
        ),
        migrations(
            crate::incidents::migration::Migration,
            crate::incidents::migration::PublishMigration,
            crate::incidents::migration::SlaMigration
        ),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
