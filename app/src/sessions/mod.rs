//! `sessions`: browser sessions. Owns the `sessions` table (the
//! tower-sessions store in `store.rs`); starts, lists and ends sessions.
//! Who is behind a session is decided by `auth`, which reads it from here.
use serde::{Deserialize, Serialize};

pub mod api;
#[cfg(feature = "ssr")]
pub mod entity;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

crate::declare_domain!("sessions");

/// One of the caller's sessions. `id` is a hash of the session id, never the
/// cookie value itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub id: String,
    pub created_at: String,
    pub expires_at: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub current: bool,
}

/// `{"id": "…"}`: a session handle from `GET /api/auth/sessions`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SessionHandle {
    pub id: String,
}
