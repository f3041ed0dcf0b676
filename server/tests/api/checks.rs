//! Check kinds that reach the host's network stack or another program:
//! ICMP ping.
use crate::helpers::{Db, json, spawn_app};
use crate::monitoring::{devops, save, test_now, wait_for};
use crate::on_both_databases;
use serde_json::json;

fn ping(target: &str) -> serde_json::Value {
    json!({"name": format!("ping {target}"), "kind": "ping", "target": target,
        "interval_seconds": 10, "timeout_seconds": 2, "retries": 0})
}

/// Real ICMP echoes on loopback (a raw socket: the suite runs as root;
/// without root the check opens a datagram "ping" socket instead).
async fn ping_checks_answer_from_the_network_stack(db: Db) {
    let app = spawn_app(db).await;
    let (ops, _) = devops(&app).await;
    let up = test_now(&ops, ping("127.0.0.1")).await;
    assert_eq!(up["status"], "up", "{up}");
    assert!(
        up["message"]
            .as_str()
            .unwrap()
            .starts_with("reply from 127.0.0.1"),
        "{up}"
    );
    if std::net::UdpSocket::bind("[::1]:0").is_ok() {
        let v6 = test_now(&ops, ping("::1")).await;
        assert_eq!(v6["status"], "up", "{v6}");
    }
    let named = test_now(&ops, ping("localhost")).await;
    assert_eq!(named["status"], "up", "{named}");
    // The broadcast address refuses an echo without SO_BROADCAST: down,
    // with the reason.
    let refused = test_now(&ops, ping("255.255.255.255")).await;
    assert_eq!(refused["status"], "down", "{refused}");
    assert!(
        refused["message"].as_str().unwrap().contains("cannot send"),
        "{refused}"
    );
    // A name that does not resolve is down too, saying so.
    let unknown = test_now(&ops, ping("no-such-host.invalid")).await;
    assert_eq!(unknown["status"], "down", "{unknown}");
    assert!(
        unknown["message"].as_str().unwrap().contains("resolve"),
        "{unknown}"
    );
    // Bad targets are refused by field.
    for bad in ["", "not a host!", "127.0.0.1:22", "http://127.0.0.1/"] {
        let res = ops.post("/api/monitors", ping(bad)).await;
        assert_eq!(res.status(), 422, "{bad}");
        assert!(
            json(res).await["error"]["fields"]["target"].is_string(),
            "{bad}"
        );
    }
    // The engine runs it like any other check.
    let id = save(&ops, ping("127.0.0.1")).await["id"].clone();
    let row = wait_for(&ops, &id, "up").await;
    assert!(row["latency_ms"].as_u64().is_some(), "{row}");
}

on_both_databases!(ping_checks_answer_from_the_network_stack);
