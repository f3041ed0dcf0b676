//! `http`: a request with the monitor's method and headers; up when the
//! status is accepted, the body (up to the size cap) holds the keyword or
//! matches the pattern, and the certificate is not about to expire.
use super::{Spec, read_capped, short};

/// `cert_days` gets the certificate's days left when the target is
/// HTTPS, whether or not the check passes (alert rules read it).
pub(super) async fn check(
    client: &reqwest::Client,
    spec: &Spec,
    cert_days: &mut Option<i64>,
) -> Result<String, String> {
    let method = match spec.settings.method.as_deref() {
        Some("HEAD") => reqwest::Method::HEAD,
        Some("POST") => reqwest::Method::POST,
        _ => reqwest::Method::GET,
    };
    let mut req = client.request(method, &spec.target).timeout(spec.timeout);
    for (k, v) in &spec.settings.headers {
        req = req.header(k, v);
    }
    let mut resp = req.send().await.map_err(|e| short(&e))?;
    let code = resp.status().as_u16();
    if !spec
        .expected_status
        .iter()
        .any(|&(lo, hi)| (lo..=hi).contains(&code))
    {
        return Err(format!("status {code} not accepted"));
    }
    let days_left = resp
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|info| info.peer_certificate())
        .and_then(super::tls::not_after)
        .map(|expiry| (expiry - chrono::Utc::now().timestamp()).div_euclid(86_400));
    *cert_days = days_left;
    if let (Some(min), Some(left)) = (spec.settings.tls_days, days_left)
        && left < i64::from(min)
    {
        return Err(if left < 0 {
            format!("certificate expired {} days ago", -left)
        } else {
            format!("certificate expires in {left} days")
        });
    }
    let wants_body = spec.settings.keyword.is_some() || spec.regex.is_some();
    if wants_body {
        let (body, cut) = read_capped(&mut resp, spec.max_bytes).await?;
        let text = String::from_utf8_lossy(&body);
        if let Some(k) = &spec.settings.keyword
            && !text.contains(k.as_str())
        {
            let within = if cut { " within the size cap" } else { "" };
            return Err(format!("keyword not found{within}"));
        }
        if let Some(r) = &spec.regex
            && !r.is_match(&text)
        {
            return Err("pattern not matched".into());
        }
    } else {
        // Read (and drop) up to the cap so the connection can be reused;
        // an endless body is cut there.
        read_capped(&mut resp, spec.max_bytes).await?;
    }
    Ok(match days_left {
        Some(d) => format!("status {code}, certificate valid {d} more days"),
        None => format!("status {code}"),
    })
}
