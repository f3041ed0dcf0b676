//! Cross-cutting server-side building blocks: database, migrations, request
//! context and the helper every server function uses to reply.
pub mod ctx;
pub mod db;
pub mod migrations;

pub use ctx::{AppState, Ctx};

use crate::error::AppError;

/// Thin server functions end with this: on error it sets the HTTP status of
/// the response from the error code, so every route maps errors one way.
pub fn reply<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        crate::i18n_support::set_response_status(err.status());
    }
    result
}
