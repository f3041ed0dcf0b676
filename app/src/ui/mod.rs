//! Design-system components shared by every page.
mod bell;
mod chart;
pub mod form;
mod frame;
mod i18n_context;
mod lazy;
mod link;
mod live;
mod pager;
mod seo;
pub mod session;
mod split_data;
mod switches;
mod table;
mod time;

pub use bell::{Bell, UnreadChanged};
pub use chart::{Bar, BarChart};
pub use form::{
    CheckboxField, ConfirmButton, Field, FormAction, FormAlert, FormErrors, FormStatus,
    SelectField, TextareaField, field_error, use_form_action,
};
pub use frame::{AppFrame, AppNav};
pub use i18n_context::provide_i18n;
pub use lazy::AfterHydration;
pub use link::{LocalLink, use_localized};
pub use live::on_server_events;
pub use pager::Pager;
pub use seo::{Seo, public_origin};
pub use session::{
    Access, CurrentUser, RequireAccess, ShellUser, provide_current_user, use_current_user,
};
pub use split_data::{JsonResource, JsonText};
pub use switches::{LangSwitch, Theme, ThemeSwitch, native_name, provide_theme};
pub use table::{Cell, Column, DataTable};
pub use time::{Timestamp, short_utc};

#[cfg(test)]
mod contrast;

/// A reactive translated string, for component props such as `Seo`'s title.
#[macro_export]
macro_rules! tr_signal {
    ($i18n:ident, $key:ident) => {{
        let text = $crate::tr!($i18n, $key);
        leptos::prelude::Signal::derive(move || text().to_string())
    }};
}
