//! The page behind the first-run setup link.
use super::api::check_setup_token;
use crate::i18n::{t, use_i18n};
use crate::ui::Seo;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let status = Resource::new_blocking(
        move || params.with(|p| p.get("token").unwrap_or_default()),
        check_setup_token,
    );
    view! {
        <Seo
            title=crate::tr_signal!(i18n, setup_title)
            description=crate::tr_signal!(i18n, setup_description)
            path="/setup"
            noindex=true
        />
        <div class="page narrow">
            <h1>{t!(i18n, setup_title)}</h1>
            <Suspense fallback=move || view! { <p role="status">{t!(i18n, setup_checking)}</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(s) if s.valid => view! {
                            <p id="setup-state" data-valid="true" class="notice notice-success">{t!(i18n, setup_valid)}</p>
                        }.into_any(),
                        _ => view! {
                            <p id="setup-state" data-valid="false" class="notice notice-danger">{t!(i18n, setup_invalid)}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}
