//! What an interpreter is given: the parameters as environment variables,
//! then the script's body, all on its standard input. *Why stdin:* the
//! body and the values never appear on a command line (`ps` on the host
//! shows `bash -s`, not a secret), need no quoting for `ssh`, and the same
//! program runs locally and remotely.
use super::Language;

/// The interpreter and its arguments, reading the program from stdin.
pub fn interpreter(language: Language) -> (&'static str, &'static [&'static str]) {
    match language {
        Language::Sh => ("sh", &["-s"]),
        Language::Bash => ("bash", &["-s"]),
        Language::Python => ("python3", &["-"]),
    }
}

/// The same as one command line, for `ssh`.
pub fn remote_command(language: Language) -> String {
    let (program, args) = interpreter(language);
    std::iter::once(program)
        .chain(args.iter().copied())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `'…'` for a POSIX shell: nothing inside is interpreted.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The program text: one assignment per parameter, then the body.
pub fn program(language: Language, values: &[(String, String)], body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 64 * values.len());
    match language {
        Language::Sh | Language::Bash => {
            for (name, value) in values {
                out.push_str(&format!("export {name}={}\n", sh_quote(value)));
            }
        }
        Language::Python => {
            if !values.is_empty() {
                out.push_str("import os as _dihya_os\n");
                for (name, value) in values {
                    // A JSON string is a valid Python string literal.
                    let literal = serde_json::to_string(value).unwrap_or_default();
                    out.push_str(&format!("_dihya_os.environ[\"{name}\"] = {literal}\n"));
                }
                out.push_str("del _dihya_os\n");
            }
        }
    }
    out.push_str(body);
    if !body.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(language: Language, values: &[(&str, &str)], body: &str) -> String {
        let values: Vec<_> = values
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        let (program_name, args) = interpreter(language);
        let mut child = std::process::Command::new(program_name)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(program(language, &values, body).as_bytes())
            .unwrap();
        String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
    }

    #[test]
    fn values_reach_the_script_exactly_whatever_they_contain() {
        // Quotes, `$(…)`, newlines and backslashes are data, never code.
        let nasty = "it's $(touch /tmp/pwned) `id` \"x\"\\n\nline2";
        assert_eq!(
            run(Language::Sh, &[("v", nasty)], "printf '%s' \"$v\""),
            nasty
        );
        assert_eq!(
            run(Language::Bash, &[("v", nasty)], "printf '%s' \"$v\""),
            nasty
        );
        assert_eq!(
            run(
                Language::Python,
                &[("v", nasty)],
                "import os, sys\nsys.stdout.write(os.environ['v'])"
            ),
            nasty
        );
        assert!(!std::path::Path::new("/tmp/pwned").exists());
        assert_eq!(remote_command(Language::Python), "python3 -");
    }
}
