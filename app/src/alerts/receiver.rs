//! `POST /api/integrations/alertmanager`: Alertmanager's webhook (payload
//! version 4) turned into alerts. The caller needs `alerts:ingest` (an API
//! token with that scope, sent by Alertmanager as `authorization:
//! Bearer …`). Each alert keeps Alertmanager's fingerprint, so a repeated
//! notification (Alertmanager repeats them) updates one alert instead of
//! adding one. Severity comes from the `severity` label (`critical`,
//! `high`/`error`, `warning`/`medium`, `low`, `info`/`none`; medium
//! otherwise); a critical one opens an incident.
use super::AlertStatus;
use super::fire::{self, Effects, Observation, Policy, Quieting};
use crate::audit::{self, Event};
use crate::error::{AppError, MsgKey};
use crate::platform::{Ctx, Permission, Severity};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// At most this many alerts in one call.
const MAX_ALERTS: usize = 1_000;

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    pub version: String,
    #[serde(default)]
    pub group_key: String,
    #[serde(default)]
    pub receiver: String,
    pub alerts: Vec<AmAlert>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AmAlert {
    pub status: String,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    #[serde(default, rename = "generatorURL")]
    pub generator_url: String,
    #[serde(default)]
    pub fingerprint: String,
}

/// What a call changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Ingested {
    pub firing: u32,
    pub resolved: u32,
}

fn severity_of(labels: &BTreeMap<String, String>) -> Severity {
    match labels.get("severity").map(|s| s.to_lowercase()).as_deref() {
        Some("critical" | "page") => Severity::Critical,
        Some("high" | "error") => Severity::High,
        Some("low") => Severity::Low,
        Some("info" | "none") => Severity::Info,
        _ => Severity::Medium,
    }
}

fn instant(s: Option<&str>) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s?)
        .ok()
        .map(|d| d.with_timezone(&Utc))
        // Alertmanager's "no end" is the year 1.
        .filter(|d| d.timestamp() > 0)
}

/// A stable fingerprint when Alertmanager sent none: its labels, hashed.
fn fingerprint_of(a: &AmAlert) -> String {
    if !a.fingerprint.trim().is_empty() {
        return format!("am:{}", crate::platform::clip(a.fingerprint.trim(), 64));
    }
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for (k, v) in &a.labels {
        h.update(k.as_bytes());
        h.update([0]);
        h.update(v.as_bytes());
        h.update([0]);
    }
    format!("am:{}", crate::platform::hex(&h.finalize()[..8]))
}

/// Checks the payload's shape before anything is written.
fn check(hook: &Webhook) -> Result<(), AppError> {
    if hook.version != "4" {
        return Err(AppError::invalid([(
            "version",
            MsgKey::AlertmanagerVersion,
        )]));
    }
    if hook.alerts.len() > MAX_ALERTS
        || hook
            .alerts
            .iter()
            .any(|a| !matches!(a.status.as_str(), "firing" | "resolved"))
    {
        return Err(AppError::invalid([("alerts", MsgKey::AlertmanagerAlerts)]));
    }
    Ok(())
}

