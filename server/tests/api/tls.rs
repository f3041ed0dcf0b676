//! HTTPS checks against a real TLS server: `openssl s_server` on loopback
//! with a self-signed certificate made by the test, five days from expiry.
use crate::helpers::{Db, spawn_app};
use crate::monitoring::{devops, save, test_now, wait_for};
use crate::on_both_databases;
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// `openssl s_server -www` on a loopback port; stopped when dropped.
struct TlsServer {
    port: u16,
    child: Child,
}

impl TlsServer {
    /// A certificate for `localhost` and 127.0.0.1 valid `days` days, and
    /// a server presenting it.
    async fn start(dir: &Path, days: u32) -> Self {
        let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
        let made = Command::new("openssl")
            .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
            .args([
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-subj",
                "/CN=localhost",
            ])
            .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
            .args(["-days", &days.to_string(), "-keyout"])
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl runs");
        assert!(made.success(), "openssl req failed");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("openssl")
            .args(["s_server", "-quiet", "-www", "-accept"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("-cert")
            .arg(&cert)
            .arg("-key")
            .arg(&key)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openssl s_server runs");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "s_server never listened"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { port, child }
    }

    fn url(&self) -> String {
        format!("https://127.0.0.1:{}/", self.port)
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn https(url: &str, extra: Value) -> Value {
    let mut body = json!({"name": "tls", "kind": "http", "target": url,
        "interval_seconds": 10, "timeout_seconds": 3, "retries": 0});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

fn message(outcome: &Value) -> &str {
    outcome["message"].as_str().unwrap()
}

/// The days in `message` after `prefix`: 5 for a certificate made within
/// the same second as the check, 4 after that.
fn days_after(message: &str, prefix: &str) -> u32 {
    let rest = message
        .split(prefix)
        .nth(1)
        .unwrap_or_else(|| panic!("{message:?} has no {prefix:?}"));
    let days: u32 = rest.split(' ').next().unwrap().parse().unwrap();
    assert!((4..=5).contains(&days), "{message}");
    days
}

async fn https_checks_read_the_certificate(db: Db) {
    let app = spawn_app(db).await;
    let (ops, _) = devops(&app).await;
    let dir = app.tmp.join("tls");
    std::fs::create_dir_all(&dir).unwrap();
    let server = TlsServer::start(&dir, 5).await;
    let url = server.url();

    // Nobody vouches for a self-signed certificate: down, saying why.
    let untrusted = test_now(&ops, https(&url, json!({}))).await;
    assert_eq!(untrusted["status"], "down", "{untrusted}");
    assert!(message(&untrusted).contains("certificate"), "{untrusted}");

    // Told to ignore TLS errors, the check goes through and still reads
    // the expiry: 5 days less the time since it was made.
    let ignored = test_now(&ops, https(&url, json!({"ignore_tls_errors": true}))).await;
    assert_eq!(ignored["status"], "up", "{ignored}");
    days_after(message(&ignored), "certificate valid ");
    // Within the warning window: down.
    let soon = https(&url, json!({"ignore_tls_errors": true, "tls_days": 14}));
    let expiring = test_now(&ops, soon.clone()).await;
    assert_eq!(expiring["status"], "down", "{expiring}");
    days_after(message(&expiring), "certificate expires in ");
    let fine = https(&url, json!({"ignore_tls_errors": true, "tls_days": 3}));
    assert_eq!(test_now(&ops, fine).await["status"], "up");

    // The setting is kept and shown, and only where it means something.
    let saved = save(&ops, soon).await;
    assert_eq!(saved["settings"]["ignore_tls_errors"], true, "{saved}");
    let row = wait_for(&ops, &saved["id"], "down").await;
    assert_eq!(row["status"], "down");
    // Like every setting of another kind, it is dropped from a TCP check.
    let tcp = save(
        &ops,
        json!({"name": "tcp tls", "kind": "tcp", "target": format!("127.0.0.1:{}", server.port),
            "interval_seconds": 10, "timeout_seconds": 3, "ignore_tls_errors": true}),
    )
    .await;
    assert!(tcp["settings"].get("ignore_tls_errors").is_none(), "{tcp}");
}

on_both_databases!(https_checks_read_the_certificate);
