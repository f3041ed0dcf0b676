//! Design-system components shared by every page.
mod layout;
mod seo;
mod switches;

pub use layout::{Layout, LocalLink, use_localized};
pub use seo::{Seo, public_origin};
pub use switches::{LangSwitch, Theme, ThemeSwitch, provide_theme};

#[cfg(test)]
mod contrast;
