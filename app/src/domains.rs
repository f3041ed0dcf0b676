//! The one list of domains, and their pages' routes. A new domain adds its
//! `DOMAIN` to [`ALL`] and its pages to [`DomainRoutes`]; everything that
//! needs "every domain" reads it from here: the private area's navigation
//! (`app.rs`), the About page's modules, the sitemap and page cache, the
//! OpenAPI document and its request-body test, and the migrations.
use crate::admin::pages::{RolesAdminRoute, SecurityAdminRoute, UsersAdminRoute};
use crate::alerts::pages::AlertsRoute;
use crate::audit::pages::AuditAdminRoute;
use crate::auth::{pages::LoginRoute, profile::ProfileRoute};
use crate::automation::pages::AutomationRoute;
use crate::incidents::pages::IncidentsRoute;
use crate::monitoring::pages::MonitoringRoute;
use crate::notifications::pages::NotificationsRoute;
use crate::platform::Domain;
use crate::public_pages::{AccessibilityRoute, DocsIndexRoute, DocsRoute, ErrorRoute};
use crate::servers::pages::ServersRoute;
use crate::setup::pages::SetupRoute;
use crate::status_pages::pages::{StatusPagesRoute, StatusRoute};
use crate::system::pages::AboutRoute;
use leptos::prelude::*;
use leptos_router::{Lazy, MatchNestedRoutes, SsrMode, components::Route, path};

/// Every domain that declares something, in navigation order.
pub const ALL: &[Domain] = &[
    crate::public_pages::DOMAIN,
    crate::system::DOMAIN,
    crate::setup::DOMAIN,
    crate::auth::DOMAIN,
    crate::servers::DOMAIN,
    crate::monitoring::DOMAIN,
    crate::alerts::DOMAIN,
    crate::incidents::DOMAIN,
    crate::notifications::DOMAIN,
    crate::status_pages::DOMAIN,
    crate::automation::DOMAIN,
    crate::sessions::DOMAIN,
    crate::tokens::DOMAIN,
    crate::twofa::DOMAIN,
    crate::sso::DOMAIN,
    crate::admin::DOMAIN,
    crate::audit::DOMAIN,
];

/// The pages of every domain but the landing page (which `app.rs` keeps in
/// the main bundle). Private pages (`/app/…`) render `SsrMode::Async`: the
/// server waits for the signed-in user before it sends the frame.
#[component(transparent)]
pub fn DomainRoutes() -> impl MatchNestedRoutes + Clone {
    view! {
        <Route path=path!("/docs") view={Lazy::<DocsIndexRoute>::new()} />
        <Route path=path!("/docs/:page") view={Lazy::<DocsRoute>::new()} />
        <Route path=path!("/about") view={Lazy::<AboutRoute>::new()} />
        <Route path=path!("/accessibility") view={Lazy::<AccessibilityRoute>::new()} />
        <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} />
        <Route path=path!("/setup/:token") view={Lazy::<SetupRoute>::new()} />
        <Route path=path!("/error") view={Lazy::<ErrorRoute>::new()} />
        // Async: its title, description and feed link come with its data,
        // so the head waits for it (and an unknown slug is a real 404).
        <Route path=path!("/status/:slug") view={Lazy::<StatusRoute>::new()} ssr=SsrMode::Async />
        <Route path=path!("/app/profile") view={Lazy::<ProfileRoute>::new()} ssr=SsrMode::Async />
        <Route path=path!("/app/servers") view={Lazy::<ServersRoute>::new()} ssr=SsrMode::Async />
        <Route path=path!("/app/monitoring") view={Lazy::<MonitoringRoute>::new()} ssr=SsrMode::Async />
        <Route path=path!("/app/alerts") view={Lazy::<AlertsRoute>::new()} ssr=SsrMode::Async />
        <Route path=path!("/app/incidents") view={Lazy::<IncidentsRoute>::new()} ssr=SsrMode::Async />
        <Route path=path!("/app/notifications") view={Lazy::<NotificationsRoute>::new()} ssr=SsrMode::Async />
        <Route path=path!("/app/status-pages") view={Lazy::<StatusPagesRoute>::new()} ssr=SsrMode::Async />
        <Route path=path!("/app/automation") view={Lazy::<AutomationRoute>::new()} ssr=SsrMode::Async />
        <Route path=path!("/app/admin/users") view={Lazy::<UsersAdminRoute>::new()} ssr=SsrMode::Async />
        <Route path=path!("/app/admin/roles") view={Lazy::<RolesAdminRoute>::new()} ssr=SsrMode::Async />
        <Route path=path!("/app/admin/security") view={Lazy::<SecurityAdminRoute>::new()} ssr=SsrMode::Async />
        <Route path=path!("/app/admin/audit") view={Lazy::<AuditAdminRoute>::new()} ssr=SsrMode::Async />
    }
    .into_inner()
}

