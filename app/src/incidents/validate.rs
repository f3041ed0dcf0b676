//! Incident input parsed into what the service stores: every invalid
//! field is answered at once, by name.
use super::{CommentInput, IncidentInput, Severity};
use crate::error::MsgKey;

/// The most servers one ticket names.
pub const MAX_SERVERS: usize = 20;
/// Longest description (characters).
pub const MAX_DESCRIPTION: usize = 20_000;
/// Longest comment (characters).
pub const MAX_COMMENT: usize = 10_000;

/// A ticket that passed every check but the servers' existence, which
/// the service checks in its transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidIncident {
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub server_ids: Vec<i32>,
}

/// Text of `min..=max` characters without control characters other than
/// line breaks and tabs (a description is Markdown: it has lines).
fn text(s: &str, min: usize, max: usize, multiline: bool) -> bool {
    let n = s.chars().count();
    (min..=max).contains(&n)
        && s.chars()
            .all(|c| !c.is_control() || (multiline && matches!(c, '\n' | '\r' | '\t')))
}

pub fn severity(raw: &str) -> Result<Severity, MsgKey> {
    Severity::parse(raw.trim()).ok_or(MsgKey::ChoiceInvalid)
}

pub fn incident(input: &IncidentInput) -> Result<ValidIncident, Vec<(&'static str, MsgKey)>> {
    let mut errors = Vec::new();
    let title = input.title.trim().to_string();
    if !text(&title, 1, 200, false) {
        errors.push(("title", MsgKey::IncidentTitleInvalid));
    }
    let description = input.description.trim().to_string();
    if !text(&description, 0, MAX_DESCRIPTION, true) {
        errors.push(("description", MsgKey::IncidentTextInvalid));
    }
    let severity = severity(&input.severity).map_err(|k| errors.push(("severity", k)));
    let mut server_ids = input.server_ids.clone();
    server_ids.sort_unstable();
    server_ids.dedup();
    if server_ids.len() > MAX_SERVERS || server_ids.iter().any(|id| *id <= 0) {
        errors.push(("server_ids", MsgKey::IncidentServersInvalid));
    }
    match severity {
        Ok(severity) if errors.is_empty() => Ok(ValidIncident {
            title,
            description,
            severity,
            server_ids,
        }),
        _ => Err(errors),
    }
}

/// A comment's text, trimmed.
pub fn comment(input: &CommentInput) -> Result<String, MsgKey> {
    let body = input.body.trim();
    if text(body, 1, MAX_COMMENT, true) {
        Ok(body.to_string())
    } else {
        Err(MsgKey::CommentInvalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(title: &str, severity: &str) -> IncidentInput {
        IncidentInput {
            title: title.into(),
            description: "The **API** answers 502.\n\n- since 10:02".into(),
            severity: severity.into(),
            server_ids: vec![3, 1, 3],
        }
    }

    fn fields(r: Result<ValidIncident, Vec<(&'static str, MsgKey)>>) -> Vec<&'static str> {
        r.err().unwrap().into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn a_good_ticket_is_trimmed_and_its_servers_deduplicated() {
        let v = incident(&input("  Checkout is down ", "critical")).unwrap();
        assert_eq!(v.title, "Checkout is down");
        assert_eq!(v.severity, Severity::Critical);
        assert_eq!(v.server_ids, vec![1, 3]);
        assert!(v.description.contains('\n'));
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        assert_eq!(
            fields(incident(&input(" ", "apocalyptic"))),
            ["title", "severity"]
        );
        assert_eq!(fields(incident(&input("a\u{7}b", "low"))), ["title"]);
        assert_eq!(fields(incident(&input(&"x".repeat(201), "low"))), ["title"]);
        let mut long = input("Disk full", "low");
        long.description = "y".repeat(MAX_DESCRIPTION + 1);
        long.server_ids = (1..=21).collect();
        assert_eq!(fields(incident(&long)), ["description", "server_ids"]);
        let mut negative = input("Disk full", "low");
        negative.server_ids = vec![-4];
        assert_eq!(fields(incident(&negative)), ["server_ids"]);
    }

    #[test]
    fn comments_have_words_within_bounds() {
        let c = |body: &str| {
            comment(&CommentInput {
                id: 1,
                body: body.into(),
            })
        };
        assert_eq!(c("  rolled back \n").unwrap(), "rolled back");
        assert!(c("   ").is_err());
        assert!(c(&"z".repeat(MAX_COMMENT + 1)).is_err());
        assert!(c("bell\u{7}").is_err());
    }
}
