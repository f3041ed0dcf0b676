//! Parses a [`ServerInput`] into a [`ValidServer`], every invalid field
//! reported at once (the form, the API and each import row use it).
use super::{CredentialKind, ENVIRONMENTS, ServerInput, ServerKind};
use crate::error::MsgKey;
use std::net::IpAddr;

/// Tags per server, at most.
const MAX_TAGS: usize = 20;
/// Notes, in characters.
const MAX_NOTES: usize = 20_000;
/// A private key in PEM is a few kilobytes; a password much less.
const MAX_CREDENTIAL: usize = 16_384;

/// A server's fields, each checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidServer {
    pub name: String,
    pub hostname: String,
    pub ip_addresses: Vec<String>,
    pub os: String,
    pub kind: ServerKind,
    pub provider: String,
    pub environment: String,
    pub tags: Vec<String>,
    pub owner: String,
    pub cpu_cores: Option<u32>,
    pub ram_mb: Option<u64>,
    pub disk_gb: Option<u64>,
    pub notes: String,
    pub ssh_user: Option<String>,
    pub ssh_port: u16,
    /// `None`: keep what is stored; `Some(None)`: remove it.
    pub credential: Option<Option<(CredentialKind, String)>>,
}

type Errors = Vec<(&'static str, MsgKey)>;

/// Every field of `input` checked; the list of invalid fields otherwise.
pub fn server(input: &ServerInput) -> Result<ValidServer, Errors> {
    let mut errors: Errors = Vec::new();
    let mut check = |field: &'static str, ok: Result<(), MsgKey>| {
        if let Err(key) = ok {
            errors.push((field, key));
        }
    };
    let name = input.name.trim().to_string();
    check("name", text(&name, 1, 100, MsgKey::NameInvalid));
    let hostname = input.hostname.trim().trim_end_matches('.').to_lowercase();
    check("hostname", host(&hostname));
    let mut ip_addresses = Vec::new();
    for raw in &input.ip_addresses {
        match raw.trim().parse::<IpAddr>() {
            Ok(ip) if !ip_addresses.contains(&ip.to_string()) => ip_addresses.push(ip.to_string()),
            Ok(_) => {}
            Err(_) => check("ip_addresses", Err(MsgKey::IpInvalid)),
        }
    }
    let os = input.os.trim().to_string();
    check("os", text(&os, 0, 100, MsgKey::TextTooLong));
    let kind = ServerKind::parse(input.kind.trim());
    if kind.is_none() {
        check("kind", Err(MsgKey::ChoiceInvalid));
    }
    let provider = input.provider.trim().to_string();
    check("provider", text(&provider, 0, 100, MsgKey::TextTooLong));
    let environment = input.environment.trim().to_lowercase();
    check("environment", environment_slug(&environment));
    let mut tags: Vec<String> = Vec::new();
    for raw in &input.tags {
        let tag = raw.trim().to_lowercase();
        match tag_slug(&tag) {
            Ok(()) if !tags.contains(&tag) => tags.push(tag),
            Ok(()) => {}
            Err(key) => check("tags", Err(key)),
        }
    }
    if tags.len() > MAX_TAGS {
        check("tags", Err(MsgKey::TagInvalid));
    }
    let owner = input.owner.trim().to_string();
    check("owner", text(&owner, 0, 100, MsgKey::TextTooLong));
    check(
        "cpu_cores",
        range(input.cpu_cores.map(u64::from), 1, 65_536),
    );
    check("ram_mb", range(input.ram_mb, 1, 1 << 40));
    check("disk_gb", range(input.disk_gb, 1, 1 << 30));
    let notes = input.notes.trim().to_string();
    if notes.chars().count() > MAX_NOTES {
        check("notes", Err(MsgKey::TextTooLong));
    }
    let ssh_user = input
        .ssh_user
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string);
    if let Some(user) = &ssh_user {
        check("ssh_user", unix_user(user));
    }
    let ssh_port = match input.ssh_port.unwrap_or(22) {
        p @ 1..=65_535 => p as u16,
        _ => {
            check("ssh_port", Err(MsgKey::PortInvalid));
            22
        }
    };
    let credential = match input.ssh_credential.as_deref() {
        None => None,
        Some("") => Some(None),
        Some(secret) => {
            let kind = input
                .ssh_credential_kind
                .as_deref()
                .and_then(CredentialKind::parse);
            let fits = secret.len() <= MAX_CREDENTIAL && !secret.contains('\0');
            let pem = kind != Some(CredentialKind::PrivateKey)
                || secret.trim_start().starts_with("-----BEGIN ");
            match kind {
                Some(kind) if fits && pem => Some(Some((kind, secret.to_string()))),
                None => {
                    check("ssh_credential_kind", Err(MsgKey::ChoiceInvalid));
                    None
                }
                Some(_) => {
                    check("ssh_credential", Err(MsgKey::CredentialInvalid));
                    None
                }
            }
        }
    };
    match kind {
        Some(kind) if errors.is_empty() => Ok(ValidServer {
            name,
            hostname,
            ip_addresses,
            os,
            kind,
            provider,
            environment,
            tags,
            owner,
            cpu_cores: input.cpu_cores,
            ram_mb: input.ram_mb,
            disk_gb: input.disk_gb,
            notes,
            ssh_user,
            ssh_port,
            credential,
        }),
        _ => Err(errors),
    }
}

