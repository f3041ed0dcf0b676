//! One check's run: the engine's scheduler makes a [`Job`] when a monitor
//! is due and runs it on a task of its own; a heartbeat monitor's "check"
//! reads when it last heard from its target.
use super::Finished;
use crate::monitoring::checks::{Checker, Spec};
use crate::monitoring::entity as monitor;
use crate::monitoring::{CheckOutcome, MonitorKind, MonitorStatus};
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};
use std::sync::Arc;
use std::time::Duration;

/// One check to run.
pub(super) struct Job {
    pub id: i32,
    pub spec: Arc<Spec>,
    pub retries: u32,
    pub in_maintenance: bool,
    pub interval: Duration,
    pub server_id: Option<i32>,
    pub secrets: Option<Arc<crate::platform::secrets::SecretBox>>,
}

impl Job {
    /// The spec with its server's SSH access, read now.
    async fn ssh_spec(&self, db: &DatabaseConnection) -> Result<Spec, String> {
        let secrets = self.secrets.as_ref().ok_or("no key to open credentials")?;
        let server = self.server_id.ok_or("an SSH check needs its server")?;
        let access = crate::servers::ssh::access(db, secrets, server).await?;
        let mut spec = (*self.spec).clone();
        spec.ssh = Some(Arc::new(access));
        Ok(spec)
    }

    pub async fn run(self, checker: &Checker, db: &DatabaseConnection) -> Finished {
        let at = Utc::now();
        let (outcome, reading) = match self.spec.kind {
            MonitorKind::Heartbeat => (
                heartbeat(db, self.id, self.interval + self.spec.timeout).await,
                None,
            ),
            MonitorKind::Ssh => match self.ssh_spec(db).await {
                Ok(spec) => checker.run_reading(&spec).await,
                Err(reason) => (CheckOutcome::down(reason), None),
            },
            _ => checker.run_reading(&self.spec).await,
        };
        Finished {
            id: self.id,
            at,
            outcome,
            reading,
            retries: self.retries,
            in_maintenance: self.in_maintenance,
        }
    }
}

/// A heartbeat monitor is up while its last beat is recent enough.
async fn heartbeat(db: &DatabaseConnection, id: i32, grace: Duration) -> CheckOutcome {
    let last: Option<Option<DateTime<Utc>>> = monitor::Entity::find_by_id(id)
        .select_only()
        .column(monitor::Column::LastBeatAt)
        .into_tuple()
        .one(db)
        .await
        .unwrap_or(None);
    let age = last
        .flatten()
        .map(|t| (Utc::now() - t).to_std().unwrap_or_default());
    match age {
        Some(age) if age <= grace => CheckOutcome {
            status: MonitorStatus::Up,
            latency_ms: 0,
            message: format!("last beat {} s ago", age.as_secs()),
            cert_days: None,
        },
        Some(age) => CheckOutcome {
            status: MonitorStatus::Down,
            latency_ms: 0,
            message: format!("no beat for {} s", age.as_secs()),
            cert_days: None,
        },
        None => CheckOutcome {
            status: MonitorStatus::Down,
            latency_ms: 0,
            message: "no beat received yet".into(),
            cert_days: None,
        },
    }
}
