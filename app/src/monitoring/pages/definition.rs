//! The monitor form's values: one signal per field, filled from a monitor
//! and read back as the [`MonitorInput`] both "Test now" and "Save" send.
//! Every setting the API takes has a field, so saving from the page never
//! drops one set through the API.
use crate::monitoring::{MonitorInput, MonitorView};
use leptos::prelude::*;
use std::collections::BTreeMap;

#[derive(Clone, Copy)]
pub(super) struct Values {
    pub name: RwSignal<String>,
    pub kind: RwSignal<String>,
    pub target: RwSignal<String>,
    pub interval: RwSignal<String>,
    pub timeout: RwSignal<String>,
    pub retries: RwSignal<String>,
    pub server: RwSignal<String>,
    pub method: RwSignal<String>,
    /// One `Name: value` per line.
    pub headers: RwSignal<String>,
    pub keyword: RwSignal<String>,
    pub regex: RwSignal<String>,
    pub expected_status: RwSignal<String>,
    pub tls_days: RwSignal<String>,
    pub ignore_tls_errors: RwSignal<bool>,
    pub max_bytes: RwSignal<String>,
    pub record_type: RwSignal<String>,
    pub resolver: RwSignal<String>,
    pub expected: RwSignal<String>,
    pub paused: RwSignal<bool>,
}

impl Values {
    pub fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Values {
            name: s(),
            kind: s(),
            target: s(),
            interval: s(),
            timeout: s(),
            retries: s(),
            server: s(),
            method: s(),
            headers: s(),
            keyword: s(),
            regex: s(),
            expected_status: s(),
            tls_days: s(),
            ignore_tls_errors: RwSignal::new(false),
            max_bytes: s(),
            record_type: s(),
            resolver: s(),
            expected: s(),
            paused: RwSignal::new(false),
        }
    }

    /// Shows monitor `m`, or an empty form for `default_server` (the
    /// server whose view the page shows).
    pub fn fill(self, m: Option<&MonitorView>, default_server: Option<i32>) {
        let setting = |k: &str| m.and_then(|m| m.settings.get(k));
        let text = |k: &str| match setting(k) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let or = |v: String, default: &str| if v.is_empty() { default.into() } else { v };
        self.name.set(m.map(|m| m.name.clone()).unwrap_or_default());
        self.kind.set(m.map_or("http", |m| m.kind.as_str()).into());
        self.target
            .set(m.map(|m| m.target.clone()).unwrap_or_default());
        self.interval
            .set(m.map_or(60, |m| m.interval_seconds).to_string());
        self.timeout
            .set(m.map_or(10, |m| m.timeout_seconds).to_string());
        self.retries.set(m.map_or(1, |m| m.retries).to_string());
        self.server.set(
            m.map_or(default_server, |m| m.server_id)
                .map(|s| s.to_string())
                .unwrap_or_default(),
        );
        self.method.set(or(text("method"), "GET"));
        let headers = setting("headers")
            .and_then(|h| h.as_object())
            .map(|h| {
                h.iter()
                    .map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        self.headers.set(headers);
        self.keyword.set(text("keyword"));
        self.regex.set(text("regex"));
        self.expected_status.set(text("expected_status"));
        self.tls_days.set(text("tls_days"));
        self.ignore_tls_errors.set(
            setting("ignore_tls_errors")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
        );
        self.max_bytes.set(text("max_bytes"));
        self.record_type.set(or(text("record_type"), "A"));
        self.resolver.set(text("resolver"));
        self.expected.set(text("expected"));
        self.paused.set(m.is_some_and(|m| m.paused));
    }

    /// The definition as typed. A number that does not parse is sent as
    /// one the server refuses with its own message, under its field.
    pub fn input(self, id: Option<i32>) -> MonitorInput {
        let g = |s: RwSignal<String>| s.get_untracked().trim().to_string();
        let n = |s: RwSignal<String>| g(s).parse::<u32>().unwrap_or(u32::MAX);
        let opt = |s: RwSignal<String>| Some(g(s)).filter(|v| !v.is_empty());
        let opt_n = |s: RwSignal<String>| opt(s).map(|v| v.parse::<u32>().unwrap_or(u32::MAX));
        MonitorInput {
            id,
            name: g(self.name),
            kind: g(self.kind),
            target: g(self.target),
            interval_seconds: n(self.interval),
            timeout_seconds: n(self.timeout),
            retries: n(self.retries),
            server_id: g(self.server).parse().ok(),
            paused: self.paused.get_untracked(),
            method: opt(self.method),
            headers: headers(&self.headers.get_untracked()),
            expected_status: opt(self.expected_status),
            keyword: opt(self.keyword),
            regex: opt(self.regex),
            tls_days: opt_n(self.tls_days),
            ignore_tls_errors: self.ignore_tls_errors.get_untracked(),
            max_bytes: opt_n(self.max_bytes),
            record_type: opt(self.record_type),
            resolver: opt(self.resolver),
            expected: opt(self.expected),
        }
    }
}

/// `Name: value` lines as headers. A line without a colon becomes a header
/// with no name, which the server refuses under "headers".
fn headers(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(':') {
            Some((k, v)) => (k.trim().to_string(), v.trim().to_string()),
            None => (String::new(), l.to_string()),
        })
        .collect()
}

/// Calls server function `$f` with every field of a [`MonitorInput`] (it
/// takes them one by one, as the JSON API does).
macro_rules! call_with_input {
    ($f:path, $input:expr) => {{
        let crate::monitoring::MonitorInput {
            id,
            name,
            kind,
            target,
            interval_seconds,
            timeout_seconds,
            retries,
            server_id,
            paused,
            method,
            headers,
            expected_status,
            keyword,
            regex,
            tls_days,
            ignore_tls_errors,
            max_bytes,
            record_type,
            resolver,
            expected,
        } = $input;
        $f(
            id,
            name,
            kind,
            target,
            interval_seconds,
            timeout_seconds,
            retries,
            server_id,
            paused,
            method,
            headers,
            expected_status,
            keyword,
            regex,
            tls_days,
            ignore_tls_errors,
            max_bytes,
            record_type,
            resolver,
            expected,
        )
    }};
}
pub(super) use call_with_input;

#[cfg(test)]
mod tests {
    use super::headers;

    #[test]
    fn header_lines_are_parsed_and_bad_ones_kept_for_the_server() {
        let h = headers("Authorization: Bearer x:y\n\n  X-Env : prod \nnot a header");
        assert_eq!(h["Authorization"], "Bearer x:y");
        assert_eq!(h["X-Env"], "prod");
        assert_eq!(h[""], "not a header");
        assert_eq!(h.len(), 3);
    }
}
