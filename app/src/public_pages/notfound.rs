//! 404 and error pages.
use crate::i18n::use_i18n;
use crate::i18n_support::set_response_status;
use crate::ui::{LocalLink, Seo};
use leptos::prelude::*;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    set_response_status(404);
    view! {
        <Seo
            title=crate::tr_signal!(i18n, notfound_title)
            description=crate::tr_signal!(i18n, notfound_body)
            path="/404"
            noindex=true
        />
        <div class="page narrow centered">
            <img src="/motifs/triangles.svg" alt="" width="120" height="40" class="empty-motif" />
            <h1>{crate::tr!(i18n, notfound_title)}</h1>
            <p>{crate::tr!(i18n, notfound_body)}</p>
            <p><LocalLink href="/" class="button button-primary">{crate::tr!(i18n, notfound_home)}</LocalLink></p>
        </div>
    }
}

#[component]
pub fn ErrorPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="page narrow centered" role="alert">
            <h1>{crate::tr!(i18n, error_title)}</h1>
            <p>{crate::tr!(i18n, error_body)}</p>
            <p><LocalLink href="/" class="button">{crate::tr!(i18n, notfound_home)}</LocalLink></p>
        </div>
    }
}
