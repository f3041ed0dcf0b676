//! A script's parameters as text, one per line, for the editor:
//! `name:type[=default][!][ # description]` — `!` marks it required.
//! A line that does not read is sent as it is, for the server to refuse
//! under the field (its message is the localized one).
use crate::automation::{ParamType, Parameter};

pub fn format(ps: &[Parameter]) -> String {
    ps.iter()
        .map(|p| {
            let mut line = format!("{}:{}", p.name, p.kind.as_str());
            if let Some(d) = &p.default {
                line.push('=');
                line.push_str(d);
            }
            if p.required {
                line.push('!');
            }
            if !p.description.is_empty() {
                line.push_str(" # ");
                line.push_str(&p.description);
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn line(text: &str) -> Parameter {
    let (spec, description) = match text.split_once(" # ") {
        Some((s, d)) => (s.trim(), d.trim().to_string()),
        None => (text.trim(), String::new()),
    };
    let (spec, required) = match spec.strip_suffix('!') {
        Some(s) => (s, true),
        None => (spec, false),
    };
    let (head, default) = match spec.split_once('=') {
        Some((h, d)) => (h, Some(d.to_string())),
        None => (spec, None),
    };
    match head
        .split_once(':')
        .map(|(n, t)| (n.trim(), ParamType::parse(t.trim())))
    {
        Some((name, Some(kind))) => Parameter {
            name: name.to_string(),
            kind,
            default,
            required,
            description,
        },
        // Unreadable: a name no script may have, so the server names it.
        _ => Parameter {
            name: text.trim().to_string(),
            kind: ParamType::String,
            default: None,
            required: false,
            description: String::new(),
        },
    }
}

pub fn parse(text: &str) -> Vec<Parameter> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(line)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_and_bad_ones_reach_the_server() {
        let text = "version:string! # The tag to deploy\ncount:integer=3\ndry_run:boolean=false\ntoken:secret!";
        let ps = parse(text);
        assert_eq!(ps.len(), 4);
        assert_eq!(ps[0].description, "The tag to deploy");
        assert!(ps[0].required && ps[3].required && !ps[1].required);
        assert_eq!(ps[1].default.as_deref(), Some("3"));
        assert_eq!(format(&ps), text);
        let bad = parse("\nno type here\n");
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].name, "no type here");
    }
}
