//! `tokens`: JWT API tokens for `Authorization: Bearer`. Signed with HS256
//! (key generated on first start, stored sealed); every token's `jti` is
//! stored, so revocation takes effect at once, and its scopes are cut down
//! to what the owner holds at the time of each request.
use crate::platform::Permission;
use serde::{Deserialize, Serialize};

pub mod api;
#[cfg(feature = "ssr")]
pub mod entity;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

crate::declare_domain!("tokens");

/// `POST /api/tokens`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreateToken {
    pub name: String,
    /// Permission names, each one the caller holds.
    pub scopes: Vec<String>,
    /// 1 to 365.
    pub expires_in_days: u32,
}

/// `POST /api/tokens` answer: the token, shown this once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewToken {
    pub id: i32,
    pub token: String,
}

impl std::fmt::Debug for NewToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewToken({}, ***)", self.id)
    }
}

/// A token as listed (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TokenView {
    pub id: i32,
    pub name: String,
    pub scopes: Vec<Permission>,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    pub revoked: bool,
}
