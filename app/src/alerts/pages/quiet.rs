//! What keeps alerts quiet: silences (label matchers for a while) and
//! maintenance windows (one-off or weekly, over servers and tags).
use super::PageState;
use crate::alerts::api::{
    create_silence, delete_maintenance, expire_silence, list_maintenance, list_silences,
    save_maintenance,
};
use crate::alerts::{MaintenanceView, SilenceView};
use crate::i18n::{td_string, use_i18n};
use crate::ui::{
    Column, ConfirmButton, DataTable, Field, FormAlert, FormStatus, SelectField, Timestamp,
    use_form_action,
};
use leptos::prelude::*;

#[component]
pub fn Silences(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let silences = Resource::new(move || state.version.get(), |_| list_silences());
    let (matchers, minutes, reason) = (
        RwSignal::new(String::new()),
        RwSignal::new("120".to_string()),
        RwSignal::new(String::new()),
    );
    let create = use_form_action(
        move |_: &()| {
            create_silence(
                matchers.get_untracked(),
                None,
                None,
                minutes.get_untracked().trim().parse().ok(),
                reason.get_untracked(),
            )
        },
        move |_: &SilenceView| {
            matchers.set(String::new());
            reason.set(String::new());
            state.changed();
            Some(td_string!(locale(), alerts_silence_saved).to_string())
        },
    );
    let expire = use_form_action(
        move |id: &i32| expire_silence(*id),
        move |_| {
            state.changed();
            None
        },
    );
    let columns = vec![
        Column::new(
            crate::tr_signal!(i18n, alerts_matchers),
            |s: &SilenceView| view! { <code>{s.matchers.join(", ")}</code> }.into_any(),
        ),
        Column::new(crate::tr_signal!(i18n, alerts_reason), |s: &SilenceView| {
            view! { {s.reason.clone()} " — " <span class="muted">{s.author.clone()}</span> }
                .into_any()
        }),
        Column::new(crate::tr_signal!(i18n, alerts_until), |s: &SilenceView| {
            view! { <span class="badge">{s.state.clone()}</span> " " <Timestamp at=Some(s.ends_at.clone()) /> }.into_any()
        }),
        Column::new(
            crate::tr_signal!(i18n, alerts_actions),
            move |s: &SilenceView| {
                let (id, live) = (s.id, s.state != "expired");
                view! {
                <Show when=move || live && state.manages.get()>
                    <button type="button" class="button" on:click=move |_| { expire.dispatch(id); }>
                        {crate::tr!(i18n, alerts_expire)}
                    </button>
                </Show>
            }
            .into_any()
            },
        ),
    ];
    let errors = create.errors;
    view! {
        <section class="card" aria-labelledby="silences-h">
            <h2 id="silences-h">{crate::tr!(i18n, alerts_silences)}</h2>
            <DataTable
                id="silences-table"
                label=crate::tr_signal!(i18n, alerts_silences)
                columns
                rows=Signal::derive(move || silences.get())
                empty=crate::tr_signal!(i18n, table_empty)
                loading=crate::tr_signal!(i18n, loading)
            />
            <Show when=move || state.manages.get()>
                <form class="form" id="silence-form" novalidate on:submit=move |ev| { ev.prevent_default(); create.dispatch(()); }>
                    <h3>{crate::tr!(i18n, alerts_silence_new)}</h3>
                    <FormAlert errors />
                    <FormAlert errors=expire.errors />
                    <FormStatus message=create.done />
                    <Field label=crate::tr_signal!(i18n, alerts_matchers) name="matchers" form="silence" value=matchers errors
                        hint=crate::tr_signal!(i18n, alerts_matchers_hint) />
                    <Field label=crate::tr_signal!(i18n, alerts_minutes) name="ends_at" form="silence" kind="number" value=minutes errors />
                    <Field label=crate::tr_signal!(i18n, alerts_reason) name="reason" form="silence" value=reason errors />
                    <div class="form-actions">
                        <button type="submit" class="button button-primary" disabled=move || create.pending().get()>{crate::tr!(i18n, alerts_silence)}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}

/// Tags or server ids typed with commas.
fn list_of(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

#[component]
pub fn Maintenance(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let windows = Resource::new(move || state.version.get(), |_| list_maintenance());
    let s = |v: &str| RwSignal::new(v.to_string());
    let (title, servers, tags, kind) = (s(""), s(""), s(""), s("weekly"));
    let (starts_at, ends_at) = (s(""), s(""));
    let (weekdays, start_time, duration, tz) = (s("sun"), s("02:00"), s("120"), s("UTC"));
    let save = use_form_action(
        move |_: &()| {
            let opt =
                |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
            save_maintenance(
                None,
                title.get_untracked(),
                list_of(&servers.get_untracked())
                    .iter()
                    .filter_map(|s| s.parse().ok())
                    .collect(),
                list_of(&tags.get_untracked()),
                kind.get_untracked(),
                opt(starts_at),
                opt(ends_at),
                list_of(&weekdays.get_untracked()),
                opt(start_time),
                duration.get_untracked().trim().parse().ok(),
                opt(tz),
            )
        },
        move |_: &MaintenanceView| {
            title.set(String::new());
            state.changed();
            Some(td_string!(locale(), alerts_window_saved).to_string())
        },
    );
    let remove = use_form_action(
        move |id: &i32| delete_maintenance(*id),
        move |_| {
            state.changed();
            None
        },
    );
    let columns = vec![
        Column::new(
            crate::tr_signal!(i18n, alerts_window_title),
            |w: &MaintenanceView| view! { {w.title.clone()} }.into_any(),
        ),
        Column::new(
            crate::tr_signal!(i18n, alerts_when),
            |w: &MaintenanceView| {
                let when = if w.kind == "weekly" {
                    format!(
                        "{} {} ({} min, {})",
                        w.weekdays.join(","),
                        w.start_time.clone().unwrap_or_default(),
                        w.duration_minutes.unwrap_or(0),
                        w.time_zone
                    )
                } else {
                    format!(
                        "{} → {}",
                        w.starts_at.clone().unwrap_or_default(),
                        w.ends_at.clone().unwrap_or_default()
                    )
                };
                view! { {when} }.into_any()
            },
        ),
        Column::new(
            crate::tr_signal!(i18n, alerts_scope),
            |w: &MaintenanceView| {
                let ids: Vec<String> = w.server_ids.iter().map(|i| format!("#{i}")).collect();
                view! { {ids.join(", ")} " " {w.tags.join(", ")} }.into_any()
            },
        ),
        Column::new(
            crate::tr_signal!(i18n, alerts_in_force),
            move |w: &MaintenanceView| {
                let (active, next) = (w.active, w.next_start.clone());
                view! {
                {move || if active { td_string!(locale(), alerts_yes) } else { td_string!(locale(), alerts_no) }}
                " " <Timestamp at=next.clone() />
            }
            .into_any()
            },
        ),
        Column::new(
            crate::tr_signal!(i18n, alerts_actions),
            move |w: &MaintenanceView| {
                let id = w.id;
                view! {
                    <Show when=move || state.manages.get()>
                        <ConfirmButton
                            label=crate::tr_signal!(i18n, alerts_window_delete)
                            question=crate::tr_signal!(i18n, alerts_window_delete_confirm)
                            cancel=crate::tr_signal!(i18n, action_cancel)
                            on_confirm=move || { remove.dispatch(id); }
                        />
                    </Show>
                }
                .into_any()
            },
        ),
    ];
    let errors = save.errors;
    let once = move || kind.get() == "once";
    view! {
        <section class="card" aria-labelledby="maintenance-h">
            <h2 id="maintenance-h">{crate::tr!(i18n, alerts_maintenance)}</h2>
            <DataTable
                id="maintenance-table"
                label=crate::tr_signal!(i18n, alerts_maintenance)
                columns
                rows=Signal::derive(move || windows.get())
                empty=crate::tr_signal!(i18n, table_empty)
                loading=crate::tr_signal!(i18n, loading)
            />
            <Show when=move || state.manages.get()>
                <form class="form" id="window-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                    <h3>{crate::tr!(i18n, alerts_window_new)}</h3>
                    <FormAlert errors />
                    <FormAlert errors=remove.errors />
                    <FormStatus message=save.done />
                    <Field label=crate::tr_signal!(i18n, alerts_window_title) name="title" form="window" value=title errors />
                    <Field label=crate::tr_signal!(i18n, alerts_server_ids) name="server_ids" form="window" required=false value=servers errors />
                    <Field label=crate::tr_signal!(i18n, field_tags) name="tags" form="window" required=false value=tags errors />
                    <SelectField label=crate::tr_signal!(i18n, alerts_recurs) name="kind" form="window" value=kind errors>
                        <option value="weekly" selected=move || kind.get() == "weekly">{crate::tr!(i18n, alerts_weekly)}</option>
                        <option value="once" selected=move || kind.get() == "once">{crate::tr!(i18n, alerts_once)}</option>
                    </SelectField>
                    <Show when=once fallback=move || view! {
                        <Field label=crate::tr_signal!(i18n, alerts_weekdays) name="weekdays" form="window" value=weekdays errors
                            hint=crate::tr_signal!(i18n, alerts_weekdays_hint) />
                        <Field label=crate::tr_signal!(i18n, alerts_start_time) name="start_time" form="window" kind="time" value=start_time errors />
                        <Field label=crate::tr_signal!(i18n, alerts_duration) name="duration_minutes" form="window" kind="number" value=duration errors />
                        <Field label=crate::tr_signal!(i18n, alerts_time_zone) name="time_zone" form="window" value=tz errors />
                    }>
                        <Field label=crate::tr_signal!(i18n, alerts_starts_at) name="starts_at" form="window" value=starts_at errors
                            hint=crate::tr_signal!(i18n, alerts_instant_hint) />
                        <Field label=crate::tr_signal!(i18n, alerts_ends_at) name="ends_at" form="window" value=ends_at errors />
                    </Show>
                    <div class="form-actions">
                        <button type="submit" class="button button-primary" disabled=move || save.pending().get()>{crate::tr!(i18n, action_save)}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}
