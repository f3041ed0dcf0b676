//! A status page's fields checked at once; the logo decoded and its bytes
//! checked to be the image they claim (no SVG: it can carry script).
use super::{ComponentInput, StatusPageInput};
use crate::error::MsgKey;
use base64::Engine;

type Errors = Vec<(&'static str, MsgKey)>;

/// Largest logo, decoded.
pub const MAX_LOGO: usize = 100 * 1024;
const MAX_COMPONENTS: usize = 20;
const MAX_MONITORS: usize = 100;
/// Slugs that would shadow the feed or logo routes, or read as words of
/// the product rather than a page.
const RESERVED: [&str; 4] = ["feed", "logo", "new", "edit"];

/// What to do with the stored logo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Logo {
    Keep,
    Remove,
    Set { bytes: Vec<u8>, media: &'static str },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPage {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub components: Vec<ComponentInput>,
    pub logo: Logo,
}

pub fn valid_slug(s: &str) -> bool {
    (2..=48).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !RESERVED.contains(&s)
}

fn text_ok(s: &str, min: usize, max: usize, lines: bool) -> bool {
    let n = s.chars().count();
    (min..=max).contains(&n) && s.chars().all(|c| !c.is_control() || (lines && c == '\n'))
}

/// The media type the bytes really are, if an accepted one.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

fn logo(raw: Option<&str>) -> Result<Logo, MsgKey> {
    let Some(raw) = raw.map(str::trim) else {
        return Ok(Logo::Keep);
    };
    if raw.is_empty() {
        return Ok(Logo::Remove);
    }
    let data = raw
        .strip_prefix("data:")
        .and_then(|r| r.split_once(";base64,"))
        .map(|(_, d)| d)
        .ok_or(MsgKey::LogoInvalid)?;
    // Base64 is 4/3 of the bytes: refuse a long string before decoding it.
    if data.len() > MAX_LOGO * 4 / 3 + 4 {
        return Err(MsgKey::LogoInvalid);
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| MsgKey::LogoInvalid)?;
    let media = sniff(&bytes).ok_or(MsgKey::LogoInvalid)?;
    if bytes.len() > MAX_LOGO {
        return Err(MsgKey::LogoInvalid);
    }
    Ok(Logo::Set { bytes, media })
}

pub fn validate(input: &StatusPageInput) -> Result<ValidPage, Errors> {
    let mut errors = Errors::new();
    let slug = input.slug.trim().to_string();
    if !valid_slug(&slug) {
        errors.push(("slug", MsgKey::SlugInvalid));
    }
    let title = input.title.trim().to_string();
    if !text_ok(&title, 1, 120, false) {
        errors.push(("title", MsgKey::NameInvalid));
    }
    let description = input.description.trim().replace("\r\n", "\n");
    if !text_ok(&description, 0, 500, true) {
        errors.push(("description", MsgKey::TextTooLong));
    }
    let mut components = Vec::new();
    let fine = (1..=MAX_COMPONENTS).contains(&input.components.len())
        && input.components.iter().all(|c| {
            let mut ids = c.monitor_ids.clone();
            ids.sort_unstable();
            ids.dedup();
            let ok = text_ok(c.name.trim(), 1, 80, false)
                && !ids.is_empty()
                && ids.len() <= MAX_MONITORS
                && ids.len() == c.monitor_ids.len();
            components.push(ComponentInput {
                name: c.name.trim().to_string(),
                monitor_ids: c.monitor_ids.clone(),
            });
            ok
        });
    if !fine {
        errors.push(("components", MsgKey::ComponentsInvalid));
    }
    let logo = logo(input.logo.as_deref()).unwrap_or_else(|key| {
        errors.push(("logo", key));
        Logo::Keep
    });
    if errors.is_empty() {
        Ok(ValidPage {
            slug,
            title,
            description,
            components,
            logo,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> StatusPageInput {
        StatusPageInput {
            slug: "acme".into(),
            title: "Acme".into(),
            components: vec![ComponentInput {
                name: "Website".into(),
                monitor_ids: vec![1, 2],
            }],
            ..Default::default()
        }
    }

    fn fields(i: &StatusPageInput) -> Vec<&'static str> {
        validate(i)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.0)
            .collect()
    }

    #[test]
    fn slugs_are_short_lowercase_words_with_dashes() {
        for good in ["ab", "acme-cloud", "a1-b2"] {
            assert!(valid_slug(good), "{good}");
        }
        for bad in [
            "a",
            "Acme",
            "-acme",
            "acme-",
            "ac me",
            "feed",
            "ac/me",
            "é-x",
            &"a".repeat(49),
        ] {
            assert!(!valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn every_bad_field_is_named_at_once() {
        let mut i = input();
        i.slug = "Bad Slug".into();
        i.title = " ".into();
        i.description = "x".repeat(501);
        i.components = vec![];
        i.logo = Some("https://example.com/logo.png".into());
        assert_eq!(
            fields(&i),
            ["slug", "title", "description", "components", "logo"]
        );
        assert!(validate(&input()).is_ok());
    }

    #[test]
    fn components_need_a_name_and_distinct_monitors() {
        let mut i = input();
        i.components[0].monitor_ids = vec![1, 1];
        assert_eq!(fields(&i), ["components"]);
        i.components[0].monitor_ids = vec![];
        assert_eq!(fields(&i), ["components"]);
        i.components[0].monitor_ids = vec![3];
        i.components[0].name = "".into();
        assert_eq!(fields(&i), ["components"]);
    }

    #[test]
    fn a_logo_must_be_the_image_it_claims() {
        let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
        let png = [b"\x89PNG\r\n\x1a\n".as_slice(), &[0u8; 16]].concat();
        let mut i = input();
        i.logo = Some(format!("data:image/png;base64,{}", b64(&png)));
        assert!(matches!(
            validate(&i).unwrap().logo,
            Logo::Set {
                media: "image/png",
                ..
            }
        ));
        // An SVG (script can hide in it) labelled as a PNG.
        i.logo = Some(format!(
            "data:image/png;base64,{}",
            b64(b"<svg onload=alert(1)>")
        ));
        assert_eq!(fields(&i), ["logo"]);
        let big = [png.as_slice(), &vec![0u8; MAX_LOGO]].concat();
        i.logo = Some(format!("data:image/png;base64,{}", b64(&big)));
        assert_eq!(fields(&i), ["logo"]);
        i.logo = Some(String::new());
        assert_eq!(validate(&i).unwrap().logo, Logo::Remove);
        i.logo = None;
        assert_eq!(validate(&i).unwrap().logo, Logo::Keep);
    }
}
