//! Server functions of the `setup` domain.
use super::SetupStatus;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Whether a setup link is still valid. POST so the token stays out of URLs and logs.
#[server(prefix = "/api", endpoint = "setup/check", input = Json, output = Json)]
pub async fn check_setup_token(token: String) -> Result<SetupStatus, AppError> {
    crate::platform::serve(|ctx| async move { super::service::check(&ctx, &token).await }).await
}

/// Creates the first administrator through the one-time link and signs them in.
#[server(prefix = "/api", endpoint = "setup/complete", input = Json, output = Json)]
pub async fn complete_setup(
    token: String,
    email: String,
    display_name: String,
    password: String,
) -> Result<crate::auth::Me, AppError> {
    let input = super::SetupComplete {
        token,
        email,
        display_name,
        password,
    };
    crate::platform::serve(|ctx| async move {
        let session = crate::sessions::service::current()?;
        super::service::complete(&ctx, &session, input).await
    })
    .await
}

#[cfg(feature = "ssr")]
#[utoipa::path(
    post,
    path = "/api/setup/complete",
    tag = "setup",
    request_body = super::SetupComplete,
    responses(
        (status = 200, description = "First admin created and signed in", body = crate::auth::Me),
        (status = 403, description = "Expired or used link", body = crate::error::AppError),
        (status = 422, description = "Invalid fields", body = crate::error::AppError)
    )
)]
pub fn openapi_complete_setup() {}

#[cfg(feature = "ssr")]
#[utoipa::path(
    post,
    path = "/api/setup/check",
    tag = "setup",
    request_body = super::SetupCheck,
    responses(
        (status = 200, description = "Whether the link is valid", body = SetupStatus),
        (status = 400, description = "Malformed JSON", body = crate::error::AppError)
    )
)]
pub fn openapi_check_setup_token() {}

crate::server_parts!(
    paths(openapi_complete_setup, openapi_check_setup_token),
    bodies(CompleteSetup, CheckSetupToken),
);
