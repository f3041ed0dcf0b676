//! The inventory over HTTP: create, validate, list (filters, sorts,
//! cursors), lifecycle, delete, history, sealed SSH credentials, bulk
//! import, and refusals performed as a `user`, a read-only custom role and
//! scoped API tokens. Every test runs on SQLite and PostgreSQL.
use crate::helpers::{Agent, Db, TestApp, create_role, json, signed_in_as, spawn_app};
use crate::on_both_databases;
use serde_json::{Value, json};

/// A devops account (servers:read and servers:write) and the admin.
async fn devops(app: &TestApp) -> (Agent, Agent) {
    let admin = app.admin().await;
    let (devops, _) = signed_in_as(app, &admin, "ops@dihya.test", "devops").await;
    (devops, admin)
}

fn server(name: &str, env: &str, tags: &[&str]) -> Value {
    json!({"name": name, "hostname": format!("{}.example.net", name.to_lowercase()),
        "environment": env, "kind": "vm", "tags": tags, "ip_addresses": ["192.0.2.10"]})
}

async fn create(agent: &Agent, body: Value) -> Value {
    let res = agent.post("/api/servers", body).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    json(res).await
}

async fn names(agent: &Agent, query: &str) -> Vec<String> {
    let res = agent.get(&format!("/api/servers?{query}")).await;
    assert_eq!(res.status(), 200, "{query}: {}", res.text().await.unwrap());
    json(res).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect()
}

