//! `twofa`: TOTP two-factor authentication (RFC 6238) with single-use
//! recovery codes. Seeds are sealed with `platform::secrets`; recovery codes
//! are stored as HMAC-SHA-256 under a sealed instance key. TOTP codes are
//! single use, and wrong codes count in the sign-in throttle.
use serde::{Deserialize, Serialize};

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
mod recovery_entity;
#[cfg(feature = "ssr")]
pub mod service;

crate::declare_domain!("twofa");

/// `POST /api/2fa/enroll` answer: the new secret, shown until confirmed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Enrollment {
    /// Base32 key for manual entry.
    pub secret: String,
    pub otpauth_url: String,
    /// The otpauth URL as a QR code: `data:image/svg+xml;base64,…`.
    pub qr_svg_data_url: String,
}

impl std::fmt::Debug for Enrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrollment(***)")
    }
}

/// `POST /api/2fa/confirm` body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CodeInput {
    pub code: String,
}

/// `POST /api/2fa/disable` body: the account's password (ignored for an
/// account without one) and a current code or a recovery code.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DisableInput {
    pub code: String,
    #[serde(default)]
    pub password: String,
}

/// `POST /api/2fa/confirm` answer: recovery codes, shown once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

impl std::fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryCodes(***)")
    }
}
