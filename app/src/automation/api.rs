//! Server functions of automation (`/api/scripts…`, `/api/runs…`).
use super::{RunOutput, RunPage, RunStarted, RunView, Saved, ScriptDetail, ScriptView};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

/// The script library, by name.
#[server(prefix = "/api", endpoint = "scripts", input = GetUrl, output = Json)]
pub async fn list_scripts() -> Result<Vec<ScriptView>, AppError> {
    crate::platform::serve(|ctx| async move { super::service::list(&ctx).await }).await
}

/// One script with every version, newest first.
#[server(prefix = "/api", endpoint = "scripts/detail", input = GetUrl, output = Json)]
pub async fn read_script(id: i32) -> Result<ScriptDetail, AppError> {
    crate::platform::serve(|ctx| async move { super::service::detail(&ctx, id).await }).await
}

/// Saves a new script, or a new version of `id`.
#[server(prefix = "/api", endpoint = "scripts/save", input = Json, output = Json)]
pub async fn save_script(
    #[server(default)] id: Option<i32>,
    name: String,
    language: String,
    body: String,
    #[server(default)] description: String,
    #[server(default)] parameters: Vec<super::Parameter>,
) -> Result<Saved, AppError> {
    let input = super::ScriptInput {
        id,
        name,
        language,
        body,
        description,
        parameters,
    };
    crate::platform::serve(|ctx| async move { super::service::save(&ctx, input).await }).await
}

/// Runs a saved script, or an inline command, on its targets.
#[server(prefix = "/api", endpoint = "scripts", input = Json, output = Json)]
pub async fn run_script(
    #[server(default)] script_id: Option<i32>,
    #[server(default)] command: Option<String>,
    #[server(default)] language: Option<String>,
    targets: Vec<serde_json::Value>,
    #[server(default)] parameters: serde_json::Map<String, serde_json::Value>,
    #[server(default)] timeout_seconds: Option<u32>,
) -> Result<RunStarted, AppError> {
    let input = super::RunInput {
        script_id,
        command,
        language,
        targets,
        parameters,
        timeout_seconds,
    };
    crate::platform::serve(|ctx| async move { super::runs::start(&ctx, input).await }).await
}

/// Runs, newest first.
#[server(prefix = "/api", endpoint = "runs", input = GetUrl, output = Json)]
pub async fn list_runs(#[server(default)] cursor: Option<String>) -> Result<RunPage, AppError> {
    crate::platform::serve(|ctx| async move { super::runs::list(&ctx, cursor).await }).await
}

/// One run with its hosts.
#[server(prefix = "/api", endpoint = "runs/detail", input = GetUrl, output = Json)]
pub async fn read_run(id: i32) -> Result<RunView, AppError> {
    crate::platform::serve(|ctx| async move { super::runs::detail(&ctx, id).await }).await
}

/// A run's output from line `after` on.
#[server(prefix = "/api", endpoint = "runs/output", input = GetUrl, output = Json)]
pub async fn read_run_output(
    id: i32,
    #[server(default)] after: Option<i64>,
) -> Result<RunOutput, AppError> {
    crate::platform::serve(|ctx| async move { super::runs::output(&ctx, id, after).await }).await
}

/// Cancels a run: hosts not started at once, running ones within a second.
#[server(prefix = "/api", endpoint = "runs/cancel", input = Json, output = Json)]
pub async fn cancel_run(id: i32) -> Result<RunView, AppError> {
    crate::platform::serve(|ctx| async move { super::runs::cancel(&ctx, id).await }).await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::automation::{
        RunInput, RunOutput, RunStarted, RunView, Saved, ScriptDetail, ScriptInput, ScriptView,
    };
    use crate::error::AppError;

    #[utoipa::path(get, path = "/api/scripts", tag = "automation",
        responses((status = 200, description = "The library by name", body = Vec<ScriptView>),
            (status = 401, body = AppError), (status = 403, description = "Without scripts:read", body = AppError)))]
    pub fn openapi_list_scripts() {}

    #[utoipa::path(get, path = "/api/scripts/detail", tag = "automation", params(("id" = i32, Query)),
        responses((status = 200, description = "The script and every version, newest first", body = ScriptDetail),
            (status = 401, body = AppError), (status = 403, body = AppError), (status = 404, body = AppError)))]
    pub fn openapi_read_script() {}

    #[utoipa::path(post, path = "/api/scripts/save", tag = "automation", request_body = ScriptInput,
        responses((status = 200, description = "Saved: version 1, or the next version of `id` (the same when nothing changed)", body = Saved),
            (status = 401, body = AppError), (status = 403, description = "Without scripts:write", body = AppError),
            (status = 404, body = AppError), (status = 409, description = "The name is taken", body = AppError),
            (status = 422, description = "Name, language, body or parameters invalid (names `[a-z][a-z0-9_]*`, unique; defaults of their type; no secret default)", body = AppError)))]
    pub fn openapi_save_script() {}

    #[utoipa::path(post, path = "/api/scripts", tag = "automation", request_body = RunInput,
        responses((status = 200, description = "Queued: one job per target", body = RunStarted),
            (status = 401, body = AppError),
            (status = 403, description = "Without scripts:run, or an inline command without scripts:adhoc", body = AppError),
            (status = 422, description = "Unknown script, targets invalid or unknown, a server without SSH access, the local executor off, parameters unknown, missing or of the wrong type, a time limit out of 1 to 86,400 s", body = AppError)))]
    pub fn openapi_run_script() {}

    #[utoipa::path(get, path = "/api/runs", tag = "automation", params(("cursor" = Option<String>, Query)),
        responses((status = 200, description = "Runs, newest first", body = crate::platform::Page<RunView>),
            (status = 401, body = AppError), (status = 403, body = AppError), (status = 422, body = AppError)))]
    pub fn openapi_list_runs() {}

    #[utoipa::path(get, path = "/api/runs/detail", tag = "automation", params(("id" = i32, Query)),
        responses((status = 200, body = RunView), (status = 401, body = AppError), (status = 403, body = AppError), (status = 404, body = AppError)))]
    pub fn openapi_read_run() {}

    #[utoipa::path(get, path = "/api/runs/output", tag = "automation",
        params(("id" = i32, Query), ("after" = Option<i64>, Query, description = "The first line number wanted (from 0)")),
        responses((status = 200, description = "At most 5,000 lines from `after`, and where to go on", body = RunOutput),
            (status = 401, body = AppError), (status = 403, body = AppError), (status = 404, body = AppError)))]
    pub fn openapi_read_run_output() {}

    #[utoipa::path(post, path = "/api/runs/cancel", tag = "automation", request_body = crate::platform::IdInput,
        responses((status = 200, body = RunView), (status = 401, body = AppError), (status = 403, body = AppError),
            (status = 404, body = AppError), (status = 409, description = "The run is over", body = AppError)))]
    pub fn openapi_cancel_run() {}

    crate::server_parts!(
        paths(
            openapi_list_scripts,
            openapi_read_script,
            openapi_save_script,
            openapi_run_script,
            openapi_list_runs,
            openapi_read_run,
            openapi_read_run_output,
            openapi_cancel_run
        ),
        bodies(super::SaveScript, super::RunScript, super::CancelRun),
        migrations(crate::automation::migration::Migration),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