async fn create_validate_and_update(db: Db) {
    let app = spawn_app(db).await;
    let (ops, _) = devops(&app).await;
    let body = create(&ops, server("Web-01", "production", &["web", "eu"])).await;
    assert_eq!(body["status"], "planned");
    assert_eq!(body["hostname"], "web-01.example.net");
    assert_eq!(body["tags"], json!(["eu", "web"]));
    assert_eq!(body["ssh"]["port"], 22);
    let id = body["id"].as_i64().unwrap();

    // The same name again: 409, naming the field; nothing stored.
    let dup = ops
        .post("/api/servers", server("Web-01", "staging", &[]))
        .await;
    assert_eq!(dup.status(), 409);
    let err = json(dup).await;
    assert!(err["error"]["fields"]["name"].is_string(), "{err}");
    assert_eq!(names(&ops, "").await, ["Web-01"]);

    // Every bad field at once, each named, in the caller's language.
    let bad = ops
        .client
        .post(app.url("/api/servers"))
        .header("origin", &app.base)
        .header("accept-language", "fr")
        .json(
            &json!({"name": "x", "hostname": "bad host!", "kind": "mainframe",
            "environment": "Prod!", "ip_addresses": ["999.1.1.1"], "tags": ["bad tag"],
            "ssh_port": 0, "cpu_cores": 0}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let err = json(bad).await;
    let fields = err["error"]["fields"].as_object().unwrap();
    for f in [
        "hostname",
        "kind",
        "environment",
        "ip_addresses",
        "tags",
        "ssh_port",
        "cpu_cores",
    ] {
        assert!(fields.contains_key(f), "{f} missing in {err}");
    }
    assert!(
        fields["ssh_port"].as_str().unwrap().contains("Saisissez"),
        "{err}"
    );
    assert_eq!(names(&ops, "").await, ["Web-01"]);

    // Update by id keeps the status and replaces the tags.
    let mut change = server("Web-01", "staging", &["web"]);
    change["id"] = json!(id);
    change["notes"] = json!("**Primary** web <script>alert(1)</script>");
    let updated = create(&ops, change).await;
    assert_eq!(updated["environment"], "staging");
    assert_eq!(updated["tags"], json!(["web"]));
    assert_eq!(updated["status"], "planned");
    let detail = json(ops.get(&format!("/api/servers/detail?id={id}")).await).await;
    let html = detail["notes_html"].as_str().unwrap();
    assert!(html.contains("<strong>Primary</strong>"), "{html}");
    assert!(!html.contains("<script"), "{html}");
    let actions: Vec<&str> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["server.update", "server.create"]);
    assert_eq!(detail["history"][0]["actor"], "ops@dihya.test");

    // A missing id is a 404, not a new server.
    let mut ghost = server("Ghost", "production", &[]);
    ghost["id"] = json!(999_999);
    assert_eq!(ops.post("/api/servers", ghost).await.status(), 404);
}

async fn list_filters_sorts_and_cursors(db: Db) {
    let app = spawn_app(db).await;
    let (ops, _) = devops(&app).await;
    for (name, env, tags) in [
        ("alpha", "production", vec!["web"]),
        ("bravo", "staging", vec!["db"]),
        ("charlie", "production", vec!["web", "db"]),
        ("delta", "edge-lab", vec![]),
        ("echo", "production", vec!["web"]),
    ] {
        create(&ops, server(name, env, &tags)).await;
    }
    assert_eq!(
        names(&ops, "").await,
        ["alpha", "bravo", "charlie", "delta", "echo"]
    );
    assert_eq!(
        names(&ops, "environment=production&sort=-name").await,
        ["echo", "charlie", "alpha"]
    );
    assert_eq!(names(&ops, "tag=db").await, ["bravo", "charlie"]);
    assert_eq!(
        names(&ops, "tag=web&environment=production&q=ech").await,
        ["echo"]
    );
    assert_eq!(names(&ops, "q=CHAR").await, ["charlie"]);
    assert_eq!(names(&ops, "environment=edge-lab").await, ["delta"]);
    assert_eq!(names(&ops, "status=active").await, Vec::<String>::new());
    assert_eq!(names(&ops, "sort=-created").await[0], "echo");

    // Walk every order two rows at a time: all rows, once each, in order.
    for sort in ["name", "-name", "created", "-created"] {
        let all = names(&ops, &format!("sort={sort}&per_page=200")).await;
        let mut walked = Vec::new();
        let mut cursor = String::new();
        loop {
            let res = ops
                .get(&format!(
                    "/api/servers?sort={sort}&per_page=2&cursor={cursor}"
                ))
                .await;
            let page = json(res).await;
            let items = page["items"].as_array().unwrap();
            assert!(items.len() <= 2);
            walked.extend(
                items
                    .iter()
                    .map(|s| s["name"].as_str().unwrap().to_string()),
            );
            match page["next_cursor"].as_str() {
                Some(c) => cursor = c.to_string(),
                None => break,
            }
        }
        assert_eq!(walked, all, "sort {sort}");
        assert_eq!(walked.len(), 5);
    }

    // Unknown filters and made-up cursors are refused, naming the field.
    for (query, field) in [
        ("status=bogus", "status"),
        ("sort=price", "sort"),
        ("tag=%25", "tag"),
        ("environment=Prod%20Env", "environment"),
        ("cursor=zz.zz", "cursor"),
        ("sort=created&cursor=1%3B", "cursor"),
    ] {
        let res = ops.get(&format!("/api/servers?{query}")).await;
        assert_eq!(res.status(), 422, "{query}");
        let err = json(res).await;
        assert!(err["error"]["fields"][field].is_string(), "{query}: {err}");
    }
}

async fn lifecycle_delete_and_history(db: Db) {
    let app = spawn_app(db).await;
    let (ops, admin) = devops(&app).await;
    let id = create(&ops, server("db-1", "production", &[])).await["id"].clone();
    let step = |to: &'static str| {
        let ops = &ops;
        let id = id.clone();
        async move {
            ops.post("/api/servers/lifecycle", json!({"id": id, "to": to}))
                .await
        }
    };
    // Not allowed from `planned`; an unknown status is named too.
    let res = step("maintenance").await;
    assert_eq!(res.status(), 422);
    assert!(json(res).await["error"]["fields"]["to"].is_string());
    assert_eq!(step("retired").await.status(), 422);
    for to in ["provisioning", "active", "maintenance", "active"] {
        let res = step(to).await;
        assert_eq!(res.status(), 200, "{to}");
        assert_eq!(json(res).await["status"], to);
    }
    // Deleting needs decommissioned first.
    let res = ops.post("/api/servers/delete", json!({"id": id})).await;
    assert_eq!(res.status(), 409);
    assert_eq!(step("decommissioned").await.status(), 200);
    assert_eq!(step("active").await.status(), 422);
    let detail = json(ops.get(&format!("/api/servers/detail?id={id}")).await).await;
    assert_eq!(detail["next_statuses"], json!([]));
    let moves: Vec<String> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "server.lifecycle")
        .map(|e| {
            let diff: Value = serde_json::from_str(e["diff"].as_str().unwrap()).unwrap();
            diff["to"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        moves,
        [
            "decommissioned",
            "active",
            "maintenance",
            "active",
            "provisioning"
        ]
    );
    assert_eq!(
        ops.post("/api/servers/delete", json!({"id": id}))
            .await
            .status(),
        200
    );
    assert_eq!(
        ops.get(&format!("/api/servers/detail?id={id}"))
            .await
            .status(),
        404
    );
    // The history outlives the server, in the audit log.
    let audit = json(admin.get("/api/audit?action=server.").await).await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions.first(), Some(&"server.delete"));
    assert_eq!(
        actions.iter().filter(|a| **a == "server.lifecycle").count(),
        5
    );
}

