//! Parses a [`MonitorInput`] into a [`ValidMonitor`], every invalid field
//! reported at once. The settings it keeps are what the checks read back
//! ([`Settings`]), so a stored monitor always holds a checkable target.
use super::{MonitorInput, MonitorKind};
use crate::error::MsgKey;
use crate::servers::validate::{host, text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};

/// The shortest interval between two checks of one monitor.
pub const MIN_INTERVAL: u32 = 10;
pub const MAX_INTERVAL: u32 = 86_400;
pub const MAX_TIMEOUT: u32 = 120;
pub const MAX_RETRIES: u32 = 10;
/// What a check reads of an answer unless told otherwise…
pub const DEFAULT_MAX_BYTES: u32 = 64 * 1024;
/// …and at most (a node_exporter page is a few hundred kilobytes).
pub const MAX_BYTES: u32 = 1024 * 1024;
const MAX_HEADERS: usize = 20;
pub const RECORD_TYPES: &[&str] = &["A", "AAAA", "CNAME", "MX", "NS", "TXT"];

/// The kind's own settings, stored as JSON in `monitors.settings`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regex: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_days: Option<u32>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ignore_tls_errors: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolver: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
}

/// A monitor's fields, each checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMonitor {
    pub name: String,
    pub kind: MonitorKind,
    pub target: String,
    pub interval_seconds: u32,
    pub timeout_seconds: u32,
    pub retries: u32,
    pub server_id: Option<i32>,
    pub paused: bool,
    pub settings: Settings,
}

type Errors = Vec<(&'static str, MsgKey)>;

/// Every field of `input` checked; the list of invalid fields otherwise.
pub fn monitor(input: &MonitorInput) -> Result<ValidMonitor, Errors> {
    let mut errors: Errors = Vec::new();
    let mut check = |field: &'static str, ok: Result<(), MsgKey>| {
        if let Err(key) = ok {
            errors.push((field, key));
        }
    };
    let name = input.name.trim().to_string();
    check("name", text(&name, 1, 100, MsgKey::NameInvalid));
    let kind = MonitorKind::parse(input.kind.trim());
    if kind.is_none() {
        check("kind", Err(MsgKey::ChoiceInvalid));
    }
    let target = input.target.trim().to_string();
    if let Some(kind) = kind {
        check("target", self::target(kind, &target));
    }
    if !(MIN_INTERVAL..=MAX_INTERVAL).contains(&input.interval_seconds) {
        check("interval_seconds", Err(MsgKey::IntervalInvalid));
    }
    if input.timeout_seconds == 0
        || input.timeout_seconds > MAX_TIMEOUT
        || input.timeout_seconds >= input.interval_seconds
    {
        check("timeout_seconds", Err(MsgKey::TimeoutInvalid));
    }
    if input.retries > MAX_RETRIES {
        check("retries", Err(MsgKey::NumberInvalid));
    }
    if kind == Some(MonitorKind::Ssh) && input.server_id.is_none() {
        check("server_id", Err(MsgKey::SshNeedsServer));
    }
    let settings = settings(input, kind, &mut check);
    match kind {
        Some(kind) if errors.is_empty() => Ok(ValidMonitor {
            name,
            kind,
            target,
            interval_seconds: input.interval_seconds,
            timeout_seconds: input.timeout_seconds,
            retries: input.retries,
            server_id: input.server_id,
            paused: input.paused,
            settings,
        }),
        _ => Err(errors),
    }
}

/// The settings that apply to `kind`; the others are dropped, not stored.
fn settings(
    input: &MonitorInput,
    kind: Option<MonitorKind>,
    check: &mut impl FnMut(&'static str, Result<(), MsgKey>),
) -> Settings {
    let mut s = Settings::default();
    let trimmed = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let reads = matches!(
        kind,
        Some(
            MonitorKind::Http | MonitorKind::NodeExporter | MonitorKind::Command | MonitorKind::Ssh
        )
    );
    if let Some(n) = input.max_bytes.filter(|_| reads) {
        if n == 0 || n > MAX_BYTES {
            check("max_bytes", Err(MsgKey::NumberInvalid));
        }
        s.max_bytes = Some(n);
    }
    s.ignore_tls_errors = input.ignore_tls_errors
        && matches!(kind, Some(MonitorKind::Http | MonitorKind::NodeExporter));
    match kind {
        Some(MonitorKind::Http) => {
            let method = trimmed(&input.method).map(|m| m.to_uppercase());
            if let Some(m) = &method
                && !["GET", "HEAD", "POST"].contains(&m.as_str())
            {
                check("method", Err(MsgKey::ChoiceInvalid));
            }
            s.method = method;
            if input.headers.len() > MAX_HEADERS {
                check("headers", Err(MsgKey::HeaderInvalid));
            }
            for (k, v) in &input.headers {
                let name_ok = !k.is_empty()
                    && k.len() <= 100
                    && k.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b));
                let value_ok = v.len() <= 1000 && !v.chars().any(char::is_control);
                if !(name_ok && value_ok) {
                    check("headers", Err(MsgKey::HeaderInvalid));
                }
            }
            s.headers = input.headers.clone();
            s.expected_status = trimmed(&input.expected_status);
            if let Some(e) = &s.expected_status {
                check("expected_status", status_ranges(e).map(|_| ()));
            }
            s.keyword = trimmed(&input.keyword);
            if let Some(k) = &s.keyword {
                check("keyword", text(k, 1, 200, MsgKey::TextTooLong));
            }
            s.regex = trimmed(&input.regex);
            if let Some(r) = &s.regex {
                check("regex", compile(r).map(|_| ()));
            }
            if let Some(days) = input.tls_days {
                if !(1..=365).contains(&days) {
                    check("tls_days", Err(MsgKey::NumberInvalid));
                }
                s.tls_days = Some(days);
            }
        }
        Some(MonitorKind::Dns) => {
            let rt = trimmed(&input.record_type)
                .unwrap_or_else(|| "A".into())
                .to_uppercase();
            if !RECORD_TYPES.contains(&rt.as_str()) {
                check("record_type", Err(MsgKey::ChoiceInvalid));
            }
            s.record_type = Some(rt);
            s.resolver = trimmed(&input.resolver);
            if let Some(r) = &s.resolver {
                check("resolver", resolver(r).map(|_| ()));
            }
            s.expected = trimmed(&input.expected);
            if let Some(e) = &s.expected {
                check("expected", text(e, 1, 200, MsgKey::TextTooLong));
            }
        }
        _ => {}
    }
    s
}

