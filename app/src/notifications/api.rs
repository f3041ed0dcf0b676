//! Server functions of the inbox (`/api/notifications…`) and of the
//! channels (`/api/notifications/channels…`, `/api/notifications/deliveries`).
// `save_channel` takes the fields of its JSON body; `#[server]` does not
// pass an `allow` on the function to the browser's copy.
#![allow(clippy::too_many_arguments)]
use super::{ChannelView, DeliveryPage, DeliveryView, Inbox, Unread};
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

/// Every channel (secrets never included).
#[server(prefix = "/api", endpoint = "notifications/channels", input = GetUrl, output = Json)]
pub async fn list_channels() -> Result<Vec<ChannelView>, AppError> {
    crate::platform::serve(|ctx| async move { super::channels::list(&ctx).await }).await
}

/// Creates a channel, or updates channel `id`.
#[server(prefix = "/api", endpoint = "notifications/channels", input = Json, output = Json)]
pub async fn save_channel(
    #[server(default)] id: Option<i32>,
    name: String,
    kind: String,
    #[server(default)] settings: std::collections::BTreeMap<String, String>,
    #[server(default)] secret: Option<String>,
    min_severity: String,
    #[server(default)] matchers: String,
    #[server(default)] enabled: bool,
) -> Result<ChannelView, AppError> {
    let input = super::ChannelInput {
        id,
        name,
        kind,
        settings,
        secret,
        min_severity,
        matchers,
        enabled,
    };
    crate::platform::serve(|ctx| async move { super::channels::save(&ctx, input).await }).await
}

/// Deletes a channel and its delivery log.
#[server(prefix = "/api", endpoint = "notifications/channels/delete", input = Json, output = Json)]
pub async fn delete_channel(id: i32) -> Result<(), AppError> {
    crate::platform::serve(|ctx| async move { super::channels::delete(&ctx, id).await }).await
}

/// Sends a test message through a channel now.
#[server(prefix = "/api", endpoint = "notifications/channels/test", input = Json, output = Json)]
pub async fn test_channel(id: i32) -> Result<DeliveryView, AppError> {
    crate::platform::serve(|ctx| async move { super::channels::test(&ctx, id).await }).await
}

/// The delivery log, newest first.
#[server(prefix = "/api", endpoint = "notifications/deliveries", input = GetUrl, output = Json)]
pub async fn list_deliveries(
    #[server(default)] channel: Option<i32>,
    #[server(default)] status: Option<String>,
    #[server(default)] cursor: Option<String>,
    #[server(default)] per_page: Option<u64>,
) -> Result<DeliveryPage, AppError> {
    let q = super::DeliveryQuery {
        channel,
        status,
        cursor,
        per_page,
    };
    crate::platform::serve(|ctx| async move { super::channels::deliveries(&ctx, q).await }).await
}

/// The caller's notification preferences.
#[server(prefix = "/api", endpoint = "notifications/preferences", input = GetUrl, output = Json)]
pub async fn read_preferences() -> Result<super::Prefs, AppError> {
    crate::platform::serve(|ctx| async move { super::prefs::read(&ctx).await }).await
}

/// Replaces the caller's notification preferences.
#[server(prefix = "/api", endpoint = "notifications/preferences", input = Json, output = Json)]
pub async fn save_preferences(
    inbox_min: String,
    #[server(default)] email_min: Option<String>,
    #[server(default)] quiet_from: Option<String>,
    #[server(default)] quiet_to: Option<String>,
    time_zone: String,
) -> Result<super::Prefs, AppError> {
    let input = super::PrefsInput {
        inbox_min,
        email_min,
        quiet_from,
        quiet_to,
        time_zone,
    };
    crate::platform::serve(|ctx| async move { super::prefs::save(&ctx, input).await }).await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::error::AppError;
    use crate::notifications::{
        ChannelInput, ChannelView, DeliveryPage, DeliveryQuery, DeliveryView, Inbox, Prefs,
        PrefsInput, ReadInput, Unread,
    };
    use crate::platform::IdInput;

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

    #[utoipa::path(get, path = "/api/notifications/channels", tag = "notifications",
        responses((status = 200, description = "Every channel; secrets are never returned", body = Vec<ChannelView>),
            (status = 401, body = AppError), (status = 403, body = AppError)))]
    pub fn openapi_list_channels() {}

    #[utoipa::path(post, path = "/api/notifications/channels", tag = "notifications", request_body = ChannelInput,
        responses((status = 200, body = ChannelView), (status = 403, body = AppError), (status = 404, body = AppError),
            (status = 422, description = "Invalid fields by name, a name taken, a secret missing", body = AppError)))]
    pub fn openapi_save_channel() {}

    #[utoipa::path(post, path = "/api/notifications/channels/delete", tag = "notifications", request_body = IdInput,
        responses((status = 200), (status = 403, body = AppError), (status = 404, body = AppError)))]
    pub fn openapi_delete_channel() {}

    #[utoipa::path(post, path = "/api/notifications/channels/test", tag = "notifications", request_body = IdInput,
        responses((status = 200, description = "The test delivery: `sent`, or `given_up` with the reason", body = DeliveryView),
            (status = 403, body = AppError), (status = 404, body = AppError)))]
    pub fn openapi_test_channel() {}

    #[utoipa::path(get, path = "/api/notifications/deliveries", tag = "notifications", params(DeliveryQuery),
        responses((status = 200, body = DeliveryPage), (status = 401, body = AppError), (status = 403, body = AppError),
            (status = 422, body = AppError)))]
    pub fn openapi_list_deliveries() {}

    #[utoipa::path(get, path = "/api/notifications/preferences", tag = "notifications",
        responses((status = 200, description = "The caller's own preferences (the defaults until saved)", body = Prefs),
            (status = 401, body = AppError), (status = 403, body = AppError)))]
    pub fn openapi_read_preferences() {}

    #[utoipa::path(post, path = "/api/notifications/preferences", tag = "notifications", request_body = PrefsInput,
        responses((status = 200, body = Prefs), (status = 401, body = AppError), (status = 403, body = AppError),
            (status = 422, description = "An unknown severity or time zone, a time not HH:MM, one end of the quiet hours alone", body = AppError)))]
    pub fn openapi_save_preferences() {}

    crate::server_parts!(
        paths(
            openapi_read_preferences,
            openapi_save_preferences,
            openapi_list_notifications,
            openapi_mark_notifications,
            openapi_list_channels,
            openapi_save_channel,
            openapi_delete_channel,
            openapi_test_channel,
            openapi_list_deliveries
        ),
        bodies(
            super::MarkNotifications,
            super::SaveChannel,
            super::DeleteChannel,
            super::TestChannel,
            super::SavePreferences
        ),
        migrations(
            crate::notifications::migration::Migration,
            crate::notifications::migration::Channels,
            crate::notifications::migration::Prefs
        ),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
