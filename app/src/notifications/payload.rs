//! What each channel sends, in the shape its service documents: a
//! message (title, text, severity, labels, link) becomes the request body
//! of a generic webhook (signed), Slack, Discord, Microsoft Teams,
//! Telegram or ntfy. Pure: the sender adds the address and headers.
use crate::platform::Severity;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// One message to deliver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// `alert.firing`, `alert.resolved`, `test`.
    pub event: String,
    pub title: String,
    pub text: String,
    pub severity: Severity,
    pub labels: BTreeMap<String, String>,
    /// Absolute URL of what it is about.
    pub link: String,
    /// RFC 3339.
    pub at: String,
    /// One person's address: an email to them instead of the channel's
    /// recipients (their preferences, `prefs.rs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

impl Message {
    fn line(&self) -> String {
        format!("[{}] {}", self.severity.as_str().to_uppercase(), self.title)
    }

    fn body(&self) -> String {
        if self.text.is_empty() {
            self.link.clone()
        } else {
            format!("{}\n{}", self.text, self.link)
        }
    }
}

/// The generic webhook's JSON (signed by the sender: `X-Dihya-Signature:
/// sha256=<hex HMAC-SHA256 of the body>`).
pub fn webhook(m: &Message) -> Value {
    json!({
        "event": m.event, "title": m.title, "text": m.text, "severity": m.severity.as_str(),
        "labels": m.labels, "link": m.link, "sent_at": m.at,
    })
}

/// Slack incoming webhook: `text` (the fallback) and one section block.
pub fn slack(m: &Message) -> Value {
    json!({
        "text": m.line(),
        "blocks": [{"type": "section", "text": {"type": "mrkdwn",
            "text": format!("*{}*\n{}", m.line(), m.body())}}],
    })
}

/// Discord webhook: `content` (at most 2000 characters) and one embed
/// coloured by severity.
pub fn discord(m: &Message) -> Value {
    let content: String = m.line().chars().take(2_000).collect();
    json!({
        "content": content,
        "embeds": [{"title": m.title.chars().take(256).collect::<String>(),
            "description": m.body().chars().take(4_096).collect::<String>(),
            "url": m.link, "color": colour(m.severity)}],
    })
}

/// Microsoft Teams (Workflows webhook): a message with one Adaptive Card.
pub fn teams(m: &Message) -> Value {
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard", "version": "1.4",
                "body": [
                    {"type": "TextBlock", "size": "Medium", "weight": "Bolder", "wrap": true, "text": m.line()},
                    {"type": "TextBlock", "wrap": true, "text": m.text},
                ],
                "actions": [{"type": "Action.OpenUrl", "title": "Dihya Ops", "url": m.link}],
            },
        }],
    })
}

/// Telegram Bot API `sendMessage` (to `…/bot<token>/sendMessage`).
pub fn telegram(m: &Message, chat_id: &str) -> Value {
    let text: String = format!("{}\n{}", m.line(), m.body())
        .chars()
        .take(4_096)
        .collect();
    json!({"chat_id": chat_id, "text": text, "disable_web_page_preview": true})
}

/// ntfy's JSON publishing (POSTed to the server's root): topic, title,
/// message, priority 1–5, tags, and a click URL.
pub fn ntfy(m: &Message, topic: &str) -> Value {
    let priority = match m.severity {
        Severity::Critical => 5,
        Severity::High => 4,
        Severity::Medium => 3,
        Severity::Low => 2,
        Severity::Info => 1,
    };
    json!({
        "topic": topic, "title": m.line(), "message": m.body(), "priority": priority,
        "tags": [m.severity.as_str()], "click": m.link,
    })
}

/// Red to grey, worst first (Discord's integer colours).
fn colour(s: Severity) -> u32 {
    match s {
        Severity::Critical => 0xB3_261E,
        Severity::High => 0xD9_5F0E,
        Severity::Medium => 0xC9_9A06,
        Severity::Low => 0x2E_7D32,
        Severity::Info => 0x60_6C76,
    }
}

/// `sha256=<hex>` of `body` under `key`.
pub fn signature(key: &[u8], body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256>>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(body);
    format!(
        "sha256={}",
        crate::platform::hex(&mac.finalize().into_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message {
        Message {
            event: "alert.firing".into(),
            title: "API down".into(),
            text: "api: down for 3 check(s)".into(),
            severity: Severity::Critical,
            labels: [("team".to_string(), "web".to_string())].into(),
            link: "https://ops.example/app/alerts?selected=7".into(),
            at: "2026-12-07T10:00:00Z".into(),
            to: None,
        }
    }

    #[test]
    fn each_service_gets_its_documented_shape() {
        let m = message();
        assert_eq!(webhook(&m)["labels"]["team"], "web");
        assert_eq!(slack(&m)["text"], "[CRITICAL] API down");
        assert_eq!(slack(&m)["blocks"][0]["text"]["type"], "mrkdwn");
        assert_eq!(discord(&m)["embeds"][0]["color"], 0xB3261E);
        assert_eq!(
            teams(&m)["attachments"][0]["content"]["type"],
            "AdaptiveCard"
        );
        assert_eq!(telegram(&m, "-100")["chat_id"], "-100");
        assert_eq!(ntfy(&m, "ops")["priority"], 5);
        assert_eq!(ntfy(&m, "ops")["click"], m.link);
    }

    #[test]
    fn the_signature_is_rfc_4231s_hmac_sha256() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
