//! `setup`: the one-time link printed on first start that leads to creating
//! the first administrator (the identity module completes the form).
use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

crate::declare_domain!("setup");

/// `POST /api/setup/check` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SetupCheck {
    pub token: String,
}

/// `POST /api/setup/complete` body.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SetupComplete {
    pub token: String,
    pub email: String,
    pub display_name: String,
    pub password: String,
}

/// `POST /api/setup/check` answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SetupStatus {
    pub valid: bool,
}
