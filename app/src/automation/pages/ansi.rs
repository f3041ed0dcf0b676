//! ANSI colour sequences (SGR: `ESC [ … m`) as classes for the log viewer:
//! the eight colours and their bright forms, bold; every other escape
//! sequence is dropped, never shown as garbage.

/// The pieces of `text`, each with its classes (`""` for plain).
pub fn spans(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let (mut fg, mut bold) = (None::<u8>, false);
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        push(&mut out, &rest[..at], fg, bold);
        let seq = &rest[at + 1..];
        let Some(body) = seq.strip_prefix('[') else {
            rest = seq;
            continue;
        };
        // Parameters, then one final byte in @..~.
        let end = body
            .find(|c: char| ('@'..='~').contains(&c))
            .unwrap_or(body.len());
        if body[end..].starts_with('m') {
            for code in body[..end].split(';') {
                match code.parse::<u8>().unwrap_or(0) {
                    0 => (fg, bold) = (None, false),
                    1 => bold = true,
                    22 => bold = false,
                    39 => fg = None,
                    c @ 30..=37 => fg = Some(c - 30),
                    c @ 90..=97 => fg = Some(c - 90 + 8),
                    _ => {}
                }
            }
        }
        rest = body.get(end + 1..).unwrap_or("");
    }
    push(&mut out, rest, fg, bold);
    out
}

fn push(out: &mut Vec<(String, String)>, text: &str, fg: Option<u8>, bold: bool) {
    if text.is_empty() {
        return;
    }
    let mut class = fg.map(|c| format!("ansi-{c}")).unwrap_or_default();
    if bold {
        class.push_str(if class.is_empty() {
            "ansi-bold"
        } else {
            " ansi-bold"
        });
    }
    out.push((text.to_string(), class));
}

#[cfg(test)]
mod tests {
    use super::spans;

    #[test]
    fn colours_become_classes_and_other_escapes_vanish() {
        let s = |t: &str, c: &str| (t.to_string(), c.to_string());
        assert_eq!(spans("plain"), [s("plain", "")]);
        assert_eq!(
            spans("\u{1b}[31merror\u{1b}[0m: \u{1b}[1;92mok\u{1b}[m"),
            [
                s("error", "ansi-1"),
                s(": ", ""),
                s("ok", "ansi-10 ansi-bold")
            ]
        );
        // Cursor moves and a lone ESC are dropped, the text kept.
        assert_eq!(
            spans("a\u{1b}[2Kb\u{1b}c"),
            [s("a", ""), s("b", ""), s("c", "")]
        );
        assert_eq!(spans("cut \u{1b}[3"), [s("cut ", "")]);
    }
}
