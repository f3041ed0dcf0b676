//! Service-level targets per severity: how long a ticket may wait for
//! someone to acknowledge it, and to be resolved. The deadlines are fixed
//! when the ticket is opened or its severity changes, and stored with it,
//! so a list can sort and filter by them without computing anything.
use super::Severity;

/// The two targets of a severity, in minutes; `None` means no target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    pub acknowledge_minutes: Option<i64>,
    pub resolve_minutes: Option<i64>,
}

/// The targets each severity is held to (the common defaults of on-call
/// tools: a critical ticket is answered within a quarter of an hour).
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

/// The deadlines of a ticket of `severity` opened at `opened` (unix seconds).
pub fn deadlines(severity: Severity, opened: i64) -> (Option<i64>, Option<i64>) {
    let t = targets(severity);
    (
        t.acknowledge_minutes.map(|m| opened + m * 60),
        t.resolve_minutes.map(|m| opened + m * 60),
    )
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
        assert_eq!(deadlines(Severity::Info, 1_000), (None, None));
        assert_eq!(
            deadlines(Severity::Critical, 1_000),
            (Some(1_000 + 900), Some(1_000 + 4 * 3600))
        );
    }
}
