//! The accessibility statement.
use crate::i18n::use_i18n;
use crate::ui::Seo;
use leptos::prelude::*;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Seo
            title=crate::tr_signal!(i18n, a11y_title)
            description=crate::tr_signal!(i18n, a11y_description)
            path="/accessibility"
        />
        <article class="page narrow prose">
            <h1>{crate::tr!(i18n, a11y_title)}</h1>
            <p class="lead">{crate::tr!(i18n, a11y_intro)}</p>
            <p>{crate::tr!(i18n, a11y_standard)}</p>
            <p>{crate::tr!(i18n, a11y_keyboard)}</p>
            <p>{crate::tr!(i18n, a11y_languages)}</p>
            <p>{crate::tr!(i18n, a11y_contact)}</p>
        </article>
    }
}