/// What a target must look like for each kind.
fn target(kind: MonitorKind, t: &str) -> Result<(), MsgKey> {
    match kind {
        MonitorKind::Http | MonitorKind::NodeExporter => url(t).map(|_| ()),
        MonitorKind::Tcp => host_port(t).map(|_| ()),
        MonitorKind::Ping if t.parse::<IpAddr>().is_ok() => Ok(()),
        MonitorKind::Ping => host(&t.to_lowercase()).map_err(|_| MsgKey::HostnameInvalid),
        MonitorKind::Dns => host(&t.trim_end_matches('.').to_lowercase()),
        MonitorKind::Command => command_line(t).map(|_| ()),
        // Run by the server's login shell, like `ssh host 'command'`.
        MonitorKind::Ssh if t.is_empty() || t.len() > 1000 || t.contains(['\n', '\0']) => {
            Err(MsgKey::TargetInvalid)
        }
        MonitorKind::Ssh => Ok(()),
        MonitorKind::Heartbeat if t.is_empty() => Ok(()),
        MonitorKind::Heartbeat => Err(MsgKey::TargetInvalid),
    }
}

/// An `http` or `https` URL with a host, at most 2,048 characters.
pub fn url(t: &str) -> Result<reqwest::Url, MsgKey> {
    let parsed = reqwest::Url::parse(t).map_err(|_| MsgKey::UrlInvalid)?;
    let ok = t.len() <= 2048
        && matches!(parsed.scheme(), "http" | "https")
        && parsed.host_str().is_some_and(|h| !h.is_empty());
    ok.then_some(parsed).ok_or(MsgKey::UrlInvalid)
}

/// `host:port` or `[v6]:port`.
pub fn host_port(t: &str) -> Result<(String, u16), MsgKey> {
    if let Ok(addr) = t.parse::<SocketAddr>() {
        return (addr.port() != 0)
            .then(|| (addr.ip().to_string(), addr.port()))
            .ok_or(MsgKey::PortInvalid);
    }
    let (h, p) = t.rsplit_once(':').ok_or(MsgKey::TargetInvalid)?;
    let port: u16 = p.parse().map_err(|_| MsgKey::PortInvalid)?;
    if port == 0 {
        return Err(MsgKey::PortInvalid);
    }
    let h = h.to_lowercase();
    host(&h).map_err(|_| MsgKey::HostnameInvalid)?;
    Ok((h, port))
}

/// A DNS resolver: `ip` or `ip:port` (port 53 by default).
pub fn resolver(r: &str) -> Result<SocketAddr, MsgKey> {
    r.parse::<SocketAddr>()
        .or_else(|_| r.parse::<IpAddr>().map(|ip| SocketAddr::new(ip, 53)))
        .map_err(|_| MsgKey::IpInvalid)
}

/// Accepted status codes: `200-299`, `200,301,302` or both mixed; every
/// code within 100–599.
pub fn status_ranges(s: &str) -> Result<Vec<(u16, u16)>, MsgKey> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim) {
        let (lo, hi) = part.split_once('-').unwrap_or((part, part));
        let lo: u16 = lo.trim().parse().map_err(|_| MsgKey::StatusCodesInvalid)?;
        let hi: u16 = hi.trim().parse().map_err(|_| MsgKey::StatusCodesInvalid)?;
        if !(100..=599).contains(&lo) || !(lo..=599).contains(&hi) {
            return Err(MsgKey::StatusCodesInvalid);
        }
        out.push((lo, hi));
    }
    Ok(out)
}

/// A regular expression, bounded in size so a pattern cannot exhaust memory.
pub fn compile(r: &str) -> Result<regex::Regex, MsgKey> {
    if r.chars().count() > 500 {
        return Err(MsgKey::RegexInvalid);
    }
    regex::RegexBuilder::new(r)
        .size_limit(1 << 20)
        .build()
        .map_err(|_| MsgKey::RegexInvalid)
}

/// A monitoring-plugins command line: a plugin name (`check_…`, found in
/// the plugin directory at run time) and its arguments, split on spaces
/// with `'…'` and `"…"` quoting. No shell ever reads it.
pub fn command_line(t: &str) -> Result<Vec<String>, MsgKey> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in t.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if quote.is_some() || t.len() > 2048 || t.chars().any(char::is_control) {
        return Err(MsgKey::TargetInvalid);
    }
    if in_word {
        words.push(word);
    }
    let plugin_ok = words.first().is_some_and(|p| {
        p.len() <= 64
            && p.starts_with("check_")
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    });
    plugin_ok.then_some(words).ok_or(MsgKey::PluginInvalid)
}

#[cfg(test)]
mod tests;
