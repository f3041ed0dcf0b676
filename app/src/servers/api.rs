//! Server functions of the inventory (`/api/servers…`).
// `save_server`'s arguments are the fields of its JSON body (`ServerInput`);
// `#[server]` does not pass an `allow` on the function to the browser's copy.
#![allow(clippy::too_many_arguments)]
use super::{ImportReport, ServerDetail, ServerPage, ServerView};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

/// Lists servers: filter (`status`, `environment`, `tag`, `q`), sort, by cursor.
#[server(prefix = "/api", endpoint = "servers", input = GetUrl, output = Json)]
pub async fn list_servers(
    #[server(default)] status: Option<String>,
    #[server(default)] environment: Option<String>,
    #[server(default)] tag: Option<String>,
    #[server(default)] q: Option<String>,
    #[server(default)] sort: Option<String>,
    #[server(default)] cursor: Option<String>,
    #[server(default)] per_page: Option<u64>,
) -> Result<ServerPage, AppError> {
    let query = super::ServerQuery {
        status,
        environment,
        tag,
        q,
        sort,
        cursor,
        per_page,
    };
    crate::platform::serve(|ctx| async move { super::query::list(&ctx, query).await }).await
}

/// Creates a server (status `planned`), or updates the one named by `id`.
#[server(prefix = "/api", endpoint = "servers", input = Json, output = Json)]
pub async fn save_server(
    #[server(default)] id: Option<i32>,
    name: String,
    hostname: String,
    #[server(default)] ip_addresses: Vec<String>,
    #[server(default)] os: String,
    kind: String,
    #[server(default)] provider: String,
    environment: String,
    #[server(default)] tags: Vec<String>,
    #[server(default)] owner: String,
    #[server(default)] cpu_cores: Option<u32>,
    #[server(default)] ram_mb: Option<u64>,
    #[server(default)] disk_gb: Option<u64>,
    #[server(default)] notes: String,
    #[server(default)] ssh_user: Option<String>,
    #[server(default)] ssh_port: Option<u32>,
    #[server(default)] ssh_credential_kind: Option<String>,
    #[server(default)] ssh_credential: Option<String>,
) -> Result<ServerView, AppError> {
    let input = super::ServerInput {
        id,
        name,
        hostname,
        ip_addresses,
        os,
        kind,
        provider,
        environment,
        tags,
        owner,
        cpu_cores,
        ram_mb,
        disk_gb,
        notes,
        ssh_user,
        ssh_port,
        ssh_credential_kind,
        ssh_credential,
    };
    crate::platform::serve(|ctx| async move { super::service::save(&ctx, input).await }).await
}

/// Moves a server to another lifecycle status.
#[server(prefix = "/api", endpoint = "servers/lifecycle", input = Json, output = Json)]
pub async fn move_server(id: i32, to: String) -> Result<ServerView, AppError> {
    let input = super::LifecycleInput { id, to };
    crate::platform::serve(|ctx| async move { super::service::lifecycle(&ctx, input).await }).await
}

/// Deletes a decommissioned server.
#[server(prefix = "/api", endpoint = "servers/delete", input = Json, output = Json)]
pub async fn delete_server(id: i32) -> Result<(), AppError> {
    crate::platform::serve(|ctx| async move { super::service::delete(&ctx, id).await }).await
}

/// Imports servers from CSV or JSON (`dry_run` only reports).
#[server(prefix = "/api", endpoint = "servers/import", input = Json, output = Json)]
pub async fn import_servers(
    format: String,
    data: String,
    #[server(default)] dry_run: bool,
    #[server(default)] skip_invalid: bool,
) -> Result<ImportReport, AppError> {
    let input = super::ImportInput {
        format,
        data,
        dry_run,
        skip_invalid,
    };
    crate::platform::serve(|ctx| async move { super::import::import(&ctx, input).await }).await
}

/// One server with its rendered notes, allowed moves and history.
#[server(prefix = "/api", endpoint = "servers/detail", input = GetUrl, output = Json)]
pub async fn read_server(id: i32) -> Result<ServerDetail, AppError> {
    crate::platform::serve(|ctx| async move { super::service::detail(&ctx, id).await }).await
}

/// Tests a server's SSH connection; pins its host key once confirmed.
#[server(prefix = "/api", endpoint = "servers/ssh-test", input = Json, output = Json)]
pub async fn test_ssh(
    id: i32,
    #[server(default)] trust: Option<String>,
    #[server(default)] forget: bool,
) -> Result<super::SshTest, AppError> {
    crate::platform::serve(|ctx| async move {
        super::ssh::test_connection(&ctx, id, trust, forget).await
    })
    .await
}

/// The caller's saved views of the servers list.
#[server(prefix = "/api", endpoint = "servers/views", input = GetUrl, output = Json)]
pub async fn list_views() -> Result<Vec<super::SavedView>, AppError> {
    crate::platform::serve(|ctx| async move { super::views::list(&ctx).await }).await
}

