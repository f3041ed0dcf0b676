//! Design-system components shared by every page.
mod layout;
mod seo;
mod switches;

pub use layout::{Layout, LocalLink, use_localized};
pub use seo::{Seo, public_origin};
pub use switches::{LangSwitch, Theme, ThemeSwitch, provide_theme};

#[cfg(test)]
mod contrast;

/// A reactive translated string, for component props such as `Seo`'s title.
#[macro_export]
macro_rules! tr_signal {
    ($i18n:ident, $key:ident) => {
        leptos::prelude::Signal::derive(move || $crate::i18n::t_string!($i18n, $key).to_string())
    };
}
