//! `command`: a monitoring-plugins (Nagios) check run as a child process,
//! without a shell, from the plugin directory only. Its exit status is
//! the verdict (0 OK, 1 WARNING: up; 2 CRITICAL, 3 UNKNOWN: down) and its
//! first line the message; performance data after `|` is kept in it.
use super::Spec;
use crate::monitoring::validate;
use std::path::PathBuf;
use std::process::Stdio;
use tokio::io::AsyncReadExt;

/// Where plugins are looked up: `DIHYA_PLUGIN_DIR`, or Debian's
/// `monitoring-plugins` directory.
pub fn plugin_dir() -> PathBuf {
    std::env::var_os("DIHYA_PLUGIN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/lib/nagios/plugins"))
}

pub(super) async fn check(spec: &Spec) -> Result<String, String> {
    let words = validate::command_line(&spec.target).map_err(|_| "invalid command".to_string())?;
    let program = plugin_dir().join(&words[0]);
    if !program.is_file() {
        return Err(format!(
            "plugin {} not found in {}",
            words[0],
            plugin_dir().display()
        ));
    }
    let mut child = tokio::process::Command::new(&program)
        .args(&words[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("LC_ALL", "C")
        // The check's timeout drops this future; the plugin goes with it.
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", words[0]))?;
    let mut out = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        stdout
            .take(spec.max_bytes as u64)
            .read_to_end(&mut out)
            .await
            .map_err(|e| format!("could not read the plugin's output: {e}"))?;
    }
    let status = child
        .wait()
        .await
        .map_err(|e| format!("plugin failed: {e}"))?;
    let text = String::from_utf8_lossy(&out);
    let line = text.lines().next().unwrap_or("").trim().to_string();
    match status.code() {
        Some(0) | Some(1) => Ok(line),
        Some(2) => Err(if line.is_empty() {
            "CRITICAL".into()
        } else {
            line
        }),
        Some(code) => Err(if line.is_empty() {
            format!("UNKNOWN (exit status {code})")
        } else {
            line
        }),
        None => Err("the plugin was killed by a signal".into()),
    }
}
