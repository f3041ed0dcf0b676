//! Baseline for `make bench`: a bare axum + sqlx handler answering the first
//! page of `GET /api/servers` from the same SQLite file — the same two
//! queries (a page of servers by name, then their tags) and the same JSON
//! fields — with no sessions, tokens, permissions, audit or middleware, so
//! Dihya Ops's figure is reported as a ratio against it.
use axum::{Json, Router, extract::State, routing::get};
use serde_json::{Value, json};
use sqlx::{Row, SqlitePool, sqlite::SqlitePoolOptions};
use std::collections::HashMap;

const PAGE: i64 = 50;

async fn servers(State(pool): State<SqlitePool>) -> Json<Value> {
    let rows = sqlx::query(
        "SELECT id, name, hostname, ip_addresses, os, kind, provider, environment, owner, \
         cpu_cores, ram_mb, disk_gb, notes, status, ssh_user, ssh_port, ssh_credential_kind, \
         ssh_host_key, created_at, updated_at FROM servers ORDER BY name, id LIMIT ?",
    )
    .bind(PAGE + 1)
    .fetch_all(&pool)
    .await
    .expect("servers");
    let ids: Vec<i32> = rows
        .iter()
        .take(PAGE as usize)
        .map(|r| r.get("id"))
        .collect();
    let marks = vec!["?"; ids.len()].join(",");
    let sql =
        format!("SELECT server_id, tag FROM server_tags WHERE server_id IN ({marks}) ORDER BY tag");
    // Only placeholders are spliced in; the ids are bound.
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for id in &ids {
        q = q.bind(id);
    }
    let mut tags: HashMap<i32, Vec<String>> = HashMap::new();
    for r in q.fetch_all(&pool).await.expect("tags") {
        tags.entry(r.get("server_id"))
            .or_default()
            .push(r.get("tag"));
    }
    let items: Vec<Value> = rows
        .iter()
        .take(PAGE as usize)
        .map(|r| {
            let id: i32 = r.get("id");
            let ips: String = r.get("ip_addresses");
            json!({
                "id": id, "name": r.get::<String, _>("name"), "hostname": r.get::<String, _>("hostname"),
                "ip_addresses": serde_json::from_str::<Value>(&ips).unwrap_or(Value::Null),
                "os": r.get::<String, _>("os"), "kind": r.get::<String, _>("kind"),
                "provider": r.get::<String, _>("provider"), "environment": r.get::<String, _>("environment"),
                "tags": tags.remove(&id).unwrap_or_default(), "owner": r.get::<String, _>("owner"),
                "cpu_cores": r.get::<Option<i32>, _>("cpu_cores"), "ram_mb": r.get::<Option<i64>, _>("ram_mb"),
                "disk_gb": r.get::<Option<i64>, _>("disk_gb"), "notes": r.get::<String, _>("notes"),
                "status": r.get::<String, _>("status"),
                "ssh": {"user": r.get::<Option<String>, _>("ssh_user"), "port": r.get::<i32, _>("ssh_port"),
                        "credential": r.get::<Option<String>, _>("ssh_credential_kind"),
                        "host_key": r.get::<Option<String>, _>("ssh_host_key")},
                "created_at": r.get::<String, _>("created_at"), "updated_at": r.get::<String, _>("updated_at"),
            })
        })
        .collect();
    let next = (rows.len() as i64 > PAGE).then(|| ids.last().copied());
    Json(json!({"items": items, "next_cursor": next}))
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(addr), Some(db)) = (args.next(), args.next()) else {
        eprintln!("usage: bench_servers_sqlx ADDR SQLITE_URL");
        std::process::exit(2);
    };
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect(&db)
        .await
        .expect("open the database");
    let app = Router::new()
        .route("/api/servers", get(servers))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    println!("sqlx baseline listening on {addr}");
    axum::serve(listener, app).await.expect("serve");
}
