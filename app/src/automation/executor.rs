//! Runs one host of a run (the job `automation.run`): the program on the
//! interpreter's stdin, locally in a scratch directory or over SSH with
//! the server's pinned host key; stdout and stderr read line by line with
//! their time, written in blocks; the time limit and cancellation watched.
//!
//! A job is tried once. If its instance dies mid-run, the lease expires
//! and the next claim finds the host `running`: it is marked
//! `interrupted`, never run a second time.
use super::entity::{run, target};
use super::log::Writer;
use super::process::{Running, lines};
use super::runs::sealed_aad;
use super::settle::settle;
use super::{Language, RunStatus, Stream, program};
use crate::platform::jobs::Job;
use crate::platform::secrets::SecretBox;
use crate::platform::ssh;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

/// What the executor needs besides the database.
#[derive(Clone)]
pub struct Executor {
    pub db: DatabaseConnection,
    pub secrets: std::sync::Arc<SecretBox>,
    /// `DIHYA_LOCAL_EXECUTOR`: runs on this instance are allowed.
    pub local: bool,
}

/// How a host's run ended.
enum End {
    Exited(i32),
    TimedOut,
    Cancelled,
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

impl Executor {
    /// The job handler: `{"target_id"}`.
    pub async fn execute(&self, job: &Job) -> Result<(), String> {
        let payload: serde_json::Value = serde_json::from_str(&job.payload).map_err(err)?;
        let Some(id) = payload["target_id"]
            .as_i64()
            .and_then(|i| i32::try_from(i).ok())
        else {
            return Err("a run job without target_id".into());
        };
        let Some(t) = target::Entity::find_by_id(id)
            .one(&self.db)
            .await
            .map_err(err)?
        else {
            return Ok(());
        };
        let mut log = Writer::new(t.run_id, t.id);
        match RunStatus::parse(&t.status) {
            Some(RunStatus::Queued) => {}
            Some(RunStatus::Running) => {
                log.push(
                    now_ms(),
                    Stream::System,
                    b"interrupted: the instance running it stopped",
                );
                return self
                    .finish(
                        &t,
                        &mut log,
                        RunStatus::Interrupted,
                        None,
                        "the instance running it stopped",
                    )
                    .await;
            }
            _ => return Ok(()),
        }
        let Some(r) = run::Entity::find_by_id(t.run_id)
            .one(&self.db)
            .await
            .map_err(err)?
        else {
            return Ok(());
        };
        if r.cancel_requested {
            return self
                .finish(&t, &mut log, RunStatus::Cancelled, None, "")
                .await;
        }
        // Claimed here, once: another instance finding it `running` stops.
        let claimed = target::Entity::update_many()
            .col_expr(
                target::Column::Status,
                sea_orm::prelude::Expr::value(RunStatus::Running.as_str()),
            )
            .col_expr(
                target::Column::StartedAt,
                sea_orm::prelude::Expr::value(Some(Utc::now())),
            )
            .filter(target::Column::Id.eq(t.id))
            .filter(target::Column::Status.eq(RunStatus::Queued.as_str()))
            .exec(&self.db)
            .await
            .map_err(err)?;
        if claimed.rows_affected == 0 {
            return Ok(());
        }
        settle(&self.db, r.id).await.map_err(err)?;
        match self.start(&t, &r, &mut log).await {
            Ok((child, text)) => self.watch(&t, &r, child, text, log).await,
            Err(why) => {
                log.push(now_ms(), Stream::System, why.as_bytes());
                self.finish(&t, &mut log, RunStatus::Failed, None, &why)
                    .await
            }
        }
    }

    /// Starts the interpreter (locally or over SSH) and returns it with
    /// the program to feed it.
    async fn start(
        &self,
        t: &target::Model,
        r: &run::Model,
        log: &mut Writer,
    ) -> Result<(Running, String), String> {
        let language = Language::parse(&r.language).unwrap_or(Language::Sh);
        let values: Vec<(String, String)> = match &r.sealed_parameters {
            Some(sealed) => {
                let bytes = self
                    .secrets
                    .open(&sealed_aad(r.id), sealed)
                    .map_err(|_| "the run's parameters cannot be opened".to_string())?;
                serde_json::from_slice(&bytes).map_err(err)?
            }
            None => Vec::new(),
        };
        let text = program::program(language, &values, &r.body);
        let running = match t.server_id {
            None if !self.local => {
                return Err("the local executor is off (DIHYA_LOCAL_EXECUTOR)".into());
            }
            None => Running::local(language)
                .map_err(|e| format!("cannot start {}: {e}", language.as_str()))?,
            Some(server) => {
                let access = crate::servers::ssh::access(&self.db, &self.secrets, server).await?;
                let hello = format!(
                    "connecting to {}@{}:{} (host key {})",
                    access.endpoint.user,
                    access.endpoint.host,
                    access.endpoint.port,
                    access.host_key.fingerprint()
                );
                log.push(now_ms(), Stream::System, hello.as_bytes());
                let remote = ssh::spawn(
                    &access.endpoint,
                    &access.credential,
                    &access.host_key,
                    &program::remote_command(language),
                    Duration::from_secs(15),
                )
                .map_err(err)?;
                Running::Remote(remote)
            }
        };
        Ok((running, text))
    }

