//! The SLA policies: every severity's targets for those who read every
//! ticket, and for administrators the form that changes one. Choosing a
//! severity in the form fills it with that severity's policy.
use super::{PageState, severity_label};
use crate::i18n::{td_string, use_i18n};
use crate::incidents::Severity;
use crate::incidents::api::{list_sla_policies, save_sla_policy};
use crate::incidents::sla::SlaPolicy;
use crate::platform::Permission;
use crate::ui::{
    Column, DataTable, Field, FormAlert, FormStatus, SelectField, use_current_user, use_form_action,
};
use leptos::prelude::*;

/// Minutes as "15 min", "4 h" or "1 d 2 h"; a dash for no target.
fn target(m: Option<u32>) -> String {
    match m {
        None => "—".into(),
        Some(m) if m < 60 => format!("{m} min"),
        Some(m) if m < 24 * 60 && m % 60 == 0 => format!("{} h", m / 60),
        Some(m) if m < 24 * 60 => format!("{} h {:02} min", m / 60, m % 60),
        Some(m) if m % 1440 == 0 => format!("{} d", m / 1440),
        Some(m) => format!("{} d {} h", m / 1440, (m % 1440) / 60),
    }
}

/// The fields of the form, as text.
#[derive(Clone, Copy)]
struct Form {
    severity: RwSignal<String>,
    ack: RwSignal<String>,
    resolve: RwSignal<String>,
    days: RwSignal<String>,
    start: RwSignal<String>,
    end: RwSignal<String>,
    tz: RwSignal<String>,
}

impl Form {
    fn new() -> Self {
        let s = |v: &str| RwSignal::new(v.to_string());
        Form {
            severity: s("critical"),
            ack: s(""),
            resolve: s(""),
            days: s(""),
            start: s("09:00"),
            end: s("17:00"),
            tz: s("UTC"),
        }
    }

    fn fill(self, p: &SlaPolicy) {
        let n = |m: Option<u32>| m.map(|m| m.to_string()).unwrap_or_default();
        self.ack.set(n(p.acknowledge_minutes));
        self.resolve.set(n(p.resolve_minutes));
        self.days.set(p.business_days.join(","));
        self.start
            .set(p.day_start.clone().unwrap_or_else(|| "09:00".into()));
        self.end
            .set(p.day_end.clone().unwrap_or_else(|| "17:00".into()));
        self.tz.set(p.time_zone.clone());
    }
}