/// `min..=max` characters, no control character.
pub fn text(s: &str, min: usize, max: usize, key: MsgKey) -> Result<(), MsgKey> {
    let n = s.chars().count();
    if n < min || n > max || s.chars().any(char::is_control) {
        return Err(key);
    }
    Ok(())
}

fn range(value: Option<u64>, min: u64, max: u64) -> Result<(), MsgKey> {
    match value {
        Some(v) if !(min..=max).contains(&v) => Err(MsgKey::NumberInvalid),
        _ => Ok(()),
    }
}

/// A DNS name (RFC 1123 labels) or an IP address literal.
pub fn host(s: &str) -> Result<(), MsgKey> {
    if s.parse::<IpAddr>().is_ok() {
        return Ok(());
    }
    let label_ok = |l: &str| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if s.is_empty() || s.len() > 253 || !s.split('.').all(label_ok) {
        return Err(MsgKey::HostnameInvalid);
    }
    Ok(())
}

/// `production`, `staging`, `development`, or a custom slug like them.
fn environment_slug(s: &str) -> Result<(), MsgKey> {
    if ENVIRONMENTS.contains(&s) || slug(s, 32) {
        Ok(())
    } else {
        Err(MsgKey::EnvironmentInvalid)
    }
}

/// Tags are matched exactly in filters (and stored as a JSON array), so
/// they keep to letters, digits and `-_.:` — no quote can reach a query.
fn tag_slug(s: &str) -> Result<(), MsgKey> {
    let ok = (1..=40).contains(&s.len())
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.:".contains(&b));
    if ok { Ok(()) } else { Err(MsgKey::TagInvalid) }
}

/// Lower-case letters, digits and `-`, starting with a letter.
pub fn slug(s: &str, max: usize) -> bool {
    (1..=max).contains(&s.len())
        && s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A POSIX user name: what `useradd` accepts.
fn unix_user(s: &str) -> Result<(), MsgKey> {
    let ok = (1..=32).contains(&s.len())
        && s.bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b == b'_')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b));
    if ok { Ok(()) } else { Err(MsgKey::NameInvalid) }
}

/// A tag filter or a status filter must name something real: `tag` is
/// checked like a tag, so a filter value can never be an SQL pattern.
pub fn tag_filter(s: &str) -> Result<String, MsgKey> {
    let tag = s.trim().to_lowercase();
    tag_slug(&tag).map(|()| tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ServerInput {
        ServerInput {
            name: " web-01 ".into(),
            hostname: "Web-01.Example.COM.".into(),
            ip_addresses: vec!["10.0.0.1".into(), " ::1 ".into(), "10.0.0.1".into()],
            kind: "vm".into(),
            environment: "Production".into(),
            tags: vec!["Web".into(), "eu-west:1".into(), "web".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_server_is_normalised() {
        let v = server(&input()).unwrap();
        assert_eq!(v.name, "web-01");
        assert_eq!(v.hostname, "web-01.example.com");
        assert_eq!(v.ip_addresses, ["10.0.0.1", "::1"]);
        assert_eq!(v.environment, "production");
        assert_eq!(v.tags, ["web", "eu-west:1"]);
        assert_eq!(v.ssh_port, 22);
        assert_eq!(v.credential, None);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = ServerInput {
            name: "".into(),
            hostname: "-bad-.example".into(),
            ip_addresses: vec!["300.1.1.1".into()],
            kind: "mainframe".into(),
            environment: "Prod Env".into(),
            tags: vec!["%' or 1=1".into()],
            cpu_cores: Some(0),
            ssh_user: Some("Root User".into()),
            ssh_port: Some(70_000),
            ssh_credential: Some("hunter2".into()),
            ssh_credential_kind: Some("private-key".into()),
            ..Default::default()
        };
        let fields: Vec<&str> = server(&bad).unwrap_err().iter().map(|(f, _)| *f).collect();
        for f in [
            "name",
            "hostname",
            "ip_addresses",
            "kind",
            "environment",
            "tags",
            "cpu_cores",
            "ssh_user",
            "ssh_port",
            "ssh_credential",
        ] {
            assert!(fields.contains(&f), "{f} not reported in {fields:?}");
        }
    }

    #[test]
    fn hosts_and_slugs() {
        assert!(host("db.internal").is_ok());
        assert!(host("2001:db8::1").is_ok());
        assert!(host("a..b").is_err());
        assert!(host(&"a".repeat(64)).is_err());
        assert!(host("under_score.example").is_err());
        assert!(slug("edge-lab", 32) && !slug("Edge", 32) && !slug("1lab", 32));
        assert!(tag_filter("Web").is_ok() && tag_filter("%").is_err());
    }

    #[test]
    fn an_empty_credential_removes_and_a_missing_kind_is_refused() {
        let clear = ServerInput {
            ssh_credential: Some(String::new()),
            ..input()
        };
        assert_eq!(server(&clear).unwrap().credential, Some(None));
        let no_kind = ServerInput {
            ssh_credential: Some("secret".into()),
            ..input()
        };
        let errs = server(&no_kind).unwrap_err();
        assert_eq!(errs[0].0, "ssh_credential_kind");
    }
}
