//! Housekeeping in the background of a running server.
use crate::rate_limit::Limits;
use app::{platform::AppState, sessions::store::SeaOrmStore};
use std::{sync::Arc, time::Duration};

/// Housekeeping: limiter memory every minute; expired sessions, stale
/// sign-in counters and audit rows past retention every hour.
pub async fn run(limits: Arc<Limits>, state: AppState, audit_retention_days: u32) {
    use tower_sessions::ExpiredDeletion;
    let store = SeaOrmStore::new(state.db.clone());
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    for minute in 0u64.. {
        tick.tick().await;
        limits.shrink();
        state.auth.login_limiter.shrink();
        if minute % 60 == 0 {
            if let Err(e) = store.delete_expired().await {
                tracing::warn!(error = %e, "expired session cleanup failed");
            }
            let _ = app::platform::throttle::purge(&state.db).await;
            match app::audit::service::purge_older_than(&state.db, audit_retention_days).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(rows = n, "audit rows past retention deleted"),
                Err(e) => tracing::warn!(error = %e, "audit retention purge failed"),
            }
        }
    }
}
