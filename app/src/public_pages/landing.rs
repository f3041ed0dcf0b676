//! The landing page: what Dihya Ops does, module by module.
use crate::i18n::use_i18n;
use crate::ui::{LocalLink, Seo};
use leptos::prelude::*;

/// schema.org description for search engines (our own constant, not user input).
const JSON_LD: &str = r#"{"@context":"https://schema.org","@type":"SoftwareApplication","name":"Dihya Ops","applicationCategory":"DeveloperApplication","operatingSystem":"Linux","license":"https://www.gnu.org/licenses/agpl-3.0.html","offers":{"@type":"Offer","price":"0","priceCurrency":"EUR"},"description":"Self-hosted IT and DevOps control room: inventory, monitoring, alerting, incidents, deployments, automation and access control in one binary."}"#;

#[component]
pub fn LandingPage() -> impl IntoView {
    let i18n = use_i18n();
    macro_rules! module {
        ($icon:literal, $title:ident, $body:ident) => {
            view! {
                <li class="card module-card">
                    <span class="module-icon" aria-hidden="true">{$icon}</span>
                    <h3>{crate::tr!(i18n, $title)}</h3>
                    <p>{crate::tr!(i18n, $body)}</p>
                </li>
            }
        };
    }
    view! {
        <Seo
            title=crate::tr_signal!(i18n, landing_title)
            description=crate::tr_signal!(i18n, landing_description)
            path="/"
        />
        <script type="application/ld+json" inner_html=JSON_LD></script>
        <section class="hero">
            <div class="hero-inner">
                <img class="hero-yaz" src="/motifs/yaz.svg" alt="" width="96" height="96" />
                <h1>{crate::tr!(i18n, landing_hero_title)}</h1>
                <p class="lead">{crate::tr!(i18n, landing_hero_body)}</p>
                <p class="hero-actions">
                    <LocalLink href="/docs/getting-started" class="button button-primary">
                        {crate::tr!(i18n, landing_cta_docs)}
                    </LocalLink>
                    <LocalLink href="/about" class="button">
                        {crate::tr!(i18n, landing_cta_about)}
                    </LocalLink>
                </p>
            </div>
        </section>
        <section class="page" aria-labelledby="modules-title">
            <h2 id="modules-title">{crate::tr!(i18n, landing_modules_title)}</h2>
            <ul id="modules" class="module-grid">
                {module!("▣", module_servers_title, module_servers_body)}
                {module!("◉", module_monitoring_title, module_monitoring_body)}
                {module!("▲", module_alerting_title, module_alerting_body)}
                {module!("◆", module_incidents_title, module_incidents_body)}
                {module!("✉", module_notifications_title, module_notifications_body)}
                {module!("⇪", module_deployments_title, module_deployments_body)}
                {module!("⚙", module_automation_title, module_automation_body)}
                {module!("⬡", module_plugins_title, module_plugins_body)}
                {module!("ⵣ", module_access_title, module_access_body)}
            </ul>
        </section>
        <section class="page" aria-labelledby="why-title">
            <h2 id="why-title">{crate::tr!(i18n, landing_why_title)}</h2>
            <ul class="why-list">
                <li>{crate::tr!(i18n, why_one_binary)}</li>
                <li>{crate::tr!(i18n, why_sovereign)}</li>
                <li>{crate::tr!(i18n, why_languages)}</li>
                <li>{crate::tr!(i18n, why_accessible)}</li>
            </ul>
        </section>
    }
}
