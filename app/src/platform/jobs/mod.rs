//! The job queue, in the database: work that must survive a restart
//! (retention, script runs, notifications) is a row in `jobs`.
//!
//! - **enqueue** with an optional idempotency key: a second enqueue with
//!   the same key returns the first job and adds nothing.
//! - **claim** takes due jobs with a lease (owner instance, expiry) in one
//!   statement: `FOR UPDATE SKIP LOCKED` on PostgreSQL, so instances never
//!   wait for each other nor take the same row; on SQLite the statement is
//!   the one writer. A job whose owner stopped renewing its lease is due
//!   again once the lease expires: a crash loses nothing.
//! - **heartbeat** renews a lease; **complete** and **fail** end it. Each
//!   is conditional on the caller still owning the lease, so a worker that
//!   lost its job (paused too long, say) changes nothing: a job is never
//!   finished twice.
//! - **fail** retries with exponential backoff (and jitter) until
//!   `max_attempts`, then the job is `dead` (the dead-letter state, kept
//!   with its last error for an operator to read or retry).
//!
//! Handlers run at least once; those whose effects are not idempotent key
//! them by the job id. The worker loop is in [`worker`].
use crate::error::AppError;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DbBackend, EntityTrait, QueryFilter, QuerySelect,
};

pub mod entity;
pub mod migration;
pub mod worker;

pub use entity::Model as Job;
pub use worker::{Handler, Worker, WorkerConfig};

/// Where a job is.
pub mod status {
    pub const QUEUED: &str = "queued";
    pub const RUNNING: &str = "running";
    pub const SUCCEEDED: &str = "succeeded";
    /// Out of attempts: the dead-letter state.
    pub const DEAD: &str = "dead";
}

/// A job to add.
#[derive(Debug, Clone)]
pub struct NewJob {
    /// The handler's name, `domain.action` (`monitoring.retention`).
    pub kind: String,
    pub payload: serde_json::Value,
    /// Not before this time (now when `None`).
    pub run_at: Option<DateTime<Utc>>,
    pub max_attempts: i32,
    /// At most one job per key, ever (until it is purged).
    pub idempotency_key: Option<String>,
}

impl NewJob {
    pub fn new(kind: &str, payload: serde_json::Value) -> Self {
        NewJob {
            kind: kind.to_string(),
            payload,
            run_at: None,
            max_attempts: 5,
            idempotency_key: None,
        }
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    pub fn at(mut self, when: DateTime<Utc>) -> Self {
        self.run_at = Some(when);
        self
    }

    pub fn attempts(mut self, max: i32) -> Self {
        self.max_attempts = max.max(1);
        self
    }
}

/// Adds `job`; with a key already used, returns that job's id instead.
pub async fn enqueue(conn: &impl ConnectionTrait, job: NewJob) -> Result<i64, AppError> {
    if let Some(key) = &job.idempotency_key
        && let Some(existing) = by_key(conn, key).await?
    {
        return Ok(existing.id);
    }
    let now = Utc::now();
    let row = entity::ActiveModel {
        kind: Set(job.kind),
        payload: Set(job.payload.to_string()),
        status: Set(status::QUEUED.into()),
        attempts: Set(0),
        max_attempts: Set(job.max_attempts.max(1)),
        run_at: Set(job.run_at.unwrap_or(now)),
        lease_owner: Set(None),
        lease_expires_at: Set(None),
        idempotency_key: Set(job.idempotency_key.clone()),
        last_error: Set(None),
        created_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    };
    match row.insert(conn).await {
        Ok(m) => Ok(m.id),
        // Two enqueues raced with one key: the unique index kept the first.
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            let key = job.idempotency_key.as_deref().unwrap_or_default();
            by_key(conn, key)
                .await?
                .map(|m| m.id)
                .ok_or_else(|| AppError::internal(e))
        }
        Err(e) => Err(e.into()),
    }
}

async fn by_key(conn: &impl ConnectionTrait, key: &str) -> Result<Option<Job>, AppError> {
    Ok(entity::Entity::find()
        .filter(entity::Column::IdempotencyKey.eq(key))
        .one(conn)
        .await?)
}

