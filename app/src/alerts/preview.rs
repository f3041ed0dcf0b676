//! A rule's preview: its lifecycle run over the last 24 hours of stored
//! results of the monitors it covers, as the evaluator would have run it,
//! without writing anything. Reads at most [`MONITORS`] monitors.
use super::lifecycle::{Step, Track, step};
use super::{Condition, PreviewFiring, RuleInput, RulePreview};
use crate::error::AppError;
use crate::monitoring::for_alerts;
use crate::platform::{Ctx, Permission};
use chrono::{DateTime, Utc};

const MONITORS: u64 = 100;
const DAY: i64 = 86_400;

fn at(t: i64) -> String {
    DateTime::from_timestamp(t, 0)
        .map(crate::platform::rfc3339)
        .unwrap_or_default()
}

/// `POST /api/alerts/rules/preview`.
pub async fn preview(ctx: &Ctx, input: RuleInput) -> Result<RulePreview, AppError> {
    ctx.require(Permission::AlertsRead)?;
    let rule = super::rules::validate(&input).map_err(AppError::invalid)?;
    let db = ctx.db();
    let candidates = match rule.monitor_id {
        Some(m) => for_alerts::facts(db, &[m]).await?,
        None => for_alerts::all_facts(db, 10_000).await?,
    };
    let covered: Vec<_> = candidates
        .into_iter()
        .filter(|(id, f)| rule.covers(*id, f))
        .collect();
    let mut out = RulePreview {
        monitors: covered.len() as u32,
        results: 0,
        firings: Vec::new(),
        previewable: rule.condition != Condition::Tls,
    };
    if !out.previewable {
        return Ok(out);
    }
    // Through the current second: results are stamped in whole seconds.
    let to = Utc::now().timestamp() + 1;
    for (id, facts) in covered.into_iter().take(MONITORS as usize) {
        let rows = for_alerts::history(db, id, to - DAY, to).await?;
        out.results += rows.len() as u32;
        let mut track = Track::default();
        let mut open: Option<usize> = None;
        for row in &rows {
            let Some((holds, _)) = rule.holds(row) else {
                continue;
            };
            match step(&rule, &mut track, holds, row.at) {
                Step::Start(s) => {
                    track.open = Some((0, s));
                    if s == super::AlertStatus::Firing {
                        open = Some(out.firings.len());
                        out.firings.push(PreviewFiring {
                            monitor_id: id,
                            monitor: facts.name.clone(),
                            fired_at: at(row.at),
                            resolved_at: None,
                        });
                    }
                }
                Step::Fire => {
                    track.open = Some((0, super::AlertStatus::Firing));
                    open = Some(out.firings.len());
                    out.firings.push(PreviewFiring {
                        monitor_id: id,
                        monitor: facts.name.clone(),
                        fired_at: at(row.at),
                        resolved_at: None,
                    });
                }
                Step::Resolve => {
                    if let Some(i) = open.take() {
                        out.firings[i].resolved_at = Some(at(row.at));
                    }
                }
                Step::Drop | Step::Nothing => {}
            }
        }
    }
    Ok(out)
}
