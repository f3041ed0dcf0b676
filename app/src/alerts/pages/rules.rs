//! The rules: a table, and the editor (a new rule, or the one picked in
//! the table). Fields that a condition does not use are hidden.
use super::PageState;
use crate::alerts::api::{
    delete_alert_rule, list_alert_rules, preview_alert_rule, save_alert_rule,
};
use crate::alerts::{Comparator, Condition, EscalationStep, RulePreview, RuleView};
use crate::i18n::{td_string, use_i18n};
use crate::platform::Severity;
use crate::ui::{
    CheckboxField, Column, ConfirmButton, DataTable, Field, FormAlert, FormStatus, SelectField,
    TextareaField, use_form_action,
};
use leptos::prelude::*;

/// The editor's fields, as typed.
#[derive(Clone, Copy)]
struct Draft {
    id: RwSignal<Option<i32>>,
    name: RwSignal<String>,
    condition: RwSignal<String>,
    monitor_id: RwSignal<String>,
    server_id: RwSignal<String>,
    consecutive: RwSignal<String>,
    for_seconds: RwSignal<String>,
    comparator: RwSignal<String>,
    threshold: RwSignal<String>,
    days: RwSignal<String>,
    severity: RwSignal<String>,
    labels: RwSignal<String>,
    opens_incident: RwSignal<bool>,
    enabled: RwSignal<bool>,
    /// One level per line: `minutes` or `minutes:channel id`.
    escalation: RwSignal<String>,
}

/// `5:3` → 5 minutes, channel 3; `15` → 15 minutes, no channel. A line
/// that is neither goes as 0 minutes, which the server refuses by name.
fn escalation_of(text: &str) -> Vec<EscalationStep> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (minutes, channel) = match l.split_once(':') {
                Some((m, c)) => (m, Some(c.trim())),
                None => (l, None),
            };
            EscalationStep {
                after_minutes: minutes.trim().parse().unwrap_or(0),
                channel_id: channel.map(|c| c.parse().unwrap_or(-1)),
            }
        })
        .collect()
}

