//! The user guide's pages: Markdown files under `docs/guide/`, rendered to
//! HTML by `build.rs`. Only the server holds them; the browser asks for a
//! page through `api::get_guide_page`, so they stay out of the WASM.

/// The HTML of a guide page, `None` for an unknown name.
pub fn html(slug: &str) -> Option<&'static str> {
    match slug {
        "getting-started" => Some(include_str!(concat!(
            env!("OUT_DIR"),
            "/guide/getting-started.html"
        ))),
        "configuration" => Some(include_str!(concat!(
            env!("OUT_DIR"),
            "/guide/configuration.html"
        ))),
        "servers" => Some(include_str!(concat!(
            env!("OUT_DIR"),
            "/guide/servers.html"
        ))),
        "monitoring" => Some(include_str!(concat!(
            env!("OUT_DIR"),
            "/guide/monitoring.html"
        ))),
        "alerting" => Some(include_str!(concat!(
            env!("OUT_DIR"),
            "/guide/alerting.html"
        ))),
        "status-pages" => Some(include_str!(concat!(
            env!("OUT_DIR"),
            "/guide/status-pages.html"
        ))),
        "notifications" => Some(include_str!(concat!(
            env!("OUT_DIR"),
            "/guide/notifications.html"
        ))),
        "incidents" => Some(include_str!(concat!(
            env!("OUT_DIR"),
            "/guide/incidents.html"
        ))),
        "automation" => Some(include_str!(concat!(
            env!("OUT_DIR"),
            "/guide/automation.html"
        ))),
        "api" => Some(include_str!(concat!(env!("OUT_DIR"), "/guide/api.html"))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::html;
    use crate::public_pages::GUIDE_SLUGS;

    #[test]
    fn every_listed_slug_has_a_page_and_nothing_else_does() {
        for slug in GUIDE_SLUGS {
            assert!(html(slug).is_some_and(|h| h.contains("<h2")), "{slug}");
        }
        assert!(html("secrets").is_none());
        assert!(html("../Cargo.toml").is_none());
    }
}
