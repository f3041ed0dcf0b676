//! The application shell: what every page is rendered inside (header,
//! navigation, account menu, footer). It sits at the top with `app.rs`:
//! it composes domains (the account menu signs out through `auth`, the
//! footer shows `system`'s version), so it cannot live in `ui`.
mod layout;

pub use layout::Layout;
