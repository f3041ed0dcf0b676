//! Locale helpers shared by the server and the browser: URL prefixes, text
//! direction, and resolving the caller's language from a request.
use crate::i18n::Locale;
use leptos_i18n::Locale as _;

/// Cookie that remembers the chosen language (also used by leptos_i18n).
pub const LANG_COOKIE: &str = "dihya_lang";

/// All locales, default first.
pub fn all_locales() -> &'static [Locale] {
    Locale::get_all()
}

/// `ar` and its dialects are right-to-left; Kabyle (Latin) and Tamazight
/// (Tifinagh) are left-to-right. leptos_i18n reports "auto" for the latter
/// two, so the direction is decided here.
pub fn dir_of(locale: Locale) -> &'static str {
    match locale {
        Locale::ar | Locale::ar_DZ => "rtl",
        _ => "ltr",
    }
}

/// The public URL of `path` (which starts with `/`) in `locale`: the default
/// locale has no prefix, the others are `/fr/…`.
pub fn localized_path(locale: Locale, path: &str) -> String {
    if locale == Locale::default() {
        path.to_string()
    } else if path == "/" {
        format!("/{}", locale.as_str())
    } else {
        format!("/{}{}", locale.as_str(), path)
    }
}

/// Splits a request path into its locale prefix and the rest (`/fr/docs` → fr, `/docs`).
pub fn split_locale(path: &str) -> (Option<Locale>, String) {
    let trimmed = path.trim_start_matches('/');
    let (first, rest) = trimmed.split_once('/').unwrap_or((trimmed, ""));
    match all_locales()
        .iter()
        .find(|l| l.as_str().eq_ignore_ascii_case(first))
    {
        Some(l) if *l != Locale::default() => (Some(*l), format!("/{rest}")),
        _ => (None, path.to_string()),
    }
}

/// Parses a locale name (`fr`, `ar-DZ`, case-insensitive).
pub fn parse_locale(name: &str) -> Option<Locale> {
    all_locales()
        .iter()
        .copied()
        .find(|l| l.as_str().eq_ignore_ascii_case(name.trim()))
}

/// Best locale for an `Accept-Language` header: exact tags first (by q), then
/// the language part (`ar-MA` → `ar`).
pub fn from_accept_language(header: &str) -> Option<Locale> {
    let mut tags: Vec<(f32, &str)> = header
        .split(',')
        .filter_map(|part| {
            let mut it = part.split(';');
            let tag = it.next()?.trim();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (!tag.is_empty() && q > 0.0).then_some((q, tag))
        })
        .collect();
    tags.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    tags.iter().find_map(|(_, tag)| match_tag(tag))
}

/// A language tag's locale: the exact tag, else its language part.
fn match_tag(tag: &str) -> Option<Locale> {
    parse_locale(tag).or_else(|| parse_locale(tag.split('-').next().unwrap_or(tag)))
}

/// The first of the reader's languages (most preferred first) that we have,
/// by exact tag, then by language part; the default locale otherwise. The
/// generated `Locale` uses it for leptos_i18n (see `build.rs`).
pub fn find_locale<T: AsRef<[u8]>>(accepted_languages: &[T]) -> Locale {
    accepted_languages
        .iter()
        .filter_map(|tag| std::str::from_utf8(tag.as_ref()).ok())
        .find_map(match_tag)
        .unwrap_or_default()
}

/// Reads one cookie's value from a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// The caller's locale from request headers: URL prefix is handled by the
/// router; here the cookie wins, then Accept-Language, then English.
pub fn from_headers(headers: &http::HeaderMap) -> Locale {
    let cookie = headers
        .get(http::header::COOKIE)
        .and_then(|v| v.to_str().ok());
    cookie
        .and_then(|c| cookie_value(c, LANG_COOKIE))
        .and_then(parse_locale)
        .or_else(|| {
            headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(from_accept_language)
        })
        .unwrap_or_default()
}

/// The locale of the request being handled (server) or of the page (browser).
pub fn current_locale() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        if let Some(parts) = use_context::<http::request::Parts>() {
            let (prefix, _) = split_locale(parts.uri.path());
            return prefix.unwrap_or_else(|| from_headers(&parts.headers));
        }
        Locale::default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::use_context::<leptos_i18n::I18nContext<Locale>>()
            .map(|i| i.get_locale_untracked())
            .unwrap_or_default()
    }
}

/// Sets the HTTP status of the response being built (no-op in the browser).
pub fn set_response_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(opts), Ok(code)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        opts.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// The current locale, as a closure to call where text is rendered.
///
/// In the browser it is the tracked locale signal. A server render is for one
/// locale, set from the URL before any text is made, so the server reads it
/// once, when the closure is made: read later, inside a suspense boundary,
/// the signal could be read after the request is over (the boundary
/// re-checks its resolved content), and a read of a disposed signal panics
/// (the response then times out with 408).
pub fn locale_reader(
    i18n: leptos_i18n::I18nContext<Locale>,
) -> impl Fn() -> Locale + Copy + Send + Sync + 'static {
    #[cfg(feature = "ssr")]
    let locale = i18n.get_locale_untracked();
    move || {
        #[cfg(feature = "ssr")]
        let current = locale;
        #[cfg(not(feature = "ssr"))]
        let current = i18n.get_locale();
        current
    }
}

