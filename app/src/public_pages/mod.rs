//! Public pages: landing, user guide, accessibility statement, 404 and
//! error pages. They are the same for every anonymous
//! visitor of a locale and theme, so the server caches their HTML.
mod accessibility;
mod docs;
mod landing;
mod notfound;

pub use accessibility::AccessibilityPage;
pub use docs::{DocsIndexPage, DocsPage, GUIDE_SLUGS};
pub use landing::LandingPage;
pub use notfound::{ErrorPage, NotFoundPage};

/// Public pages listed in the sitemap (without locale prefix).
pub const SITEMAP_PATHS: &[&str] = &[
    "/",
    "/docs",
    "/docs/getting-started",
    "/docs/configuration",
    "/docs/api",
    "/about",
    "/accessibility",
];

/// Public pages whose HTML depends only on locale and theme (not `/about`,
/// which shows live uptime), so the server may cache them.
pub const CACHEABLE_PATHS: &[&str] = &[
    "/",
    "/docs",
    "/docs/getting-started",
    "/docs/configuration",
    "/docs/api",
    "/accessibility",
];
