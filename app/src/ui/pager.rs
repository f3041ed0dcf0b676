//! "First page" and "Next page" under a list read a page at a time by
//! keyset cursor (servers, monitors, incidents, notifications).
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// `cursor` is the page shown (`None`: the first); `next` is the cursor of
/// the page after it, when there is one.
#[component]
pub fn Pager(
    cursor: RwSignal<Option<String>>,
    #[prop(into)] next: Signal<Option<String>>,
    /// The "Next page" button's id, for tests and links.
    #[prop(optional)]
    id: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="form-actions">
            <Show when=move || cursor.get().is_some()>
                <button type="button" class="button" on:click=move |_| cursor.set(None)>
                    {crate::tr!(i18n, servers_first_page)}
                </button>
            </Show>
            <Show when=move || next.get().is_some()>
                <button type="button" class="button" id=id on:click=move |_| cursor.set(next.get_untracked())>
                    {crate::tr!(i18n, servers_next_page)}
                </button>
            </Show>
        </div>
    }
}
