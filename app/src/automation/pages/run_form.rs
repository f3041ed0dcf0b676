//! The run form: a script from the library, where to run it (servers
//! ticked from the inventory, and this instance when allowed), a value
//! for each of its parameters, and a time limit.
use super::PageState;
use crate::automation::api::{list_scripts, run_script};
use crate::automation::{LOCAL, ParamType, Parameter, RunStarted, ScriptView};
use crate::i18n::{td_string, use_i18n};
use crate::servers::api::list_servers;
use crate::ui::{Field, FormAlert, FormStatus, field_error, use_form_action};
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// What the form sends as a target: `"local"` or a server id.
fn targets(local: bool, servers: &BTreeSet<i32>) -> Vec<serde_json::Value> {
    local
        .then(|| serde_json::Value::from(LOCAL))
        .into_iter()
        .chain(servers.iter().map(|id| serde_json::Value::from(*id)))
        .collect()
}

#[component]
pub fn RunForm(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let scripts = Resource::new(move || state.version.get(), |_| list_scripts());
    let servers = Resource::new(
        || (),
        |_| list_servers(None, None, None, None, Some("name".into()), None, Some(100)),
    );
    let local = RwSignal::new(false);
    let chosen = RwSignal::new(BTreeSet::<i32>::new());
    let values = RwSignal::new(BTreeMap::<String, String>::new());
    let timeout = RwSignal::new(String::new());
    // Another script: its parameters start empty (a reload keeps them,
    // so the same run can be asked for again).
    Effect::new(move |before: Option<Option<i32>>| {
        let now = state.script.get();
        if before.is_some_and(|b| b != now) {
            values.set(BTreeMap::new());
        }
        now
    });
    let script = Signal::derive(move || {
        let id = state.script.get()?;
        scripts.get()?.ok()?.into_iter().find(|s| s.id == id)
    });
    let run = use_form_action(
        move |_: &()| {
            let given = values
                .get_untracked()
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k, serde_json::Value::String(v)))
                .collect();
            run_script(
                state.script.get_untracked(),
                None,
                None,
                targets(local.get_untracked(), &chosen.get_untracked()),
                given,
                timeout.get_untracked().trim().parse().ok(),
            )
        },
        move |r: &RunStarted| {
            state.run.set(Some(r.run_id));
            state.changed();
            Some(td_string!(locale(), run_started).to_string())
        },
    );
    let errors = run.errors;
    let targets_error = field_error(errors, "targets");
    let params_error = field_error(errors, "parameters");
    view! {
        <section class="card" aria-labelledby="run-form-h">
            <h2 id="run-form-h">{crate::tr!(i18n, run_title)}</h2>
            <form class="form" id="run-form" novalidate on:submit=move |ev| { ev.prevent_default(); run.dispatch(()); }>
                <FormAlert errors />
                <FormStatus message=run.done />
                <p id="run-script">
                    {move || match script.get() {
                        Some(s) => format!("{} {}", td_string!(locale(), run_script_chosen), s.name),
                        None => td_string!(locale(), run_pick_script).to_string(),
                    }}
                </p>
                <fieldset class="run-targets" aria-describedby="run-targets-error">
                    <legend>{crate::tr!(i18n, run_targets)}</legend>
                    <label class="check">
                        <input type="checkbox" id="run-target-local" prop:checked=move || local.get()
                            on:change=move |ev| local.set(event_target_checked(&ev)) />
                        {crate::tr!(i18n, run_target_local)}
                    </label>
                    {move || servers.get().and_then(|r| r.ok()).map(|page| page.items.into_iter().map(|s| {
                        let id = s.id;
                        view! {
                            <label class="check">
                                <input type="checkbox" value=id.to_string()
                                    prop:checked=move || chosen.with(|c| c.contains(&id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| { if on { c.insert(id); } else { c.remove(&id); } });
                                    } />
                                <span class="wrap-anywhere">{s.name}</span>
                            </label>
                        }
                    }).collect_view())}
                    <p class="field-error" id="run-targets-error" role="alert" hidden=move || targets_error.get().is_none()>
                        {move || targets_error.get().unwrap_or_default()}
                    </p>
                </fieldset>
                {move || script.get().map(|s| view! { <Values script=s values /> })}
                <p class="field-error" id="run-parameters-error" role="alert" hidden=move || params_error.get().is_none()>
                    {move || params_error.get().unwrap_or_default()}
                </p>
                <Field label=crate::tr_signal!(i18n, run_timeout) name="timeout_seconds" form="run" kind="number" value=timeout errors required=false
                    hint=crate::tr_signal!(i18n, run_timeout_hint) />
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || run.pending().get() || state.script.get().is_none()>
                        {crate::tr!(i18n, run_start)}
                    </button>
                </div>
            </form>
        </section>
    }
}

/// One field per parameter of the chosen script.
#[component]
fn Values(script: ScriptView, values: RwSignal<BTreeMap<String, String>>) -> impl IntoView {
    script
        .parameters
        .into_iter()
        .map(|p| view! { <Value p values /> })
        .collect_view()
}

#[component]
fn Value(p: Parameter, values: RwSignal<BTreeMap<String, String>>) -> impl IntoView {
    let id = format!("run-param-{}", p.name);
    let name = p.name.clone();
    let set = move |v: String| {
        values.update(|m| {
            m.insert(name.clone(), v);
        })
    };
    let read = {
        let name = p.name.clone();
        move || values.with(|m| m.get(&name).cloned().unwrap_or_default())
    };
    let label = format!("{}{}", p.name, if p.required { " *" } else { "" });
    let hint = [
        p.description.clone(),
        p.default
            .clone()
            .map(|d| format!("= {d}"))
            .unwrap_or_default(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let hint_id = format!("{id}-hint");
    let input = match p.kind {
        ParamType::Boolean => view! {
            <input type="checkbox" id=id.clone() aria-describedby=hint_id.clone()
                prop:checked=move || read() == "true"
                on:change=move |ev| set(event_target_checked(&ev).to_string()) />
        }
        .into_any(),
        kind => {
            let kind = match kind {
                ParamType::Integer => "number",
                ParamType::Secret => "password",
                _ => "text",
            };
            view! {
                <input type=kind id=id.clone() dir="auto" autocomplete="off" aria-describedby=hint_id.clone()
                    prop:value=read on:input=move |ev| set(event_target_value(&ev)) />
            }
            .into_any()
        }
    };
    view! {
        <div class="field">
            <label for=id.clone()><span dir="ltr">{label}</span></label>
            <p class="field-hint" id=hint_id>{hint}</p>
            {input}
        </div>
    }
}
