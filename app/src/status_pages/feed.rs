//! A page's Atom feed (RFC 4287): one entry per ticket it shows, active
//! ones first, each updated when the ticket last moved; a published
//! post-mortem is the entry's content. Feed readers poll it, so it is
//! built from the same [`PublicStatus`] the page shows.
use super::{PublicIncident, PublicStatus};
use crate::i18n::{Locale, td_string};
use leptos_i18n::Locale as _;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn entry(out: &mut String, origin: &str, page: &str, i: &PublicIncident, locale: Locale) {
    let summary = format!("{} — {}", i.severity.label(locale), i.status.label(locale));
    out.push_str("  <entry>\n");
    out.push_str(&format!(
        "    <id>{}/status/{}#incident-{}</id>\n",
        esc(origin),
        esc(page),
        i.id
    ));
    out.push_str(&format!("    <title>{}</title>\n", esc(&i.title)));
    out.push_str(&format!(
        "    <published>{}</published>\n",
        esc(&i.opened_at)
    ));
    out.push_str(&format!("    <updated>{}</updated>\n", esc(&i.updated_at)));
    out.push_str(&format!(
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}/status/{}#incident-{}\"/>\n",
        esc(origin),
        esc(page),
        i.id
    ));
    out.push_str(&format!("    <summary>{}</summary>\n", esc(&summary)));
    if let Some(html) = &i.postmortem_html {
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            esc(html)
        ));
    }
    out.push_str("  </entry>\n");
}

/// The feed of `s`, with links under `origin` (`https://ops.example.com`).
pub fn atom(s: &PublicStatus, origin: &str, locale: Locale) -> String {
    let all: Vec<&PublicIncident> = s.active.iter().chain(&s.history).collect();
    // The newest change, or the page's own time when nothing happened.
    let updated = all
        .iter()
        .map(|i| i.updated_at.as_str())
        .max()
        .unwrap_or(s.generated_at.as_str());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        locale.as_str()
    ));
    out.push_str(&format!(
        "  <id>{}/status/{}</id>\n",
        esc(origin),
        esc(&s.slug)
    ));
    out.push_str(&format!(
        "  <title>{} — {}</title>\n",
        esc(&s.title),
        esc(td_string!(locale, status_incident_history))
    ));
    out.push_str(&format!("  <updated>{}</updated>\n", esc(updated)));
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}/status/{}/feed.atom\"/>\n",
        esc(origin),
        esc(&s.slug)
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}/status/{}\"/>\n",
        esc(origin),
        esc(&s.slug)
    ));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        esc(&s.title)
    ));
    for i in all {
        entry(&mut out, origin, &s.slug, i, locale);
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidents::IncidentStatus;
    use crate::platform::Severity;
    use crate::status_pages::Health;

    #[test]
    fn titles_and_post_mortems_are_escaped_and_every_entry_has_an_id() {
        let incident = PublicIncident {
            id: 7,
            title: "DB <down> & \"slow\"".into(),
            severity: Severity::High,
            status: IncidentStatus::Resolved,
            opened_at: "2026-12-01T10:00:00Z".into(),
            resolved_at: Some("2026-12-01T11:00:00Z".into()),
            updated_at: "2026-12-01T11:00:00Z".into(),
            postmortem_html: Some("<p>Cause</p>".into()),
        };
        let s = PublicStatus {
            slug: "acme".into(),
            title: "Acme".into(),
            description: String::new(),
            has_logo: false,
            health: Health::Operational,
            components: vec![],
            active: vec![],
            maintenance: vec![],
            history: vec![incident],
            generated_at: "2026-12-02T00:00:00Z".into(),
        };
        let xml = atom(&s, "https://ops.example", Locale::en);
        assert!(xml.contains("<title>DB &lt;down&gt; &amp; &quot;slow&quot;</title>"));
        assert!(xml.contains("<content type=\"html\">&lt;p&gt;Cause&lt;/p&gt;</content>"));
        assert!(xml.contains("<id>https://ops.example/status/acme#incident-7</id>"));
        assert!(xml.contains("<updated>2026-12-01T11:00:00Z</updated>"));
        assert_eq!(xml.matches("<entry>").count(), 1);
    }
}
