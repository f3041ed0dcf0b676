//! The dependency rules of `app/src`, checked on every test run.
//!
//! Each top-level module (a folder or a file of `app/src`) may refer only
//! to the modules [`ALLOWED`] lists for it; every `crate::<module>` path in
//! its code counts, whether in a `use` line or inline. The table is the
//! written form of the graph in docs/architecture.md ("Layers"): change
//! both together, with the reason.
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The base layer: every domain may use it, and it uses no domain.
/// `tr`, `tr_signal`, `lazy_page`, `server_parts`, `declare_domain` and
/// `wire_enum` are the crate's exported macros.
const BASE: &[&str] = &[
    "error",
    "i18n",
    "i18n_support",
    "i18n_table",
    "platform",
    "ui",
    "tr",
    "tr_signal",
    "lazy_page",
    "server_parts",
    "declare_domain",
    "wire_enum",
];

/// Modules that compose the others; anything may be used from here, and
/// only `server_calls` (see [`DISPATCHER`]) and `testing` (unit tests'
/// shared context) may be used by domains.
const TOP: &[&str] = &[
    "app",
    "domains",
    "lib",
    "shell",
    "server_calls",
    "testing",
    "architecture",
];

/// The one function through which main-WASM code calls the server (see
/// `server_calls.rs`): it names the server functions it dispatches to, and
/// pages name it. Split into one function per domain it would add a loader
/// per domain to the bundle every visitor downloads, so this edge is the
/// accepted exception to "no cycles".
const DISPATCHER: &str = "server_calls";

/// What each module may use besides itself, [`BASE`] and [`DISPATCHER`].
/// Read bottom-up: a module lists only modules above it in this table.
const ALLOWED: &[(&str, &[&str])] = &[
    // The base layer's own order (the three exported macros first).
    ("tr", &[]),
    ("tr_signal", &[]),
    ("lazy_page", &[]),
    ("server_parts", &[]),
    ("declare_domain", &[]),
    ("wire_enum", &[]),
    ("i18n", &[]),
    ("i18n_support", &["i18n", "tr"]),
    ("i18n_table", &["i18n", "i18n_support"]),
    ("error", &["i18n", "i18n_support"]),
    ("platform", &["error", "i18n", "i18n_support", "wire_enum"]),
    (
        "ui",
        &[
            "error",
            "i18n",
            "i18n_support",
            "i18n_table",
            "platform",
            "tr",
            "tr_signal",
        ],
    ),
    // Domains, each above the ones it uses.
    ("audit", &[]),
    ("system", &[]),
    ("public_pages", &[]),
    ("users", &["audit"]),
    ("sessions", &["audit"]),
    ("tokens", &["audit", "users"]),
    ("twofa", &["audit", "users", "sessions"]),
    ("auth", &["audit", "users", "sessions", "tokens", "twofa"]),
    ("sso", &["audit", "users", "sessions", "twofa", "auth"]),
    (
        "admin",
        &["audit", "users", "sessions", "tokens", "twofa", "sso"],
    ),
    ("setup", &["audit", "users", "sessions", "auth"]),
    ("servers", &["audit"]),
    ("monitoring", &["audit", "servers"]),
    ("notifications", &["audit", "users"]),
    ("incidents", &["audit", "users", "servers", "notifications"]),
    (
        "alerts",
        &[
            "audit",
            "users",
            "servers",
            "monitoring",
            "notifications",
            "incidents",
        ],
    ),
    ("automation", &["audit", "users", "servers"]),
    (
        "status_pages",
        &[
            "audit",
            "public_pages",
            "servers",
            "monitoring",
            "incidents",
            "alerts",
        ],
    ),
];

fn is_base(m: &str) -> bool {
    BASE.contains(&m)
}

/// Every `crate::<name>` (and `$crate::<name>`) a source text refers to,
/// comments left out.
fn references(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            if let Some(group) = after.strip_prefix('{') {
                // `use crate::{a::x, b};` names several modules.
                let inner = group.split('}').next().unwrap_or("");
                for part in inner.split(',') {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.insert(name);
                    }
                }
            } else {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
            rest = after;
        }
    }
    out
}

/// Each top-level module of `src` with its source files' texts.
fn modules(src: &Path) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).unwrap();
            let first = rel.components().next().unwrap().as_os_str();
            let module = Path::new(first)
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            out.entry(module)
                .or_default()
                .push((rel.display().to_string(), text));
        }
    }
    out
}

/// The imports the graph does not allow, as `file: module -> used`.
fn violations(src: &Path) -> Vec<String> {
    let allowed: BTreeMap<&str, &[&str]> = ALLOWED.iter().copied().collect();
    let mut bad = Vec::new();
    for (module, files) in modules(src) {
        if TOP.contains(&module.as_str()) {
            continue;
        }
        let Some(own) = allowed.get(module.as_str()) else {
            bad.push(format!("{module}: not in architecture::ALLOWED"));
            continue;
        };
        for (file, text) in files {
            for used in references(&text) {
                let fine = used == module
                    || own.contains(&used.as_str())
                    || (!is_base(&module) && (is_base(&used) || used == DISPATCHER))
                    || used == "testing";
                if !fine {
                    bad.push(format!("{file}: {module} -> {used}"));
                }
            }
        }
    }
    bad
}

/// Tables are a domain's own: `crate::<other>::entity` is used nowhere
/// outside `<other>` (other domains call its service functions).
fn foreign_entities(src: &Path) -> Vec<String> {
    let mut bad = Vec::new();
    for (module, files) in modules(src) {
        if module == "architecture" {
            continue; // its tests spell out the very paths it forbids
        }
        for (file, text) in files {
            for line in text.lines() {
                let code = line.split("//").next().unwrap_or("");
                let mut rest = code;
                while let Some(at) = rest.find("crate::") {
                    let after = &rest[at + "crate::".len()..];
                    let path: String = after
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                        .collect();
                    let mut parts = path.split("::");
                    let owner = parts.next().unwrap_or("");
                    let is_entity = parts.any(|p| p.ends_with("entity"));
                    if owner != module && is_entity {
                        bad.push(format!("{file}: {module} uses {owner}'s entity"));
                    }
                    rest = after;
                }
            }
        }
    }
    bad
}

mod tests;