/// Every public page listed in the sitemap, without locale prefix.
pub fn sitemap() -> impl Iterator<Item = &'static str> {
    ALL.iter().flat_map(|d| d.sitemap.iter().copied())
}

/// Whether the server may cache the HTML of public page `path` (without
/// locale prefix): a page a domain lists, or one right under a prefix it
/// lists (ending in `/*`, see [`is_live`]).
pub fn is_cacheable(path: &str) -> bool {
    ALL.iter().any(|d| d.cacheable.contains(&path)) || is_live(path)
}

/// Whether `path` (without locale prefix) is one segment under a
/// cacheable prefix (`/status/*` covers `/status/acme`): a page of live
/// data, which the cache keeps only briefly and drops on every change.
pub fn is_live(path: &str) -> bool {
    ALL.iter()
        .flat_map(|d| d.cacheable.iter())
        .filter_map(|c| c.strip_suffix('*'))
        .any(|prefix| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'))
        })
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use super::ALL;
    use crate::platform::domain::RequestBody;
    use sea_orm_migration::prelude::*;

    /// The OpenAPI paths of every domain, merged into `base`.
    pub fn openapi(mut base: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
        for domain in ALL {
            if let Some(doc) = (domain.server)().openapi {
                base.merge(doc);
            }
        }
        base
    }

    /// Every domain's `POST` server functions with a JSON body.
    pub fn request_bodies() -> Vec<RequestBody> {
        ALL.iter().flat_map(|d| (d.server)().bodies).collect()
    }

    /// The platform's migrations and every domain's, in name (date) order.
    pub struct Migrator;

    #[async_trait::async_trait]
    impl MigratorTrait for Migrator {
        fn migrations() -> Vec<Box<dyn MigrationTrait>> {
            let mut all = crate::platform::migrations::base();
            all.extend(ALL.iter().flat_map(|d| (d.server)().migrations));
            all.sort_by(|a, b| a.name().cmp(b.name()));
            all
        }
    }

    /// Applies every pending migration.
    pub async fn migrate(db: &sea_orm::DatabaseConnection) -> Result<(), DbErr> {
        Migrator::up(db, None).await
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use sea_orm_migration::MigratorTrait;
    use std::collections::BTreeSet;

    #[test]
    fn domain_ids_and_migration_names_are_unique() {
        let ids: BTreeSet<_> = ALL.iter().map(|d| d.id).collect();
        assert_eq!(ids.len(), ALL.len(), "two domains share an id");
        let names: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_string())
            .collect();
        let unique: BTreeSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "two migrations share a name");
    }

    #[test]
    fn every_declared_module_is_in_the_products_list() {
        for domain in ALL {
            if let Some(module) = domain.module {
                let known = crate::system::service::MODULES.contains(&module);
                assert!(known, "{} declares {module}", domain.id);
            }
        }
    }

    #[test]
    fn every_public_page_is_declared_once() {
        let pages: Vec<_> = sitemap().collect();
        let unique: BTreeSet<_> = pages.iter().collect();
        assert_eq!(unique.len(), pages.len());
        assert!(pages.contains(&"/about") && pages.contains(&"/"));
        assert!(is_cacheable("/docs") && !is_cacheable("/about"));
        assert!(!is_cacheable("/app/profile"));
        assert!(is_live("/status/acme") && is_cacheable("/status/acme"));
        assert!(!is_live("/status/") && !is_live("/status/acme/feed.atom") && !is_live("/docs"));
    }
}
