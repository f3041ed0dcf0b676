//! How bad something is, worst first: one scale for incidents, alerts and
//! notifications, so a rule routes "critical" the same way everywhere.

crate::wire_enum! {
    /// How bad it is, worst first.
    Severity {
        Critical => "critical",
        High => "high",
        Medium => "medium",
        Low => "low",
        Info => "info",
    }
}

impl Severity {
    /// The severity in words, in `locale`.
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            Severity::Critical => td_string!(locale, severity_critical),
            Severity::High => td_string!(locale, severity_high),
            Severity::Medium => td_string!(locale, severity_medium),
            Severity::Low => td_string!(locale, severity_low),
            Severity::Info => td_string!(locale, severity_info),
        }
    }
}
