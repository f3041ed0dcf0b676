//! The checks themselves, over this crate's sources.
use super::*;

fn src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn imports_follow_the_layers() {
    let bad = violations(&src());
    assert!(
        bad.is_empty(),
        "imports the graph does not allow:\n{}",
        bad.join("\n")
    );
}

#[test]
fn no_domain_reads_another_domains_tables() {
    let bad = foreign_entities(&src());
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn the_allowed_graph_has_no_cycles() {
    // Each module may list only modules declared above it.
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for (module, uses) in ALLOWED {
        for used in *uses {
            assert!(
                seen.contains(used) || (is_base(used) && !is_base(module)),
                "{module} uses {used}, which is not above it"
            );
        }
        seen.insert(module);
    }
}

#[test]
fn the_check_sees_grouped_and_inline_paths() {
    let text = "use crate::{users::service, platform::Ctx};\nlet x = crate::auth::api::login();\n// crate::admin in a comment";
    let found = references(text);
    assert_eq!(
        found,
        ["auth", "platform", "users"]
            .into_iter()
            .map(String::from)
            .collect()
    );
    // A made-up tree with a platform -> domain import is caught.
    let dir = std::env::temp_dir().join(format!("dihya-arch-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("platform")).unwrap();
    std::fs::write(dir.join("platform/ctx.rs"), "use crate::auth::Settings;").unwrap();
    std::fs::create_dir_all(dir.join("twofa")).unwrap();
    std::fs::write(
        dir.join("twofa/service.rs"),
        "use crate::users::entity as user;",
    )
    .unwrap();
    let bad = violations(&dir);
    let entities = foreign_entities(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(bad, vec!["platform/ctx.rs: platform -> auth".to_string()]);
    assert_eq!(
        entities,
        vec!["twofa/service.rs: twofa uses users's entity".to_string()]
    );
}

/// Reads of the locale signal that are not made once at render time.
///
/// On the server, Leptos re-runs a suspense boundary's view closures in an
/// isomorphic effect (`Suspense`'s `dry_resolve`), a spawned task that can
/// run while or after the request's owner is disposed; a closure that reads
/// the locale signal then panics. `i18n_support::locale_reader` (behind
/// `tr!`) reads the signal once, while the view is made, on the server, and
/// follows it in the browser. So views translate with `tr!(i18n, key)`, or
/// with `td!`/`td_string!` of `locale()` from `locale_reader`; leptos_i18n's
/// `t!`, `t_string!`, `t_display!` and `get_locale()` appear nowhere else.
fn locale_signal_reads(src: &Path) -> Vec<String> {
    const UNSAFE: &[&str] = &["t!(", "t_string!(", "t_display!(", "tu!(", ".get_locale()"];
    // The one place that reads the signal (and the checks' own tests).
    scan(src, &["i18n_support.rs", "architecture/tests.rs"], |code| {
        UNSAFE.iter().any(|pattern| {
            code.match_indices(pattern).any(|(at, _)| {
                // `td!(` and `td_string!(` end with the same letters.
                let before = code[..at].chars().next_back();
                pattern.starts_with('.') || !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })
    })
}

/// Every line of code (comments left out) for which `hit` holds, as
/// `file:line: text`, in every file but `allowed_in`.
fn scan(src: &Path, allowed_in: &[&str], hit: impl Fn(&str) -> bool) -> Vec<String> {
    let mut bad = Vec::new();
    for files in modules(src).into_values() {
        for (file, text) in files {
            if allowed_in.contains(&file.as_str()) {
                continue;
            }
            for (n, line) in text.lines().enumerate() {
                if hit(line.split("//").next().unwrap_or("")) {
                    bad.push(format!("{file}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    bad
}

#[test]
fn translations_read_the_locale_once_on_the_server() {
    let bad = locale_signal_reads(&src());
    assert!(
        bad.is_empty(),
        "use tr! or locale_reader (see locale_signal_reads):\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_translation_check_can_fail() {
    let dir = std::env::temp_dir().join(format!("dihya-i18n-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("system")).unwrap();
    std::fs::write(
        dir.join("system/pages.rs"),
        "let a = t!(i18n, x);\nlet b = td!(locale(), x);\nlet c = i18n.get_locale();\n",
    )
    .unwrap();
    let bad = locale_signal_reads(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(bad.len(), 2, "{bad:?}");
}

/// Every `.begin()` of a transaction outside `platform/db.rs`: writes start
/// with `platform::db::begin` (see there: on SQLite a plain `BEGIN` fails
/// when another connection commits between its first read and its write).
fn deferred_transactions(src: &Path) -> Vec<String> {
    scan(src, &["platform/db.rs", "architecture/tests.rs"], |code| {
        code.contains(".begin()") || code.contains(".begin_with_config(")
    })
}

#[test]
fn write_transactions_start_immediately() {
    let bad = deferred_transactions(&src());
    assert!(
        bad.is_empty(),
        "start write transactions with platform::db::begin:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_transaction_check_can_fail() {
    let dir = std::env::temp_dir().join(format!("dihya-tx-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("things")).unwrap();
    std::fs::write(
        dir.join("things/service.rs"),
        "let tx = ctx.db().begin().await?;\nlet ok = crate::platform::db::begin(ctx.db()).await?;\n",
    )
    .unwrap();
    let bad = deferred_transactions(&dir);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(bad.len(), 1, "{bad:?}");
}
