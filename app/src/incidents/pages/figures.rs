//! The last 30 days at a glance for those who read every ticket: how many
//! were opened, the mean time to acknowledge and to resolve, and how many
//! deadlines were missed.
use crate::i18n::use_i18n;
use crate::incidents::api::incident_report;
use leptos::prelude::*;

/// Seconds as "12 min" or "3 h 05 min"; a dash when there is no mean.
fn duration(s: Option<u64>) -> String {
    match s {
        None => "—".into(),
        Some(s) if s < 3600 => format!("{} min", s.div_ceil(60)),
        Some(s) => format!("{} h {:02} min", s / 3600, (s % 3600) / 60),
    }
}

#[component]
pub fn Figures(version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let report = Resource::new(move || version.get(), |_| incident_report(Some(30)));
    view! {
        {move || report.get().and_then(|r| r.ok()).map(|r| view! {
            <section aria-labelledby="incident-figures-h">
                <h3 id="incident-figures-h">{crate::tr!(i18n, incidents_last_30)}</h3>
                <dl class="summary" id="incident-figures">
                    <div><dt>{crate::tr!(i18n, incidents_opened)}</dt><dd><strong>{r.all.opened}</strong></dd></div>
                    <div><dt>{crate::tr!(i18n, incidents_mtta)}</dt><dd><strong dir="ltr">{duration(r.all.mtta_seconds)}</strong></dd></div>
                    <div><dt>{crate::tr!(i18n, incidents_mttr)}</dt><dd><strong dir="ltr">{duration(r.all.mttr_seconds)}</strong></dd></div>
                    <div><dt>{crate::tr!(i18n, incidents_breaches)}</dt><dd><strong>{r.breaches}</strong></dd></div>
                </dl>
            </section>
        })}
    }
}
