//! Shared state and the per-call context every service function takes first.
use crate::error::AppError;
use sea_orm::DatabaseConnection;
use std::{sync::Arc, time::Instant};

/// Process-wide state, built once by `server::Application::build`.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub started: Instant,
    pub public_url: Arc<str>,
    /// Where visitors get this instance's source code (AGPL section 13).
    pub source_url: Option<Arc<str>>,
}

/// What a service needs to do its work: the database and (from the identity
/// module on) the authenticated actor. Built per call by the server function.
#[derive(Clone)]
pub struct Ctx {
    pub state: AppState,
}

impl Ctx {
    pub fn new(state: AppState) -> Self {
        Ctx { state }
    }

    /// The context of the current server function call.
    pub fn from_request() -> Result<Self, AppError> {
        leptos::prelude::use_context::<AppState>()
            .map(Ctx::new)
            .ok_or_else(|| AppError::internal("AppState missing from Leptos context"))
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }
}
