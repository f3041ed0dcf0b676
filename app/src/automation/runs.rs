//! Runs: asked for (checked whole, recorded, one job per host, audited
//! with secret values masked), read, cancelled, and settled from their
//! hosts' outcomes. The executor (`executor.rs`) does the running.
use super::entity::{chunk, run, target};
use super::validate;
use super::{
    LOCAL, Language, OutputLine, ParamType, RunInput, RunOutput, RunPage, RunStarted, RunStatus,
    RunTargetView, RunView,
};
use crate::audit::{self, Event};
use crate::error::{AppError, ErrorCode, MsgKey};
use crate::platform::jobs::{self, NewJob};
use crate::platform::secrets::aad;
use crate::platform::{Ctx, Direction, Permission, rfc3339};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, prelude::Expr,
};
use serde_json::{Value, json};

/// The job that runs one host of a run.
pub const RUN_JOB: &str = "automation.run";
/// What a secret parameter's value is shown as.
const MASK: &str = "••••";

pub(super) fn sealed_aad(run_id: i32) -> String {
    aad("runs.sealed_parameters", run_id)
}

fn status_of(s: &str) -> RunStatus {
    RunStatus::parse(s).unwrap_or(RunStatus::Failed)
}

fn target_view(t: &target::Model) -> RunTargetView {
    RunTargetView {
        id: t.id,
        server_id: t.server_id,
        label: t.label.clone(),
        status: status_of(&t.status),
        exit_code: t.exit_code,
        error: t.error.clone(),
        started_at: t.started_at.map(rfc3339),
        finished_at: t.finished_at.map(rfc3339),
    }
}

