//! Server functions of the `twofa` domain.
use super::{Enrollment, RecoveryCodes};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Starts enrolment: a new secret with its QR code.
#[server(prefix = "/api", endpoint = "2fa/enroll", input = Json, output = Json)]
pub async fn enroll_2fa() -> Result<Enrollment, AppError> {
    crate::platform::serve(|ctx| async move { super::service::enroll(&ctx).await }).await
}

/// Confirms enrolment with a current code; answers the recovery codes once.
#[server(prefix = "/api", endpoint = "2fa/confirm", input = Json, output = Json)]
pub async fn confirm_2fa(code: String) -> Result<RecoveryCodes, AppError> {
    crate::platform::serve(|ctx| async move { super::service::confirm(&ctx, &code).await }).await
}

/// Turns 2FA off, proven with the password and a current or recovery code.
#[server(prefix = "/api", endpoint = "2fa/disable", input = Json, output = Json)]
pub async fn disable_2fa(
    code: String,
    #[server(default)] password: String,
) -> Result<(), AppError> {
    let input = super::DisableInput { code, password };
    crate::platform::serve(|ctx| async move { super::service::disable(&ctx, input).await }).await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::error::AppError;
    use crate::twofa::{CodeInput, DisableInput, Enrollment, RecoveryCodes};

    #[utoipa::path(post, path = "/api/2fa/enroll", tag = "2fa",
        responses((status = 200, body = Enrollment), (status = 401, body = AppError), (status = 409, description = "Already on", body = AppError)))]
    pub fn openapi_enroll_2fa() {}

    #[utoipa::path(post, path = "/api/2fa/confirm", tag = "2fa", request_body = CodeInput,
        responses((status = 200, body = RecoveryCodes), (status = 422, description = "Wrong code", body = AppError)))]
    pub fn openapi_confirm_2fa() {}

    #[utoipa::path(post, path = "/api/2fa/disable", tag = "2fa", request_body = DisableInput,
        responses((status = 200, description = "2FA off"), (status = 422, description = "Wrong code", body = AppError)))]
    pub fn openapi_disable_2fa() {}

    crate::server_parts!(
        paths(openapi_enroll_2fa, openapi_confirm_2fa, openapi_disable_2fa),
        bodies(super::Confirm2fa, super::Disable2fa),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
