//! `/app/admin/audit`: the audit log with filters and CSV/JSON export.
use super::AuditEntry;
use super::api::list_audit;
use crate::i18n::use_i18n;
use crate::platform::Permission;
use crate::ui::{Access, AppFrame, Column, DataTable, Timestamp};
use leptos::prelude::*;

fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The audit filters, the page number and the entries they select, loaded
/// in the browser (see `ui::AfterHydration`).
#[derive(Clone, Copy)]
pub struct AuditData {
    actor: RwSignal<String>,
    action: RwSignal<String>,
    result: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    page: RwSignal<u64>,
    entries: Resource<Result<super::AuditPage, crate::error::AppError>>,
}

impl AuditData {
    pub fn load() -> Self {
        let (actor, action, result, from, to) = (
            RwSignal::new(String::new()),
            RwSignal::new(String::new()),
            RwSignal::new(String::new()),
            RwSignal::new(String::new()),
            RwSignal::new(String::new()),
        );
        let page = RwSignal::new(1u64);
        let filters = move || {
            (
                actor.get(),
                action.get(),
                result.get(),
                from.get(),
                to.get(),
            )
        };
        let entries = Resource::new(
            move || (filters(), page.get()),
            |((actor, action, result, from, to), page)| {
                let some = |s: String| Some(s).filter(|s| !s.is_empty());
                list_audit(
                    some(actor),
                    some(action),
                    some(result),
                    some(from),
                    some(to),
                    Some(page),
                    Some(50),
                )
            },
        );
        Self {
            actor,
            action,
            result,
            from,
            to,
            page,
            entries,
        }
    }

    fn filters(&self) -> (String, String, String, String, String) {
        (
            self.actor.get(),
            self.action.get(),
            self.result.get(),
            self.from.get(),
            self.to.get(),
        )
    }
}

crate::lazy_page!(AuditAdminRoute => AuditAdminPage);

#[component]
fn AuditAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AppFrame
            title=crate::tr_signal!(i18n, admin_audit)
            path="/app/admin/audit"
            access=Access::Can(Permission::AuditRead)
        >
            <AuditAdmin data=AuditData::load() />
        </AppFrame>
    }
}

#[component]
fn AuditAdmin(data: AuditData) -> impl IntoView {
    let i18n = use_i18n();
    let AuditData {
        actor,
        action,
        result,
        from,
        to,
        page,
        entries,
    } = data;
    let filters = move || data.filters();
    let rows = Signal::derive(move || entries.get().map(|r| r.map(|p| p.items)));
    let pages = move || {
        entries
            .get()
            .and_then(|r| r.ok())
            .map_or(1, |p| p.total.div_ceil(p.per_page).max(1))
    };
    let columns = vec![
        Column::new(crate::tr_signal!(i18n, audit_time), |e: &AuditEntry| {
            view! { <Timestamp at=e.at.clone() /> }.into_any()
        }),
        Column::new(crate::tr_signal!(i18n, audit_actor), |e: &AuditEntry| {
            e.actor.clone().into_any()
        }),
        Column::new(crate::tr_signal!(i18n, audit_action), |e: &AuditEntry| {
            view! { <code>{e.action.clone()}</code> }.into_any()
        }),
        Column::new(crate::tr_signal!(i18n, audit_target), |e: &AuditEntry| {
            format!(
                "{} {}",
                e.target_type,
                e.target_id.clone().unwrap_or_default()
            )
            .into_any()
        }),
        Column::new(crate::tr_signal!(i18n, audit_result), |e: &AuditEntry| {
            e.result.clone().into_any()
        }),
        Column::new(Signal::stored("IP".to_string()), |e: &AuditEntry| {
            e.ip.clone().unwrap_or_default().into_any()
        }),
    ];
    let export = move |format: &str| {
        let (a, ac, r, f, t) = filters();
        format!(
            "/api/audit/export?{}",
            query_string(&[
                ("format", format.into()),
                ("actor", a),
                ("action", ac),
                ("result", r),
                ("from", f),
                ("to", t)
            ])
        )
    };
    let input = move |id: &'static str,
                      label: Signal<String>,
                      sig: RwSignal<String>,
                      kind: &'static str| {
        view! {
            <div class="field">
                <label for=id>{move || label.get()}</label>
                <input id=id type=kind on:change=move |ev| { sig.set(event_target_value(&ev)); page.set(1); } />
            </div>
        }
    };
    view! {
        <div class="filters">
            {input("audit-actor", crate::tr_signal!(i18n, audit_actor), actor, "search")}
            {input("audit-action", crate::tr_signal!(i18n, audit_action), action, "search")}
            <div class="field">
                <label for="audit-result">{crate::tr!(i18n, audit_result)}</label>
                <select id="audit-result" on:change=move |ev| { result.set(event_target_value(&ev)); page.set(1); }>
                    <option value="">{crate::tr!(i18n, admin_all)}</option>
                    <option value="ok">"ok"</option>
                    <option value="failed">"failed"</option>
                    <option value="denied">"denied"</option>
                </select>
            </div>
            {input("audit-from", crate::tr_signal!(i18n, audit_from), from, "date")}
            {input("audit-to", crate::tr_signal!(i18n, audit_to), to, "date")}
        </div>
        <p class="export-links">
            <a class="button" id="export-csv" href=move || export("csv") download>{crate::tr!(i18n, audit_export_csv)}</a>
            <a class="button" id="export-json" href=move || export("json") download>{crate::tr!(i18n, audit_export_json)}</a>
        </p>
        <DataTable
            id="audit-table"
            label=crate::tr_signal!(i18n, admin_audit)
            columns
            rows
            empty=crate::tr_signal!(i18n, table_empty)
            loading=crate::tr_signal!(i18n, loading)
        />
        <nav class="pager" aria-label=crate::tr!(i18n, pager_label)>
            <button type="button" class="button" disabled=move || page.get() <= 1 on:click=move |_| page.update(|p| *p -= 1)>{crate::tr!(i18n, pager_prev)}</button>
            <span>{move || page.get()}" / "{pages}</span>
            <button type="button" class="button" disabled=move || page.get() >= pages() on:click=move |_| page.update(|p| *p += 1)>{crate::tr!(i18n, pager_next)}</button>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_query_is_encoded() {
        assert_eq!(
            query_string(&[
                ("format", "csv".into()),
                ("actor", "a b&c".into()),
                ("to", String::new())
            ]),
            "format=csv&actor=a%20b%26c"
        );
    }
}
