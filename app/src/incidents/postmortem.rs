//! Post-mortems: until someone saves one, a ticket's post-mortem is a
//! Markdown draft assembled from what the product knows — severity,
//! servers, the times it was opened, acknowledged and resolved, its
//! description as the impact, its timeline as a table — with the two
//! sections only people can write (cause, actions) left to fill. Saving
//! stores the edited text (a timeline line and an audit row); reading it
//! gives the Markdown (the export) and its safe HTML.
use super::entity::{self as incident, event};
use super::service::{announce, note, view, visible};
use super::{IncidentView, Postmortem, PostmortemInput, PublishInput, TimelineKind};
use crate::audit::{self, Event};
use crate::error::{AppError, MsgKey};
use crate::i18n::{Locale, td_string};
use crate::platform::{Ctx, Permission, markdown};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;

/// Longest post-mortem (characters).
pub const MAX_POSTMORTEM: usize = 50_000;

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| "—".into())
}

/// "after 12 min" / "after 3 h 05 min" from `from` to `to`.
fn after(from: DateTime<Utc>, to: Option<DateTime<Utc>>) -> String {
    let Some(to) = to else {
        return String::new();
    };
    let m = (to - from).num_minutes().max(0);
    if m < 60 {
        format!(" (+{m} min)")
    } else {
        format!(" (+{} h {:02} min)", m / 60, m % 60)
    }
}

/// A Markdown table cell: one line, pipes escaped.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The draft of `i` (with its rows `m` and `lines`), in `locale`.
pub fn draft(
    locale: Locale,
    m: &incident::Model,
    i: &IncidentView,
    lines: &[event::Model],
) -> String {
    let servers = if i.servers.is_empty() {
        "—".to_string()
    } else {
        i.servers
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = format!("# {}: {}\n\n", td_string!(locale, pm_heading), i.title);
    out.push_str(&format!(
        "- **{}:** {}\n- **{}:** {}\n- **{}:** {}\n- **{}:** {}{}\n- **{}:** {}{}\n\n",
        td_string!(locale, field_severity),
        i.severity.label(locale),
        td_string!(locale, incidents_servers),
        servers,
        td_string!(locale, field_opened),
        when(Some(m.created_at)),
        td_string!(locale, incident_status_acknowledged),
        when(m.acknowledged_at),
        after(m.created_at, m.acknowledged_at),
        td_string!(locale, incident_status_resolved),
        when(m.resolved_at),
        after(m.created_at, m.resolved_at),
    ));
    out.push_str(&format!("## {}\n\n", td_string!(locale, pm_impact)));
    if i.description.trim().is_empty() {
        out.push_str(&format!("_{}_\n\n", td_string!(locale, pm_to_write)));
    } else {
        out.push_str(i.description.trim());
        out.push_str("\n\n");
    }
    out.push_str(&format!(
        "## {}\n\n| {} | {} | {} |\n|---|---|---|\n",
        td_string!(locale, incident_timeline),
        td_string!(locale, pm_time),
        td_string!(locale, pm_who),
        td_string!(locale, pm_what),
    ));
    for e in lines {
        let kind = TimelineKind::parse(&e.kind).unwrap_or(TimelineKind::Comment);
        if kind == TimelineKind::Postmortem {
            continue;
        }
        let what = if e.body.is_empty() {
            kind.label(locale).to_string()
        } else {
            format!(
                "{}: {}",
                kind.label(locale),
                super::line_text(locale, kind, &e.body)
            )
        };
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            when(Some(e.at)),
            cell(e.actor_name.as_deref().unwrap_or("Dihya Ops")),
            cell(&what)
        ));
    }
    for heading in [td_string!(locale, pm_cause), td_string!(locale, pm_actions)] {
        out.push_str(&format!(
            "\n## {heading}\n\n_{}_\n",
            td_string!(locale, pm_to_write)
        ));
    }
    out
}