async fn ssh_credentials_are_sealed_and_never_returned(db: Db) {
    let app = spawn_app(db).await;
    let (ops, admin) = devops(&app).await;
    const SECRET: &str = "correct-horse-battery-staple-42";
    let mut body = server("bastion", "production", &[]);
    body["ssh_user"] = json!("deploy");
    body["ssh_port"] = json!(2222);
    body["ssh_credential_kind"] = json!("password");
    body["ssh_credential"] = json!(SECRET);
    let res = ops.post("/api/servers", body.clone()).await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(!text.contains(SECRET), "{text}");
    let created: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(created["ssh"]["credential_kind"], "password");
    assert_eq!(created["ssh"]["user"], "deploy");
    assert_eq!(created["ssh"]["port"], 2222);
    let id = created["id"].as_i64().unwrap();

    // At rest: sealed, bound to the row.
    let conn = sea_orm::Database::connect(&app.db_url).await.unwrap();
    let sealed = stored_credential(&conn, id).await.expect("stored");
    assert!(sealed.starts_with("v1."), "{sealed}");
    assert!(!sealed.contains(SECRET));

    // Nowhere to read it back: detail, list, audit log, its export.
    for path in [
        format!("/api/servers/detail?id={id}"),
        "/api/servers".to_string(),
    ] {
        let text = ops.get(&path).await.text().await.unwrap();
        assert!(!text.contains(SECRET), "{path}");
    }
    for path in ["/api/audit", "/api/audit/export?format=json"] {
        let text = admin.get(path).await.text().await.unwrap();
        assert!(!text.contains(SECRET), "{path}");
        assert!(!text.contains(&sealed), "{path}");
    }

    // An update without a credential keeps it; an empty one removes it.
    body["id"] = json!(id);
    body.as_object_mut().unwrap().remove("ssh_credential");
    let kept = create(&ops, body.clone()).await;
    assert_eq!(kept["ssh"]["credential_kind"], "password");
    assert_eq!(
        stored_credential(&conn, id).await.as_deref(),
        Some(sealed.as_str())
    );
    body["ssh_credential"] = json!("");
    let removed = create(&ops, body.clone()).await;
    assert_eq!(removed["ssh"]["credential_kind"], Value::Null);
    assert_eq!(stored_credential(&conn, id).await, None);

    // A private key must look like one; a credential needs its kind.
    body["ssh_credential_kind"] = json!("private-key");
    body["ssh_credential"] = json!("not a key");
    let res = ops.post("/api/servers", body.clone()).await;
    assert_eq!(res.status(), 422);
    assert!(json(res).await["error"]["fields"]["ssh_credential"].is_string());
    body.as_object_mut().unwrap().remove("ssh_credential_kind");
    let res = ops.post("/api/servers", body).await;
    assert_eq!(res.status(), 422);
    assert!(json(res).await["error"]["fields"]["ssh_credential_kind"].is_string());
}

async fn stored_credential(conn: &sea_orm::DatabaseConnection, id: i64) -> Option<String> {
    use sea_orm::EntityTrait;
    app::servers::entity::Entity::find_by_id(i32::try_from(id).unwrap())
        .one(conn)
        .await
        .unwrap()
        .unwrap()
        .ssh_credential
}

