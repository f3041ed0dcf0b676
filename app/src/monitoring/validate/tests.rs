//! Tests of the monitor checks: every field refused by name, settings
//! kept only for their kind.
use super::*;

fn input(kind: &str, target: &str) -> MonitorInput {
    MonitorInput {
        name: "api".into(),
        kind: kind.into(),
        target: target.into(),
        interval_seconds: 30,
        timeout_seconds: 5,
        ..Default::default()
    }
}

fn fields(i: &MonitorInput) -> Vec<&'static str> {
    monitor(i)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|(f, _)| f)
        .collect()
}

#[test]
fn targets_are_checked_per_kind() {
    assert!(monitor(&input("http", "https://example.org/health")).is_ok());
    assert_eq!(fields(&input("http", "ftp://x")), ["target"]);
    assert_eq!(fields(&input("http", "not a url")), ["target"]);
    assert!(monitor(&input("tcp", "db.internal:5432")).is_ok());
    assert!(monitor(&input("tcp", "[::1]:22")).is_ok());
    assert_eq!(fields(&input("tcp", "db.internal")), ["target"]);
    assert_eq!(fields(&input("tcp", "db.internal:70000")), ["target"]);
    assert!(monitor(&input("dns", "example.org")).is_ok());
    assert_eq!(fields(&input("dns", "exa mple")), ["target"]);
    assert!(monitor(&input("heartbeat", "")).is_ok());
    assert_eq!(fields(&input("heartbeat", "x")), ["target"]);
    assert_eq!(fields(&input("smoke", "x")), ["kind"]);
}

#[test]
fn intervals_timeouts_and_settings_are_bounded() {
    let mut i = input("http", "http://127.0.0.1/");
    i.interval_seconds = 5;
    i.timeout_seconds = 5;
    i.retries = 99;
    i.expected_status = Some("200-99".into());
    i.regex = Some("(".into());
    i.method = Some("DELETE".into());
    i.headers.insert("X Bad".into(), "v".into());
    i.tls_days = Some(0);
    i.max_bytes = Some(MAX_BYTES + 1);
    let mut got = fields(&i);
    got.sort();
    assert_eq!(
        got,
        [
            "expected_status",
            "headers",
            "interval_seconds",
            "max_bytes",
            "method",
            "regex",
            "retries",
            "timeout_seconds",
            "tls_days"
        ]
    );
    let mut d = input("dns", "example.org");
    d.record_type = Some("SRV".into());
    d.resolver = Some("nowhere".into());
    let mut got = fields(&d);
    got.sort();
    assert_eq!(got, ["record_type", "resolver"]);
}

#[test]
fn command_lines_split_without_a_shell() {
    assert_eq!(
        command_line(r#"check_http -H 127.0.0.1 -s "it works""#).unwrap(),
        ["check_http", "-H", "127.0.0.1", "-s", "it works"]
    );
    assert_eq!(command_line("check_dummy ''").unwrap(), ["check_dummy", ""]);
    assert_eq!(
        command_line("/bin/sh -c reboot"),
        Err(MsgKey::PluginInvalid)
    );
    assert_eq!(
        command_line("check_x ../../"),
        Ok(vec!["check_x".into(), "../../".into()])
    );
    assert_eq!(command_line("check_../x"), Err(MsgKey::PluginInvalid));
    assert_eq!(command_line("check_x 'open"), Err(MsgKey::TargetInvalid));
    assert_eq!(
        status_ranges("200-299, 301").unwrap(),
        [(200, 299), (301, 301)]
    );
}