/// A translated text that follows the current locale, for a text node or an
/// attribute.
///
/// Every call returns the same closure type, so the code that renders and
/// hydrates it is in the WASM once, where each `t!` call site makes a closure
/// type of its own with its own copy (about 250 bytes of brotli-compressed
/// WASM per site, measured). Use it through [`crate::tr!`].
pub fn text(
    i18n: leptos_i18n::I18nContext<Locale>,
    of: fn(Locale) -> &'static str,
) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let locale = locale_reader(i18n);
    move || of(locale())
}

/// `tr!(i18n, key)`: the text of a key without arguments (see [`text`]).
#[macro_export]
macro_rules! tr {
    ($i18n:ident, $key:ident) => {
        $crate::i18n_support::text($i18n, |l| $crate::i18n::td_string!(l, $key))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_languages_pick_the_first_we_have() {
        assert_eq!(find_locale(&["de-DE", "ar-MA", "fr"]), Locale::ar);
        assert_eq!(find_locale(&["AR-dz"]), Locale::ar_DZ);
        assert_eq!(find_locale(&["kab-DZ", "en"]), Locale::kab);
        assert_eq!(find_locale(&["ja", "de"]), Locale::en);
        assert_eq!(find_locale::<&str>(&[]), Locale::en);
        // What leptos_i18n calls through the generated `Locale`.
        use leptos_i18n::Locale as _;
        assert_eq!(Locale::find_locale(&["zgh"]), Locale::zgh);
    }

    #[test]
    fn accept_language_prefers_quality_then_language() {
        assert_eq!(
            from_accept_language("fr-FR,fr;q=0.9,en;q=0.8"),
            Some(Locale::fr)
        );
        assert_eq!(from_accept_language("de, ar-MA;q=0.5"), Some(Locale::ar));
        assert_eq!(from_accept_language("ar-dz"), Some(Locale::ar_DZ));
        assert_eq!(
            from_accept_language("en;q=0.1, kab;q=0.9"),
            Some(Locale::kab)
        );
        assert_eq!(from_accept_language("de, ja"), None);
        assert_eq!(from_accept_language(""), None);
    }

    #[test]
    fn paths_are_prefixed_except_default() {
        assert_eq!(localized_path(Locale::en, "/docs"), "/docs");
        assert_eq!(localized_path(Locale::fr, "/"), "/fr");
        assert_eq!(localized_path(Locale::ar_DZ, "/about"), "/ar-DZ/about");
        assert_eq!(
            split_locale("/ar-DZ/about"),
            (Some(Locale::ar_DZ), "/about".into())
        );
        assert_eq!(split_locale("/docs"), (None, "/docs".into()));
        assert_eq!(split_locale("/zgh"), (Some(Locale::zgh), "/".into()));
    }

    #[test]
    fn arabic_is_rtl_and_amazigh_ltr() {
        assert_eq!(dir_of(Locale::ar), "rtl");
        assert_eq!(dir_of(Locale::ar_DZ), "rtl");
        assert_eq!(dir_of(Locale::kab), "ltr");
        assert_eq!(dir_of(Locale::zgh), "ltr");
    }

    #[test]
    fn cookie_beats_accept_language() {
        let mut h = http::HeaderMap::new();
        h.insert(http::header::ACCEPT_LANGUAGE, "fr".parse().unwrap());
        assert_eq!(from_headers(&h), Locale::fr);
        h.insert(http::header::COOKIE, "a=b; dihya_lang=zgh".parse().unwrap());
        assert_eq!(from_headers(&h), Locale::zgh);
    }
}

/// A missing or extra key in any locale fails here (leptos_i18n only warns).
#[cfg(test)]
mod locale_files {
    use serde_json::{Map, Value};

    fn load(name: &str) -> Map<String, Value> {
        let path = format!("{}/../locales/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        match serde_json::from_str(&text) {
            Ok(Value::Object(m)) => m,
            other => panic!("{path}: not a JSON object: {other:?}"),
        }
    }

    fn placeholders(s: &str) -> Vec<String> {
        let mut out: Vec<String> = s
            .split("{{")
            .skip(1)
            .filter_map(|p| p.split("}}").next().map(|v| v.trim().to_string()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn every_full_locale_has_exactly_the_english_keys() {
        let en = load("en");
        for name in ["fr", "ar", "kab", "zgh"] {
            let other = load(name);
            let missing: Vec<_> = en.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{name} lacks {missing:?}");
            assert!(extra.is_empty(), "{name} has unknown keys {extra:?}");
            for (k, v) in &en {
                let (a, b) = (v.as_str().unwrap(), other[k].as_str().unwrap());
                assert_eq!(placeholders(a), placeholders(b), "{name}.{k} placeholders");
                assert!(!b.trim().is_empty(), "{name}.{k} is empty");
            }
        }
    }

    #[test]
    fn dialect_overrides_only_known_keys() {
        let ar = load("ar");
        let dz = load("ar-DZ");
        assert!(!dz.is_empty(), "ar-DZ overrides some keys");
        for (k, v) in &dz {
            assert!(ar.contains_key(k), "ar-DZ.{k} is not an ar key");
            assert_ne!(v, &ar[k], "ar-DZ.{k} repeats ar");
        }
    }

    #[test]
    fn translations_are_not_copies_of_english() {
        let en = load("en");
        for name in ["fr", "ar", "kab", "zgh"] {
            let other = load(name);
            let same = en.iter().filter(|(k, v)| other.get(*k) == Some(*v)).count();
            assert!(
                same * 10 < en.len(),
                "{name}: {same} of {} values equal English",
                en.len()
            );
        }
    }
}
