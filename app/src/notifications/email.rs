//! The email channel: one message over SMTP (lettre), plain text, to the
//! channel's recipients. `smtp_tls`: `tls` (implicit, port 465),
//! `starttls` (required), or `none` (a relay on a trusted network).
use super::payload::Message;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::collections::BTreeMap;
use std::time::Duration;

pub async fn send(
    settings: &BTreeMap<String, String>,
    password: Option<&str>,
    m: &Message,
) -> Result<(), String> {
    let get = |k: &str| settings.get(k).map(String::as_str).unwrap_or("");
    let from: Mailbox = get("smtp_from")
        .parse()
        .map_err(|_| "the sender address is not valid".to_string())?;
    let mut mail = lettre::Message::builder()
        .from(from)
        .subject(format!(
            "[{}] {}",
            m.severity.as_str().to_uppercase(),
            m.title
        ))
        .header(ContentType::TEXT_PLAIN);
    // A person's own email (their preferences) goes to them alone.
    let recipients = m.to.clone().unwrap_or_else(|| get("to").to_string());
    for to in recipients
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        mail = mail.to(to
            .parse()
            .map_err(|_| format!("{to} is not a valid address"))?);
    }
    let mail = mail
        .body(format!("{}\n\n{}\n", m.text, m.link))
        .map_err(|e| format!("the message could not be built: {e}"))?;
    let host = get("smtp_host");
    let port: u16 = get("smtp_port").parse().unwrap_or(587);
    let relay = match get("smtp_tls") {
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(host),
        "none" => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            host,
        )),
        _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host),
    }
    .map_err(|e| format!("the SMTP server cannot be used: {e}"))?;
    let mut relay = relay.port(port).timeout(Some(Duration::from_secs(10)));
    let user = get("smtp_user");
    if let (false, Some(pw)) = (user.is_empty(), password) {
        relay = relay.credentials(Credentials::new(user.to_string(), pw.to_string()));
    }
    relay.build().send(mail).await.map(|_| ()).map_err(|e| {
        if e.is_permanent() {
            format!("the SMTP server refused the message: {e}")
        } else {
            format!("the SMTP server could not be reached or failed: {e}")
        }
    })
}