/// `POST /api/scripts`: checks everything, then records the run and
/// queues one job per host, in one transaction.
pub async fn start(ctx: &Ctx, input: RunInput) -> Result<RunStarted, AppError> {
    let me = ctx.require(Permission::ScriptsRun)?.user_id;
    let (title, version, language, body, defs) = match (&input.script_id, &input.command) {
        (Some(id), None) => {
            let s = super::service::find(ctx.db(), *id)
                .await?
                .ok_or_else(|| AppError::invalid([("script_id", MsgKey::ScriptUnknown)]))?;
            (s.name, Some(s.version), s.language, s.body, s.parameters)
        }
        (None, Some(command)) => {
            ctx.require(Permission::ScriptsAdhoc)?;
            let language = match input.language.as_deref() {
                None => Language::Sh,
                Some(l) => Language::parse(l)
                    .ok_or_else(|| AppError::invalid([("language", MsgKey::ChoiceInvalid)]))?,
            };
            if command.trim().is_empty() || command.len() > validate::MAX_BODY {
                return Err(AppError::invalid([("command", MsgKey::ScriptBodyInvalid)]));
            }
            (
                "Inline command".into(),
                None,
                language,
                command.clone(),
                Vec::new(),
            )
        }
        _ => return Err(AppError::invalid([("script_id", MsgKey::ScriptOrCommand)])),
    };
    let mut bad = Vec::new();
    let targets = validate::targets(&input.targets).map_err(|k| bad.push(("targets", k)));
    let values =
        validate::values(&defs, &input.parameters).map_err(|k| bad.push(("parameters", k)));
    let timeout = validate::timeout(&input).map_err(|k| bad.push(("timeout_seconds", k)));
    let (Ok(targets), Ok(values), Ok(timeout)) = (targets, values, timeout) else {
        return Err(AppError::invalid(bad));
    };
    if targets.local && !ctx.state.local_executor {
        return Err(AppError::invalid([("targets", MsgKey::LocalExecutorOff)]));
    }
    let names = crate::servers::service::names(ctx.db(), &targets.servers).await?;
    if targets.servers.iter().any(|id| !names.contains_key(id)) {
        return Err(AppError::invalid([("targets", MsgKey::ServerUnknown)]));
    }
    for id in &targets.servers {
        if crate::servers::ssh::access(ctx.db(), &ctx.state.secrets, *id)
            .await
            .is_err()
        {
            return Err(AppError::invalid([(
                "targets",
                MsgKey::SshProfileIncomplete,
            )]));
        }
    }
    let shown: serde_json::Map<String, Value> = values
        .iter()
        .map(|(d, v)| {
            let v = if d.kind == ParamType::Secret {
                MASK.into()
            } else {
                v.clone()
            };
            (d.name.clone(), Value::String(v))
        })
        .collect();
    let plain: Vec<(String, String)> = values.into_iter().map(|(d, v)| (d.name, v)).collect();
    let now = Utc::now();
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let row = run::ActiveModel {
        script_id: Set(input.script_id),
        script_version: Set(version),
        title: Set(title.clone()),
        language: Set(language.as_str().into()),
        body: Set(body),
        parameters: Set(Value::Object(shown.clone()).to_string()),
        sealed_parameters: Set(None),
        timeout_seconds: Set(timeout as i32),
        status: Set(RunStatus::Queued.as_str().into()),
        exit_code: Set(None),
        cancel_requested: Set(false),
        requested_by: Set(Some(me)),
        created_at: Set(now),
        started_at: Set(None),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let sealed = serde_json::to_vec(&plain).map_err(AppError::internal)?;
    run::Entity::update_many()
        .col_expr(
            run::Column::SealedParameters,
            Expr::value(ctx.state.secrets.seal(&sealed_aad(row.id), &sealed)),
        )
        .filter(run::Column::Id.eq(row.id))
        .exec(&tx)
        .await?;
    let hosts = targets
        .local
        .then(|| (None, LOCAL.to_string()))
        .into_iter()
        .chain(
            targets
                .servers
                .iter()
                .map(|id| (Some(*id), names[id].clone())),
        );
    let mut labels = Vec::new();
    for (server_id, label) in hosts {
        let t = target::ActiveModel {
            run_id: Set(row.id),
            server_id: Set(server_id),
            label: Set(crate::platform::clip(&label, 120)),
            status: Set(RunStatus::Queued.as_str().into()),
            exit_code: Set(None),
            error: Set(String::new()),
            started_at: Set(None),
            finished_at: Set(None),
            ..Default::default()
        }
        .insert(&tx)
        .await?;
        // Two attempts, and the commands run in the first only: a second
        // claim (its instance died) finds the host `running` and marks it
        // `interrupted`, never runs it twice.
        let job = NewJob::new(RUN_JOB, json!({ "target_id": t.id }))
            .key(format!("{RUN_JOB}:{}", t.id))
            .attempts(2);
        jobs::enqueue(&tx, job).await?;
        labels.push(label);
    }
    audit::record(
        &tx,
        ctx,
        Event::new("run.start", "run").target(row.id).diff(json!({
            "title": title, "script_id": input.script_id, "version": version,
            "targets": labels, "parameters": shown, "timeout_seconds": timeout,
            "command": input.command.is_some(),
        })),
    )
    .await?;
    tx.commit().await?;
    ctx.state.runs_wake.notify_one();
    Ok(RunStarted { run_id: row.id })
}

async fn views(
    conn: &impl ConnectionTrait,
    runs: Vec<run::Model>,
) -> Result<Vec<RunView>, AppError> {
    let ids: Vec<i32> = runs.iter().map(|r| r.id).collect();
    let targets = target::Entity::find()
        .filter(target::Column::RunId.is_in(ids.clone()))
        .order_by_asc(target::Column::Id)
        .all(conn)
        .await?;
    let people: Vec<i32> = runs.iter().filter_map(|r| r.requested_by).collect();
    let names = crate::users::service::names(conn, &people).await?;
    let mut out = Vec::with_capacity(runs.len());
    for r in runs {
        out.push(RunView {
            id: r.id,
            title: r.title.clone(),
            script_id: r.script_id,
            script_version: r.script_version,
            language: Language::parse(&r.language).unwrap_or(Language::Sh),
            status: status_of(&r.status),
            exit_code: r.exit_code,
            parameters: serde_json::from_str(&r.parameters).unwrap_or(Value::Null),
            timeout_seconds: r.timeout_seconds.max(0) as u32,
            requested_by: r.requested_by.and_then(|p| names.get(&p).cloned()),
            targets: targets
                .iter()
                .filter(|t| t.run_id == r.id)
                .map(target_view)
                .collect(),
            lines: line_count(conn, r.id).await?,
            created_at: rfc3339(r.created_at),
            started_at: r.started_at.map(rfc3339),
            finished_at: r.finished_at.map(rfc3339),
        });
    }
    Ok(out)
}

async fn line_count(conn: &impl ConnectionTrait, run_id: i32) -> Result<i64, AppError> {
    let n: Option<Option<i64>> = chunk::Entity::find()
        .select_only()
        .column_as(chunk::Column::Lines.sum(), "n")
        .filter(chunk::Column::RunId.eq(run_id))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(n.flatten().unwrap_or(0))
}

async fn find(conn: &impl ConnectionTrait, id: i32) -> Result<run::Model, AppError> {
    run::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(AppError::not_found)
}

/// `GET /api/runs/detail?id=`.
pub async fn detail(ctx: &Ctx, id: i32) -> Result<RunView, AppError> {
    ctx.require(Permission::ScriptsRead)?;
    let r = find(ctx.db(), id).await?;
    Ok(views(ctx.db(), vec![r]).await?.remove(0))
}

/// `GET /api/runs`: newest first.
pub async fn list(ctx: &Ctx, cursor: Option<String>) -> Result<RunPage, AppError> {
    ctx.require(Permission::ScriptsRead)?;
    let page = crate::platform::page::paginate(
        ctx.db(),
        run::Entity::find(),
        run::Column::Id,
        |r| r.id.into(),
        Direction::Descending,
        cursor.as_deref(),
        None,
    )
    .await?;
    Ok(RunPage {
        items: views(ctx.db(), page.items).await?,
        next_cursor: page.next_cursor,
    })
}

/// `GET /api/runs/output?id=&after=`.
pub async fn output(ctx: &Ctx, id: i32, after: Option<i64>) -> Result<RunOutput, AppError> {
    ctx.require(Permission::ScriptsRead)?;
    let r = find(ctx.db(), id).await?;
    let labels: Vec<(i32, String)> = target::Entity::find()
        .select_only()
        .columns([target::Column::Id, target::Column::Label])
        .filter(target::Column::RunId.eq(id))
        .into_tuple()
        .all(ctx.db())
        .await?;
    let label = |t: i32| {
        labels
            .iter()
            .find(|(id, _)| *id == t)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    };
    let after = after.unwrap_or(0).max(0);
    let lines: Vec<OutputLine> = super::log::read(ctx.db(), id, after, label).await?;
    let next = lines.last().map(|l| l.n + 1).unwrap_or(after);
    let status = status_of(&r.status);
    Ok(RunOutput {
        complete: status.is_done() && lines.len() < super::log::PAGE_LINES,
        lines,
        next,
        status,
    })
}

/// `POST /api/runs/cancel {"id"}`: hosts not started are cancelled now;
/// running ones stop within a second (the executor watches the flag).
pub async fn cancel(ctx: &Ctx, id: i32) -> Result<RunView, AppError> {
    ctx.require(Permission::ScriptsRun)?;
    let tx = crate::platform::db::begin(ctx.db()).await?;
    let r = find(&tx, id).await?;
    if status_of(&r.status).is_done() {
        return Err(AppError::because(ErrorCode::Conflict, MsgKey::RunFinished));
    }
    run::Entity::update_many()
        .col_expr(run::Column::CancelRequested, Expr::value(true))
        .filter(run::Column::Id.eq(id))
        .exec(&tx)
        .await?;
    target::Entity::update_many()
        .col_expr(
            target::Column::Status,
            Expr::value(RunStatus::Cancelled.as_str()),
        )
        .col_expr(target::Column::FinishedAt, Expr::value(Utc::now()))
        .filter(target::Column::RunId.eq(id))
        .filter(target::Column::Status.eq(RunStatus::Queued.as_str()))
        .exec(&tx)
        .await?;
    super::settle::settle(&tx, id).await?;
    audit::record(&tx, ctx, Event::new("run.cancel", "run").target(id)).await?;
    tx.commit().await?;
    detail(ctx, id).await
}