/// Takes up to `limit` due jobs of `kinds` for `owner`, leased for `lease`:
/// queued ones whose time has come, and running ones whose lease expired
/// (their worker is gone). Each claim counts as an attempt.
pub async fn claim(
    db: &DatabaseConnection,
    owner: &str,
    kinds: &[&str],
    lease: Duration,
    limit: u64,
) -> Result<Vec<Job>, AppError> {
    // Scoped: its `max`/`clamp` would shadow `Ord`'s on integers.
    use entity::Column as C;
    use sea_orm::sea_query::ExprTrait;
    if kinds.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let now = Utc::now();
    let due = Expr::col(C::Status)
        .eq(status::QUEUED)
        .and(Expr::col(C::RunAt).lte(now))
        .or(Expr::col(C::Status)
            .eq(status::RUNNING)
            .and(Expr::col(C::LeaseExpiresAt).lt(now)));
    let mut pick = Query::select();
    pick.column(C::Id)
        .from(entity::Entity)
        .and_where(Expr::col(C::Kind).is_in(kinds.iter().map(|k| k.to_string())))
        .and_where(due)
        .and_where(Expr::col(C::Attempts).lt(Expr::col(C::MaxAttempts)))
        .order_by(C::RunAt, sea_orm::Order::Asc)
        .order_by(C::Id, sea_orm::Order::Asc)
        .limit(limit);
    if db.get_database_backend() == DbBackend::Postgres {
        pick.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let claimed = entity::Entity::update_many()
        .col_expr(C::Status, Expr::value(status::RUNNING))
        .col_expr(C::LeaseOwner, Expr::value(owner))
        .col_expr(C::LeaseExpiresAt, Expr::value(now + lease))
        .col_expr(C::Attempts, Expr::col(C::Attempts).add(1))
        .filter(C::Id.in_subquery(pick))
        .exec_with_returning(db)
        .await?;
    Ok(claimed)
}

/// Jobs whose lease expired with no attempt left: dead, with the reason.
pub async fn reap_expired(db: &DatabaseConnection) -> Result<u64, AppError> {
    // Scoped: its `max`/`clamp` would shadow `Ord`'s on integers.
    use entity::Column as C;
    use sea_orm::sea_query::ExprTrait;
    let now = Utc::now();
    let res = entity::Entity::update_many()
        .col_expr(C::Status, Expr::value(status::DEAD))
        .col_expr(C::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(
            C::LeaseExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            C::LastError,
            Expr::value("lease expired on the last attempt"),
        )
        .col_expr(C::FinishedAt, Expr::value(now))
        .filter(C::Status.eq(status::RUNNING))
        .filter(C::LeaseExpiresAt.lt(now))
        .filter(Expr::col(C::Attempts).gte(Expr::col(C::MaxAttempts)))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// The rows `owner` still holds of job `id`.
fn owned(id: i64, owner: &str) -> sea_orm::Condition {
    sea_orm::Condition::all()
        .add(entity::Column::Id.eq(id))
        .add(entity::Column::Status.eq(status::RUNNING))
        .add(entity::Column::LeaseOwner.eq(owner))
}

/// Renews the lease; `false` when `owner` no longer holds the job (it must
/// stop: another instance may run it now).
pub async fn heartbeat(
    db: &DatabaseConnection,
    id: i64,
    owner: &str,
    lease: Duration,
) -> Result<bool, AppError> {
    let res = entity::Entity::update_many()
        .col_expr(
            entity::Column::LeaseExpiresAt,
            Expr::value(Utc::now() + lease),
        )
        .filter(owned(id, owner))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Marks the job done; `false` when `owner` had lost it (nothing changes).
pub async fn complete(db: &DatabaseConnection, id: i64, owner: &str) -> Result<bool, AppError> {
    use entity::Column as C;
    let res = entity::Entity::update_many()
        .col_expr(C::Status, Expr::value(status::SUCCEEDED))
        .col_expr(C::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(
            C::LeaseExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(C::FinishedAt, Expr::value(Utc::now()))
        .filter(owned(id, owner))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// The wait before attempt `attempt + 1`: 2^attempt seconds (capped at an
/// hour), give or take a fifth, so failed jobs do not retry in lockstep.
pub fn backoff(attempt: i32) -> Duration {
    let base = 2i64.pow(attempt.clamp(0, 12) as u32).min(3_600) * 1_000;
    let jitter = base / 5;
    let spread = if jitter > 0 {
        rand::random_range(-jitter..=jitter)
    } else {
        0
    };
    Duration::milliseconds(base + spread)
}

/// Records a failed attempt: queued again after [`backoff`], or dead when
/// it was the last. `false` when `owner` had lost the job.
pub async fn fail(
    db: &DatabaseConnection,
    job: &Job,
    owner: &str,
    error: &str,
) -> Result<bool, AppError> {
    use entity::Column as C;
    let error: String = error.chars().take(2_000).collect();
    let now = Utc::now();
    let update = entity::Entity::update_many()
        .col_expr(C::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(
            C::LeaseExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(C::LastError, Expr::value(error));
    let update = if job.attempts >= job.max_attempts {
        update
            .col_expr(C::Status, Expr::value(status::DEAD))
            .col_expr(C::FinishedAt, Expr::value(now))
    } else {
        update
            .col_expr(C::Status, Expr::value(status::QUEUED))
            .col_expr(C::RunAt, Expr::value(now + backoff(job.attempts)))
    };
    let res = update.filter(owned(job.id, owner)).exec(db).await?;
    Ok(res.rows_affected == 1)
}

/// Puts a dead job back in the queue with one more attempt (an operator's
/// "retry"). `false` when it is not dead.
pub async fn retry_dead(db: &DatabaseConnection, id: i64) -> Result<bool, AppError> {
    // Scoped: its `max`/`clamp` would shadow `Ord`'s on integers.
    use entity::Column as C;
    use sea_orm::sea_query::ExprTrait;
    let res = entity::Entity::update_many()
        .col_expr(C::Status, Expr::value(status::QUEUED))
        .col_expr(C::RunAt, Expr::value(Utc::now()))
        .col_expr(C::MaxAttempts, Expr::col(C::Attempts).add(1))
        .col_expr(C::FinishedAt, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(C::Id.eq(id))
        .filter(C::Status.eq(status::DEAD))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Gives back, at once, the jobs `owner` holds but has not started (a
/// graceful stop), so another instance need not wait for the lease.
pub async fn release(db: &DatabaseConnection, ids: &[i64], owner: &str) -> Result<u64, AppError> {
    // Scoped: its `max`/`clamp` would shadow `Ord`'s on integers.
    use entity::Column as C;
    use sea_orm::sea_query::ExprTrait;
    if ids.is_empty() {
        return Ok(0);
    }
    let res = entity::Entity::update_many()
        .col_expr(C::Status, Expr::value(status::QUEUED))
        .col_expr(C::LeaseOwner, Expr::value(Option::<String>::None))
        .col_expr(
            C::LeaseExpiresAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(C::Attempts, Expr::col(C::Attempts).sub(1))
        .filter(C::Id.is_in(ids.iter().copied()))
        .filter(C::Status.eq(status::RUNNING))
        .filter(C::LeaseOwner.eq(owner))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Deletes finished jobs (succeeded or dead) older than `days`.
pub async fn purge_finished(db: &DatabaseConnection, days: u32) -> Result<u64, AppError> {
    use entity::Column as C;
    let cutoff = Utc::now() - Duration::days(i64::from(days));
    let res = entity::Entity::delete_many()
        .filter(C::Status.is_in([status::SUCCEEDED, status::DEAD]))
        .filter(C::FinishedAt.lt(cutoff))
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// One job by id.
pub async fn get(conn: &impl ConnectionTrait, id: i64) -> Result<Option<Job>, AppError> {
    Ok(entity::Entity::find_by_id(id).one(conn).await?)
}

/// How many jobs are in each status (for `/metrics` and the admin page).
pub async fn counts(conn: &impl ConnectionTrait) -> Result<Vec<(String, i64)>, AppError> {
    Ok(entity::Entity::find()
        .select_only()
        .column(entity::Column::Status)
        .column_as(entity::Column::Id.count(), "n")
        .group_by(entity::Column::Status)
        .into_tuple()
        .all(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        for attempt in 0..20 {
            let wait = backoff(attempt).num_milliseconds();
            let base = 2i64.pow(attempt.clamp(0, 12) as u32).min(3_600) * 1_000;
            assert!(
                wait >= base - base / 5 && wait <= base + base / 5,
                "{attempt}: {wait}"
            );
        }
        assert!(backoff(1).num_milliseconds() >= 1_600);
        assert!(backoff(40).num_milliseconds() <= 3_600_000 * 6 / 5);
    }
}
