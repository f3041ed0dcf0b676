//! Public pages: landing, user guide, accessibility statement, 404 and
//! error pages. They are the same for every anonymous
//! visitor of a locale and theme, so the server caches their HTML.
mod accessibility;
pub mod api;
mod docs;
#[cfg(feature = "ssr")]
mod guide;
mod landing;
mod notfound;

/// The public pages of this domain, without locale prefix.
const PAGES: &[&str] = &[
    "/",
    "/docs",
    "/docs/getting-started",
    "/docs/configuration",
    "/docs/servers",
    "/docs/monitoring",
    "/docs/alerting",
    "/docs/status-pages",
    "/docs/notifications",
    "/docs/incidents",
    "/docs/api",
    "/accessibility",
];

crate::declare_domain!(
    "public_pages",
    sitemap: PAGES,
    // All of them: their HTML depends only on locale and theme.
    cacheable: PAGES,
);

use accessibility::AccessibilityPage;
pub use docs::GUIDE_SLUGS;
use docs::{DocsData, DocsIndexPage, DocsPage};
pub use landing::LandingPage;
use notfound::ErrorPage;
pub use notfound::NotFoundPage;

// Split out of the main WASM bundle (see `ui::lazy`); the landing and 404
// pages stay in it.
crate::lazy_page!(DocsIndexRoute => DocsIndexPage);
crate::lazy_page!(DocsRoute => DocsPage(DocsData));
crate::lazy_page!(AccessibilityRoute => AccessibilityPage);
crate::lazy_page!(ErrorRoute => ErrorPage);
