//! Saved views of the servers list: kept per user, their filters checked
//! like the list's, and another user's view out of reach — tried.
use crate::helpers::{Db, json, signed_in_as, spawn_app};
use crate::on_both_databases;
use serde_json::{Value, json};

async fn saved_views_belong_to_their_user(db: Db) {
    let app = spawn_app(db).await;
    let admin = app.admin().await;
    let (ops, _) = signed_in_as(&app, &admin, "ops@dihya.test", "devops").await;
    let (other, _) = signed_in_as(&app, &admin, "other@dihya.test", "devops").await;

    let res = ops
        .post(
            "/api/servers/views",
            json!({"name": "prod web", "environment": "production", "tag": "web", "status": "active"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let view = json(res).await;
    assert_eq!(
        (&view["environment"], &view["tag"]),
        (&json!("production"), &json!("web"))
    );
    // The same name again replaces it.
    let again = json(
        ops.post(
            "/api/servers/views",
            json!({"name": "prod web", "environment": "production"}),
        )
        .await,
    )
    .await;
    assert_eq!((&again["id"], &again["tag"]), (&view["id"], &Value::Null));
    let mine = json(ops.get("/api/servers/views").await).await;
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");

    // Bad input is refused by field, nothing stored.
    for (body, field) in [
        (json!({"name": ""}), "name"),
        (json!({"name": "x", "status": "sideways"}), "status"),
        (json!({"name": "x", "sort": "colour"}), "sort"),
        (json!({"name": "x".repeat(61)}), "name"),
    ] {
        let res = ops.post("/api/servers/views", body).await;
        assert_eq!(res.status(), 422);
        assert!(
            json(res).await["error"]["fields"][field].is_string(),
            "{field}"
        );
    }
    assert_eq!(
        json(ops.get("/api/servers/views").await)
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Another user sees none of it and cannot delete it.
    assert_eq!(json(other.get("/api/servers/views").await).await, json!([]));
    let res = other
        .post("/api/servers/views/delete", json!({"id": view["id"]}))
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        json(ops.get("/api/servers/views").await)
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Its owner can.
    let res = ops
        .post("/api/servers/views/delete", json!({"id": view["id"]}))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(ops.get("/api/servers/views").await).await, json!([]));

    // At most 50 views a user.
    for i in 0..50 {
        let res = ops
            .post("/api/servers/views", json!({"name": format!("v{i}")}))
            .await;
        assert_eq!(res.status(), 200);
    }
    assert_eq!(
        ops.post("/api/servers/views", json!({"name": "one more"}))
            .await
            .status(),
        409
    );
    // Replacing an existing one is still allowed at the limit.
    assert_eq!(
        ops.post("/api/servers/views", json!({"name": "v3", "q": "db"}))
            .await
            .status(),
        200
    );
}

on_both_databases!(saved_views_belong_to_their_user);