async fn import_reports_by_line_and_stores_all_or_nothing(db: Db) {
    let app = spawn_app(db).await;
    let (ops, _) = devops(&app).await;
    create(&ops, server("existing", "production", &[])).await;
    let csv = "name,hostname,kind,environment,tags,cpu_cores,notes\n\
               web-1,web-1.example.net,vm,production,web;eu,4,\"first, with a comma\"\n\
               web-2,bad host,vm,production,,,\n\
               existing,e.example.net,cloud,staging,,,\n\
               web-3,web-3.example.net,physical,edge-lab,,four,\n\
               web-4,10.0.0.4,container-host,staging,,,\n";
    let import = |dry_run: bool, skip_invalid: bool| {
        ops.post(
            "/api/servers/import",
            json!({"format": "csv", "data": csv, "dry_run": dry_run, "skip_invalid": skip_invalid}),
        )
    };
    // A dry run reports every line and stores nothing.
    let res = import(true, false).await;
    assert_eq!(res.status(), 200);
    let report = json(res).await;
    assert_eq!(
        (report["valid"].as_u64(), report["invalid"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(report["imported"], 0);
    let rows = report["rows"].as_array().unwrap();
    let lines: Vec<u64> = rows.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6]);
    assert!(rows[1]["errors"]["hostname"].is_string());
    assert!(rows[2]["errors"]["name"].is_string());
    assert!(rows[3]["errors"]["cpu_cores"].is_string());
    assert_eq!(names(&ops, "").await, ["existing"]);

    // Without "skip invalid", invalid rows stop everything: 422 by line.
    let res = import(false, false).await;
    assert_eq!(res.status(), 422);
    let err = json(res).await;
    let fields = err["error"]["fields"].as_object().unwrap();
    assert!(fields.contains_key("rows.3.hostname"), "{err}");
    assert!(fields.contains_key("rows.5.cpu_cores"), "{err}");
    assert_eq!(names(&ops, "").await, ["existing"]);

    // With it, the valid rows go in, each audited.
    let report = json(import(false, true).await).await;
    assert_eq!(report["imported"], 2);
    assert_eq!(names(&ops, "").await, ["existing", "web-1", "web-4"]);
    let web1 = json(ops.get("/api/servers?q=web-1").await).await;
    assert_eq!(web1["items"][0]["tags"], json!(["eu", "web"]));
    assert_eq!(web1["items"][0]["notes"], "first, with a comma");

    // JSON: an array of servers; a name used twice in one file is refused
    // on its second row; a row that is not a server is named too.
    let data =
        json!([server("json-a", "staging", &[]), server("json-a", "staging", &[]), {"name": 5}])
            .to_string();
    let report = json(
        ops.post(
            "/api/servers/import",
            json!({"format": "json", "data": data, "dry_run": true}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (report["valid"].as_u64(), report["invalid"].as_u64()),
        (Some(1), Some(2)),
        "{report}"
    );
    assert!(report["rows"][1]["errors"]["name"].is_string(), "{report}");
    assert!(report["rows"][2]["errors"]["row"].is_string(), "{report}");

    // Files that cannot be read are named as such.
    for (format, data, field) in [
        ("csv", "name,hostname,colour\nx,y,z\n", "data"),
        (
            "csv",
            "name,hostname,kind,environment\n\"open,x,vm,production\n",
            "rows.2",
        ),
        ("json", "{not json", "data"),
        ("xml", "<servers/>", "format"),
        ("csv", "", "data"),
    ] {
        let res = ops
            .post(
                "/api/servers/import",
                json!({"format": format, "data": data, "dry_run": true}),
            )
            .await;
        assert_eq!(res.status(), 422, "{format} {data}");
        let err = json(res).await;
        assert!(err["error"]["fields"][field].is_string(), "{field}: {err}");
    }
}

/// Each refusal is performed: a `user`, a custom role that may only read,
/// and API tokens scoped to reading or to nothing of the inventory.
async fn refusals_hold_for_users_custom_roles_and_tokens(db: Db) {
    let app = spawn_app(db).await;
    let (ops, admin) = devops(&app).await;
    let id = create(&ops, server("target", "production", &[])).await["id"].clone();
    let (user, _) = signed_in_as(&app, &admin, "u@dihya.test", "user").await;
    assert_eq!(user.get("/api/servers").await.status(), 403);
    assert_eq!(
        user.get(&format!("/api/servers/detail?id={id}"))
            .await
            .status(),
        403
    );
    assert_eq!(
        user.post("/api/servers", server("mine", "production", &[]))
            .await
            .status(),
        403
    );
    create_role(
        &admin,
        "inventory-reader",
        &["servers:read", "profile:manage"],
    )
    .await;
    let (reader, _) = signed_in_as(&app, &admin, "reader@dihya.test", "inventory-reader").await;
    assert_eq!(reader.get("/api/servers").await.status(), 200);
    for (path, body) in [
        ("/api/servers", server("sneaky", "production", &[])),
        ("/api/servers/lifecycle", json!({"id": id, "to": "active"})),
        ("/api/servers/delete", json!({"id": id})),
        (
            "/api/servers/import",
            json!({"format": "csv", "data": "name,hostname,kind,environment\nx,x.example,vm,production\n"}),
        ),
    ] {
        assert_eq!(reader.post(path, body).await.status(), 403, "{path}");
    }
    // A devops token scoped to servers:read reads but cannot write, even
    // though its owner could.
    let token = |scopes: Value| {
        let ops = &ops;
        async move {
            let res = ops
                .post(
                    "/api/tokens",
                    json!({"name": "ci", "scopes": scopes, "expires_in_days": 1}),
                )
                .await;
            json(res).await["token"].as_str().unwrap().to_string()
        }
    };
    let read_only = token(json!(["servers:read"])).await;
    let other = token(json!(["monitoring:read"])).await;
    let client = reqwest::Client::new();
    let get = |t: &str| {
        client
            .get(app.url("/api/servers"))
            .bearer_auth(t.to_string())
            .send()
    };
    assert_eq!(get(&read_only).await.unwrap().status(), 200);
    assert_eq!(get(&other).await.unwrap().status(), 403);
    let post = client
        .post(app.url("/api/servers"))
        .bearer_auth(&read_only)
        .json(&server("by-token", "production", &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 403);
    assert_eq!(names(&ops, "").await, ["target"]);
}

on_both_databases!(
    create_validate_and_update,
    list_filters_sorts_and_cursors,
    lifecycle_delete_and_history,
    ssh_credentials_are_sealed_and_never_returned,
    import_reports_by_line_and_stores_all_or_nothing,
    refusals_hold_for_users_custom_roles_and_tokens,
);
