//! Rules of the `system` domain. Public information: no permission needed.
use super::{ModuleInfo, ModuleStatus, SystemInfo, VERSION};
use crate::{
    error::AppError,
    platform::{Ctx, db::Backend},
};

/// The product's modules, in the order of PRODUCT.md. One is available
/// when a domain declares it (`module` in its `DOMAIN`), planned otherwise.
pub const MODULES: &[&str] = &[
    "system",
    "servers",
    "monitoring",
    "alerting",
    "incidents",
    "notifications",
    "deployments",
    "automation",
    "plugins",
    "access",
];

pub async fn info(ctx: &Ctx) -> Result<SystemInfo, AppError> {
    Ok(SystemInfo {
        version: VERSION.to_string(),
        database: Backend::of(ctx.db()).name().to_string(),
        uptime_seconds: ctx.state.started.elapsed().as_secs(),
        source_url: ctx.state.source_url.as_deref().map(str::to_string),
        modules: MODULES
            .iter()
            .map(|id| {
                let built = ctx.state.domains.iter().any(|d| d.module == Some(*id));
                ModuleInfo {
                    id: (*id).to_string(),
                    enabled: built,
                    status: if built {
                        ModuleStatus::Available
                    } else {
                        ModuleStatus::Planned
                    },
                }
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::{
        sync::Arc,
        time::{Duration, Instant},
    };

    #[tokio::test]
    async fn reports_backend_version_uptime_and_modules() {
        let mut ctx = crate::testing::test_ctx().await;
        ctx.state.started = Instant::now() - Duration::from_secs(5);
        ctx.state.source_url = Some(Arc::from("https://example.org/src"));
        let info = info(&ctx).await.unwrap();
        assert_eq!(info.database, "sqlite");
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert!(info.uptime_seconds >= 5);
        assert_eq!(info.source_url.as_deref(), Some("https://example.org/src"));
        assert_eq!(info.modules.len(), MODULES.len());
        assert!(info.modules.iter().any(|m| m.id == "system" && m.enabled));
        assert!(info.modules.iter().any(|m| m.id == "access" && m.enabled));
        assert!(info.modules.iter().any(|m| m.id == "servers" && m.enabled));
        assert!(
            info.modules
                .iter()
                .any(|m| m.id == "monitoring" && m.enabled)
        );
        assert!(info.modules.iter().any(|m| m.id == "alerting" && m.enabled));
        assert!(
            info.modules
                .iter()
                .any(|m| m.id == "deployments" && !m.enabled)
        );
        assert!(
            info.modules
                .iter()
                .filter(|m| m.enabled)
                .all(|m| m.status == ModuleStatus::Available)
        );
    }
}