/// Saves the caller's view of the servers list under its name.
#[server(prefix = "/api", endpoint = "servers/views", input = Json, output = Json)]
pub async fn save_view(
    name: String,
    #[server(default)] status: Option<String>,
    #[server(default)] environment: Option<String>,
    #[server(default)] tag: Option<String>,
    #[server(default)] q: Option<String>,
    #[server(default)] sort: Option<String>,
) -> Result<super::SavedView, AppError> {
    let input = super::SavedViewInput {
        name,
        status,
        environment,
        tag,
        q,
        sort,
    };
    crate::platform::serve(|ctx| async move { super::views::save(&ctx, input).await }).await
}

/// Deletes one of the caller's saved views.
#[server(prefix = "/api", endpoint = "servers/views/delete", input = Json, output = Json)]
pub async fn delete_view(id: i32) -> Result<(), AppError> {
    crate::platform::serve(|ctx| async move { super::views::delete(&ctx, id).await }).await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::error::AppError;
    use crate::platform::IdInput;
    use crate::servers::{
        ImportInput, ImportReport, LifecycleInput, SavedView, SavedViewInput, ServerDetail,
        ServerInput, ServerQuery, ServerView, SshTest, SshTestInput,
    };

    #[utoipa::path(get, path = "/api/servers", tag = "servers", params(ServerQuery),
        responses((status = 200, body = crate::platform::Page<ServerView>), (status = 401, body = AppError), (status = 403, body = AppError),
            (status = 422, description = "Unknown filter, sort or cursor", body = AppError)))]
    pub fn openapi_list_servers() {}

    #[utoipa::path(post, path = "/api/servers", tag = "servers", request_body = ServerInput,
        responses((status = 200, body = ServerView), (status = 401, body = AppError), (status = 403, body = AppError),
            (status = 404, body = AppError), (status = 409, description = "The name is taken", body = AppError),
            (status = 422, description = "Invalid fields", body = AppError)))]
    pub fn openapi_save_server() {}

    #[utoipa::path(post, path = "/api/servers/lifecycle", tag = "servers", request_body = LifecycleInput,
        responses((status = 200, body = ServerView), (status = 403, body = AppError), (status = 404, body = AppError),
            (status = 422, description = "A move the lifecycle does not allow", body = AppError)))]
    pub fn openapi_move_server() {}

    #[utoipa::path(post, path = "/api/servers/delete", tag = "servers", request_body = IdInput,
        responses((status = 200, description = "Deleted"), (status = 403, body = AppError), (status = 404, body = AppError),
            (status = 409, description = "Not decommissioned", body = AppError)))]
    pub fn openapi_delete_server() {}

    #[utoipa::path(post, path = "/api/servers/import", tag = "servers", request_body = ImportInput,
        responses((status = 200, body = ImportReport), (status = 403, body = AppError),
            (status = 422, description = "Invalid rows, by line (`rows.<line>.<field>`)", body = AppError)))]
    pub fn openapi_import_servers() {}

    #[utoipa::path(get, path = "/api/servers/detail", tag = "servers", params(("id" = i32, Query)),
        responses((status = 200, body = ServerDetail), (status = 403, body = AppError), (status = 404, body = AppError)))]
    pub fn openapi_read_server() {}

    #[utoipa::path(post, path = "/api/servers/ssh-test", tag = "servers", request_body = SshTestInput,
        responses((status = 200, description = "The host key to confirm, or the test's result", body = SshTest),
            (status = 403, body = AppError), (status = 404, body = AppError),
            (status = 409, description = "The host key is not the pinned (or confirmed) one", body = AppError),
            (status = 422, description = "No SSH user or credential", body = AppError)))]
    pub fn openapi_test_ssh() {}

    #[utoipa::path(get, path = "/api/servers/views", tag = "servers",
        responses((status = 200, description = "The caller's saved views, by name", body = Vec<SavedView>), (status = 403, body = AppError)))]
    pub fn openapi_list_views() {}

    #[utoipa::path(post, path = "/api/servers/views", tag = "servers", request_body = SavedViewInput,
        responses((status = 200, body = SavedView), (status = 403, body = AppError),
            (status = 409, description = "50 views already", body = AppError),
            (status = 422, description = "Invalid name or filters", body = AppError)))]
    pub fn openapi_save_view() {}

    #[utoipa::path(post, path = "/api/servers/views/delete", tag = "servers", request_body = IdInput,
        responses((status = 200, description = "Deleted"), (status = 403, body = AppError),
            (status = 404, description = "No such view of the caller's", body = AppError)))]
    pub fn openapi_delete_view() {}

    crate::server_parts!(
        paths(
            openapi_list_views,
            openapi_save_view,
            openapi_delete_view,
            openapi_test_ssh,
            openapi_list_servers,
            openapi_save_server,
            openapi_move_server,
            openapi_delete_server,
            openapi_import_servers,
            openapi_read_server
        ),
        bodies(
            super::SaveServer,
            super::MoveServer,
            super::DeleteServer,
            super::ImportServers,
            super::TestSsh,
            super::SaveView,
            super::DeleteView
        ),
        migrations(
            crate::servers::migration::Migration,
            crate::servers::migration::Views
        ),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
