//! Build script: generates the i18n module from `locales/` and renders the user
//! guide (`docs/guide/*.md`) to HTML at build time, so no Markdown parser ships
//! in the browser bundle.
use leptos_i18n_build::{Config, TranslationsInfos};
use std::{
    env, fs,
    path::{Path, PathBuf},
};

/// Guide pages, in navigation order: (slug, markdown file).
const GUIDE_PAGES: &[&str] = &[
    "getting-started",
    "configuration",
    "servers",
    "monitoring",
    "alerting",
    "status-pages",
    "notifications",
    "incidents",
    "automation",
    "api",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?);
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").ok_or("no manifest dir")?);

    let cfg = Config::new("en")?
        .locales_path("../locales")
        .add_locales(["fr", "ar", "ar-DZ", "kab", "zgh"])?
        .extend_locale("ar-DZ", "ar")?;
    let translations = TranslationsInfos::parse(cfg)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out_dir.join("i18n"))?;
    use_own_locale_negotiation(&out_dir.join("i18n/mod.rs"))?;
    strings_from_the_page(&out_dir)?;

    render_guide(&manifest_dir.join("../docs/guide"), &out_dir.join("guide"))?;
    Ok(())
}

/// leptos_i18n picks a locale from the browser's languages with ICU's
/// locale parser and matcher, about 5 KB of compressed WASM in the bundle
/// every visitor downloads. The generated `Locale` gets a `find_locale` that
/// uses `i18n_support::find_locale` instead: the same rules the server uses
/// for `Accept-Language`.
fn use_own_locale_negotiation(module: &Path) -> Result<(), Box<dyn std::error::Error>> {
    const ANCHOR: &str = "fn to_base_locale (self) -> Self { self }";
    let code = fs::read_to_string(module)?;
    if !code.contains(ANCHOR) {
        return Err(format!("{}: no `{ANCHOR}` to extend", module.display()).into());
    }
    let own = "fn find_locale<T: AsRef<[u8]>>(accepted_languages: &[T]) -> Self { \
               crate::i18n_support::find_locale(accepted_languages) } ";
    fs::write(module, code.replacen(ANCHOR, &format!("{own}{ANCHOR}"), 1))?;
    Ok(())
}

/// The head of each key without arguments in the generated module; its
/// body is a `match` over every locale's string table.
const SIMPLE_KEY: (&str, &str) = (
    "pub const fn ",
    " (self) -> l_i18n_crate :: __private :: LitWrapper < & 'static str > {",
);

/// Every locale's strings in the WASM would cost every visitor about 21 KB
/// (brotli) for the five languages they are not reading. The page carries
/// its own locale's strings instead (`i18n_table`): in the browser build
/// each key without arguments reads that table by its position
/// (`i18n_table::get`); the server keeps leptos_i18n's tables and renders
/// the page's table from them (`i18n_keys.rs`: the keys in the same
/// order). Keys with arguments (three) stay as generated.
fn strings_from_the_page(out_dir: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let module = out_dir.join("i18n/mod.rs");
    let code = fs::read_to_string(&module)?;
    let browser = env::var_os("CARGO_FEATURE_HYDRATE").is_some();
    let mut keys = Vec::new();
    let mut patched = String::with_capacity(code.len());
    let mut rest = code.as_str();
    while let Some(at) = rest.find(SIMPLE_KEY.0) {
        let after = &rest[at + SIMPLE_KEY.0.len()..];
        let name_len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(0);
        let (name, tail) = after.split_at(name_len);
        let Some(body) = tail.strip_prefix(SIMPLE_KEY.1) else {
            patched.push_str(&rest[..at + SIMPLE_KEY.0.len()]);
            rest = after;
            continue;
        };
        let end = matching_brace(body).ok_or_else(|| format!("{name}: unbalanced body"))?;
        let index = keys.len();
        keys.push(name.to_string());
        patched.push_str(&rest[..at]);
        if browser {
            patched.push_str(&format!(
                "pub fn {name} (self) -> l_i18n_crate :: __private :: LitWrapper < & 'static str > \
                 {{ l_i18n_crate :: __private :: LitWrapper :: new (* crate :: i18n_table :: get (self . 0 , {index}usize)) }}"
            ));
        } else {
            patched
                .push_str(&rest[at..at + SIMPLE_KEY.0.len() + name_len + SIMPLE_KEY.1.len() + end]);
        }
        rest = &body[end..];
    }
    patched.push_str(rest);
    if keys.len() < 100 {
        return Err(format!(
            "only {} keys without arguments found: the generated code changed",
            keys.len()
        )
        .into());
    }
    if browser {
        fs::write(&module, patched)?;
    }
    let list: String = keys
        .iter()
        .map(|k| format!("crate::i18n::td_string!(l, {k}),"))
        .collect();
    fs::write(
        out_dir.join("i18n_keys.rs"),
        format!(
            "/// How many keys without arguments the locales have.\n\
             pub const COUNT: usize = {n};\n\
             /// `l`'s strings of those keys, in the order the browser reads them.\n\
             #[cfg(feature = \"ssr\")]\n\
             pub fn strings(l: crate::i18n::Locale) -> [&'static str; COUNT] {{ [{list}] }}\n",
            n = keys.len()
        ),
    )?;
    Ok(())
}

/// The length of `body` up to and including the `}` that closes the
/// function (its `{` is already read).
fn matching_brace(body: &str) -> Option<usize> {
    let mut depth = 1usize;
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            '"' => return None,
            _ => {}
        }
    }
    None
}

fn render_guide(src: &Path, dst: &Path) -> Result<(), Box<dyn std::error::Error>> {
    use pulldown_cmark::{Options, Parser, html};
    fs::create_dir_all(dst)?;
    println!("cargo::rerun-if-changed={}", src.display());
    for slug in GUIDE_PAGES {
        let path = src.join(format!("{slug}.md"));
        println!("cargo::rerun-if-changed={}", path.display());
        let markdown = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut options = Options::empty();
        options.insert(Options::ENABLE_TABLES);
        options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
        let mut out = String::new();
        html::push_html(&mut out, Parser::new_ext(&markdown, options));
        // Links between guide pages are written `configuration.md` in the
        // sources; relative slugs keep the reader's locale prefix.
        let out = GUIDE_PAGES.iter().fold(out, |html, s| {
            html.replace(&format!("href=\"{s}.md"), &format!("href=\"{s}"))
        });
        // Wide tables scroll inside their own box instead of the page at 360 px.
        let out = out
            .replace(
                "<table>",
                "<div class=\"table-scroll\" tabindex=\"0\"><table>",
            )
            .replace("</table>", "</table></div>")
            // Code blocks may scroll sideways: make them reachable by keyboard.
            .replace("<pre>", "<pre tabindex=\"0\">");
        fs::write(dst.join(format!("{slug}.html")), out)?;
    }
    Ok(())
}
