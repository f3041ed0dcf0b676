//! Automation against real interpreters and a real OpenSSH server: scripts
//! saved with their versions, runs on the local executor and over SSH with
//! live output, secrets kept out of every record, time limits, cancels, a
//! restart that marks a run interrupted instead of running it twice, and
//! every refusal performed (a `user`, a custom role, a token's scopes).
use crate::helpers::{
    Agent, Db, TestApp, create_role, json, signed_in_as, spawn_app, spawn_app_with,
};
use crate::monitoring::devops;
use crate::on_both_databases;
use crate::ssh::{Sshd, fingerprint, free_port, keygen, whoami};
use serde_json::{Value, json};
use std::time::Duration;

async fn save(agent: &Agent, body: Value) -> Value {
    let res = agent.post("/api/scripts/save", body).await;
    assert_eq!(res.status(), 200);
    json(res).await
}

async fn start(agent: &Agent, body: Value) -> i64 {
    let res = agent.post("/api/scripts", body).await;
    let status = res.status();
    let v = json(res).await;
    assert_eq!(status, 200, "{v}");
    v["run_id"].as_i64().unwrap()
}

async fn refused(agent: &Agent, path: &str, body: Value) -> (u16, Value) {
    let res = agent.post(path, body).await;
    (res.status().as_u16(), json(res).await)
}

