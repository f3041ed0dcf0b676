use crate::helpers::{Db, spawn_app};

async fn html(app: &crate::helpers::TestApp, path: &str) -> String {
    let res = app.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    res.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_locale_has_prefixed_urls_and_right_lang_dir() {
    let app = spawn_app(Db::Sqlite).await;
    for (prefix, lang, dir) in [
        ("", "en", "ltr"),
        ("/fr", "fr", "ltr"),
        ("/ar", "ar", "rtl"),
        ("/ar-DZ", "ar-DZ", "rtl"),
        ("/kab", "kab", "ltr"),
        ("/zgh", "zgh", "ltr"),
    ] {
        let page = html(&app, if prefix.is_empty() { "/" } else { prefix }).await;
        let tag = page
            .split("<html")
            .nth(1)
            .unwrap()
            .split('>')
            .next()
            .unwrap()
            .to_string();
        assert!(tag.contains(&format!("lang=\"{lang}\"")), "{prefix}: {tag}");
        assert!(tag.contains(&format!("dir=\"{dir}\"")), "{prefix}: {tag}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_really_translated() {
    let app = spawn_app(Db::Sqlite).await;
    let en = html(&app, "/accessibility").await;
    let fr = html(&app, "/fr/accessibility").await;
    let zgh = html(&app, "/zgh/accessibility").await;
    assert!(en.contains("Accessibility statement"));
    assert!(!fr.contains("Accessibility statement</h1>"));
    assert!(
        zgh.chars().any(|c| ('\u{2D30}'..='\u{2D7F}').contains(&c)),
        "Tifinagh text expected"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_visit_follows_accept_language_then_cookie() {
    let app = spawn_app(Db::Sqlite).await;
    let res = app
        .get_with("/docs", "accept-language", "fr-FR,fr;q=0.9")
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], "/fr/docs");

    let res = app.get_with("/about", "cookie", "dihya_lang=ar").await;
    assert!(res.status().is_redirection());
    assert_eq!(res.headers()["location"], "/ar/about");

    let res = app.get("/fr/").await;
    assert_eq!(res.status(), 308);
    assert_eq!(res.headers()["location"], "/fr");
    let res = app.get("/en/docs").await;
    assert_eq!(res.headers()["location"], "/docs");

    let res = app.get_with("/", "accept-language", "en-GB,en").await;
    assert_eq!(res.status(), 200, "English is served in place");
}

/// The public page cache never serves one locale's or theme's HTML to another.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_pages_keep_locales_and_themes_apart() {
    let app = spawn_app(Db::Sqlite).await;
    for round in 0..2 {
        let en = html(&app, "/docs").await;
        assert!(
            en.contains("lang=\"en\"") && !en.contains("data-theme=\"dark\""),
            "round {round}"
        );
        let fr = html(&app, "/fr/docs").await;
        assert!(fr.contains("lang=\"fr\""), "round {round}");
        let dark = app
            .get_with("/docs", "cookie", "dihya_theme=dark")
            .await
            .text()
            .await
            .unwrap();
        assert!(dark.contains("data-theme=\"dark\""), "round {round}");
        let ar = app
            .get_with("/ar/docs", "cookie", "dihya_lang=fr")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            ar.contains("lang=\"ar\"") && ar.contains("dir=\"rtl\""),
            "round {round}"
        );
    }
}

/// The strings inside the page's `<script id="i18n-strings">`.
fn page_strings(page: &str) -> (String, Vec<String>) {
    let element = page
        .split("<script type=\"application/json\" id=\"i18n-strings\"")
        .nth(1)
        .expect("the page carries its strings");
    let (attrs, rest) = element.split_once('>').unwrap();
    let locale = attrs.split("data-locale=\"").nth(1).unwrap();
    let locale = locale.split('"').next().unwrap().to_string();
    let json = rest.split("</script>").next().unwrap();
    (locale, serde_json::from_str(json).expect("a JSON array"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_carries_only_its_own_locales_strings() {
    let app = spawn_app(Db::Sqlite).await;
    let (locale, fr) = page_strings(&html(&app, "/fr/accessibility").await);
    assert_eq!(locale, "fr");
    assert_eq!(fr.len(), app::i18n_table::COUNT);
    assert!(
        fr.iter().any(|s| s == "Déclaration d'accessibilité"),
        "French strings"
    );
    assert!(
        !fr.iter().any(|s| s == "Accessibility statement"),
        "no English"
    );

    let (locale, en) = page_strings(&html(&app, "/accessibility").await);
    assert_eq!(locale, "en");
    assert!(en.iter().any(|s| s == "Accessibility statement"));
    // `<` is escaped, so no string can close the script element.
    let page = html(&app, "/ar/accessibility").await;
    let block = page.split("id=\"i18n-strings\"").nth(1).unwrap();
    let block = block.split("</script>").next().unwrap();
    assert!(!block.contains('<'), "an unescaped < in the strings");
    assert_eq!(page_strings(&page).1.len(), app::i18n_table::COUNT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_locales_strings_are_fetched_by_name() {
    let app = spawn_app(Db::Sqlite).await;
    let res = app.get("/i18n/ar.json").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    let ar: Vec<String> = res.json().await.unwrap();
    let (_, page) = page_strings(&html(&app, "/ar/accessibility").await);
    assert_eq!(ar, page, "the same table as an Arabic page carries");
    for bad in ["/i18n/xx.json", "/i18n/ar", "/i18n/..%2Fen.json"] {
        assert_eq!(app.get(bad).await.status(), 404, "{bad}");
    }
}
