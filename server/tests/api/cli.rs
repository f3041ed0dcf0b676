//! The real `dihya` binary: flags, bad configuration, migrate, JSON logs.
use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
};

const BIN: &str = env!("CARGO_BIN_EXE_dihya");

#[test]
fn version_and_help() {
    let out = Command::new(BIN).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
    let help = Command::new(BIN).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    for word in [
        "serve",
        "migrate",
        "--config",
        "DIHYA_DATABASE_URL",
        "DIHYA_ADDR",
    ] {
        assert!(text.contains(word), "--help lacks {word}");
    }
}

#[test]
fn bad_env_value_stops_startup_naming_the_variable() {
    for (var, value) in [
        ("DIHYA_ADDR", "nowhere"),
        ("DIHYA_LOG_FORMAT", "yaml"),
        ("DIHYA_RATE_LIMIT_GLOBAL", "x"),
    ] {
        let out = Command::new(BIN).env(var, value).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{var}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(var), "{var}");
    }
}

#[test]
fn unreachable_postgres_fails_cleanly() {
    let dir = tempdir();
    let out = Command::new(BIN)
        .args(["migrate"])
        .env("DIHYA_DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .env("DIHYA_DATA_DIR", &dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cannot connect to the database (postgres)"),
        "{err}"
    );
    assert!(!err.contains("panicked"));
}

fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "dihya-cli-{}-{:x}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn migrate_creates_the_schema() {
    let dir = tempdir();
    let db = dir.join("m.db");
    let out = Command::new(BIN)
        .arg("migrate")
        .env(
            "DIHYA_DATABASE_URL",
            format!("sqlite://{}?mode=rwc", db.display()),
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(db.exists());
    std::fs::remove_dir_all(dir).ok();
}

/// `serve` prints the setup link on first start and logs JSON lines with an
/// RFC 3339 timestamp and the request id; SIGTERM stops it cleanly.
#[test]
fn serve_prints_setup_link_logs_json_and_stops_on_sigterm() {
    let dir = tempdir();
    let mut child = Command::new(BIN)
        .env("DIHYA_ADDR", "127.0.0.1:0")
        .env(
            "DIHYA_DATABASE_URL",
            format!("sqlite://{}/s.db?mode=rwc", dir.display()),
        )
        .env("DIHYA_DATA_DIR", &dir)
        .env("DIHYA_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut setup_link = None;
    let mut port = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.contains("/setup/") {
            setup_link = Some(line.trim().to_string());
        }
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line)
            && let Some(p) = v["port"].as_u64()
        {
            port = Some(p);
            break;
        }
    }
    let link = setup_link.expect("setup link printed");
    assert!(link.starts_with("http://127.0.0.1:3000/setup/"), "{link}");
    let port = port.expect("listening line with port");
    // One request, then look for its JSON log line.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let rid = rt.block_on(async {
        let res = reqwest::get(format!("http://127.0.0.1:{port}/api/system"))
            .await
            .unwrap();
        res.headers()["x-request-id"].to_str().unwrap().to_string()
    });
    let mut found = false;
    for line in lines.by_ref() {
        let line = line.unwrap();
        let v: serde_json::Value = serde_json::from_str(&line).expect("every log line is JSON");
        let ts = v["timestamp"].as_str().unwrap();
        assert!(
            ts.len() >= 20 && ts.as_bytes()[10] == b'T' && ts.ends_with('Z'),
            "RFC 3339: {ts}"
        );
        if line.contains(&rid) {
            assert!(
                !line.contains(link.rsplit('/').next().unwrap()),
                "no secret in logs"
            );
            found = true;
            break;
        }
    }
    assert!(found, "a log line carries request id {rid}");
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful exit on SIGTERM: {status}");
    std::fs::remove_dir_all(dir).ok();
}
