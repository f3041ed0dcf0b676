//! The server calls that code in the main WASM makes, as one function split
//! out of it.
//!
//! A server function called from the main WASM would put the
//! server-function client and serde_json in it (see `ui::JsonResource`), so
//! these calls go through a `#[leptos::lazy]` function, fetched the first
//! time one is made. One function for all of them rather than one each:
//! every split point adds a loader to `__wasm_split.js` and stubs to the
//! main WASM, which every visitor downloads.
use crate::ui::JsonText;

/// A call, with its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerCall {
    SystemInfo,
    SsoStatus,
    SetupStatus { token: String },
    GuidePage { slug: String },
    StatusPage { slug: String },
    Logout,
}

/// Makes the call; the reply (`Ok` or `Err`) comes back as JSON text, to be
/// decoded by split code (`JsonResource::get`).
#[leptos::lazy]
pub async fn call(call: ServerCall) -> JsonText {
    match call {
        ServerCall::SystemInfo => JsonText::of(&crate::system::api::get_system().await),
        ServerCall::SsoStatus => JsonText::of(&crate::sso::api::get_sso_status().await),
        ServerCall::SetupStatus { token } => {
            JsonText::of(&crate::setup::api::check_setup_token(token).await)
        }
        ServerCall::GuidePage { slug } => {
            JsonText::of(&crate::public_pages::api::get_guide_page(slug).await)
        }
        ServerCall::StatusPage { slug } => {
            JsonText::of(&crate::status_pages::api::get_status_page(slug).await)
        }
        ServerCall::Logout => JsonText::of(&crate::auth::api::logout().await),
    }
}