    /// Feeds the program, reads the output until the end, the time limit
    /// or a cancellation, and records the outcome.
    async fn watch(
        &self,
        t: &target::Model,
        r: &run::Model,
        mut running: Running,
        text: String,
        mut log: Writer,
    ) -> Result<(), String> {
        let child = running.child();
        let (Some(mut stdin), Some(out), Some(errs)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err("the interpreter's pipes are missing".into());
        };
        tokio::spawn(async move {
            let _ = stdin.write_all(text.as_bytes()).await;
            let _ = stdin.shutdown().await;
        });
        let (tx, mut rx) = mpsc::channel::<(Stream, Vec<u8>)>(1024);
        tokio::spawn(lines(out, Stream::Stdout, tx.clone()));
        tokio::spawn(lines(errs, Stream::Stderr, tx));
        let limit = Duration::from_secs(r.timeout_seconds.max(1) as u64);
        let deadline = tokio::time::Instant::now() + limit;
        let mut tick = tokio::time::interval(Duration::from_millis(300));
        let mut stderr_tail: Vec<u8> = Vec::new();
        let end = loop {
            tokio::select! {
                line = rx.recv() => match line {
                    Some((stream, bytes)) => {
                        keep_tail(&mut stderr_tail, stream, &bytes);
                        log.push(now_ms(), stream, &bytes);
                        if log.full() {
                            log.flush(&self.db).await.map_err(err)?;
                        }
                    }
                    // Both streams closed: the program is done with them.
                    None => break End::Exited(running.wait().await),
                },
                code = running.wait() => {
                    // Children it left behind may hold the pipes open:
                    // read what is already written, briefly, then stop.
                    let drain = tokio::time::sleep(Duration::from_millis(500));
                    tokio::pin!(drain);
                    loop {
                        tokio::select! {
                            line = rx.recv() => match line {
                                Some((stream, bytes)) => {
                                    // `ssh`'s own last words may come after it exits.
                                    keep_tail(&mut stderr_tail, stream, &bytes);
                                    log.push(now_ms(), stream, &bytes);
                                }
                                None => break,
                            },
                            _ = &mut drain => break,
                        }
                    }
                    break End::Exited(code);
                }
                _ = tick.tick() => {
                    log.flush(&self.db).await.map_err(err)?;
                    if cancelled(&self.db, r.id).await {
                        running.kill().await;
                        break End::Cancelled;
                    }
                }
                _ = tokio::time::sleep_until(deadline) => {
                    running.kill().await;
                    break End::TimedOut;
                }
            }
        };
        let (status, code, why) = match end {
            End::Exited(code) => {
                let failure = if t.server_id.is_some() {
                    ssh::failure(code, &String::from_utf8_lossy(&stderr_tail))
                } else {
                    None
                };
                match failure {
                    Some(e) => (RunStatus::Failed, Some(code), e.to_string()),
                    None if code == 0 => (RunStatus::Succeeded, Some(0), String::new()),
                    None => (RunStatus::Failed, Some(code), String::new()),
                }
            }
            End::TimedOut => (
                RunStatus::Failed,
                None,
                format!("timed out after {} s", limit.as_secs()),
            ),
            End::Cancelled => (RunStatus::Cancelled, None, "cancelled".into()),
        };
        let said = match (code, why.is_empty()) {
            (_, false) => why.clone(),
            (Some(c), true) => format!("exit status {c}"),
            (None, true) => status.as_str().to_string(),
        };
        log.push(now_ms(), Stream::System, said.as_bytes());
        drop(running);
        self.finish(t, &mut log, status, code, &why).await
    }

    /// Writes the last lines and the host's outcome, then settles the run.
    async fn finish(
        &self,
        t: &target::Model,
        log: &mut Writer,
        status: RunStatus,
        code: Option<i32>,
        why: &str,
    ) -> Result<(), String> {
        log.flush(&self.db).await.map_err(err)?;
        let mut row = target::ActiveModel::from(t.clone());
        row.status = Set(status.as_str().into());
        row.exit_code = Set(code);
        row.error = Set(crate::platform::clip(why, 500));
        row.finished_at = Set(Some(Utc::now()));
        // `started_at` stays as the claim wrote it (`t` may predate it).
        row.update(&self.db).await.map_err(err)?;
        settle(&self.db, t.run_id).await.map_err(err)?;
        Ok(())
    }
}

/// Keeps the last 8 KB of stderr, which says why `ssh` itself failed.
fn keep_tail(tail: &mut Vec<u8>, stream: Stream, bytes: &[u8]) {
    if stream == Stream::Stderr {
        tail.extend_from_slice(bytes);
        tail.push(b'\n');
        let cut = tail.len().saturating_sub(8 * 1024);
        tail.drain(..cut);
    }
}

async fn cancelled(db: &DatabaseConnection, run_id: i32) -> bool {
    run::Entity::find_by_id(run_id)
        .one(db)
        .await
        .ok()
        .flatten()
        .is_some_and(|r| r.cancel_requested)
}
