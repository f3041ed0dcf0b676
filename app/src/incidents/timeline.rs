//! What a timeline line records, and its text in the reader's language.
use super::{IncidentStatus, Severity};
use crate::i18n::td_string;

impl TimelineKind {
    /// What the line records, in words (after the actor's name).
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        match self {
            TimelineKind::Created => td_string!(locale, timeline_created),
            TimelineKind::Status => td_string!(locale, timeline_status),
            TimelineKind::Assignee => td_string!(locale, timeline_assignee),
            TimelineKind::Severity => td_string!(locale, timeline_severity),
            TimelineKind::Comment => td_string!(locale, timeline_comment),
            TimelineKind::SlaBreach => td_string!(locale, timeline_sla_breach),
            TimelineKind::Postmortem => td_string!(locale, timeline_postmortem),
            TimelineKind::Alert => td_string!(locale, timeline_alert),
            TimelineKind::Published => td_string!(locale, timeline_published),
        }
    }
}

/// A timeline line's text in `locale`: a move between statuses or
/// severities is stored by wire names (`open → acknowledged`) and shown in
/// words; a missed deadline as which one and when; anything else (a
/// comment, a name) as written.
pub fn line_text(locale: crate::i18n::Locale, kind: TimelineKind, body: &str) -> String {
    if kind == TimelineKind::Alert
        && let Some(alert) = body.strip_suffix(" — resolved")
    {
        let resolved = IncidentStatus::Resolved.label(locale);
        return format!("{alert} — {resolved}");
    }
    if kind == TimelineKind::SlaBreach
        && let Some((target, at)) = body.split_once(' ')
    {
        let due = match target {
            "acknowledge" => td_string!(locale, incident_ack_by),
            _ => td_string!(locale, incident_resolve_by),
        };
        return format!("{due} {}", crate::ui::short_utc(at));
    }
    if kind == TimelineKind::Published {
        return match body {
            "public" => td_string!(locale, postmortem_public),
            _ => td_string!(locale, postmortem_private),
        }
        .to_string();
    }
    let words = |w: &str| match kind {
        TimelineKind::Status => IncidentStatus::parse(w).map(|s| s.label(locale)),
        TimelineKind::Severity | TimelineKind::Created => {
            Severity::parse(w).map(|s| s.label(locale))
        }
        _ => None,
    };
    match body.split_once(" → ") {
        Some((from, to)) => match (words(from), words(to)) {
            (Some(a), Some(b)) => format!("{a} → {b}"),
            _ => body.to_string(),
        },
        None => words(body).map_or_else(|| body.to_string(), str::to_string),
    }
}

crate::wire_enum! {
    /// What a timeline entry records.
    TimelineKind {
        Created => "created",
        Status => "status",
        Assignee => "assignee",
        Severity => "severity",
        Comment => "comment",
        SlaBreach => "sla_breach",
        Postmortem => "postmortem",
        Alert => "alert",
        Published => "published",
    }
}
