//! Each documented request body has exactly the fields of its server
//! function's arguments: the OpenAPI document is written by hand beside the
//! functions (`openapi_*` stubs with `request_body = SomeInput`), so nothing
//! else would notice when one of the two changes.
//!
//! For every `POST` in `/api/openapi.json` with a JSON body, a body with
//! every documented property (a value of the documented type) is decoded
//! as the server function's arguments and encoded again: a documented
//! property the function lacks is dropped, a function argument the
//! document lacks is missing or appears, and the two key sets differ.
//! The functions come from each domain's declaration (`app::domains`).
use crate::helpers::{Db, json, spawn_app};
use app::platform::domain::round_trip;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// Follows a `$ref` into `components.schemas`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or_default();
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// A value of the type `schema` documents.
fn sample(doc: &Value, schema: &Value) -> Value {
    let schema = resolve(doc, schema);
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.clone();
    }
    if let Some(one) = schema["oneOf"]
        .as_array()
        .and_then(|o| o.iter().find(|s| s["type"] != "null").or_else(|| o.first()))
    {
        return sample(doc, one);
    }
    let ty = match &schema["type"] {
        Value::Array(types) => types
            .iter()
            .find(|t| *t != "null")
            .cloned()
            .unwrap_or(Value::Null),
        other => other.clone(),
    };
    match ty.as_str() {
        Some("string") => json!("x"),
        Some("integer") | Some("number") => json!(1),
        Some("boolean") => json!(true),
        Some("array") => json!([]),
        _ => match schema["properties"].as_object() {
            Some(props) => Value::Object(
                props
                    .iter()
                    .map(|(k, v)| (k.clone(), sample(doc, v)))
                    .collect::<Map<_, _>>(),
            ),
            None => json!({}),
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documented_request_bodies_match_the_server_functions() {
    let app = spawn_app(Db::Sqlite).await;
    let doc = json(app.get("/api/openapi.json").await).await;
    // Each domain lists its functions (`body::<F>()` in its `api.rs`).
    let functions = app::domains::request_bodies();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(schema) = item["post"]["requestBody"]["content"]["application/json"].get("schema")
        else {
            continue;
        };
        let Some(function) = functions.iter().find(|f| f.path == path) else {
            panic!(
                "POST {path} has a documented body: list its server function in its domain's server_parts"
            );
        };
        let body = sample(&doc, schema);
        let documented: BTreeSet<String> = body
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        let encoded = (function.check)(&body)
            .unwrap_or_else(|e| panic!("POST {path}: the documented body does not decode: {e}"));
        assert_eq!(
            documented, encoded,
            "POST {path}: documented fields (left) differ from the arguments (right)"
        );
        checked += 1;
    }
    assert_eq!(
        checked,
        functions.len(),
        "every listed function was checked"
    );
}

#[test]
fn a_mismatch_is_caught() {
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Args {
        name: String,
        #[serde(default)]
        extra: Option<String>,
    }
    let documented = json!({"name": "x", "other": 1});
    let keys = round_trip::<Args>(&documented).unwrap();
    let documented: BTreeSet<String> = ["name".to_string(), "other".to_string()].into();
    assert_ne!(
        keys, documented,
        "an undocumented argument and a phantom field differ"
    );
}