fn escalation_text(steps: &[EscalationStep]) -> String {
    steps
        .iter()
        .map(|s| match s.channel_id {
            Some(c) => format!("{}:{c}", s.after_minutes),
            None => s.after_minutes.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl Draft {
    fn new() -> Self {
        let s = |v: &str| RwSignal::new(v.to_string());
        Draft {
            id: RwSignal::new(None),
            name: s(""),
            condition: s(Condition::Down.as_str()),
            monitor_id: s(""),
            server_id: s(""),
            consecutive: s("3"),
            for_seconds: s("0"),
            comparator: s(Comparator::Above.as_str()),
            threshold: s(""),
            days: s("14"),
            severity: s(Severity::High.as_str()),
            labels: s(""),
            opens_incident: RwSignal::new(false),
            enabled: RwSignal::new(true),
            escalation: s(""),
        }
    }

    fn load(self, r: &RuleView) {
        let opt = |v: Option<String>| v.unwrap_or_default();
        self.id.set(Some(r.id));
        self.name.set(r.name.clone());
        self.condition.set(r.condition.as_str().into());
        self.monitor_id
            .set(opt(r.monitor_id.map(|m| m.to_string())));
        self.server_id.set(opt(r.server_id.map(|m| m.to_string())));
        self.consecutive.set(r.consecutive.to_string());
        self.for_seconds.set(r.for_seconds.to_string());
        self.comparator
            .set(r.comparator.unwrap_or(Comparator::Above).as_str().into());
        self.threshold.set(opt(r.threshold.map(|t| t.to_string())));
        self.days.set(r.days.unwrap_or(14).to_string());
        self.severity.set(r.severity.as_str().into());
        let labels: Vec<String> = r.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        self.labels.set(labels.join("\n"));
        self.opens_incident.set(r.opens_incident);
        self.enabled.set(r.enabled);
        self.escalation.set(escalation_text(&r.escalation));
    }

    /// Back to a new rule's defaults.
    fn clear(self) {
        let fresh = Draft::new();
        self.id.set(None);
        for (mine, new) in [
            (self.name, fresh.name),
            (self.condition, fresh.condition),
            (self.monitor_id, fresh.monitor_id),
            (self.server_id, fresh.server_id),
            (self.consecutive, fresh.consecutive),
            (self.for_seconds, fresh.for_seconds),
            (self.comparator, fresh.comparator),
            (self.threshold, fresh.threshold),
            (self.days, fresh.days),
            (self.severity, fresh.severity),
            (self.labels, fresh.labels),
            (self.escalation, fresh.escalation),
        ] {
            mine.set(new.get_untracked());
        }
        self.opens_incident.set(false);
        self.enabled.set(true);
    }

    fn condition(self) -> Option<Condition> {
        Condition::parse(&self.condition.get())
    }
}

fn number<T: std::str::FromStr>(s: RwSignal<String>) -> Option<T> {
    s.get_untracked().trim().parse().ok()
}

#[component]
pub fn Rules(state: PageState) -> impl IntoView {
    let i18n = use_i18n();
    let locale = crate::i18n_support::locale_reader(i18n);
    let rules = Resource::new(move || state.version.get(), |_| list_alert_rules());
    let d = Draft::new();
    let columns = vec![
        Column::new(crate::tr_signal!(i18n, alerts_name), move |r: &RuleView| {
            let r2 = r.clone();
            view! {
                <button type="button" class="link-button" on:click=move |_| d.load(&r2)>{r.name.clone()}</button>
            }
            .into_any()
        }),
        Column::new(
            crate::tr_signal!(i18n, alerts_condition),
            move |r: &RuleView| {
                let c = r.condition;
                view! { {move || c.label(locale())} }.into_any()
            },
        ),
        Column::new(
            crate::tr_signal!(i18n, field_severity),
            move |r: &RuleView| {
                let s = r.severity;
                view! { <span class=format!("badge severity-{}", s.as_str())>{move || s.label(locale())}</span> }.into_any()
            },
        ),
        Column::new(
            crate::tr_signal!(i18n, alerts_enabled),
            move |r: &RuleView| {
                let on = r.enabled;
                view! { {move || if on { td_string!(locale(), alerts_yes) } else { td_string!(locale(), alerts_no) }} }.into_any()
            },
        ),
    ];
    let save = use_form_action(
        move |_: &()| {
            let opt =
                |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
            save_alert_rule(
                d.id.get_untracked(),
                d.name.get_untracked(),
                d.condition.get_untracked(),
                number(d.monitor_id),
                number(d.server_id),
                number(d.consecutive),
                number(d.for_seconds),
                opt(d.comparator),
                number(d.threshold),
                number(d.days),
                d.severity.get_untracked(),
                d.labels.get_untracked(),
                d.opens_incident.get_untracked(),
                d.enabled.get_untracked(),
                escalation_of(&d.escalation.get_untracked()),
            )
        },
        move |r: &RuleView| {
            d.id.set(Some(r.id));
            state.changed();
            Some(td_string!(locale(), alerts_rule_saved).to_string())
        },
    );
    let remove = use_form_action(
        move |id: &i32| delete_alert_rule(*id),
        move |_| {
            d.clear();
            state.changed();
            Some(td_string!(locale(), alerts_rule_deleted).to_string())
        },
    );
    let preview = use_form_action(
        move |_: &()| {
            let opt =
                |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
            preview_alert_rule(
                d.name.get_untracked(),
                d.condition.get_untracked(),
                number(d.monitor_id),
                number(d.server_id),
                number(d.consecutive),
                number(d.for_seconds),
                opt(d.comparator),
                number(d.threshold),
                number(d.days),
                d.severity.get_untracked(),
            )
        },
        move |p: &RulePreview| {
            Some(if p.previewable {
                let fired: Vec<String> = p
                    .firings
                    .iter()
                    .take(20)
                    .map(|f| format!("{} {}", f.monitor, crate::ui::short_utc(&f.fired_at)))
                    .collect();
                format!(
                    "{} {} / {} {} ({} {}). {}",
                    p.firings.len(),
                    td_string!(locale(), alerts_preview_fired),
                    p.monitors,
                    td_string!(locale(), alerts_preview_monitors),
                    p.results,
                    td_string!(locale(), alerts_preview_results),
                    fired.join(", ")
                )
            } else {
                td_string!(locale(), alerts_preview_none).to_string()
            })
        },
    );
    let errors = save.errors;
    let thresholded = move || d.condition().is_some_and(Condition::has_threshold);
    let tls = move || d.condition() == Some(Condition::Tls);
    view! {
        <section class="card" aria-labelledby="rules-h">
            <h2 id="rules-h">{crate::tr!(i18n, alerts_rules)}</h2>
            <DataTable
                id="rules-table"
                label=crate::tr_signal!(i18n, alerts_rules)
                columns
                rows=Signal::derive(move || rules.get())
                empty=crate::tr_signal!(i18n, table_empty)
                loading=crate::tr_signal!(i18n, loading)
            />
            <Show when=move || state.manages.get()>
                <form class="form" id="rule-form" novalidate on:submit=move |ev| { ev.prevent_default(); save.dispatch(()); }>
                    <h3>{move || if d.id.get().is_some() { td_string!(locale(), alerts_rule_edit) } else { td_string!(locale(), alerts_rule_new) }}</h3>
                    <FormAlert errors />
                    <FormStatus message=save.done />
                    <FormStatus message=remove.done />
                    <Field label=crate::tr_signal!(i18n, alerts_name) name="name" form="rule" value=d.name errors />
                    <SelectField label=crate::tr_signal!(i18n, alerts_condition) name="condition" form="rule" value=d.condition errors>
                        {Condition::ALL.iter().map(|c| {
                            let c = *c;
                            view! { <option value=c.as_str() selected=move || d.condition.get() == c.as_str()>{move || c.label(locale())}</option> }
                        }).collect_view()}
                    </SelectField>
                    <Field label=crate::tr_signal!(i18n, alerts_monitor_id) name="monitor_id" form="rule" kind="number" required=false value=d.monitor_id errors
                        hint=crate::tr_signal!(i18n, alerts_scope_hint) />
                    <Field label=crate::tr_signal!(i18n, alerts_server_id) name="server_id" form="rule" kind="number" required=false value=d.server_id errors />
                    <Field label=crate::tr_signal!(i18n, alerts_consecutive) name="consecutive" form="rule" kind="number" value=d.consecutive errors />
                    <Field label=crate::tr_signal!(i18n, alerts_for_seconds) name="for_seconds" form="rule" kind="number" value=d.for_seconds errors />
                    <Show when=thresholded>
                        <SelectField label=crate::tr_signal!(i18n, alerts_comparator) name="comparator" form="rule" value=d.comparator errors>
                            {Comparator::ALL.iter().map(|c| {
                                let c = *c;
                                view! { <option value=c.as_str() selected=move || d.comparator.get() == c.as_str()>{c.as_str()}</option> }
                            }).collect_view()}
                        </SelectField>
                        <Field label=crate::tr_signal!(i18n, alerts_threshold) name="threshold" form="rule" kind="number" value=d.threshold errors
                            hint=crate::tr_signal!(i18n, alerts_threshold_hint) />
                    </Show>
                    <Show when=tls>
                        <Field label=crate::tr_signal!(i18n, alerts_days) name="days" form="rule" kind="number" value=d.days errors />
                    </Show>
                    <SelectField label=crate::tr_signal!(i18n, field_severity) name="severity" form="rule" value=d.severity errors>
                        {Severity::ALL.iter().map(|s| {
                            let s = *s;
                            view! { <option value=s.as_str() selected=move || d.severity.get() == s.as_str()>{move || s.label(locale())}</option> }
                        }).collect_view()}
                    </SelectField>
                    <TextareaField label=crate::tr_signal!(i18n, alerts_labels) name="labels" form="rule" rows=3 value=d.labels errors
                        hint=crate::tr_signal!(i18n, alerts_labels_hint) />
                    <CheckboxField label=crate::tr_signal!(i18n, alerts_opens_incident) name="opens_incident" form="rule" checked=d.opens_incident errors />
                    <CheckboxField label=crate::tr_signal!(i18n, alerts_enabled) name="enabled" form="rule" checked=d.enabled errors />
                    <TextareaField label=crate::tr_signal!(i18n, alerts_escalation) name="escalation" form="rule" rows=3 value=d.escalation errors
                        hint=crate::tr_signal!(i18n, alerts_escalation_hint) />
                    <FormAlert errors=preview.errors />
                    <FormStatus message=preview.done />
                    <div class="form-actions">
                        <button type="submit" class="button button-primary" disabled=move || save.pending().get()>{crate::tr!(i18n, action_save)}</button>
                        <button type="button" class="button" id="rule-preview" disabled=move || preview.pending().get()
                            on:click=move |_| { preview.dispatch(()); }>
                            {crate::tr!(i18n, alerts_preview)}
                        </button>
                        <button type="button" class="button" on:click=move |_| d.clear()>
                            {crate::tr!(i18n, alerts_rule_new)}
                        </button>
                        {move || d.id.get().map(|id| view! {
                            <ConfirmButton
                                label=crate::tr_signal!(i18n, alerts_rule_delete)
                                question=crate::tr_signal!(i18n, alerts_rule_delete_confirm)
                                cancel=crate::tr_signal!(i18n, action_cancel)
                                on_confirm=move || { remove.dispatch(id); }
                            />
                        })}
                    </div>
                </form>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escalation_lines_read_and_write_back() {
        let steps = escalation_of("5:3\n 15 \n\n60 : 4");
        assert_eq!(
            steps,
            [
                EscalationStep {
                    after_minutes: 5,
                    channel_id: Some(3)
                },
                EscalationStep {
                    after_minutes: 15,
                    channel_id: None
                },
                EscalationStep {
                    after_minutes: 60,
                    channel_id: Some(4)
                },
            ]
        );
        assert_eq!(escalation_text(&steps), "5:3\n15\n60:4");
        // Nonsense goes to the server as a level it refuses by name.
        assert_eq!(
            escalation_of("soon:x")[0],
            EscalationStep {
                after_minutes: 0,
                channel_id: Some(-1)
            }
        );
    }
}
