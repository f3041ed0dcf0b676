//! Who hears of a ticket: the notices incidents hand to `notifications`.
use super::Severity;
use super::entity as incident;
use crate::error::AppError;
use crate::notifications::NoticeKind;
use crate::notifications::service::Notice;
use crate::platform::Permission;
use sea_orm::ConnectionTrait;
use std::collections::BTreeSet;

/// Where a notification about ticket `id` leads.
pub fn link(id: i32) -> String {
    format!("/app/incidents?selected={id}")
}

/// A notice about `m` for each of `users` but the actor.
pub fn notices(
    users: impl IntoIterator<Item = i32>,
    actor: Option<i32>,
    kind: NoticeKind,
    m: &incident::Model,
) -> Vec<Notice> {
    let severity = Severity::parse(&m.severity).unwrap_or(Severity::Medium);
    users
        .into_iter()
        .filter(|u| Some(*u) != actor)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|user_id| Notice {
            user_id,
            kind,
            subject: m.title.clone(),
            severity,
            link: link(m.id),
        })
        .collect()
}

/// Who is told about a new ticket, or a missed deadline nobody holds.
const MANAGERS_TOLD: u64 = 500;

pub async fn managers(conn: &impl ConnectionTrait) -> Result<Vec<i32>, AppError> {
    crate::users::service::holders_of(conn, Permission::IncidentsManage, MANAGERS_TOLD).await
}
