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
use crate::helpers::{Db, json, spawn_app};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// Decodes `body` as `T` and returns the keys `T` encodes again.
fn round_trip<T: Serialize + DeserializeOwned>(body: &Value) -> Result<BTreeSet<String>, String> {
    let args: T = serde_json::from_value(body.clone()).map_err(|e| e.to_string())?;
    let back = serde_json::to_value(&args).map_err(|e| e.to_string())?;
    Ok(back
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default())
}

type Check = fn(&Value) -> Result<BTreeSet<String>, String>;

/// Every `POST` server function with a body, by path.
fn server_functions() -> Vec<(&'static str, Check)> {
    use app::{admin, auth, sessions, setup, sso, tokens, twofa};
    vec![
        ("/api/auth/login", round_trip::<auth::api::Login>),
        ("/api/auth/login/totp", round_trip::<auth::api::LoginTotp>),
        ("/api/auth/profile", round_trip::<auth::api::UpdateProfile>),
        (
            "/api/auth/password",
            round_trip::<auth::api::ChangePassword>,
        ),
        (
            "/api/auth/sessions/revoke",
            round_trip::<sessions::api::RevokeSession>,
        ),
        ("/api/users", round_trip::<admin::api::SaveUser>),
        (
            "/api/users/revoke-sessions",
            round_trip::<admin::api::RevokeUserSessions>,
        ),
        (
            "/api/users/reset-2fa",
            round_trip::<admin::api::ResetUser2fa>,
        ),
        ("/api/roles", round_trip::<admin::api::SaveRole>),
        ("/api/tokens", round_trip::<tokens::api::CreateToken>),
        ("/api/tokens/revoke", round_trip::<tokens::api::RevokeToken>),
        ("/api/sso/settings", round_trip::<sso::api::SaveSsoSettings>),
        ("/api/2fa/confirm", round_trip::<twofa::api::Confirm2fa>),
        ("/api/2fa/disable", round_trip::<twofa::api::Disable2fa>),
        (
            "/api/setup/complete",
            round_trip::<setup::api::CompleteSetup>,
        ),
        (
            "/api/setup/check",
            round_trip::<setup::api::CheckSetupToken>,
        ),
    ]
}

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
    let functions = server_functions();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(schema) = item["post"]["requestBody"]["content"]["application/json"].get("schema")
        else {
            continue;
        };
        let Some((_, check)) = functions.iter().find(|(p, _)| p == path) else {
            panic!("POST {path} has a documented body: add its server function to the table");
        };
        let body = sample(&doc, schema);
        let documented: BTreeSet<String> = body
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        let encoded = check(&body)
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
