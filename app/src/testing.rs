//! What unit tests share: a service context on a fresh in-memory database.
use crate::platform::{AppState, AuthSettings, Ctx, secrets::SecretBox};
use std::{sync::Arc, time::Instant};

/// A context on a fresh in-memory database with migrations and built-in roles.
pub async fn test_ctx() -> Ctx {
    let db = crate::platform::db::connect("sqlite::memory:")
        .await
        .unwrap();
    crate::domains::migrate(&db).await.unwrap();
    crate::users::roles::sync_builtin(&db).await.unwrap();
    Ctx::new(AppState {
        db,
        started: Instant::now(),
        domains: crate::domains::ALL,
        public_url: Arc::from("http://127.0.0.1:3000"),
        source_url: None,
        secrets: Arc::new(SecretBox::from_key(&[9u8; 32])),
        auth: Arc::new(AuthSettings {
            idle: std::time::Duration::from_secs(1800),
            absolute: std::time::Duration::from_secs(43_200),
            cookie_secure: false,
            login_limiter: crate::platform::throttle::IpLimiter::per_minute(1000),
            jwt_key: [3u8; 32],
            recovery_key: [4u8; 32],
        }),
        events: crate::platform::events::EventBus::new(64, "test"),
        jobs_wake: Arc::new(tokio::sync::Notify::new()),
        runs_wake: Arc::new(tokio::sync::Notify::new()),
        local_executor: false,
    })
}
