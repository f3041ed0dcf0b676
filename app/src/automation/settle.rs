//! A run's status from its hosts' outcomes, written on the run row.
use super::RunStatus;
use super::entity::{run, target};
use crate::error::AppError;
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, prelude::Expr};

fn status_of(s: &str) -> RunStatus {
    RunStatus::parse(s).unwrap_or(RunStatus::Failed)
}

/// A run's status from its hosts': running while any runs; once all are
/// done, interrupted, cancelled, failed or succeeded (the worst wins),
/// with the first non-zero exit status, and its sealed values dropped.
pub async fn settle(conn: &impl ConnectionTrait, run_id: i32) -> Result<RunStatus, AppError> {
    let hosts = target::Entity::find()
        .filter(target::Column::RunId.eq(run_id))
        .order_by_asc(target::Column::Id)
        .all(conn)
        .await?;
    let states: Vec<RunStatus> = hosts.iter().map(|t| status_of(&t.status)).collect();
    let status = overall(&states);
    let mut update = run::Entity::update_many()
        .col_expr(run::Column::Status, Expr::value(status.as_str()))
        .filter(run::Column::Id.eq(run_id));
    if status != RunStatus::Queued {
        let first = hosts.iter().filter_map(|t| t.started_at).min();
        update = update.col_expr(run::Column::StartedAt, Expr::value(first));
    }
    if status.is_done() {
        let codes: Vec<i32> = hosts.iter().filter_map(|t| t.exit_code).collect();
        let code = codes
            .iter()
            .copied()
            .find(|c| *c != 0)
            .or(codes.first().copied());
        update = update
            .col_expr(run::Column::ExitCode, Expr::value(code))
            .col_expr(run::Column::FinishedAt, Expr::value(Utc::now()))
            .col_expr(
                run::Column::SealedParameters,
                Expr::value(Option::<String>::None),
            );
    }
    update.exec(conn).await?;
    Ok(status)
}

/// The run's status from its hosts' statuses.
pub fn overall(states: &[RunStatus]) -> RunStatus {
    use RunStatus::*;
    if states.contains(&Running) || (states.contains(&Queued) && states.iter().any(|s| s.is_done()))
    {
        return Running;
    }
    if states.is_empty() || states.iter().all(|s| *s == Queued) {
        return Queued;
    }
    for worst in [Interrupted, Cancelled, Failed] {
        if states.contains(&worst) {
            return worst;
        }
    }
    Succeeded
}

#[cfg(test)]
mod tests {
    use super::overall;
    use crate::automation::RunStatus::*;

    #[test]
    fn the_worst_host_outcome_is_the_run_s() {
        assert_eq!(overall(&[Queued, Queued]), Queued);
        assert_eq!(overall(&[Succeeded, Queued]), Running);
        assert_eq!(overall(&[Succeeded, Running]), Running);
        assert_eq!(overall(&[Succeeded, Succeeded]), Succeeded);
        assert_eq!(overall(&[Succeeded, Failed]), Failed);
        assert_eq!(overall(&[Failed, Cancelled]), Cancelled);
        assert_eq!(overall(&[Cancelled, Interrupted, Failed]), Interrupted);
    }
}
