//! `automation`: the script library (sh, bash, python; typed parameters;
//! every version kept) and runs — a script, or an inline command for those
//! allowed, on one or many servers over SSH or on this instance's local
//! executor, through the job queue, with output stored in compressed
//! blocks and read live. Owns `scripts`, `script_versions`, `runs`,
//! `run_targets` and `run_chunks`.
use crate::i18n::td_string;
use crate::platform::{NavEntry, Permission};
use serde::{Deserialize, Serialize};

pub mod api;
#[cfg(feature = "ssr")]
pub mod entity;
#[cfg(feature = "ssr")]
pub mod executor;
#[cfg(feature = "ssr")]
pub mod log;
#[cfg(feature = "ssr")]
pub mod migration;
pub mod pages;
#[cfg(feature = "ssr")]
mod process;
#[cfg(feature = "ssr")]
mod program;
#[cfg(feature = "ssr")]
pub mod runs;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod settle;
#[cfg(feature = "ssr")]
mod validate;

crate::declare_domain!("automation", module: Some("automation"), nav: NAV);

pub const NAV: &[NavEntry] = &[NavEntry {
    path: "/app/automation",
    label: |l| td_string!(l, automation_title),
    needs: Permission::ScriptsRead,
}];

/// The target that means "this instance, locally".
pub const LOCAL: &str = "local";
/// Hosts one run may go to.
pub const MAX_TARGETS: usize = 100;
/// A run's default and longest time limit, in seconds.
pub const DEFAULT_TIMEOUT: u32 = 600;
pub const MAX_TIMEOUT: u32 = 86_400;

crate::wire_enum! {
    /// What a script is written in.
    Language {
        Sh => "sh",
        Bash => "bash",
        Python => "python",
    }
}

crate::wire_enum! {
    /// A parameter's type. A `secret` is never shown back and is kept
    /// out of the run's record and the audit log.
    ParamType {
        String => "string",
        Integer => "integer",
        Boolean => "boolean",
        Secret => "secret",
    }
}

crate::wire_enum! {
    /// Where a run (or one of its hosts) is.
    RunStatus {
        Queued => "queued",
        Running => "running",
        Succeeded => "succeeded",
        Failed => "failed",
        Cancelled => "cancelled",
        Interrupted => "interrupted",
    }
}

impl RunStatus {
    pub fn is_done(self) -> bool {
        !matches!(self, RunStatus::Queued | RunStatus::Running)
    }
}

crate::wire_enum! {
    /// Which stream a line of output came from; `system` lines are the
    /// executor's own (connecting, timed out, exit status).
    Stream {
        Stdout => "stdout",
        Stderr => "stderr",
        System => "system",
    }
}

/// One parameter of a script. Its value reaches the script as an
/// environment variable of the same name (lower case, so it can never
/// replace `PATH` or `LD_PRELOAD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ParamType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub description: String,
}

/// `POST /api/scripts/save`: a new script, or a new version of `id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScriptInput {
    pub id: Option<i32>,
    pub name: String,
    pub language: String,
    pub body: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub parameters: Vec<Parameter>,
}

/// A script at its latest version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScriptView {
    pub id: i32,
    pub name: String,
    pub description: String,
    pub language: Language,
    pub body: String,
    pub parameters: Vec<Parameter>,
    pub version: i32,
    pub updated_at: String,
}

/// What saving answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Saved {
    pub id: i32,
    pub version: i32,
}

/// One past version of a script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScriptVersionView {
    pub version: i32,
    pub name: String,
    pub language: Language,
    pub body: String,
    pub parameters: Vec<Parameter>,
    pub author: Option<String>,
    pub created_at: String,
}

/// A script with every version, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ScriptDetail {
    pub script: ScriptView,
    pub versions: Vec<ScriptVersionView>,
}

/// `POST /api/scripts`: run a saved script (`script_id`) or, with
/// `scripts:adhoc`, an inline `command`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunInput {
    pub script_id: Option<i32>,
    pub command: Option<String>,
    pub language: Option<String>,
    /// `"local"` or server ids.
    pub targets: Vec<serde_json::Value>,
    #[serde(default)]
    pub parameters: serde_json::Map<String, serde_json::Value>,
    pub timeout_seconds: Option<u32>,
}

/// What asking for a run answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunStarted {
    pub run_id: i32,
}

/// One host of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunTargetView {
    pub id: i32,
    /// `None` for the local executor.
    pub server_id: Option<i32>,
    pub label: String,
    pub status: RunStatus,
    pub exit_code: Option<i32>,
    pub error: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

/// A run (`GET /api/runs/detail`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunView {
    pub id: i32,
    pub title: String,
    pub script_id: Option<i32>,
    pub script_version: Option<i32>,
    pub language: Language,
    pub status: RunStatus,
    /// The first non-zero exit status of its hosts, or 0; `None` until
    /// every host is done (or when none exited).
    pub exit_code: Option<i32>,
    /// As asked, secret values replaced by `"••••"`.
    pub parameters: serde_json::Value,
    pub timeout_seconds: u32,
    pub requested_by: Option<String>,
    pub targets: Vec<RunTargetView>,
    pub lines: i64,
    pub created_at: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
}

/// One line of a run's output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OutputLine {
    /// Its number in the run, from 0.
    pub n: i64,
    /// RFC 3339 with milliseconds.
    pub at: String,
    pub stream: Stream,
    /// The host's label.
    pub target: String,
    /// UTF-8 as written; other bytes and control characters as `\xNN`.
    pub text: String,
}

/// `GET /api/runs/output?id=&after=`: lines from `after` on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RunOutput {
    pub lines: Vec<OutputLine>,
    /// What to pass as `after` next.
    pub next: i64,
    pub status: RunStatus,
    /// The run is over and every line has been read.
    pub complete: bool,
}

/// A page of runs (`GET /api/runs`).
pub type RunPage = crate::platform::Page<RunView>;
