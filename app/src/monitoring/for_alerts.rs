//! What alerting reads of monitors: their names, kinds and servers (a
//! rule's scope and an alert's labels). Re-exported by nothing: alerts
//! call it by this path.
use super::MonitorKind;
use super::entity as monitor;
use crate::error::AppError;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::BTreeMap;

/// What alerting knows of a monitor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonitorFacts {
    pub name: String,
    pub kind: MonitorKind,
    pub server_id: Option<i32>,
}

/// The facts of those of `ids` that exist.
pub async fn facts(
    conn: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<BTreeMap<i32, MonitorFacts>, AppError> {
    let mut out = BTreeMap::new();
    for part in ids.chunks(500) {
        let rows: Vec<(i32, String, String, Option<i32>)> = monitor::Entity::find()
            .select_only()
            .columns([
                monitor::Column::Id,
                monitor::Column::Name,
                monitor::Column::Kind,
                monitor::Column::ServerId,
            ])
            .filter(monitor::Column::Id.is_in(part.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        for (id, name, kind, server_id) in rows {
            if let Some(kind) = MonitorKind::parse(&kind) {
                out.insert(
                    id,
                    MonitorFacts {
                        name,
                        kind,
                        server_id,
                    },
                );
            }
        }
    }
    Ok(out)
}
