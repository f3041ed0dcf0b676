//! Server functions of the inbox (`/api/notifications…`).
use super::{Inbox, Unread};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

/// The caller's notifications, newest first, and the unread count.
#[server(prefix = "/api", endpoint = "notifications", input = GetUrl, output = Json)]
pub async fn list_notifications(
    #[server(default)] unread: bool,
    #[server(default)] cursor: Option<String>,
    #[server(default)] per_page: Option<u64>,
) -> Result<Inbox, AppError> {
    crate::platform::serve(|ctx| async move {
        super::service::list(&ctx, unread, cursor, per_page).await
    })
    .await
}

/// Marks some of the caller's notifications read (or unread).
#[server(prefix = "/api", endpoint = "notifications/read", input = Json, output = Json)]
pub async fn mark_notifications(ids: Vec<i32>, read: bool) -> Result<Unread, AppError> {
    let input = super::ReadInput { ids, read };
    crate::platform::serve(|ctx| async move { super::service::mark(&ctx, input).await }).await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::error::AppError;
    use crate::notifications::{Inbox, ReadInput, Unread};

    #[utoipa::path(get, path = "/api/notifications", tag = "notifications",
        params(("unread" = Option<bool>, Query, description = "Only the unread ones"),
            ("cursor" = Option<String>, Query), ("per_page" = Option<u64>, Query)),
        responses((status = 200, description = "The caller's own notifications", body = Inbox),
            (status = 401, body = AppError), (status = 403, body = AppError), (status = 422, body = AppError)))]
    pub fn openapi_list_notifications() {}

    #[utoipa::path(post, path = "/api/notifications/read", tag = "notifications", request_body = ReadInput,
        responses((status = 200, description = "The unread count left", body = Unread),
            (status = 401, body = AppError), (status = 403, body = AppError),
            (status = 422, description = "No ids, or more than 200", body = AppError)))]
    pub fn openapi_mark_notifications() {}

    crate::server_parts!(
        paths(openapi_list_notifications, openapi_mark_notifications),
        bodies(super::MarkNotifications),
        migrations(crate::notifications::migration::Migration),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
