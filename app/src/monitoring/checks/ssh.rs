//! `ssh`: runs a command on the monitor's server over SSH (the server's
//! user, credential and pinned host key) and is up when it exits 0. The
//! message gives the first line of its output and the numbers in it
//! (`df`'s percentages, a queue length), so a result reads at a glance.
use super::Spec;
use crate::platform::ssh;

/// The numbers written in `line`, in order (`"load 0.25, 3 users"` →
/// `[0.25, 3.0]`).
pub fn numbers(line: &str) -> Vec<f64> {
    line.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter_map(|t| t.trim_end_matches(['.', '-']).parse().ok())
        .collect()
}

pub(super) async fn check(spec: &Spec) -> Result<String, String> {
    let access = spec
        .ssh
        .as_ref()
        .ok_or("the server's SSH access is not available")?;
    let out = ssh::run(
        &access.endpoint,
        &access.credential,
        &access.host_key,
        &spec.target,
        spec.timeout,
        spec.max_bytes,
    )
    .await
    .map_err(|e| e.to_string())?;
    let first = out
        .stdout
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let values = numbers(first);
    let values = if values.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = values.iter().map(f64::to_string).collect();
        format!(" (values {})", list.join(", "))
    };
    let cut = if out.truncated {
        " [output cut at the size cap]"
    } else {
        ""
    };
    if out.status == 0 {
        Ok(format!("exit 0: {first}{values}{cut}"))
    } else {
        Err(format!("exit {}: {first}{cut}", out.status))
    }
}

#[cfg(test)]
mod tests {
    use super::numbers;

    #[test]
    fn numbers_are_read_from_a_line() {
        assert_eq!(numbers("load 0.25, 3 users"), vec![0.25, 3.0]);
        // A device name's digits count too: the first line is read as is.
        assert_eq!(numbers("/dev/vda1 40G 31% /"), vec![1.0, 40.0, 31.0]);
        assert_eq!(numbers("temperature -4.5C"), vec![-4.5]);
        assert!(numbers("no figures here.").is_empty());
    }
}
