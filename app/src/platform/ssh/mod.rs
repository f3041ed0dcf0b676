//! SSH to managed servers through the system's OpenSSH client (`ssh`,
//! `ssh-keyscan`, Debian's `openssh-client`). *Why the client and not an
//! SSH library:* it is what every server already speaks to, it follows
//! new algorithms with the distribution's updates, and its host-key
//! checking is the reference behaviour; a Rust SSH stack would be a large
//! dependency carrying its own cryptography.
//!
//! A host key is pinned, never learned: each connection writes the one
//! pinned key into a private `known_hosts` and runs with
//! `StrictHostKeyChecking=yes`, so a changed key stops the connection
//! ([`SshError::HostKeyChanged`]). Credentials go into a private directory
//! (0700) removed after the call: a private key as a 0600 file, a
//! password through `SSH_ASKPASS` (a 0700 script echoing an environment
//! variable of the child only).
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::process::Command;

mod host_key;
pub use host_key::HostKey;
use host_key::PREFERENCE;

/// Where and as whom to connect.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub user: String,
}

/// How to sign in (opened from `platform::secrets` by the caller).
pub enum Credential {
    PrivateKey(String),
    Password(String),
}

/// Why an SSH call failed, in words an operator can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SshError {
    #[error("the host key changed since it was pinned: connection refused")]
    HostKeyChanged,
    #[error("the server offered no usable host key")]
    NoHostKey,
    #[error("authentication failed: {0}")]
    AuthFailed(String),
    #[error("cannot connect: {0}")]
    Unreachable(String),
    #[error("timed out after {0} s")]
    Timeout(u64),
    #[error("{0}")]
    Other(String),
}

/// What a remote command did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub status: i32,
    pub stdout: String,
    /// The output was longer than the cap and cut there.
    pub truncated: bool,
}

/// `host` or `[host]:port`, as `known_hosts` and `ssh-keyscan` write them.
fn host_pattern(e: &Endpoint) -> String {
    if e.port == 22 {
        e.host.clone()
    } else {
        format!("[{}]:{}", e.host, e.port)
    }
}

/// A private directory for one call's files, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> std::io::Result<Self> {
        let dir = std::env::temp_dir().join(format!("dihya-ssh-{:016x}", rand::random::<u64>()));
        std::fs::DirBuilder::new().mode(0o700).create(&dir)?;
        Ok(Self(dir))
    }

    fn file(&self, name: &str, mode: u32, content: &str) -> std::io::Result<PathBuf> {
        let path = self.0.join(name);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&path)?;
        f.write_all(content.as_bytes())?;
        Ok(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Reads at most `max` bytes of `r`, then drains nothing more.
async fn read_capped(mut r: impl tokio::io::AsyncRead + Unpin, max: usize) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = r.read(&mut buf).await {
        if n == 0 {
            return (out, false);
        }
        out.extend_from_slice(&buf[..n]);
        if out.len() >= max {
            out.truncate(max);
            return (out, true);
        }
    }
    (out, false)
}

/// The host keys `endpoint` presents, preferred first.
pub async fn scan(endpoint: &Endpoint, timeout: Duration) -> Result<Vec<HostKey>, SshError> {
    let secs = timeout.as_secs().max(1);
    let mut child = Command::new("ssh-keyscan")
        .args(["-T", &secs.to_string(), "-p", &endpoint.port.to_string()])
        .args(["-t", "ed25519,ecdsa,rsa", "--", &endpoint.host])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| SshError::Other(format!("cannot run ssh-keyscan: {e}")))?;
    let stdout = child.stdout.take().expect("piped");
    let work = async {
        let (out, _) = read_capped(stdout, 64 * 1024).await;
        let _ = child.wait().await;
        out
    };
    let out = tokio::time::timeout(timeout + Duration::from_secs(1), work)
        .await
        .map_err(|_| SshError::Timeout(secs))?;
    let mut keys: Vec<HostKey> = String::from_utf8_lossy(&out)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            l.split_once(char::is_whitespace)
                .and_then(|(_, k)| HostKey::parse(k))
        })
        .collect();
    keys.sort_by_key(|k| PREFERENCE.iter().position(|p| *p == k.algorithm));
    keys.dedup();
    if keys.is_empty() {
        return Err(SshError::Unreachable(format!(
            "no SSH server answered on {}:{}",
            endpoint.host, endpoint.port
        )));
    }
    Ok(keys)
}

/// What `ssh`'s own failure (exit 255) says, as an [`SshError`].
fn classify(stderr: &str) -> Option<SshError> {
    let first = stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('@'))
        .unwrap_or("")
        .to_string();
    if stderr.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
        || stderr.contains("Host key verification failed")
        || stderr.contains("No matching host key")
    {
        Some(SshError::HostKeyChanged)
    } else if stderr.contains("Permission denied") || stderr.contains("Too many authentication") {
        Some(SshError::AuthFailed(first))
    } else if stderr.contains("Connection refused")
        || stderr.contains("timed out")
        || stderr.contains("No route to host")
        || stderr.contains("Could not resolve")
        || stderr.contains("Connection closed")
    {
        Some(SshError::Unreachable(first))
    } else {
        None
    }
}

/// An `ssh` child started by [`spawn`]: its stdin, stdout and stderr are
/// piped. Its credential files live as long as it does.
pub struct Remote {
    pub child: tokio::process::Child,
    _scratch: Scratch,
}

