//! A channel's settings, checked by kind: what each kind needs (the
//! recipients and SMTP server of an email channel, a webhook's URL, a
//! Telegram chat, an ntfy topic) and whether it needs a secret.
use super::ChannelKind;
use crate::error::MsgKey;
use std::collections::BTreeMap;

pub(super) type Errors = Vec<(&'static str, MsgKey)>;

fn http_url(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() <= 2_000
        && !s.contains(char::is_whitespace)
}

fn email_like(s: &str) -> bool {
    let s = s.trim();
    s.len() <= 254
        && s.split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.'))
}

/// The settings a kind needs, checked; `secret` is the one given now (a
/// saved channel keeps its secret when none is given).
pub fn check(
    kind: ChannelKind,
    settings: &BTreeMap<String, String>,
    secret: Option<&str>,
    has_secret: bool,
) -> Result<BTreeMap<String, String>, Errors> {
    let mut errors = Errors::new();
    let get = |k: &str| {
        settings
            .get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut out = BTreeMap::new();
    let secret_needed = !matches!(kind, ChannelKind::Ntfy | ChannelKind::Email);
    if secret_needed && secret.is_none() && !has_secret {
        errors.push(("secret", MsgKey::SecretRequired));
    }
    match kind {
        ChannelKind::Email => {
            let to: Vec<String> = get("to")
                .unwrap_or_default()
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if to.is_empty() || to.len() > 20 || !to.iter().all(|t| email_like(t)) {
                errors.push(("to", MsgKey::EmailInvalid));
            }
            out.insert("to".into(), to.join(", "));
            match get("smtp_host") {
                Some(h) if h.len() <= 253 && !h.contains(char::is_whitespace) => {
                    out.insert("smtp_host".into(), h);
                }
                _ => errors.push(("smtp_host", MsgKey::HostnameInvalid)),
            }
            let port = get("smtp_port").unwrap_or_else(|| "587".into());
            match port.parse::<u16>() {
                Ok(p) if p > 0 => {
                    out.insert("smtp_port".into(), p.to_string());
                }
                _ => errors.push(("smtp_port", MsgKey::PortInvalid)),
            }
            match get("smtp_from") {
                Some(f) if email_like(&f) => {
                    out.insert("smtp_from".into(), f);
                }
                _ => errors.push(("smtp_from", MsgKey::EmailInvalid)),
            }
            if let Some(u) = get("smtp_user") {
                out.insert("smtp_user".into(), u.chars().take(200).collect());
            }
            let tls = get("smtp_tls").unwrap_or_else(|| "starttls".into());
            if matches!(tls.as_str(), "none" | "starttls" | "tls") {
                out.insert("smtp_tls".into(), tls);
            } else {
                errors.push(("smtp_tls", MsgKey::ChoiceInvalid));
            }
        }
        ChannelKind::Webhook => match get("url") {
            Some(u) if http_url(&u) => {
                out.insert("url".into(), u);
            }
            _ => errors.push(("url", MsgKey::UrlInvalid)),
        },
        ChannelKind::Slack | ChannelKind::Discord | ChannelKind::Teams => {
            if secret.is_some_and(|s| !http_url(s)) {
                errors.push(("secret", MsgKey::UrlInvalid));
            }
        }
        ChannelKind::Telegram => {
            match get("chat_id") {
                Some(c) if c.len() <= 64 => {
                    out.insert("chat_id".into(), c);
                }
                _ => errors.push(("chat_id", MsgKey::TargetInvalid)),
            }
            let api = get("api_url").unwrap_or_else(|| "https://api.telegram.org".into());
            if http_url(&api) {
                out.insert("api_url".into(), api.trim_end_matches('/').into());
            } else {
                errors.push(("api_url", MsgKey::UrlInvalid));
            }
        }
        ChannelKind::Ntfy => match get("url") {
            // The server and the topic: `https://ntfy.sh/ops-alerts`.
            Some(u)
                if http_url(&u)
                    && u.trim_end_matches('/')
                        .rsplit_once('/')
                        .is_some_and(|(base, topic)| {
                            base.contains("://")
                                && base.split("://").nth(1).is_some_and(|h| !h.is_empty())
                                && !topic.is_empty()
                        }) =>
            {
                out.insert("url".into(), u.trim_end_matches('/').into());
            }
            _ => errors.push(("url", MsgKey::UrlInvalid)),
        },
    }
    if kind == ChannelKind::Webhook && secret.is_some_and(|s| s.len() < 16) {
        errors.push(("secret", MsgKey::SecretTooShort));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
