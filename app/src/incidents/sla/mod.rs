//! Service-level targets per severity: how long a ticket may wait for
//! someone to acknowledge it, and to be resolved, counted around the clock
//! or in business hours (days, opening hours, a time zone). Each severity
//! keeps the built-in targets below until an administrator saves its own
//! policy. The deadlines are fixed when the ticket is opened or its
//! severity changes, and stored with it, so a list can sort and filter by
//! them without computing anything — and a policy saved later leaves the
//! deadlines already promised as they were.
use super::Severity;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub mod hours;
#[cfg(feature = "ssr")]
pub mod policy;

/// A target is at most four weeks.
pub const MAX_MINUTES: u32 = 28 * 24 * 60;

/// The two targets of a severity, in minutes; `None` means no target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    pub acknowledge_minutes: Option<u32>,
    pub resolve_minutes: Option<u32>,
}

/// The built-in targets (the common defaults of on-call tools: a critical
/// ticket is answered within a quarter of an hour), around the clock.
pub fn targets(severity: Severity) -> Targets {
    let (ack, resolve) = match severity {
        Severity::Critical => (Some(15), Some(4 * 60)),
        Severity::High => (Some(30), Some(8 * 60)),
        Severity::Medium => (Some(4 * 60), Some(24 * 60)),
        Severity::Low => (Some(24 * 60), Some(72 * 60)),
        Severity::Info => (None, None),
    };
    Targets {
        acknowledge_minutes: ack,
        resolve_minutes: resolve,
    }
}

/// One severity's policy (`GET /api/incidents/sla`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlaPolicy {
    pub severity: Severity,
    /// `None`: no target.
    pub acknowledge_minutes: Option<u32>,
    pub resolve_minutes: Option<u32>,
    /// The days the clock runs (`mon`…`sun`); empty: around the clock.
    pub business_days: Vec<String>,
    /// Opening hours, `HH:MM` local time in `time_zone` (with business days only).
    pub day_start: Option<String>,
    pub day_end: Option<String>,
    pub time_zone: String,
    /// `false` while the severity keeps the built-in targets.
    pub custom: bool,
}

/// `POST /api/incidents/sla`: replaces one severity's policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SlaPolicyInput {
    pub severity: String,
    /// 1 to 40,320 (four weeks); absent or null: no target.
    #[serde(default)]
    pub acknowledge_minutes: Option<u32>,
    #[serde(default)]
    pub resolve_minutes: Option<u32>,
    /// Empty: around the clock.
    #[serde(default)]
    pub business_days: Vec<String>,
    #[serde(default)]
    pub day_start: Option<String>,
    #[serde(default)]
    pub day_end: Option<String>,
    /// An IANA name; UTC when empty.
    #[serde(default)]
    pub time_zone: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worse_severities_are_held_to_shorter_targets() {
        let order = [
            Severity::Critical,
            Severity::High,
            Severity::Medium,
            Severity::Low,
        ];
        for pair in order.windows(2) {
            let (a, b) = (targets(pair[0]), targets(pair[1]));
            assert!(a.acknowledge_minutes < b.acknowledge_minutes, "{pair:?}");
            assert!(a.resolve_minutes < b.resolve_minutes, "{pair:?}");
        }
        for s in order {
            let t = targets(s);
            assert!(t.acknowledge_minutes < t.resolve_minutes, "{s:?}");
        }
        assert_eq!(targets(Severity::Info).acknowledge_minutes, None);
    }
}
