//! The axum state: Leptos options plus the application's shared state.
use app::platform::AppState;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;

#[derive(Clone)]
pub struct ServerState {
    pub leptos: LeptosOptions,
    pub app: AppState,
    /// Networks that may read `/metrics` without a credential.
    pub metrics_allow: std::sync::Arc<crate::client_ip::Networks>,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(s: &ServerState) -> Self {
        s.leptos.clone()
    }
}
