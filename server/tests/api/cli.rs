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
        .envs(db_env(&dir))
        .env("DIHYA_LOG_FORMAT", "json")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut setup_link = None;
    let mut setup_lines = 0;
    let mut port = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line.contains("/setup/") {
            setup_lines += 1;
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
    assert_eq!(setup_lines, 1, "the setup link is printed once");
    let token = link.rsplit('/').next().unwrap().to_string();
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
        assert!(
            !line.contains(&token),
            "the setup token is never logged: {line}"
        );
        let ts = v["timestamp"].as_str().unwrap();
        assert!(
            ts.len() >= 20 && ts.as_bytes()[10] == b'T' && ts.ends_with('Z'),
            "RFC 3339: {ts}"
        );
        if line.contains(&rid) {
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

fn db_env(dir: &std::path::Path) -> [(&'static str, String); 2] {
    [
        (
            "DIHYA_DATABASE_URL",
            format!("sqlite://{}/u.db?mode=rwc", dir.display()),
        ),
        ("DIHYA_DATA_DIR", dir.display().to_string()),
    ]
}

fn user_cmd(dir: &std::path::Path, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .arg("user")
        .args(args)
        .envs(db_env(dir))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// `dihya user create --password-stdin` and `dihya user reset-password`:
/// validated, audited as `cli`, and the new password works for signing in.
#[test]
fn user_create_and_reset_password() {
    let dir = tempdir();
    let pw = "tamurt-n-yimazighen-2026";
    let out = user_cmd(
        &dir,
        &[
            "create",
            "--email",
            "Ops@Dihya.test",
            "--role",
            "devops",
            "--password-stdin",
        ],
        &format!("{pw}\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("ops@dihya.test"));
    // Bad input: each problem named, exit code 1, nothing created.
    let bad = user_cmd(
        &dir,
        &[
            "create",
            "--email",
            "nope",
            "--role",
            "root",
            "--password-stdin",
        ],
        "short\n",
    );
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("email") && err.contains("password"), "{err}");
    assert!(!err.contains("short"), "the password is never echoed");
    let dup = user_cmd(
        &dir,
        &[
            "create",
            "--email",
            "ops@dihya.test",
            "--role",
            "user",
            "--password-stdin",
        ],
        &format!("{pw}\n"),
    );
    assert_eq!(dup.status.code(), Some(1));
    let unknown_role = user_cmd(
        &dir,
        &[
            "create",
            "--email",
            "x@dihya.test",
            "--role",
            "root",
            "--password-stdin",
        ],
        &format!("{pw}\n"),
    );
    assert_eq!(unknown_role.status.code(), Some(1));
    // Reset prints a new password once; it signs in, the old one does not.
    let reset = user_cmd(&dir, &["reset-password", "--email", "ops@dihya.test"], "");
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    let text = String::from_utf8_lossy(&reset.stdout).to_string();
    let new_pw = text
        .split("(shown once): ")
        .nth(1)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .trim()
        .to_string();
    assert_eq!(new_pw.len(), 20);
    let missing = user_cmd(&dir, &["reset-password", "--email", "ghost@dihya.test"], "");
    assert_eq!(missing.status.code(), Some(1));

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let url = format!("sqlite://{}/u.db?mode=rwc", dir.display());
        let app = dihya::Application::build(crate::helpers::test_config(&url, &dir))
            .await
            .unwrap();
        let base = format!("http://127.0.0.1:{}", app.port());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until(async move {
            let _ = rx.await;
        }));
        let login = |password: String| {
            let base = base.clone();
            async move {
                reqwest::Client::new()
                    .post(format!("{base}/api/auth/login"))
                    .json(&serde_json::json!({"email": "ops@dihya.test", "password": password}))
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        assert_eq!(login(pw.to_string()).await, 401);
        assert_eq!(login(new_pw.clone()).await, 200);
        let _ = tx.send(());
        task.await.unwrap().unwrap();
    });
    std::fs::remove_dir_all(dir).ok();
}

/// Signing in, creating a token and enrolling 2FA write log lines, but none
/// of them holds the password, its hash, the token or the TOTP seed.
#[test]
fn logs_never_contain_secrets() {
    let dir = tempdir();
    let mut child = Command::new(BIN)
        .env("DIHYA_ADDR", "127.0.0.1:0")
        .envs(db_env(&dir))
        .env("DIHYA_LOG_FORMAT", "json")
        .env("DIHYA_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (line_tx, line_rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = line_tx.send(line);
        }
    });
    let mut port = None;
    let mut link = None;
    let mut log = String::new();
    while port.is_none() {
        let line = line_rx.recv().unwrap();
        if line.contains("/setup/") {
            link = Some(line.trim().to_string());
        }
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
            port = v["port"].as_u64();
        }
        log.push_str(&line);
    }
    let token = link.unwrap().rsplit('/').next().unwrap().to_string();
    let base = format!("http://127.0.0.1:{}", port.unwrap());
    let pw = "izem-n-waddad-2026-ops";
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (jwt, seed) = rt.block_on(async {
        let c = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let post = |path: &str, body: serde_json::Value| {
            c.post(format!("{base}{path}")).header("origin", &base).json(&body).send()
        };
        let r = post("/api/setup/complete", serde_json::json!({"token": token, "email": "a@dihya.test", "display_name": "A", "password": pw})).await.unwrap();
        assert_eq!(r.status(), 200);
        post("/api/auth/login", serde_json::json!({"email": "a@dihya.test", "password": "wrong-password-1"})).await.unwrap();
        let t: serde_json::Value = post("/api/tokens", serde_json::json!({"name": "t", "scopes": ["users:read"], "expires_in_days": 1})).await.unwrap().json().await.unwrap();
        let e: serde_json::Value = post("/api/2fa/enroll", serde_json::json!({})).await.unwrap().json().await.unwrap();
        (t["token"].as_str().unwrap().to_string(), e["secret"].as_str().unwrap().to_string())
    });
    let pid = child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    child.wait().unwrap();
    while let Ok(line) = line_rx.recv_timeout(std::time::Duration::from_secs(2)) {
        log.push_str(&line);
    }
    let all = format!("{log}{stderr}");
    assert!(all.contains("/api/auth/login"), "the requests were logged");
    for secret in [
        pw,
        "wrong-password-1",
        jwt.as_str(),
        seed.as_str(),
        "$argon2id$",
    ] {
        assert!(!all.contains(secret), "{secret:.12}… appears in the logs");
    }
    std::fs::remove_dir_all(dir).ok();
}
