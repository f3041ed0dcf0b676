//! Server functions of the administration area: accounts and roles.
use crate::error::AppError;
use crate::users::{RoleView, UserPage, UserStatus, UserView};
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json};

/// Lists users: filter (`q`, `role`, `status`), sort, paginate.
#[server(prefix = "/api", endpoint = "users", input = GetUrl, output = Json)]
pub async fn list_users(
    #[server(default)] q: Option<String>,
    #[server(default)] role: Option<String>,
    #[server(default)] status: Option<UserStatus>,
    #[server(default)] sort: Option<String>,
    #[server(default)] page: Option<u64>,
    #[server(default)] per_page: Option<u64>,
) -> Result<UserPage, AppError> {
    let query = crate::users::UserQuery {
        q,
        role,
        status,
        sort,
        page,
        per_page,
    };
    crate::platform::serve(|ctx| async move { crate::users::service::list(&ctx, query).await })
        .await
}

/// Creates a user, or updates one when `id` is given.
#[server(prefix = "/api", endpoint = "users", input = Json, output = Json)]
#[allow(clippy::too_many_arguments)]
pub async fn save_user(
    #[server(default)] id: Option<i32>,
    email: String,
    display_name: String,
    role: String,
    #[server(default)] status: Option<UserStatus>,
    #[server(default)] locale: Option<String>,
    #[server(default)] password: Option<String>,
) -> Result<UserView, AppError> {
    let input = crate::users::SaveUser {
        id,
        email,
        display_name,
        role,
        status,
        locale,
        password,
    };
    crate::platform::serve(|ctx| async move { super::service::save(&ctx, input).await }).await
}

/// Ends every session of a user.
#[server(prefix = "/api", endpoint = "users/revoke-sessions", input = Json, output = Json)]
pub async fn revoke_user_sessions(id: i32) -> Result<u64, AppError> {
    crate::platform::serve(|ctx| async move { super::service::end_sessions(&ctx, id).await }).await
}

/// Removes a user's 2FA (lost device) and ends their sessions.
#[server(prefix = "/api", endpoint = "users/reset-2fa", input = Json, output = Json)]
pub async fn reset_user_2fa(id: i32) -> Result<(), AppError> {
    crate::platform::serve(|ctx| async move { crate::twofa::service::admin_reset(&ctx, id).await })
        .await
}

#[server(prefix = "/api", endpoint = "roles", input = GetUrl, output = Json)]
pub async fn list_roles() -> Result<Vec<RoleView>, AppError> {
    crate::platform::serve(|ctx| async move { crate::users::roles::list(&ctx).await }).await
}

/// Creates or updates a custom role; on a built-in role only `require_2fa` changes.
#[server(prefix = "/api", endpoint = "roles", input = Json, output = Json)]
pub async fn save_role(
    name: String,
    #[server(default)] permissions: Vec<String>,
    #[server(default)] require_2fa: bool,
) -> Result<RoleView, AppError> {
    let input = crate::users::SaveRole {
        name,
        permissions,
        require_2fa,
    };
    crate::platform::serve(|ctx| async move { crate::users::roles::save(&ctx, input).await }).await
}

#[cfg(feature = "ssr")]
mod openapi {
    use crate::error::AppError;
    use crate::platform::IdInput;
    use crate::users::{RoleView, SaveRole, SaveUser, UserPage, UserQuery, UserView};

    #[utoipa::path(get, path = "/api/users", tag = "users", params(UserQuery),
        responses((status = 200, body = UserPage), (status = 401, body = AppError), (status = 403, body = AppError)))]
    pub fn openapi_list_users() {}

    #[utoipa::path(post, path = "/api/users", tag = "users", request_body = SaveUser,
        responses((status = 200, body = UserView), (status = 401, body = AppError), (status = 403, body = AppError),
            (status = 422, description = "Invalid fields, last admin, unknown role", body = AppError)))]
    pub fn openapi_save_user() {}

    #[utoipa::path(post, path = "/api/users/revoke-sessions", tag = "users", request_body = IdInput,
        responses((status = 200, description = "Number of sessions ended", body = u64), (status = 403, body = AppError)))]
    pub fn openapi_revoke_user_sessions() {}

    #[utoipa::path(post, path = "/api/users/reset-2fa", tag = "users", request_body = IdInput,
        responses((status = 200, description = "2FA removed"), (status = 403, body = AppError)))]
    pub fn openapi_reset_user_2fa() {}

    #[utoipa::path(get, path = "/api/roles", tag = "users",
        responses((status = 200, body = [RoleView]), (status = 403, body = AppError)))]
    pub fn openapi_list_roles() {}

    #[utoipa::path(post, path = "/api/roles", tag = "users", request_body = SaveRole,
        responses((status = 200, body = RoleView), (status = 403, body = AppError), (status = 422, body = AppError)))]
    pub fn openapi_save_role() {}

    crate::server_parts!(
        paths(
            openapi_list_users,
            openapi_save_user,
            openapi_revoke_user_sessions,
            openapi_reset_user_2fa,
            openapi_list_roles,
            openapi_save_role
        ),
        bodies(
            super::SaveUser,
            super::RevokeUserSessions,
            super::ResetUser2fa,
            super::SaveRole
        ),
    );
}
#[cfg(feature = "ssr")]
pub use openapi::*;