/// Polls the run until `done` holds.
async fn run_until(agent: &Agent, id: i64, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let run = json(agent.get(&format!("/api/runs/detail?id={id}")).await).await;
        if done(&run) {
            return run;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "run never got there: {run}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn finished(agent: &Agent, id: i64) -> Value {
    run_until(agent, id, |r| {
        !matches!(r["status"].as_str(), Some("queued" | "running"))
    })
    .await
}

async fn output(agent: &Agent, id: i64, after: i64) -> Value {
    json(
        agent
            .get(&format!("/api/runs/output?id={id}&after={after}"))
            .await,
    )
    .await
}

fn texts(out: &Value, stream: &str) -> Vec<String> {
    out["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["stream"] == stream)
        .map(|l| l["text"].as_str().unwrap().to_string())
        .collect()
}

const GREET: &str = "echo \"hello $name, $count times\"\necho \"token has ${#token} characters\"\necho 'to stderr' >&2\nprintf '\\377\\376 binary\\n'\nexit \"$code\"\n";

fn greet(name: &str) -> Value {
    json!({"name": name, "language": "bash", "body": GREET, "description": "Greets.",
        "parameters": [
            {"name": "name", "type": "string", "required": true},
            {"name": "count", "type": "integer", "default": "2"},
            {"name": "code", "type": "integer", "default": "0"},
            {"name": "token", "type": "secret", "required": true}]})
}

async fn scripts_are_saved_with_every_version(db: Db) {
    let app = spawn_app(db).await;
    let (ops, admin) = devops(&app).await;
    let first = save(&ops, greet("greet")).await;
    assert_eq!(first["version"], 1);
    let id = first["id"].clone();
    // Saving what is there makes no version; a change makes the next.
    let mut same = greet("greet");
    same["id"] = id.clone();
    assert_eq!(save(&ops, same).await["version"], 1);
    let mut changed = greet("greet");
    changed["id"] = id.clone();
    changed["body"] = json!("echo changed\n");
    assert_eq!(save(&ops, changed).await["version"], 2);
    let detail = json(ops.get(&format!("/api/scripts/detail?id={id}")).await).await;
    assert_eq!(detail["script"]["body"], "echo changed\n");
    let versions = detail["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(
        (versions[0]["version"].clone(), versions[1]["body"].clone()),
        (json!(2), json!(GREET))
    );
    assert!(versions[0]["author"].is_string(), "{detail}");

    // Bad input is named per field and stores nothing.
    let (status, bad) = refused(&ops, "/api/scripts/save", json!({"name": " ", "language": "cobol", "body": "",
        "parameters": [{"name": "PATH", "type": "string"}, {"name": "s", "type": "secret", "default": "x"}]})).await;
    assert_eq!(status, 422, "{bad}");
    for field in ["name", "language", "body", "parameters"] {
        assert!(bad["error"]["fields"][field].is_string(), "{field}: {bad}");
    }
    let (status, taken) = refused(&ops, "/api/scripts/save", greet("greet")).await;
    assert_eq!(status, 409, "{taken}");
    assert!(taken["error"]["fields"]["name"].is_string());
    let list = json(ops.get("/api/scripts").await).await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    // A user reads nothing; a custom role reads but cannot write.
    let (alice, _) = signed_in_as(&app, &admin, "alice@dihya.test", "user").await;
    assert_eq!(alice.get("/api/scripts").await.status(), 403);
    assert_eq!(
        refused(&alice, "/api/scripts/save", greet("mine")).await.0,
        403
    );
    create_role(&admin, "reader", &["scripts:read"]).await;
    let (reader, _) = signed_in_as(&app, &admin, "reader@dihya.test", "reader").await;
    assert_eq!(reader.get("/api/scripts").await.status(), 200);
    assert_eq!(
        refused(&reader, "/api/scripts/save", greet("mine")).await.0,
        403
    );
    let audit = json(admin.get("/api/audit?action=script.update").await).await;
    assert_eq!(audit["items"].as_array().map(Vec::len), Some(1), "{audit}");
    app.stop().await;
}

async fn local_runs_stream_output_and_keep_secrets(db: Db) {
    let app = spawn_app_with(db, |c| c.local_executor = true).await;
    let (ops, admin) = devops(&app).await;
    let script = save(&ops, greet("greet")).await["id"].clone();
    let secret = "tok-3f9a-never-shown";
    let run = start(
        &ops,
        json!({"script_id": script, "targets": ["local"],
        "parameters": {"name": "Tiziri", "token": secret, "count": 3}}),
    )
    .await;
    let done = finished(&ops, run).await;
    assert_eq!(
        (done["status"].clone(), done["exit_code"].clone()),
        (json!("succeeded"), json!(0)),
        "{done}"
    );
    assert_eq!(done["parameters"]["token"], "••••");
    assert_eq!(done["targets"][0]["label"], "local");
    let out = output(&ops, run, 0).await;
    assert_eq!(
        texts(&out, "stdout"),
        [
            "hello Tiziri, 3 times",
            "token has 20 characters",
            "\\xff\\xfe binary"
        ]
    );
    assert_eq!(texts(&out, "stderr"), ["to stderr"]);
    assert_eq!(texts(&out, "system"), ["exit status 0"]);
    let numbers: Vec<i64> = out["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["n"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, (0..5).collect::<Vec<_>>());
    assert_eq!(out["complete"], true);
    let rest = output(&ops, run, 3).await;
    assert_eq!(rest["lines"].as_array().unwrap().len(), 2);
    assert_eq!(rest["next"], 5);
    // The secret is nowhere: run record, audit log.
    let audit = admin.get("/api/audit/export").await.text().await.unwrap();
    assert!(audit.contains("run.start"));
    assert!(!audit.contains(secret) && !done.to_string().contains(secret));

    // A failing script is failed, with its exit status.
    let failed = start(
        &ops,
        json!({"script_id": script, "targets": ["local"],
        "parameters": {"name": "x", "token": "y", "code": 3}}),
    )
    .await;
    let failed = finished(&ops, failed).await;
    assert_eq!(
        (failed["status"].clone(), failed["exit_code"].clone()),
        (json!("failed"), json!(3))
    );

    // Bad parameters and targets are named, nothing queued.
    let before = json(ops.get("/api/runs").await).await["items"]
        .as_array()
        .unwrap()
        .len();
    for (body, field) in [
        (
            json!({"script_id": script, "targets": ["local"], "parameters": {"token": "t"}}),
            "parameters",
        ),
        (
            json!({"script_id": script, "targets": ["local"], "parameters": {"name": "n", "token": "t", "count": "many"}}),
            "parameters",
        ),
        (
            json!({"script_id": script, "targets": ["local"], "parameters": {"name": "n", "token": "t", "other": 1}}),
            "parameters",
        ),
        (
            json!({"script_id": script, "targets": [], "parameters": {"name": "n", "token": "t"}}),
            "targets",
        ),
        (
            json!({"script_id": script, "targets": [424242], "parameters": {"name": "n", "token": "t"}}),
            "targets",
        ),
        (
            json!({"script_id": 424242, "targets": ["local"]}),
            "script_id",
        ),
        (
            json!({"script_id": script, "targets": ["local"], "timeout_seconds": 0, "parameters": {"name": "n", "token": "t"}}),
            "timeout_seconds",
        ),
    ] {
        let (status, v) = refused(&ops, "/api/scripts", body).await;
        assert_eq!(status, 422, "{v}");
        assert!(v["error"]["fields"][field].is_string(), "{field}: {v}");
    }
    let after = json(ops.get("/api/runs").await).await["items"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after);

    // Inline commands need scripts:adhoc: devops is refused, an admin runs one.
    let inline = json!({"command": "echo inline; sleep 30; echo never", "targets": ["local"], "timeout_seconds": 1});
    assert_eq!(refused(&ops, "/api/scripts", inline.clone()).await.0, 403);
    // The time limit stops it, and says so.
    let slow = start(&admin, inline).await;
    let slow = finished(&ops, slow).await;
    assert_eq!(slow["status"], "failed", "{slow}");
    assert_eq!(slow["targets"][0]["error"], "timed out after 1 s");
    // Its start is when it started, not when it ended.
    assert_ne!(
        slow["targets"][0]["started_at"], slow["targets"][0]["finished_at"],
        "{slow}"
    );
    assert!(slow["targets"][0]["started_at"].is_string());
    let out = output(&ops, slow["id"].as_i64().unwrap(), 0).await;
    assert_eq!(texts(&out, "stdout"), ["inline"]);

    // A cancel stops a running run within a second; a second cancel is refused.
    let long = start(
        &admin,
        json!({"command": "echo started; sleep 30; echo never", "targets": ["local"]}),
    )
    .await;
    run_until(&ops, long, |r| {
        r["status"] == "running" && r["lines"].as_i64() >= Some(1)
    })
    .await;
    let res = ops.post("/api/runs/cancel", json!({"id": long})).await;
    assert_eq!(res.status(), 200);
    let long = finished(&ops, long).await;
    assert_eq!(long["status"], "cancelled", "{long}");
    let out = output(&ops, long["id"].as_i64().unwrap(), 0).await;
    assert_eq!(texts(&out, "stdout"), ["started"]);
    assert_eq!(
        refused(&ops, "/api/runs/cancel", json!({"id": long["id"]}))
            .await
            .0,
        409
    );
    app.stop().await;
}

async fn bearer_run(app: &TestApp, token: &str, body: Value) -> u16 {
    reqwest::Client::new()
        .post(app.url("/api/scripts"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn token(agent: &Agent, scopes: &[&str]) -> String {
    let res = agent
        .post(
            "/api/tokens",
            json!({"name": "t", "scopes": scopes, "expires_in_days": 1}),
        )
        .await;
    assert_eq!(res.status(), 200);
    json(res).await["token"].as_str().unwrap().to_string()
}

async fn running_needs_its_permissions(db: Db) {
    let app = spawn_app(db).await;
    let (ops, admin) = devops(&app).await;
    let script = save(
        &ops,
        json!({"name": "noop", "language": "sh", "body": "true"}),
    )
    .await["id"]
        .clone();
    let body = json!({"script_id": script, "targets": ["local"]});
    // The local executor is off by default: refused before anything runs.
    let (status, off) = refused(&ops, "/api/scripts", body.clone()).await;
    assert_eq!(status, 422);
    assert!(
        off["error"]["fields"]["targets"]
            .as_str()
            .unwrap()
            .contains("DIHYA_LOCAL_EXECUTOR"),
        "{off}"
    );
    let (alice, _) = signed_in_as(&app, &admin, "alice@dihya.test", "user").await;
    assert_eq!(refused(&alice, "/api/scripts", body.clone()).await.0, 403);
    assert_eq!(alice.get("/api/runs").await.status(), 403);
    create_role(&admin, "reader", &["scripts:read", "servers:read"]).await;
    let (reader, _) = signed_in_as(&app, &admin, "reader@dihya.test", "reader").await;
    assert_eq!(refused(&reader, "/api/scripts", body.clone()).await.0, 403);
    assert_eq!(
        refused(&reader, "/api/runs/cancel", json!({"id": 1}))
            .await
            .0,
        403
    );
    // A token holds its scopes only, whatever its owner may do.
    let narrow = token(&admin, &["scripts:read"]).await;
    assert_eq!(bearer_run(&app, &narrow, body.clone()).await, 403);
    // A devops token cannot be given scripts:adhoc its owner lacks…
    let res = ops
        .post(
            "/api/tokens",
            json!({"name": "t", "scopes": ["scripts:run", "scripts:adhoc"], "expires_in_days": 1}),
        )
        .await;
    assert_eq!(res.status(), 422, "{}", res.text().await.unwrap());
    // …and an admin's token without it cannot run an inline command.
    let run_only = token(&admin, &["scripts:run"]).await;
    assert_eq!(
        bearer_run(
            &app,
            &run_only,
            json!({"command": "id", "targets": ["local"]})
        )
        .await,
        403
    );
    let wide = token(&ops, &["scripts:run"]).await;
    assert_eq!(
        bearer_run(&app, &wide, body).await,
        422,
        "allowed, then refused for the executor"
    );
    app.stop().await;
}

async fn ssh_runs_trust_only_the_pinned_key(db: Db) {
    let app = spawn_app_with(db, |c| c.local_executor = true).await;
    let (ops, _admin) = devops(&app).await;
    let dir = app.tmp.join("ssh");
    std::fs::create_dir_all(&dir).unwrap();
    let (host, client, other) = (dir.join("host"), dir.join("client"), dir.join("other_host"));
    for k in [&host, &client, &other] {
        keygen(k);
    }
    std::fs::copy(dir.join("client.pub"), dir.join("authorized_keys")).unwrap();
    let port = free_port();
    let sshd = Sshd::start(&dir, port, &host).await;
    let key = std::fs::read_to_string(&client).unwrap();
    let res = ops
        .post("/api/servers", json!({"name": "box-1", "hostname": "127.0.0.1", "environment": "staging",
            "kind": "vm", "ssh_user": whoami(), "ssh_port": port, "ssh_credential_kind": "private-key",
            "ssh_credential": key}))
        .await;
    let server = json(res).await["id"].clone();
    let script = save(
        &ops,
        json!({"name": "where", "language": "python",
        "body": "import os\nprint('on', os.environ['label'])\n",
        "parameters": [{"name": "label", "type": "string", "default": "here"}]}),
    )
    .await["id"]
        .clone();
    let body = json!({"script_id": script, "targets": ["local", server]});
    // Not pinned yet: refused before anything runs.
    let (status, v) = refused(&ops, "/api/scripts", body.clone()).await;
    assert_eq!(status, 422, "{v}");
    let pin = ops
        .post(
            "/api/servers/ssh-test",
            json!({"id": server, "trust": fingerprint(&dir.join("host.pub"))}),
        )
        .await;
    assert_eq!(pin.status(), 200);

    // Both hosts at once; each line says which.
    let run = start(&ops, body.clone()).await;
    let done = finished(&ops, run).await;
    assert_eq!(done["status"], "succeeded", "{done}");
    let out = output(&ops, run, 0).await;
    let lines = out["lines"].as_array().unwrap();
    let said = |label: &str| {
        lines
            .iter()
            .any(|l| l["target"] == label && l["text"] == "on here")
    };
    assert!(said("local") && said("box-1"), "{out}");
    assert!(
        lines.iter().any(|l| l["target"] == "box-1"
            && l["stream"] == "system"
            && l["text"].as_str().unwrap().starts_with("connecting to")),
        "{out}"
    );

    // The host key changes: the run fails with the reason, nothing runs.
    drop(sshd);
    let _sshd = Sshd::start(&dir, port, &other).await;
    let run = start(&ops, json!({"script_id": script, "targets": [server]})).await;
    let done = finished(&ops, run).await;
    assert_eq!(done["status"], "failed", "{done}");
    assert!(
        done["targets"][0]["error"]
            .as_str()
            .unwrap()
            .contains("host key"),
        "{done}"
    );
    let out = output(&ops, run, 0).await;
    assert!(texts(&out, "stdout").is_empty(), "{out}");
    app.stop().await;
}

async fn a_restart_marks_a_running_host_interrupted(db: Db) {
    use app::platform::jobs::{Worker, WorkerConfig, entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let mut app = spawn_app_with(db, |c| c.local_executor = true).await;
    let admin = app.admin().await;
    let run = start(
        &admin,
        json!({"command": "echo started; sleep 60", "targets": ["local"]}),
    )
    .await;
    run_until(&admin, run, |r| r["lines"].as_i64() >= Some(1)).await;
    // The instance stops mid-run; its lease would run out in 30 s: made
    // to have run out now.
    app.halt().await;
    let conn = app::platform::db::connect(&app.db_url).await.unwrap();
    entity::Entity::update_many()
        .col_expr(
            entity::Column::LeaseExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
        )
        .filter(entity::Column::Kind.eq(app::automation::runs::RUN_JOB))
        .exec(&conn)
        .await
        .unwrap();
    // The next instance claims the job and finds the host already started.
    let executor = app::automation::executor::Executor {
        db: conn.clone(),
        secrets: std::sync::Arc::new(app::platform::secrets::SecretBox::from_key(&[0u8; 32])),
        local: true,
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = Worker::new(
        conn.clone(),
        WorkerConfig {
            poll: Duration::from_millis(50),
            ..WorkerConfig::new("next")
        },
    )
    .handle(app::automation::runs::RUN_JOB, move |job| {
        let executor = executor.clone();
        async move { executor.execute(&job).await }
    });
    let worker = tokio::spawn(worker.run(async {
        let _ = stopped.await;
    }));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let status = loop {
        let r = app::automation::entity::run::Entity::find_by_id(run as i32)
            .one(&conn)
            .await
            .unwrap()
            .unwrap();
        if r.status != "running" {
            break r.status;
        }
        assert!(tokio::time::Instant::now() < deadline, "never settled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(status, "interrupted");
    let _ = stop.send(());
    worker.await.unwrap();
}

on_both_databases!(
    scripts_are_saved_with_every_version,
    local_runs_stream_output_and_keep_secrets,
    running_needs_its_permissions,
    ssh_runs_trust_only_the_pinned_key,
    a_restart_marks_a_running_host_interrupted,
);