async fn answer(ctx: &Ctx, m: incident::Model) -> Result<Postmortem, AppError> {
    let lines = event::Entity::find()
        .filter(event::Column::IncidentId.eq(m.id))
        .order_by_asc(event::Column::Id)
        .all(ctx.db())
        .await?;
    let (markdown_text, saved) = match m.postmortem.clone() {
        Some(text) => (text, true),
        None => {
            let i = view(ctx.db(), m.clone()).await?;
            (
                draft(crate::i18n_support::current_locale(), &m, &i, &lines),
                false,
            )
        }
    };
    Ok(Postmortem {
        id: m.id,
        html: markdown::to_safe_html(&markdown_text),
        markdown: markdown_text,
        saved,
        published: m.postmortem_published_at.is_some(),
    })
}

/// `GET /api/incidents/postmortem`: the saved post-mortem, or the draft
/// (`incidents:read`; the reporter may read theirs too).
pub async fn read(ctx: &Ctx, id: i32) -> Result<Postmortem, AppError> {
    let (m, _) = visible(ctx, ctx.db(), id).await?;
    answer(ctx, m).await
}

/// `POST /api/incidents/postmortem`: saves the edited text
/// (`incidents:manage`).
pub async fn save(ctx: &Ctx, input: PostmortemInput) -> Result<Postmortem, AppError> {
    let me = ctx.require(Permission::IncidentsManage)?.clone();
    let body = input.body.trim().to_string();
    let n = body.chars().count();
    if n == 0
        || n > MAX_POSTMORTEM
        || body
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(AppError::invalid([("body", MsgKey::PostmortemInvalid)]));
    }
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let (m, _) = visible(ctx, &tx, input.id).await?;
    let first = m.postmortem.is_none();
    let m = incident::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(m.id),
        postmortem: Set(Some(body)),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    note(
        &tx,
        m.id,
        TimelineKind::Postmortem,
        Some(&me),
        String::new(),
    )
    .await?;
    audit::record(
        &tx,
        ctx,
        Event::new("incident.postmortem", "incident")
            .target(m.id)
            .diff(json!({"first": first})),
    )
    .await?;
    tx.commit().await?;
    announce(&ctx.state.events, &m, "updated");
    answer(ctx, m).await
}

/// `POST /api/incidents/postmortem/publish`: shows the saved post-mortem
/// on the status pages that show the ticket, or takes it back
/// (`incidents:manage`). Only a saved text goes out: a draft is the
/// product's guess, not the team's word.
pub async fn publish(ctx: &Ctx, input: PublishInput) -> Result<Postmortem, AppError> {
    let me = ctx.require(Permission::IncidentsManage)?.clone();
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let (m, _) = visible(ctx, &tx, input.id).await?;
    if input.published && m.postmortem.is_none() {
        return Err(AppError::invalid([("id", MsgKey::PostmortemUnsaved)]));
    }
    if m.postmortem_published_at.is_some() == input.published {
        tx.commit().await?;
        return answer(ctx, m).await;
    }
    let now = Utc::now();
    let m = incident::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(m.id),
        postmortem_published_at: Set(input.published.then_some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    let state = if input.published { "public" } else { "private" };
    note(&tx, m.id, TimelineKind::Published, Some(&me), state.into()).await?;
    audit::record(
        &tx,
        ctx,
        Event::new("incident.postmortem_publish", "incident")
            .target(m.id)
            .diff(json!({"published": input.published})),
    )
    .await?;
    tx.commit().await?;
    announce(&ctx.state.events, &m, "updated");
    answer(ctx, m).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_stay_on_one_line_and_keep_their_pipes() {
        assert_eq!(cell("a | b\n\nc"), "a \\| b c");
        assert_eq!(cell("back\\slash"), "back\\\\slash");
    }

    #[test]
    fn durations_read_in_minutes_then_hours() {
        let t0 = DateTime::from_timestamp(0, 0).unwrap();
        assert_eq!(
            after(t0, DateTime::from_timestamp(12 * 60, 0)),
            " (+12 min)"
        );
        assert_eq!(
            after(t0, DateTime::from_timestamp(3 * 3600 + 5 * 60, 0)),
            " (+3 h 05 min)"
        );
        assert_eq!(after(t0, None), "");
    }
}
