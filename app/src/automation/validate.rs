//! What a script and a run request must be, every bad field named at once.
use super::{
    LOCAL, Language, MAX_TARGETS, MAX_TIMEOUT, ParamType, Parameter, RunInput, ScriptInput,
};
use crate::error::MsgKey;
use serde_json::Value;

/// A script's body is at most this long.
pub const MAX_BODY: usize = 256 * 1024;
/// A parameter's value is at most this long.
const MAX_VALUE: usize = 4 * 1024;
const MAX_PARAMETERS: usize = 30;

type Fields = Vec<(&'static str, MsgKey)>;

/// A script to save, checked.
pub struct ValidScript {
    pub name: String,
    pub description: String,
    pub language: Language,
    pub body: String,
    pub parameters: Vec<Parameter>,
}

fn fine_text(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
}

/// `[a-z][a-z0-9_]{0,63}`: an environment variable that can never be a
/// system one (those are upper case).
fn parameter_name(n: &str) -> bool {
    let mut chars = n.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && n.len() <= 64
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub fn script(input: ScriptInput) -> Result<ValidScript, Fields> {
    let mut bad = Fields::new();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
        bad.push(("name", MsgKey::NameInvalid));
    }
    let description = input.description.trim().to_string();
    if description.chars().count() > 500 || !fine_text(&description) {
        bad.push(("description", MsgKey::TextTooLong));
    }
    let language = Language::parse(input.language.trim());
    if language.is_none() {
        bad.push(("language", MsgKey::ChoiceInvalid));
    }
    if input.body.trim().is_empty() || input.body.len() > MAX_BODY || input.body.contains('\0') {
        bad.push(("body", MsgKey::ScriptBodyInvalid));
    }
    if !parameters_ok(&input.parameters) {
        bad.push(("parameters", MsgKey::ParametersInvalid));
    }
    match (bad.is_empty(), language) {
        (true, Some(language)) => Ok(ValidScript {
            name,
            description,
            language,
            body: input.body,
            parameters: input.parameters,
        }),
        _ => Err(bad),
    }
}

/// Names valid and unique, defaults of their type, no secret default
/// (it would be stored in the clear with the script).
fn parameters_ok(ps: &[Parameter]) -> bool {
    let mut seen = std::collections::BTreeSet::new();
    ps.len() <= MAX_PARAMETERS
        && ps.iter().all(|p| {
            parameter_name(&p.name)
                && seen.insert(p.name.as_str())
                && p.description.chars().count() <= 200
                && match &p.default {
                    None => true,
                    Some(_) if p.kind == ParamType::Secret => false,
                    Some(d) => value(p.kind, &Value::String(d.clone())).is_some(),
                }
        })
}

/// A value of type `kind` as the text the script receives; `None` when it
/// is not one. Numbers and booleans may come as JSON or as text.
fn value(kind: ParamType, v: &Value) -> Option<String> {
    let text = match (kind, v) {
        (ParamType::Integer, Value::Number(n)) => n.as_i64()?.to_string(),
        (ParamType::Integer, Value::String(s)) => s.trim().parse::<i64>().ok()?.to_string(),
        (ParamType::Boolean, Value::Bool(b)) => b.to_string(),
        (ParamType::Boolean, Value::String(s)) if s == "true" || s == "false" => s.clone(),
        (ParamType::String | ParamType::Secret, Value::String(s)) => s.clone(),
        _ => return None,
    };
    (text.len() <= MAX_VALUE && !text.contains('\0')).then_some(text)
}

/// Every parameter's value for a run: given, else its default; unknown
/// names, wrong types and missing required ones refused.
pub fn values(
    defs: &[Parameter],
    given: &serde_json::Map<String, Value>,
) -> Result<Vec<(Parameter, String)>, MsgKey> {
    if given.keys().any(|k| !defs.iter().any(|d| &d.name == k)) {
        return Err(MsgKey::ParameterUnknown);
    }
    let mut out = Vec::new();
    for d in defs {
        match (given.get(&d.name), &d.default) {
            (Some(v), _) => out.push((
                d.clone(),
                value(d.kind, v).ok_or(MsgKey::ParameterValueInvalid)?,
            )),
            (None, Some(default)) => out.push((d.clone(), default.clone())),
            (None, None) if d.required => return Err(MsgKey::ParameterRequired),
            (None, None) => {}
        }
    }
    Ok(out)
}

/// Where a run goes: the local executor and/or server ids, no repeats.
#[derive(Debug, PartialEq, Eq)]
pub struct Targets {
    pub local: bool,
    pub servers: Vec<i32>,
}

pub fn targets(given: &[Value]) -> Result<Targets, MsgKey> {
    let mut t = Targets {
        local: false,
        servers: Vec::new(),
    };
    if given.is_empty() || given.len() > MAX_TARGETS {
        return Err(MsgKey::RunTargetsInvalid);
    }
    for v in given {
        match v {
            Value::String(s) if s == LOCAL && !t.local => t.local = true,
            Value::Number(n) => {
                let id = n
                    .as_i64()
                    .and_then(|i| i32::try_from(i).ok())
                    .filter(|i| *i > 0 && !t.servers.contains(i))
                    .ok_or(MsgKey::RunTargetsInvalid)?;
                t.servers.push(id);
            }
            _ => return Err(MsgKey::RunTargetsInvalid),
        }
    }
    Ok(t)
}

/// The run's time limit.
pub fn timeout(input: &RunInput) -> Result<u32, MsgKey> {
    match input.timeout_seconds {
        None => Ok(super::DEFAULT_TIMEOUT),
        Some(s) if (1..=MAX_TIMEOUT).contains(&s) => Ok(s),
        Some(_) => Err(MsgKey::TimeoutInvalid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(name: &str, kind: ParamType, default: Option<&str>, required: bool) -> Parameter {
        Parameter {
            name: name.into(),
            kind,
            default: default.map(Into::into),
            required,
            description: String::new(),
        }
    }

    #[test]
    fn parameter_names_cannot_be_system_variables() {
        assert!(parameter_name("version"));
        assert!(parameter_name("max_age2"));
        for bad in ["PATH", "LD_PRELOAD", "2x", "", "with-dash", "é"] {
            assert!(!parameter_name(bad), "{bad}");
        }
        assert!(!parameters_ok(&[p(
            "a",
            ParamType::Secret,
            Some("x"),
            false
        )]));
        assert!(!parameters_ok(&[p(
            "a",
            ParamType::Integer,
            Some("ten"),
            false
        )]));
        assert!(!parameters_ok(&[
            p("a", ParamType::String, None, false),
            p("a", ParamType::String, None, false)
        ]));
        assert!(parameters_ok(&[p(
            "n",
            ParamType::Integer,
            Some("10"),
            true
        )]));
    }

    #[test]
    fn values_follow_types_defaults_and_requirements() {
        let defs = [
            p("count", ParamType::Integer, Some("3"), false),
            p("dry", ParamType::Boolean, None, false),
            p("token", ParamType::Secret, None, true),
        ];
        let given = |v: Value| v.as_object().unwrap().clone();
        let ok = values(&defs, &given(json!({"token": "s3cret", "dry": true}))).unwrap();
        let texts: Vec<_> = ok
            .iter()
            .map(|(d, v)| (d.name.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            texts,
            [("count", "3"), ("dry", "true"), ("token", "s3cret")]
        );
        assert_eq!(
            values(&defs, &given(json!({}))),
            Err(MsgKey::ParameterRequired)
        );
        assert_eq!(
            values(&defs, &given(json!({"token": "x", "count": "many"}))),
            Err(MsgKey::ParameterValueInvalid)
        );
        assert_eq!(
            values(&defs, &given(json!({"token": "x", "other": 1}))),
            Err(MsgKey::ParameterUnknown)
        );
    }

    #[test]
    fn targets_are_local_or_server_ids_without_repeats() {
        assert_eq!(
            targets(&[json!("local"), json!(4)]),
            Ok(Targets {
                local: true,
                servers: vec![4]
            })
        );
        for bad in [
            vec![],
            vec![json!(4), json!(4)],
            vec![json!("web-1")],
            vec![json!(-1)],
        ] {
            assert_eq!(targets(&bad), Err(MsgKey::RunTargetsInvalid), "{bad:?}");
        }
    }
}
