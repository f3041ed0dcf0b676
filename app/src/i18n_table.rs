//! The page's strings, carried by the page rather than by the WASM.
//!
//! Every locale's strings compiled into the browser bundle cost every
//! visitor about 25 KB (brotli) for five languages they do not read. The
//! server writes the page's locale's strings into its `<head>` as a JSON
//! array (`<script type="application/json" id="i18n-strings">`); in the
//! browser build each key without arguments is patched by `build.rs` to
//! read its place in that array. Switching language in place first fetches
//! the new locale's array from `/i18n/<locale>.json`.
use crate::i18n::Locale;

include!(concat!(env!("OUT_DIR"), "/i18n_keys.rs"));

/// The `id` of the element that carries the strings.
pub const ELEMENT_ID: &str = "i18n-strings";

/// `locale`'s strings as a JSON array safe inside a `<script>` element
/// (`<` escaped), made once per locale.
#[cfg(feature = "ssr")]
pub fn json(locale: Locale) -> &'static str {
    use std::sync::OnceLock;
    static ALL: OnceLock<Vec<(Locale, String)>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        crate::i18n_support::all_locales()
            .iter()
            .map(|&l| {
                let text = serde_json::to_string(&strings(l).as_slice())
                    .unwrap_or_else(|_| "[]".into())
                    .replace('<', "\\u003c");
                (l, text)
            })
            .collect()
    });
    all.iter()
        .find(|(l, _)| *l == locale)
        .map_or("[]", |(_, text)| text.as_str())
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{COUNT, ELEMENT_ID, Locale};
    use std::cell::RefCell;
    use wasm_bindgen::JsCast;

    type Table = &'static [&'static str];

    thread_local! {
        /// The tables read so far; the first is the page's own.
        static TABLES: RefCell<Vec<(Locale, Table)>> = const { RefCell::new(Vec::new()) };
    }

    /// Strings live as long as the page: leaking them gives the `'static`
    /// the generated keys return (one table per language shown).
    fn leak(strings: Vec<String>) -> Table {
        let strings: Vec<&'static str> = strings
            .into_iter()
            .map(|s| &*Box::leak(s.into_boxed_str()))
            .collect();
        Box::leak(strings.into_boxed_slice())
    }

    /// The page's table, from the element the server wrote.
    fn page_table() -> Option<(Locale, Table)> {
        let doc = leptos::prelude::document();
        let el = doc.get_element_by_id(ELEMENT_ID)?;
        let locale = el
            .get_attribute("data-locale")
            .and_then(|l| crate::i18n_support::parse_locale(&l))?;
        let strings = parse(&el.text_content()?)?;
        (strings.len() == COUNT).then(|| (locale, leak(strings)))
    }

    /// A JSON array of strings, read by the browser's own parser: serde's
    /// for this one type would add its code to the WASM.
    fn parse(text: &str) -> Option<Vec<String>> {
        let value = js_sys::JSON::parse(text).ok()?;
        let array = value.dyn_ref::<js_sys::Array>()?;
        array.iter().map(|v| v.as_string()).collect()
    }

    /// The string at `index` of `locale`'s table; the page's own table
    /// stands in while another locale's is on its way (an empty string if
    /// the page carried none).
    ///
    /// Every key calls it, so it stays out of line and answers one pointer
    /// (a `&str` is two words, returned through a stack slot in wasm32).
    /// Measured, neither choice changed the main WASM's compressed size.
    #[inline(never)]
    pub fn get(locale: Locale, index: usize) -> &'static &'static str {
        static EMPTY: &str = "";
        TABLES.with(|t| {
            let mut tables = t.borrow_mut();
            if tables.is_empty()
                && let Some(page) = page_table()
            {
                tables.push(page);
            }
            tables
                .iter()
                .find(|(l, _)| *l == locale)
                .or(tables.first())
                .and_then(|(_, table)| table.get(index))
                .unwrap_or(&EMPTY)
        })
    }

    /// Fetches `locale`'s table unless it is here already.
    pub async fn load(locale: Locale) -> Result<(), ()> {
        use leptos_i18n::Locale as _;
        use wasm_bindgen_futures::JsFuture;
        // Reading any string first makes sure the page's table is in.
        get(locale, 0);
        if TABLES.with(|t| t.borrow().iter().any(|(l, _)| *l == locale)) {
            return Ok(());
        }
        let url = format!("/i18n/{}.json", locale.as_str());
        let response = JsFuture::from(leptos::prelude::window().fetch_with_str(&url))
            .await
            .map_err(|_| ())?
            .dyn_into::<web_sys::Response>()
            .map_err(|_| ())?;
        if !response.ok() {
            return Err(());
        }
        let text = JsFuture::from(response.text().map_err(|_| ())?)
            .await
            .map_err(|_| ())?
            .as_string()
            .ok_or(())?;
        let strings = parse(&text).ok_or(())?;
        if strings.len() != COUNT {
            return Err(());
        }
        TABLES.with(|t| t.borrow_mut().push((locale, leak(strings))));
        Ok(())
    }
}

#[cfg(feature = "hydrate")]
pub use browser::{get, load};
