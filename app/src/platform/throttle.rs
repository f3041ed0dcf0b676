//! Brute-force limits on sign-in. Per account: after 5 consecutive failures
//! each attempt waits 30 s, doubling up to 15 min, and at most 100 failures
//! per hour; a success clears the count. Per IP: a token bucket in memory.
//! A locked-out owner waits at most the current window, never longer.
//! Accounts are keyed by email for sign-in and `2fa:<user id>` for the
//! codes that confirm or turn off two-factor authentication.
use super::throttle_entity as row;
use crate::error::{AppError, MsgKey};
use chrono::{DateTime, Duration, Utc};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait,
    QuerySelect, sea_query::OnConflict,
};
use std::{net::IpAddr, num::NonZeroU32};

pub const FREE_FAILURES: i32 = 5;
pub const HOURLY_FAILURES: i32 = 100;
const FIRST_WAIT_SECS: i64 = 30;
const MAX_WAIT_SECS: i64 = 15 * 60;

/// Wait after `failures` consecutive failures, if any.
pub fn backoff(failures: i32) -> Option<Duration> {
    if failures < FREE_FAILURES {
        return None;
    }
    let doublings = (failures - FREE_FAILURES).min(10) as u32;
    Some(Duration::seconds(
        (FIRST_WAIT_SECS << doublings).min(MAX_WAIT_SECS),
    ))
}

/// Seconds until `account` may try again, from its row.
fn wait(r: &row::Model, now: DateTime<Utc>) -> Option<i64> {
    let hour_end = r.hour_start + Duration::hours(1);
    let hourly = (r.hour_failures >= HOURLY_FAILURES && hour_end > now)
        .then(|| (hour_end - now).num_seconds());
    let backoff = backoff(r.failures)
        .map(|b| r.last_failure_at + b)
        .filter(|until| *until > now)
        .map(|until| (until - now).num_seconds());
    hourly.into_iter().chain(backoff).max()
}

/// Reserves one attempt for `account` before its credentials are checked
/// (argon2 takes tens of milliseconds): 429 when the account must wait,
/// otherwise the attempt is counted as a failure at once, and a success
/// clears it with [`reset`]. Check and count are one transaction that
/// starts with a write (SQLite: the database write lock) and locks the row
/// (PostgreSQL: `FOR UPDATE`), so N parallel guesses count as N.
pub async fn reserve(db: &DatabaseConnection, account: &str) -> Result<(), AppError> {
    let now = Utc::now();
    let tx = super::db::begin(db).await?;
    let blank = row::ActiveModel {
        account: Set(account.to_string()),
        failures: Set(0),
        last_failure_at: Set(now),
        hour_start: Set(now),
        hour_failures: Set(0),
    };
    row::Entity::insert(blank)
        .on_conflict(
            OnConflict::column(row::Column::Account)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&tx)
        .await?;
    let r = row::Entity::find_by_id(account.to_string())
        .lock_exclusive()
        .one(&tx)
        .await?
        .ok_or_else(|| AppError::internal("throttle row vanished"))?;
    if let Some(secs) = wait(&r, now) {
        return Err(AppError::retry_after(
            MsgKey::TooManyAttempts,
            secs.max(1) as u64,
        ));
    }
    let (hour_start, hour_failures) = if r.hour_start + Duration::hours(1) > now {
        (r.hour_start, r.hour_failures + 1)
    } else {
        (now, 1)
    };
    row::ActiveModel {
        account: Set(account.to_string()),
        failures: Set(r.failures + 1),
        last_failure_at: Set(now),
        hour_start: Set(hour_start),
        hour_failures: Set(hour_failures),
    }
    .update(&tx)
    .await?;
    Ok(tx.commit().await?)
}

pub async fn reset(conn: &impl ConnectionTrait, account: &str) -> Result<(), AppError> {
    row::Entity::delete_by_id(account.to_string())
        .exec(conn)
        .await?;
    Ok(())
}

/// Rows idle for a day are forgotten.
pub async fn purge(conn: &impl ConnectionTrait) -> Result<(), AppError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    row::Entity::delete_many()
        .filter(row::Column::LastFailureAt.lt(Utc::now() - Duration::days(1)))
        .exec(conn)
        .await?;
    Ok(())
}

/// Sign-in attempts per client IP.
pub struct IpLimiter(DefaultKeyedRateLimiter<IpAddr>);

impl IpLimiter {
    pub fn per_minute(n: u32) -> Self {
        let n = NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN);
        IpLimiter(RateLimiter::keyed(Quota::per_minute(n)))
    }

    /// `Err(seconds)` when this IP must wait.
    pub fn check(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        let Some(ip) = ip else { return Ok(()) };
        self.0.check_key(&ip).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.0.clock().now());
            AppError::retry_after(MsgKey::TooManyAttempts, wait.as_secs() + 1)
        })
    }

    pub fn shrink(&self) {
        self.0.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(failures: i32, ago_secs: i64, hour_failures: i32) -> row::Model {
        let now = Utc::now();
        row::Model {
            account: "a@b.c".into(),
            failures,
            last_failure_at: now - Duration::seconds(ago_secs),
            hour_start: now - Duration::minutes(10),
            hour_failures,
        }
    }

    #[test]
    fn backoff_starts_after_five_failures_and_is_capped() {
        assert_eq!(backoff(4), None);
        assert_eq!(backoff(5), Some(Duration::seconds(30)));
        assert_eq!(backoff(6), Some(Duration::seconds(60)));
        assert_eq!(backoff(50), Some(Duration::minutes(15)));
    }

    #[test]
    fn waits_end_with_their_window() {
        let now = Utc::now();
        assert_eq!(wait(&r(4, 0, 4), now), None);
        let w = wait(&r(5, 10, 5), now).unwrap();
        assert!((19..=20).contains(&w), "{w}");
        assert_eq!(wait(&r(5, 31, 5), now), None, "the window is over");
        // 100 failures in the hour: blocked until the hour ends (50 min left), no longer.
        let w = wait(&r(3, 1000, 100), now).unwrap();
        assert!((2990..=3000).contains(&w), "{w}");
    }

    #[test]
    fn ip_limiter_refuses_after_quota() {
        let l = IpLimiter::per_minute(2);
        let ip = Some("127.0.0.1".parse().unwrap());
        assert!(l.check(ip).is_ok());
        assert!(l.check(ip).is_ok());
        let err = l.check(ip).unwrap_err();
        assert!(err.error.retry_after.unwrap() >= 1);
        assert!(l.check(Some("10.0.0.1".parse().unwrap())).is_ok());
    }
}