pub async fn ingest(ctx: &Ctx, hook: Webhook) -> Result<Ingested, AppError> {
    ctx.require(Permission::AlertsIngest)?;
    check(&hook)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let now = Utc::now();
    // The inventory's server each alert names (`server`, or `instance`'s
    // host), so it joins that server's incident and its maintenance windows.
    let mut servers_of = Vec::with_capacity(hook.alerts.len());
    for a in &hook.alerts {
        servers_of.push(
            crate::servers::service::find_named(
                &tx,
                a.labels.get("server").map(String::as_str),
                a.labels.get("instance").map(String::as_str),
            )
            .await?,
        );
    }
    let mut known: Vec<i32> = servers_of.iter().flatten().copied().collect();
    known.sort_unstable();
    known.dedup();
    let quieting = Quieting::load(&tx, now, &known).await?;
    let mut fx = Effects::default();
    let mut out = Ingested::default();
    for (i, a) in hook.alerts.iter().enumerate() {
        let fingerprint = fingerprint_of(a);
        if a.status == "resolved" {
            if let Some(m) = fire::open_alert(&tx, &fingerprint).await? {
                let at = instant(a.ends_at.as_deref()).unwrap_or(now);
                fire::resolve(&tx, m.id, at, &mut fx).await?;
                out.resolved += 1;
            }
            continue;
        }
        let severity = severity_of(&a.labels);
        let summary = a
            .annotations
            .get("summary")
            .or_else(|| a.annotations.get("description"))
            .cloned()
            .unwrap_or_default();
        let server_id = servers_of.get(i).copied().flatten();
        let o = Observation {
            fingerprint,
            source: "alertmanager",
            rule_id: None,
            name: a
                .labels
                .get("alertname")
                .cloned()
                .unwrap_or_else(|| "alert".into()),
            summary,
            severity,
            labels: a.labels.clone(),
            monitor_id: None,
            server_id,
            policy: Policy {
                opens_incident: severity == Severity::Critical,
                escalation: Vec::new(),
            },
            at: instant(a.starts_at.as_deref()).unwrap_or(now),
        };
        let m = fire::open(&tx, &o, AlertStatus::Firing, &quieting, &mut fx).await?;
        if m.status == AlertStatus::Pending.as_str() {
            fire::fire(&tx, m.id, now, o.policy.clone(), &quieting, &mut fx).await?;
        }
        out.firing += 1;
    }
    audit::record(
        &tx,
        ctx,
        Event::new("alerts.ingest", "alertmanager").diff(serde_json::json!({
            "receiver": crate::platform::clip(&hook.receiver, 100),
            "group": crate::platform::clip(&hook.group_key, 200),
            "firing": out.firing, "resolved": out.resolved,
        })),
    )
    .await?;
    tx.commit().await?;
    fx.publish(&ctx.state.events);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_alertmanager_payload_reads() {
        // Recorded from Alertmanager 0.25 (Debian) posting what a Prometheus
        // 2.42 rule raised, on this machine.
        let body = r#"{"receiver":"dihya","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"DihyaTestAlert","severity":"critical","team":"ops"},"annotations":{"summary":"raised by the test's Prometheus"},"startsAt":"2026-12-07T14:03:48.189Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://vm:39002/graph?g0.expr=vector%281%29\u0026g0.tab=1","fingerprint":"2c5a646dac5fb836"}],"groupLabels":{},"commonLabels":{"alertname":"DihyaTestAlert","severity":"critical","team":"ops"},"commonAnnotations":{"summary":"raised by the test's Prometheus"},"externalURL":"http://vm:39001","version":"4","groupKey":"{}:{}","truncatedAlerts":0}"#;
        let hook: Webhook = serde_json::from_str(body).unwrap();
        assert!(check(&hook).is_ok());
        let a = &hook.alerts[0];
        assert_eq!(fingerprint_of(a), "am:2c5a646dac5fb836");
        assert_eq!(severity_of(&a.labels), Severity::Critical);
        assert_eq!(instant(a.ends_at.as_deref()), None, "year 1 is no end");
        assert!(
            a.generator_url
                .starts_with("http://vm:39002/graph?g0.expr=vector(1)")
                || a.generator_url.contains("vector%281%29")
        );
        assert_eq!(a.starts_at.as_deref(), Some("2026-12-07T14:03:48.189Z"));
        let mut v3 = hook.clone();
        v3.version = "3".into();
        assert!(check(&v3).is_err());
        let mut odd = hook;
        odd.alerts[0].status = "exploded".into();
        assert!(check(&odd).is_err());
    }

    #[test]
    fn without_a_fingerprint_the_labels_make_one() {
        let mut a = AmAlert {
            status: "firing".into(),
            labels: [("alertname".to_string(), "X".to_string())].into(),
            annotations: BTreeMap::new(),
            starts_at: None,
            ends_at: None,
            generator_url: String::new(),
            fingerprint: String::new(),
        };
        let one = fingerprint_of(&a);
        assert!(one.starts_with("am:") && one.len() == 19);
        a.labels.insert("job".into(), "node".into());
        assert_ne!(fingerprint_of(&a), one);
    }
}
