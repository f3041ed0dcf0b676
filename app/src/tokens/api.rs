//! Server functions of the `tokens` domain.
use super::{NewToken, TokenView};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

/// Issues a token; the value is in this answer only.
#[server(prefix = "/api", endpoint = "tokens", input = Json, output = Json)]
pub async fn create_token(
    name: String,
    scopes: Vec<String>,
    expires_in_days: u32,
) -> Result<NewToken, AppError> {
    let input = super::CreateToken {
        name,
        scopes,
        expires_in_days,
    };
    crate::platform::serve(|ctx| async move { super::service::create(&ctx, input).await }).await
}

#[server(prefix = "/api", endpoint = "tokens", input = GetUrl, output = Json)]
pub async fn list_tokens() -> Result<Vec<TokenView>, AppError> {
    crate::platform::serve(|ctx| async move { super::service::list_own(&ctx).await }).await
}

#[server(prefix = "/api", endpoint = "tokens/revoke", input = Json, output = Json)]
pub async fn revoke_token(id: i32) -> Result<(), AppError> {
    crate::platform::serve(|ctx| async move { super::service::revoke(&ctx, id).await }).await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::error::AppError;
    use crate::platform::IdInput;
    use crate::tokens::{CreateToken, NewToken, TokenView};

    #[utoipa::path(post, path = "/api/tokens", tag = "tokens", request_body = CreateToken,
        responses((status = 200, description = "The token, shown once", body = NewToken),
            (status = 401, body = AppError), (status = 422, description = "Bad name, unknown scope or expiry", body = AppError)))]
    pub fn openapi_create_token() {}

    #[utoipa::path(get, path = "/api/tokens", tag = "tokens",
        responses((status = 200, body = [TokenView]), (status = 401, body = AppError)))]
    pub fn openapi_list_tokens() {}

    #[utoipa::path(post, path = "/api/tokens/revoke", tag = "tokens", request_body = IdInput,
        responses((status = 200, description = "Revoked"), (status = 404, body = AppError)))]
    pub fn openapi_revoke_token() {}

    crate::server_parts!(
        paths(
            openapi_create_token,
            openapi_list_tokens,
            openapi_revoke_token
        ),
        bodies(super::CreateToken, super::RevokeToken),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
