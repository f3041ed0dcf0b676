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
