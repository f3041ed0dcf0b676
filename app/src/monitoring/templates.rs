//! The inventory decides what is monitored. A server that is `active` (or
//! in `maintenance`) gets the checks of its environment's template; a
//! `decommissioned` one has them paused, its history kept.
//!
//! The templates are built in for now: the SSH port over TCP, and the
//! node_exporter scrape for servers tagged `node-exporter`; production is
//! checked every 30 s, staging every 60 s, anything else every 120 s.
//!
//! [`reconcile`] brings the monitors in line with the inventory. It is
//! idempotent — a unique index on (server, origin) settles two instances
//! racing — and it runs on every engine sync and at once when a server
//! changes, so a crash between a lifecycle move and its checks loses
//! nothing: the next sync makes them.
use super::MonitorStatus;
use super::entity as monitor;
use crate::error::AppError;
use crate::servers::ServerStatus;
use crate::servers::service::MonitoredServer;
use chrono::Utc;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
};
use std::collections::BTreeSet;

/// The tag that asks for the node_exporter check.
pub const NODE_EXPORTER_TAG: &str = "node-exporter";

/// One check a template gives a server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateCheck {
    /// `template:<key>`, unique per server.
    pub origin: String,
    pub name: String,
    pub kind: super::MonitorKind,
    pub target: String,
    pub interval_seconds: u32,
}

/// How often an environment's servers are checked.
pub fn interval_for(environment: &str) -> u32 {
    match environment {
        "production" => 30,
        "staging" => 60,
        _ => 120,
    }
}

/// The checks `server` gets from its environment's template.
pub fn checks_for(server: &MonitoredServer) -> Vec<TemplateCheck> {
    let interval_seconds = interval_for(&server.environment);
    let host = if server.hostname.contains(':') {
        format!("[{}]", server.hostname)
    } else {
        server.hostname.clone()
    };
    let mut out = vec![TemplateCheck {
        origin: "template:ssh".into(),
        name: format!("{} · SSH", server.name),
        kind: super::MonitorKind::Tcp,
        target: format!("{host}:{}", server.ssh_port),
        interval_seconds,
    }];
    if server.tags.iter().any(|t| t == NODE_EXPORTER_TAG) {
        out.push(TemplateCheck {
            origin: "template:node-exporter".into(),
            name: format!("{} · node_exporter", server.name),
            kind: super::MonitorKind::NodeExporter,
            target: format!("http://{host}:9100/metrics"),
            interval_seconds,
        });
    }
    out
}

/// What one reconciliation did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reconciled {
    /// The ids of the monitors it made.
    pub created: Vec<i32>,
    pub paused: u64,
}

/// Creates the template checks active servers lack and pauses those of
/// decommissioned servers.
pub async fn reconcile(db: &DatabaseConnection) -> Result<Reconciled, AppError> {
    let servers = crate::servers::service::monitored(db).await?;
    if servers.is_empty() {
        return Ok(Reconciled::default());
    }
    let existing: BTreeSet<(i32, String)> = monitor::Entity::find()
        .select_only()
        .columns([monitor::Column::ServerId, monitor::Column::Origin])
        .filter(monitor::Column::Origin.is_not_null())
        .into_tuple::<(Option<i32>, Option<String>)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(s, o)| Some((s?, o?)))
        .collect();
    let mut done = Reconciled::default();
    let now = Utc::now();
    let mut retired = Vec::new();
    for server in &servers {
        if server.status == ServerStatus::Decommissioned {
            retired.push(server.id);
            continue;
        }
        for check in checks_for(server) {
            if existing.contains(&(server.id, check.origin.clone())) {
                continue;
            }
            let row = monitor::ActiveModel {
                name: Set(check.name),
                kind: Set(check.kind.as_str().into()),
                target: Set(check.target),
                interval_seconds: Set(check.interval_seconds as i32),
                timeout_seconds: Set(10),
                retries: Set(1),
                server_id: Set(Some(server.id)),
                paused: Set(false),
                settings: Set("{}".into()),
                push_token_hash: Set(None),
                status: Set(MonitorStatus::Pending.as_str().into()),
                failures: Set(0),
                message: Set(String::new()),
                origin: Set(Some(check.origin.clone())),
                revision: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            // Another instance (or a hand-made monitor with this name)
            // got there first: nothing to do. `ON CONFLICT DO NOTHING`
            // without a target covers every unique index (name, and
            // server with origin), not only the primary key.
            let inserted = monitor::Entity::insert(row)
                .on_conflict(OnConflict::new().do_nothing().to_owned())
                .exec_without_returning(db)
                .await?;
            if inserted > 0 {
                let id: Option<i32> = monitor::Entity::find()
                    .select_only()
                    .column(monitor::Column::Id)
                    .filter(monitor::Column::ServerId.eq(server.id))
                    .filter(monitor::Column::Origin.eq(check.origin.as_str()))
                    .into_tuple()
                    .one(db)
                    .await?;
                done.created.extend(id);
            }
        }
    }
    if !retired.is_empty() {
        // Imported here: `ExprTrait::add` would shadow `std::ops::Add` elsewhere.
        use sea_orm::sea_query::ExprTrait;
        let res = monitor::Entity::update_many()
            .col_expr(monitor::Column::Paused, Expr::value(true))
            .col_expr(
                monitor::Column::Status,
                Expr::value(MonitorStatus::Paused.as_str()),
            )
            .col_expr(
                monitor::Column::Revision,
                Expr::col(monitor::Column::Revision).add(1),
            )
            .col_expr(monitor::Column::UpdatedAt, Expr::value(now))
            .filter(monitor::Column::ServerId.is_in(retired))
            .filter(monitor::Column::Origin.is_not_null())
            .filter(monitor::Column::Paused.eq(false))
            .exec(db)
            .await?;
        done.paused = res.rows_affected;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(env: &str, tags: &[&str], host: &str) -> MonitoredServer {
        MonitoredServer {
            id: 1,
            name: "web-1".into(),
            hostname: host.into(),
            ssh_port: 2222,
            environment: env.into(),
            status: ServerStatus::Active,
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn templates_follow_environment_and_tags() {
        let plain = checks_for(&server("production", &[], "web-1.example.net"));
        assert_eq!(plain.len(), 1);
        assert_eq!(plain[0].target, "web-1.example.net:2222");
        assert_eq!(plain[0].interval_seconds, 30);
        let exporter = checks_for(&server("staging", &["node-exporter"], "::1"));
        assert_eq!(exporter.len(), 2);
        assert_eq!(exporter[0].target, "[::1]:2222");
        assert_eq!(exporter[1].target, "http://[::1]:9100/metrics");
        assert_eq!(exporter[1].interval_seconds, 60);
        assert_eq!(interval_for("lab"), 120);
        // Every template target passes the monitors' own validation.
        for c in plain.iter().chain(&exporter) {
            let input = super::super::MonitorInput {
                name: c.name.clone(),
                kind: c.kind.as_str().into(),
                target: c.target.clone(),
                interval_seconds: c.interval_seconds,
                timeout_seconds: 10,
                retries: 1,
                ..Default::default()
            };
            assert!(super::super::validate::monitor(&input).is_ok(), "{c:?}");
        }
    }
}
