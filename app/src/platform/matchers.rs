//! Label matchers, as Alertmanager writes them: `name=value`,
//! `name!=value`, `name=~regex`, `name!~regex`. A regex matches the whole
//! value; a label an alert does not have is the empty string.
use crate::error::MsgKey;
use regex::Regex;
use std::collections::BTreeMap;

/// At most this many matchers in a silence.
const MAX: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Equal,
    NotEqual,
    Matches,
    NotMatches,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Equal => "=",
            Op::NotEqual => "!=",
            Op::Matches => "=~",
            Op::NotMatches => "!~",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Matcher {
    pub name: String,
    pub op: Op,
    pub value: String,
    re: Option<Regex>,
}

/// A label name: a letter or `_`, then letters, digits or `_` (Prometheus).
pub fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 100
}

impl Matcher {
    /// One matcher; quotes around the value are dropped (`job="api"`).
    pub fn parse(text: &str) -> Option<Matcher> {
        let text = text.trim();
        let at = text.find(['=', '!'])?;
        let (name, rest) = (text[..at].trim(), &text[at..]);
        let (op, value) = if let Some(v) = rest.strip_prefix("=~") {
            (Op::Matches, v)
        } else if let Some(v) = rest.strip_prefix("!~") {
            (Op::NotMatches, v)
        } else if let Some(v) = rest.strip_prefix("!=") {
            (Op::NotEqual, v)
        } else {
            (Op::Equal, rest.strip_prefix('=')?)
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        if !valid_name(name) || value.len() > 500 {
            return None;
        }
        let re = match op {
            Op::Matches | Op::NotMatches => Some(
                regex::RegexBuilder::new(&format!("^(?:{value})$"))
                    .size_limit(1 << 20)
                    .build()
                    .ok()?,
            ),
            _ => None,
        };
        Some(Matcher {
            name: name.into(),
            op,
            value: value.into(),
            re,
        })
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        let have = labels.get(&self.name).map(String::as_str).unwrap_or("");
        match (self.op, &self.re) {
            (Op::Equal, _) => have == self.value,
            (Op::NotEqual, _) => have != self.value,
            (Op::Matches, Some(re)) => re.is_match(have),
            (Op::NotMatches, Some(re)) => !re.is_match(have),
            _ => false,
        }
    }
}

impl std::fmt::Display for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}{}", self.name, self.op.as_str(), self.value)
    }
}

/// Matchers one per line or separated by commas; at least one, and at
/// least one that an empty label set does not match (a silence of
/// everything is refused, as Alertmanager does).
pub fn parse_all(text: &str) -> Result<Vec<Matcher>, MsgKey> {
    let parts: Vec<&str> = text
        .split(['\n', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() || parts.len() > MAX {
        return Err(MsgKey::MatcherInvalid);
    }
    let all = parts
        .into_iter()
        .map(Matcher::parse)
        .collect::<Option<Vec<_>>>()
        .ok_or(MsgKey::MatcherInvalid)?;
    let empty = BTreeMap::new();
    if all.iter().all(|m| m.matches(&empty)) {
        return Err(MsgKey::MatcherInvalid);
    }
    Ok(all)
}

/// Every matcher of the set holds.
pub fn all_match(set: &[Matcher], labels: &BTreeMap<String, String>) -> bool {
    set.iter().all(|m| m.matches(labels))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_four_operators_match_as_alertmanager_does() {
        let l = labels(&[("alertname", "HostDown"), ("team", "db")]);
        let m = parse_all("alertname=HostDown, team!=web\nteam=~d.*\nenv!~prod").unwrap();
        assert_eq!(m.len(), 4);
        assert!(all_match(&m, &l));
        // The regex is anchored: `b` does not match `db`.
        assert!(!Matcher::parse("team=~b").unwrap().matches(&l));
        assert!(Matcher::parse(r#"team="db""#).unwrap().matches(&l));
        assert_eq!(
            Matcher::parse("team =~ d.*").unwrap().to_string(),
            "team=~d.*"
        );
    }

    #[test]
    fn bad_matchers_and_a_silence_of_everything_are_refused() {
        for bad in [
            "",
            "team",
            "9team=x",
            "team=~(",
            "env!=prod",
            "x=~.*",
            "a=b,c",
        ] {
            assert_eq!(parse_all(bad).err(), Some(MsgKey::MatcherInvalid), "{bad}");
        }
    }
}
