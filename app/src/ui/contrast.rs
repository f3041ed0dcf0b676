//! WCAG contrast check of every text/background token pair, in both themes,
//! computed from `style/tokens.css` itself so the test follows the CSS.
use std::collections::HashMap;

const TOKENS_CSS: &str = include_str!("../../../style/tokens.css");

/// (foreground, background, minimum ratio): 4.5 for text, 3 for UI parts.
const PAIRS: &[(&str, &str, f64)] = &[
    ("text", "bg", 4.5),
    ("text", "surface", 4.5),
    ("text", "surface-2", 4.5),
    ("text-muted", "bg", 4.5),
    ("text-muted", "surface", 4.5),
    ("text-muted", "surface-2", 4.5),
    ("primary", "bg", 4.5),
    ("primary", "surface", 4.5),
    ("primary", "surface-2", 4.5),
    ("on-primary", "primary", 4.5),
    ("success", "bg", 4.5),
    ("success", "surface", 4.5),
    ("danger", "bg", 4.5),
    ("danger", "surface", 4.5),
    ("warning", "bg", 4.5),
    ("warning", "surface", 4.5),
    ("indigo", "surface", 4.5),
    ("terracotta", "surface-2", 4.5),
    ("border", "bg", 3.0),
    ("border", "surface", 3.0),
    ("focus", "bg", 3.0),
    ("focus", "surface", 3.0),
    ("focus", "surface-2", 3.0),
];

/// The `--name: #hex;` declarations of the block that starts with `selector {`.
fn block(selector: &str) -> HashMap<String, String> {
    let start = TOKENS_CSS
        .find(&format!("{selector} {{"))
        .unwrap_or_else(|| panic!("no {selector}"));
    let body = &TOKENS_CSS[start..];
    let end = body.find('}').unwrap();
    body[..end]
        .lines()
        .filter_map(|l| {
            let (k, v) = l.trim().strip_prefix("--")?.split_once(':')?;
            let v = v.trim().trim_end_matches(';').trim();
            v.starts_with('#')
                .then(|| (k.trim().to_string(), v.to_string()))
        })
        .collect()
}

fn channel(c: u8) -> f64 {
    let c = f64::from(c) / 255.0;
    if c <= 0.04045 {
        c / 12.92
    } else {
        ((c + 0.055) / 1.055).powf(2.4)
    }
}

fn luminance(hex: &str) -> f64 {
    let h = hex.trim_start_matches('#');
    let p = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap();
    0.2126 * channel(p(0)) + 0.7152 * channel(p(2)) + 0.0722 * channel(p(4))
}

pub fn ratio(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

#[test]
fn formula_matches_known_values() {
    assert!((ratio("#000000", "#FFFFFF") - 21.0).abs() < 0.01);
    assert!((ratio("#777777", "#FFFFFF") - 4.48).abs() < 0.01);
}

#[test]
fn every_pair_meets_wcag_aa_in_both_themes() {
    let light = block(":root");
    let mut dark = light.clone();
    dark.extend(block(":root[data-theme=\"dark\"]"));
    let mut failures = Vec::new();
    for (theme, tokens) in [("light", &light), ("dark", &dark)] {
        for (fg, bg, min) in PAIRS {
            let r = ratio(&tokens[*fg], &tokens[*bg]);
            if r < *min {
                failures.push(format!("{theme}: --{fg} on --{bg} = {r:.2} < {min}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn system_dark_block_equals_explicit_dark_block() {
    let explicit = block(":root[data-theme=\"dark\"]");
    let system = block(":root:not([data-theme=\"light\"])");
    assert_eq!(explicit, system, "keep the two dark blocks in sync");
}
