//! The status pages' two pages: the public one (`/status/<slug>`, rendered
//! on the server for visitors and search engines) and the editor
//! (`/app/status-pages`, `status_pages:manage`).
mod bars;
mod editor;
mod public;

pub use editor::StatusPagesRoute;
pub use public::StatusRoute;
