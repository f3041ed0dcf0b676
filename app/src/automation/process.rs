//! The interpreter's process, local (in a private scratch directory, its
//! own process group) or an `ssh` client, and its output read line by line.
use super::{Language, Stream, program};
use crate::platform::ssh;
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

/// Sends each line of `r` (without its newline) to `tx`.
pub(super) async fn lines(
    r: impl tokio::io::AsyncRead + Unpin,
    stream: Stream,
    tx: mpsc::Sender<(Stream, Vec<u8>)>,
) {
    let mut r = BufReader::new(r);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match r.read_until(b'\n', &mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                }
                if tx.send((stream, buf.clone())).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// The interpreter, local (with its scratch directory) or over SSH.
pub(super) enum Running {
    Local { child: Child, dir: PathBuf },
    Remote(ssh::Remote),
}

impl Running {
    /// A local interpreter in a fresh private directory, as the service
    /// user, with a minimal environment, leading its own process group
    /// (so a time limit or a cancel stops everything it started).
    pub(super) fn local(language: Language) -> std::io::Result<Self> {
        let dir = std::env::temp_dir().join(format!("dihya-run-{:016x}", rand::random::<u64>()));
        std::fs::DirBuilder::new().mode(0o700).create(&dir)?;
        let (program_name, args) = program::interpreter(language);
        let child = Command::new(program_name)
            .args(args)
            .current_dir(&dir)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", &dir)
            .env("TMPDIR", &dir)
            .env("LANG", "C.UTF-8")
            .process_group(0)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn();
        match child {
            Ok(child) => Ok(Running::Local { child, dir }),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                Err(e)
            }
        }
    }

    pub(super) fn child(&mut self) -> &mut Child {
        match self {
            Running::Local { child, .. } => child,
            Running::Remote(r) => &mut r.child,
        }
    }

    /// The exit status; 128 + the signal when killed by one.
    pub(super) async fn wait(&mut self) -> i32 {
        use std::os::unix::process::ExitStatusExt;
        match self.child().wait().await {
            Ok(s) => s.code().or(s.signal().map(|n| 128 + n)).unwrap_or(-1),
            Err(_) => -1,
        }
    }

    pub(super) async fn kill(&mut self) {
        if let Running::Local { child, .. } = self
            && let Some(pid) = child.id()
        {
            // The whole group: the interpreter and what it started.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .status()
                .await;
        }
        let _ = self.child().kill().await;
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Running::Local { child, dir } = self {
            // Dropped mid-run (the instance stops): the group goes too,
            // not only the interpreter `kill_on_drop` would stop.
            if let Some(pid) = child.id() {
                let _ = std::process::Command::new("kill")
                    .args(["-KILL", "--", &format!("-{pid}")])
                    .status();
            }
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