/// Starts `command` on `endpoint` as its user, trusting only `pinned`, for
/// a caller that streams its output (and may feed its stdin). `timeout`
/// bounds the connection only. When it exits with 255, [`failure`] reads
/// its stderr.
pub fn spawn(
    endpoint: &Endpoint,
    credential: &Credential,
    pinned: &HostKey,
    command: &str,
    timeout: Duration,
) -> Result<Remote, SshError> {
    let scratch = Scratch::new().map_err(prepare)?;
    let mut cmd = ssh_command(endpoint, credential, pinned, timeout, &scratch)?;
    cmd.arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let child = cmd
        .spawn()
        .map_err(|e| SshError::Other(format!("cannot run ssh: {e}")))?;
    Ok(Remote {
        child,
        _scratch: scratch,
    })
}

/// What an exit status of 255 and its stderr mean, when it is `ssh`'s own
/// failure rather than the remote command's.
pub fn failure(status: i32, stderr: &str) -> Option<SshError> {
    if status == 255 {
        classify(stderr)
    } else {
        None
    }
}

fn prepare(e: std::io::Error) -> SshError {
    SshError::Other(format!("cannot prepare the connection: {e}"))
}

/// `ssh` with every option that pins the host key and uses only the given
/// credential, up to the host; the caller adds the command.
fn ssh_command(
    endpoint: &Endpoint,
    credential: &Credential,
    pinned: &HostKey,
    timeout: Duration,
    scratch: &Scratch,
) -> Result<Command, SshError> {
    let io = prepare;
    let known = scratch
        .file(
            "known_hosts",
            0o600,
            &format!("{} {}\n", host_pattern(endpoint), pinned.line()),
        )
        .map_err(io)?;
    let secs = timeout.as_secs().max(1);
    let mut cmd = Command::new("ssh");
    cmd.args(["-F", "/dev/null", "-T", "-o", "StrictHostKeyChecking=yes"])
        .arg("-o")
        .arg(opt("UserKnownHostsFile", &known))
        .args([
            "-o",
            "GlobalKnownHostsFile=/dev/null",
            "-o",
            "UpdateHostKeys=no",
        ])
        .arg("-o")
        .arg(format!("HostKeyAlgorithms={}", pinned.algorithms()))
        .arg("-o")
        .arg(format!("ConnectTimeout={secs}"))
        .args(["-o", "LogLevel=ERROR", "-o", "IdentitiesOnly=yes"])
        .args(["-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=2"]);
    match credential {
        Credential::PrivateKey(key) => {
            let mut key = key.trim_end().to_string();
            key.push('\n');
            let path = scratch.file("id", 0o600, &key).map_err(io)?;
            cmd.arg("-o").arg(opt("IdentityFile", &path)).args([
                "-o",
                "BatchMode=yes",
                "-o",
                "PreferredAuthentications=publickey",
            ]);
        }
        Credential::Password(password) => {
            let askpass = scratch
                .file(
                    "askpass",
                    0o700,
                    "#!/bin/sh\nprintf '%s\\n' \"$DIHYA_SSH_SECRET\"\n",
                )
                .map_err(io)?;
            cmd.args([
                "-o",
                "BatchMode=no",
                "-o",
                "PubkeyAuthentication=no",
                "-o",
                "PreferredAuthentications=password,keyboard-interactive",
                "-o",
                "NumberOfPasswordPrompts=1",
            ])
            .env("SSH_ASKPASS", askpass)
            .env("SSH_ASKPASS_REQUIRE", "force")
            .env("DISPLAY", "none")
            .env("DIHYA_SSH_SECRET", password);
        }
    }
    cmd.args(["-p", &endpoint.port.to_string(), "-l", &endpoint.user, "--"])
        .arg(&endpoint.host);
    Ok(cmd)
}

/// Runs `command` on `endpoint` as its user, trusting only `pinned`; reads
/// at most `max_bytes` of its output; everything within `timeout`.
pub async fn run(
    endpoint: &Endpoint,
    credential: &Credential,
    pinned: &HostKey,
    command: &str,
    timeout: Duration,
    max_bytes: usize,
) -> Result<Output, SshError> {
    let secs = timeout.as_secs().max(1);
    let scratch = Scratch::new().map_err(prepare)?;
    let mut cmd = ssh_command(endpoint, credential, pinned, timeout, &scratch)?;
    cmd.arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd
        .spawn()
        .map_err(|e| SshError::Other(format!("cannot run ssh: {e}")))?;
    let (stdout, stderr) = (
        child.stdout.take().expect("piped"),
        child.stderr.take().expect("piped"),
    );
    let work = async {
        let ((out, truncated), (err, _)) = tokio::join!(
            read_capped(stdout, max_bytes),
            read_capped(stderr, 8 * 1024)
        );
        if truncated {
            let _ = child.start_kill();
        }
        let status = child.wait().await.ok().and_then(|s| s.code()).unwrap_or(-1);
        (status, out, truncated, err)
    };
    let (status, out, truncated, err) = tokio::time::timeout(timeout, work)
        .await
        .map_err(|_| SshError::Timeout(secs))?;
    drop(scratch);
    let stderr = String::from_utf8_lossy(&err);
    if status == 255
        && let Some(e) = classify(&stderr)
    {
        return Err(e);
    }
    Ok(Output {
        status,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        truncated,
    })
}

fn opt(name: &str, path: &Path) -> String {
    format!("{name}={}", path.display())
}

#[cfg(test)]
mod tests;
