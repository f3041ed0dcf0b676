//! The administration pages: accounts, roles and the security settings.
use crate::error::AppError;
use leptos::prelude::*;

mod roles;
mod security;
mod users;

pub use roles::RolesAdminRoute;
pub use security::SecurityAdminRoute;
pub use users::UsersAdminRoute;

type Loaded<T> = Resource<Result<T, AppError>>;
