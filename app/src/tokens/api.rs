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
    use crate::platform::{Ctx, reply};
    let input = super::CreateToken {
        name,
        scopes,
        expires_in_days,
    };
    reply(async { super::service::create(&Ctx::from_request()?, input).await }.await)
}

#[server(prefix = "/api", endpoint = "tokens", input = GetUrl, output = Json)]
pub async fn list_tokens() -> Result<Vec<TokenView>, AppError> {
    use crate::platform::{Ctx, reply};
    reply(async { super::service::list_own(&Ctx::from_request()?).await }.await)
}

#[server(prefix = "/api", endpoint = "tokens/revoke", input = Json, output = Json)]
pub async fn revoke_token(id: i32) -> Result<(), AppError> {
    use crate::platform::{Ctx, reply};
    reply(async { super::service::revoke(&Ctx::from_request()?, id).await }.await)
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::auth::IdInput;
    use crate::error::AppError;
    use crate::tokens::{CreateToken, NewToken, TokenView};

    #[utoipa::path(post, path = "/api/tokens", tag = "tokens", request_body = CreateToken,
        responses((status = 200, description = "The token, shown once", body = NewToken),
            (status = 401, body = AppError), (status = 422, description = "Bad name, unknown scope or expiry", body = AppError)))]
    #[allow(dead_code)]
    pub fn openapi_create_token() {}

    #[utoipa::path(get, path = "/api/tokens", tag = "tokens",
        responses((status = 200, body = [TokenView]), (status = 401, body = AppError)))]
    #[allow(dead_code)]
    pub fn openapi_list_tokens() {}

    #[utoipa::path(post, path = "/api/tokens/revoke", tag = "tokens", request_body = IdInput,
        responses((status = 200, description = "Revoked"), (status = 404, body = AppError)))]
    #[allow(dead_code)]
    pub fn openapi_revoke_token() {}
}
#[cfg(feature = "ssr")]
pub use openapi::*;
