//! SSH against a real OpenSSH server (Debian's `openssh-server`) started
//! on a loopback port with keys made for the test: the connection test
//! pins the host key only after confirmation, SSH checks run commands,
//! and a changed host key stops both — never silently accepted.
use crate::helpers::{Agent, Db, create_role, json, signed_in_as, spawn_app};
use crate::monitoring::{devops, save, test_now, wait_for};
use crate::on_both_databases;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub(crate) fn keygen(path: &Path) {
    let ok = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "dihya-test", "-f"])
        .arg(path)
        .status()
        .unwrap()
        .success();
    assert!(ok, "ssh-keygen failed");
}

pub(crate) fn fingerprint(public: &Path) -> String {
    let out = std::process::Command::new("ssh-keygen")
        .arg("-lf")
        .arg(public)
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_string()
}

/// An sshd on a loopback port; stopped when dropped.
pub(crate) struct Sshd {
    port: u16,
    dir: PathBuf,
    child: std::process::Child,
}

impl Sshd {
    /// Starts sshd with host key `host_key` (a private key file).
    pub(crate) async fn start(dir: &Path, port: u16, host_key: &Path) -> Self {
        // A root sshd wants its privilege-separation directory.
        let _ = std::fs::create_dir_all("/run/sshd");
        let config = dir.join(format!("sshd_config_{port}"));
        std::fs::write(
            &config,
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {}\nAuthorizedKeysFile {}\n\
                 PidFile {}\nStrictModes no\nUsePAM no\nPasswordAuthentication yes\n\
                 KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n",
                host_key.display(),
                dir.join("authorized_keys").display(),
                dir.join(format!("sshd_{port}.pid")).display(),
            ),
        )
        .unwrap();
        let child = std::process::Command::new("/usr/sbin/sshd")
            .args(["-D", "-e", "-f"])
            .arg(&config)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("sshd (openssh-server) runs");
        // Ready when it sends its banner.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(mut s) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
                use tokio::io::AsyncReadExt;
                let mut banner = [0u8; 8];
                if s.read_exact(&mut banner).await.is_ok() && banner.starts_with(b"SSH-2.0") {
                    break;
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "sshd never answered"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self {
            port,
            dir: dir.to_path_buf(),
            child,
        }
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(self.dir.join(format!("sshd_{}.pid", self.port)));
    }
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn whoami() -> String {
    let out = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

async fn ssh_test(agent: &Agent, body: Value) -> (u16, Value) {
    let res = agent.post("/api/servers/ssh-test", body).await;
    let status = res.status().as_u16();
    (status, json(res).await)
}

async fn ssh_pins_host_keys_and_runs_checks(db: Db) {
    let app = spawn_app(db).await;
    let (ops, admin) = devops(&app).await;
    let dir = app.tmp.join("ssh");
    std::fs::create_dir_all(&dir).unwrap();
    let (host, client, other) = (dir.join("host"), dir.join("client"), dir.join("other_host"));
    keygen(&host);
    keygen(&client);
    keygen(&other);
    std::fs::copy(dir.join("client.pub"), dir.join("authorized_keys")).unwrap();
    let port = free_port();
    let sshd = Sshd::start(&dir, port, &host).await;

    let key = std::fs::read_to_string(&client).unwrap();
    let res = ops
        .post(
            "/api/servers",
            json!({"name": "box-1", "hostname": "127.0.0.1", "environment": "staging", "kind": "vm",
                "ssh_user": whoami(), "ssh_port": port, "ssh_credential_kind": "private-key",
                "ssh_credential": key}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let server = json(res).await["id"].clone();
    let expected = fingerprint(&dir.join("host.pub"));

    // Unpinned: the presented key is shown, nothing is stored, no login.
    let (status, first) = ssh_test(&ops, json!({"id": server})).await;
    assert_eq!(
        (status, &first["state"]),
        (200, &json!("unpinned")),
        "{first}"
    );
    assert_eq!(first["fingerprint"], expected);
    let detail = json(ops.get(&format!("/api/servers/detail?id={server}")).await).await;
    assert_eq!(detail["server"]["ssh"]["host_key"], Value::Null, "{detail}");
    // Confirming another fingerprint pins nothing.
    let (status, _) = ssh_test(&ops, json!({"id": server, "trust": "SHA256:not-this-one"})).await;
    assert_eq!(status, 409);
    // Confirmed: pinned, then a real login runs `uname`.
    let (status, ok) = ssh_test(&ops, json!({"id": server, "trust": expected})).await;
    assert_eq!((status, &ok["state"]), (200, &json!("connected")), "{ok}");
    assert!(ok["message"].as_str().unwrap().starts_with("Linux"), "{ok}");
    let detail = json(ops.get(&format!("/api/servers/detail?id={server}")).await).await;
    let shown = detail["server"]["ssh"]["host_key"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(shown.contains(&expected), "{detail}");
    assert!(
        !detail.to_string().contains("PRIVATE KEY"),
        "the key never comes back"
    );

    // An SSH check runs a command on the server and reads its numbers.
    let check = |command: &str| {
        json!({"name": format!("ssh {command}"), "kind": "ssh", "server_id": server,
            "target": command, "interval_seconds": 10, "timeout_seconds": 5, "retries": 0})
    };
    let up = test_now(&ops, check("echo load 0.25 users 3")).await;
    assert_eq!(up["status"], "up", "{up}");
    assert!(
        up["message"].as_str().unwrap().contains("values 0.25, 3"),
        "{up}"
    );
    let down = test_now(&ops, check("echo broken; exit 3")).await;
    assert_eq!(down["status"], "down", "{down}");
    assert!(
        down["message"]
            .as_str()
            .unwrap()
            .starts_with("exit 3: broken"),
        "{down}"
    );
    let no_server = ops
        .post(
            "/api/monitors",
            json!({"name": "lost", "kind": "ssh", "target": "true",
            "interval_seconds": 10, "timeout_seconds": 5}),
        )
        .await;
    assert_eq!(no_server.status(), 422);
    assert!(json(no_server).await["error"]["fields"]["server_id"].is_string());
    let id = save(&ops, check("uptime")).await["id"].clone();
    wait_for(&ops, &id, "up").await;

    // Running commands on servers needs scripts:run, whatever else a
    // custom role or a token may do.
    create_role(
        &admin,
        "watcher",
        &["monitoring:read", "monitoring:write", "servers:read"],
    )
    .await;
    let (watcher, _) = signed_in_as(&app, &admin, "w@dihya.test", "watcher").await;
    assert_eq!(
        watcher.post("/api/monitors", check("id")).await.status(),
        403
    );
    assert_eq!(
        watcher
            .post("/api/monitors/test", check("id"))
            .await
            .status(),
        403
    );
    assert_eq!(
        watcher
            .post("/api/servers/ssh-test", json!({"id": server}))
            .await
            .status(),
        403
    );

    // The host key changes (a rebuilt or impersonated host): the test is
    // refused with the reason, the check goes down, the pin stays.
    drop(sshd);
    let _sshd = Sshd::start(&dir, port, &other).await;
    let (status, changed) = ssh_test(&ops, json!({"id": server})).await;
    assert_eq!(status, 409, "{changed}");
    assert!(
        changed["error"]["message"]
            .as_str()
            .unwrap()
            .contains("host key"),
        "{changed}"
    );
    let (status, _) = ssh_test(
        &ops,
        json!({"id": server, "trust": fingerprint(&dir.join("other_host.pub"))}),
    )
    .await;
    assert_eq!(status, 409, "trust cannot replace a pinned key");
    let row = wait_for(&ops, &id, "down").await;
    assert!(
        row["message"]
            .as_str()
            .unwrap()
            .contains("host key changed"),
        "{row}"
    );
    // Forgetting the pin is explicit, audited, and asks again.
    let (status, again) = ssh_test(&ops, json!({"id": server, "forget": true})).await;
    assert_eq!(
        (status, &again["state"]),
        (200, &json!("unpinned")),
        "{again}"
    );
    assert_eq!(
        again["fingerprint"],
        fingerprint(&dir.join("other_host.pub"))
    );

    // A password the server refuses is an authentication failure, said so.
    let res = ops
        .post(
            "/api/servers",
            json!({"name": "box-2", "hostname": "127.0.0.1", "environment": "staging", "kind": "vm",
                "ssh_user": whoami(), "ssh_port": port, "ssh_credential_kind": "password",
                "ssh_credential": "not-the-password"}),
        )
        .await;
    let box2 = json(res).await["id"].clone();
    let fp = fingerprint(&dir.join("other_host.pub"));
    let (status, refused) = ssh_test(&ops, json!({"id": box2, "trust": fp})).await;
    assert_eq!(
        (status, &refused["state"]),
        (200, &json!("failed")),
        "{refused}"
    );
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("authentication failed"),
        "{refused}"
    );
    assert!(!refused.to_string().contains("not-the-password"));
}

on_both_databases!(ssh_pins_host_keys_and_runs_checks);