#[component]
pub fn SlaPolicies(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let user = use_current_user();
    let edits = Signal::derive(move || {
        user.get()
            .is_some_and(|u| u.can(Permission::SettingsManage))
    });
    let version = RwSignal::new(0u32);
    let policies = Resource::new(move || version.get(), |_| list_sla_policies());
    let form = Form::new();
    // The form shows the chosen severity's policy as stored.
    Effect::new(move || {
        let chosen = form.severity.get();
        if let Some(Ok(all)) = policies.get()
            && let Some(p) = all.iter().find(|p| p.severity.as_str() == chosen)
        {
            form.fill(p);
        }
    });
    let save = use_form_action(
        move |_: &()| {
            let minutes = |v: RwSignal<String>| v.get_untracked().trim().parse().ok();
            let opt =
                |v: RwSignal<String>| Some(v.get_untracked()).filter(|v| !v.trim().is_empty());
            let days = form.days.get_untracked();
            save_sla_policy(
                form.severity.get_untracked(),
                minutes(form.ack),
                minutes(form.resolve),
                days.split([',', ' '])
                    .filter(|d| !d.is_empty())
                    .map(str::to_string)
                    .collect(),
                opt(form.start),
                opt(form.end),
                form.tz.get_untracked(),
            )
        },
        move |_: &SlaPolicy| {
            version.update(|v| *v += 1);
            state.changed();
            Some(td_string!(locale(), sla_saved).to_string())
        },
    );
    let columns = vec![
        Column::new(
            crate::tr_signal!(i18n, field_severity),
            move |p: &SlaPolicy| {
                let s = p.severity;
                view! { <span class=format!("badge severity-{}", s.as_str())>{move || severity_label(locale(), s)}</span> }.into_any()
            },
        ),
        Column::new(crate::tr_signal!(i18n, sla_acknowledge), |p: &SlaPolicy| {
            view! { <span dir="ltr">{target(p.acknowledge_minutes)}</span> }.into_any()
        }),
        Column::new(crate::tr_signal!(i18n, sla_resolve), |p: &SlaPolicy| {
            view! { <span dir="ltr">{target(p.resolve_minutes)}</span> }.into_any()
        }),
        Column::new(crate::tr_signal!(i18n, sla_clock), move |p: &SlaPolicy| {
            let hours = (!p.business_days.is_empty()).then(|| {
                format!(
                    "{} {}–{} ({})",
                    p.business_days.join(","),
                    p.day_start.clone().unwrap_or_default(),
                    p.day_end.clone().unwrap_or_default(),
                    p.time_zone
                )
            });
            let custom = p.custom;
            view! {
                {match hours {
                    Some(h) => view! { <span dir="ltr">{h}</span> }.into_any(),
                    None => view! { <span>{move || td_string!(locale(), sla_around_the_clock)}</span> }.into_any(),
                }}
                {(!custom).then(|| view! { " " <span class="muted">{move || td_string!(locale(), sla_builtin)}</span> })}
            }
            .into_any()
        }),
    ];
    let errors = save.errors;
    view! {
        <section class="card" aria-labelledby="sla-h" id="sla">
            <h2 id="sla-h">{crate::tr!(i18n, sla_title)}</h2>
            <p class="field-hint">{crate::tr!(i18n, sla_intro)}</p>
            <DataTable
                id="sla-table"
                label=crate::tr_signal!(i18n, sla_title)
                columns
                rows=Signal::derive(move || policies.get())
                empty=crate::tr_signal!(i18n, table_empty)
                loading=crate::tr_signal!(i18n, loading)
            />
            <Show when=move || edits.get()>
                <form class="form" id="sla-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                    <h3>{crate::tr!(i18n, sla_edit)}</h3>
                    <FormAlert errors />
                    <FormStatus message=save.done />
                    <SelectField label=crate::tr_signal!(i18n, field_severity) name="severity" form="sla" value=form.severity errors>
                        {Severity::ALL.iter().map(|s| {
                            let s = *s;
                            view! { <option value=s.as_str() selected=move || form.severity.get() == s.as_str()>{move || severity_label(locale(), s)}</option> }
                        }).collect_view()}
                    </SelectField>
                    <Field label=crate::tr_signal!(i18n, sla_acknowledge_minutes) name="acknowledge_minutes" form="sla" kind="number" required=false value=form.ack errors
                        hint=crate::tr_signal!(i18n, sla_minutes_hint) />
                    <Field label=crate::tr_signal!(i18n, sla_resolve_minutes) name="resolve_minutes" form="sla" kind="number" required=false value=form.resolve errors />
                    <fieldset>
                        <legend>{crate::tr!(i18n, sla_business_hours)}</legend>
                        <Field label=crate::tr_signal!(i18n, sla_business_days) name="business_days" form="sla" required=false value=form.days errors
                            hint=crate::tr_signal!(i18n, sla_business_days_hint) />
                        <Field label=crate::tr_signal!(i18n, sla_day_start) name="day_start" form="sla" kind="time" required=false value=form.start errors />
                        <Field label=crate::tr_signal!(i18n, sla_day_end) name="day_end" form="sla" kind="time" required=false value=form.end errors />
                        <Field label=crate::tr_signal!(i18n, alerts_time_zone) name="time_zone" form="sla" required=false value=form.tz errors />
                    </fieldset>
                    <div class="form-actions">
                        <button type="submit" class="button button-primary" disabled=move || save.pending().get()>{crate::tr!(i18n, action_save)}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::target;

    #[test]
    fn targets_read_in_the_largest_sensible_unit() {
        assert_eq!(target(None), "—");
        assert_eq!(target(Some(15)), "15 min");
        assert_eq!(target(Some(240)), "4 h");
        assert_eq!(target(Some(90)), "1 h 30 min");
        assert_eq!(target(Some(72 * 60)), "3 d");
        assert_eq!(target(Some(26 * 60)), "1 d 2 h");
    }
}
