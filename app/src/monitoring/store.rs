//! Where results are kept: raw chunks and their rollups, written by the
//! engine's writer, read by series and uptime requests, and pruned by the
//! retention job.
use super::entity::{chunk, event, host_chunk, rollup as rollup_row};
use super::host::{self, HostChunk, HostSample};
use super::rollup::{self, Bucket, HOUR, MINUTE};
use super::series::{self, OpenChunk, Sample};
use super::{Series, SeriesSource, Uptime};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

/// Adds `sample` to the monitor's open chunk, sealing it (with its
/// rollups) and starting a new one when full, and stores the chunk.
pub async fn append(
    conn: &impl ConnectionTrait,
    monitor_id: i32,
    open: &mut Option<OpenChunk>,
    sample: Sample,
) -> Result<(), DbErr> {
    if let Some(full) = open.as_ref().filter(|c| c.is_full(sample.at)) {
        seal(conn, monitor_id, full).await?;
        *open = None;
    }
    let chunk = open.get_or_insert_with(|| OpenChunk::new(sample.at));
    chunk.push(sample);
    store_chunk(conn, monitor_id, chunk, false).await
}

/// Stores `c` compressed, with its minute and hour rollups.
pub async fn seal(
    conn: &impl ConnectionTrait,
    monitor_id: i32,
    c: &OpenChunk,
) -> Result<(), DbErr> {
    store_chunk(conn, monitor_id, c, true).await?;
    let samples = c.samples();
    for resolution in [MINUTE, HOUR] {
        let buckets = rollup::summarize(&samples, 0, resolution);
        let row = rollup_row::ActiveModel {
            monitor_id: Set(monitor_id),
            resolution: Set(resolution as i32),
            start_at: Set(c.start_at),
            end_at: Set(c.end_at),
            data: Set(rollup::encode(&buckets, resolution)),
        };
        rollup_row::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([
                    rollup_row::Column::MonitorId,
                    rollup_row::Column::Resolution,
                    rollup_row::Column::StartAt,
                ])
                .update_columns([rollup_row::Column::EndAt, rollup_row::Column::Data])
                .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// Adds a host sample to the monitor's open host chunk, sealing it and
/// starting a new one when full.
pub async fn append_host(
    conn: &impl ConnectionTrait,
    monitor_id: i32,
    open: &mut Option<HostChunk>,
    sample: &HostSample,
) -> Result<(), DbErr> {
    if let Some(full) = open.as_ref().filter(|c| c.is_full(sample.at)) {
        store_host(conn, monitor_id, full, true).await?;
        *open = None;
    }
    let chunk = open.get_or_insert_with(|| HostChunk::new(sample.at));
    chunk.push(sample);
    store_host(conn, monitor_id, chunk, false).await
}

async fn store_host(
    conn: &impl ConnectionTrait,
    monitor_id: i32,
    c: &HostChunk,
    sealed: bool,
) -> Result<(), DbErr> {
    let row = host_chunk::ActiveModel {
        monitor_id: Set(monitor_id),
        start_at: Set(c.start_at),
        end_at: Set(c.end_at),
        samples: Set(c.samples as i32),
        data: Set(c.encode(sealed)),
    };
    host_chunk::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([host_chunk::Column::MonitorId, host_chunk::Column::StartAt])
                .update_columns([
                    host_chunk::Column::EndAt,
                    host_chunk::Column::Samples,
                    host_chunk::Column::Data,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// A node_exporter monitor's host samples overlapping `[from, to)`.
pub async fn host_samples(
    conn: &impl ConnectionTrait,
    monitor_id: i32,
    from: i64,
    to: i64,
) -> Result<Vec<HostSample>, DbErr> {
    let rows = host_chunk::Entity::find()
        .filter(host_chunk::Column::MonitorId.eq(monitor_id))
        .filter(host_chunk::Column::EndAt.gte(from))
        .filter(host_chunk::Column::StartAt.lt(to))
        .order_by_asc(host_chunk::Column::StartAt)
        .all(conn)
        .await?;
    let mut out = Vec::new();
    for c in rows {
        match host::decode(c.start_at, &c.data) {
            Some(s) => out.extend(s),
            None => tracing::warn!(
                monitor = monitor_id,
                start = c.start_at,
                "corrupt host chunk skipped"
            ),
        }
    }
    out.sort_by_key(|s| s.at);
    Ok(out)
}

async fn store_chunk(
    conn: &impl ConnectionTrait,
    monitor_id: i32,
    c: &OpenChunk,
    sealed: bool,
) -> Result<(), DbErr> {
    let row = chunk::ActiveModel {
        monitor_id: Set(monitor_id),
        start_at: Set(c.start_at),
        end_at: Set(c.end_at),
        samples: Set(c.samples as i32),
        data: Set(c.encode(sealed)),
    };
    chunk::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([chunk::Column::MonitorId, chunk::Column::StartAt])
                .update_columns([
                    chunk::Column::EndAt,
                    chunk::Column::Samples,
                    chunk::Column::Data,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// The raw samples of a monitor's chunks overlapping `[from, to)` that
/// start after `after` (in time order).
/// A monitor's raw samples overlapping `[from, to)` (within the raw
/// retention), oldest first.
pub async fn samples(
    conn: &impl ConnectionTrait,
    monitor_id: i32,
    from: i64,
    to: i64,
) -> Result<Vec<Sample>, DbErr> {
    let mut all = raw(conn, monitor_id, from, to, None).await?;
    all.retain(|s| s.at >= from && s.at < to);
    Ok(all)
}

async fn raw(
    conn: &impl ConnectionTrait,
    monitor_id: i32,
    from: i64,
    to: i64,
    after: Option<i64>,
) -> Result<Vec<Sample>, DbErr> {
    let mut q = chunk::Entity::find()
        .filter(chunk::Column::MonitorId.eq(monitor_id))
        .filter(chunk::Column::EndAt.gte(from))
        .filter(chunk::Column::StartAt.lt(to));
    if let Some(after) = after {
        q = q.filter(chunk::Column::StartAt.gt(after));
    }
    let mut samples = Vec::new();
    for c in q.order_by_asc(chunk::Column::StartAt).all(conn).await? {
        match series::decode(c.start_at, &c.data) {
            Some(s) => samples.extend(s),
            None => tracing::warn!(
                monitor = monitor_id,
                start = c.start_at,
                "corrupt chunk skipped"
            ),
        }
    }
    samples.sort_by_key(|s| s.at);
    Ok(samples)
}

/// A monitor's buckets of `resolution` over `[from, to)`: its rollup rows,
/// then the chunks not rolled up yet (the open one) summed the same way.
async fn buckets(
    conn: &impl ConnectionTrait,
    monitor_id: i32,
    resolution: i64,
    from: i64,
    to: i64,
) -> Result<Vec<Bucket>, DbErr> {
    let rows = rollup_row::Entity::find()
        .filter(rollup_row::Column::MonitorId.eq(monitor_id))
        .filter(rollup_row::Column::Resolution.eq(resolution as i32))
        .filter(rollup_row::Column::EndAt.gte(from))
        .filter(rollup_row::Column::StartAt.lt(to))
        .all(conn)
        .await?;
    let mut out = Vec::new();
    // The last rolled-up chunk; the chunks after it are read raw.
    let mut rolled = None::<i64>;
    for r in rows {
        rolled = rolled.max(Some(r.start_at));
        match rollup::decode(&r.data, resolution) {
            Some(b) => out.extend(b),
            None => tracing::warn!(
                monitor = monitor_id,
                start = r.start_at,
                "corrupt rollup skipped"
            ),
        }
    }
    let samples = raw(conn, monitor_id, from, to, rolled).await?;
    out.extend(rollup::summarize(&samples, 0, resolution));
    Ok(out)
}

/// A monitor's series over `[from, to)` by `step`, read from where
/// [`series::source_for`] says.
pub async fn series(
    conn: &impl ConnectionTrait,
    monitor_id: i32,
    (from, to, step): (i64, i64, i64),
    now: i64,
) -> Result<Series, DbErr> {
    let source = series::source_for(from, to, step, now);
    let resolution = match source {
        SeriesSource::Raw => {
            let samples = raw(conn, monitor_id, from, to, None).await?;
            return Ok(series::bucket(monitor_id, from, to, step, &samples));
        }
        SeriesSource::Minute => MINUTE,
        SeriesSource::Hour => HOUR,
    };
    let all = buckets(conn, monitor_id, resolution, from, to).await?;
    let grouped = rollup::regroup(&all, from, to, step);
    Ok(series::points(monitor_id, from, to, step, source, grouped))
}

/// A monitor's uptime over the last day, week, 30 and 90 days, from its
/// hour rollups and its open chunk.
pub async fn uptime(
    conn: &impl ConnectionTrait,
    monitor_id: i32,
    now: i64,
) -> Result<Uptime, DbErr> {
    const DAY: i64 = 86_400;
    let hours = buckets(conn, monitor_id, HOUR, now - 90 * DAY, now + 1).await?;
    let over = |days: i64| {
        let since = now - days * DAY;
        let within: Vec<Bucket> = hours.iter().filter(|b| b.at >= since).copied().collect();
        rollup::uptime(&within)
    };
    Ok(Uptime {
        day: over(1),
        week: over(7),
        month: over(30),
        quarter: over(90),
    })
}

/// A monitor's checks and ups per UTC day over the `days` days up to
/// `now` (today included), from its hour rollups and its open chunk:
/// `(day start, checks, up)`, oldest first, days without results left out.
pub async fn daily(
    conn: &impl ConnectionTrait,
    monitor_id: i32,
    days: i64,
    now: i64,
) -> Result<Vec<(i64, u32, u32)>, DbErr> {
    const DAY: i64 = 86_400;
    let from = (now.div_euclid(DAY) - days + 1) * DAY;
    let hours = buckets(conn, monitor_id, HOUR, from, now + 1).await?;
    Ok(rollup::regroup(&hours, from, now + 1, DAY)
        .into_iter()
        .map(|b| (b.at, b.checks, b.up))
        .collect())
}

/// What the retention job deleted.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    pub chunks: u64,
    pub minutes: u64,
    pub hours: u64,
    pub events: u64,
    pub hosts: u64,
}

/// Deletes raw chunks that ended more than `raw_days` ago (only sealed
/// ones: their rollups exist), minute rollups past [`rollup::MINUTE_DAYS`]
/// and hour rollups past [`rollup::HOUR_DAYS`]; changes of state go with
/// the minute rollups; host samples past [`host::HOST_DAYS`].
pub async fn prune(conn: &impl ConnectionTrait, raw_days: u32, now: i64) -> Result<Pruned, DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let days = |d: u32| now - i64::from(d) * 86_400;
    // A chunk is sealed exactly when its hour rollup exists.
    let sealed = Query::select()
        .expr(Expr::val(1))
        .from(rollup_row::Entity)
        .and_where(
            Expr::col((rollup_row::Entity, rollup_row::Column::MonitorId))
                .equals((chunk::Entity, chunk::Column::MonitorId)),
        )
        .and_where(
            Expr::col((rollup_row::Entity, rollup_row::Column::StartAt))
                .equals((chunk::Entity, chunk::Column::StartAt)),
        )
        .and_where(rollup_row::Column::Resolution.eq(HOUR as i32))
        .to_owned();
    let chunks = chunk::Entity::delete_many()
        .filter(chunk::Column::EndAt.lt(days(raw_days)))
        .filter(Expr::exists(sealed))
        .exec(conn)
        .await?
        .rows_affected;
    let mut gone = [0u64; 2];
    for (n, (resolution, keep)) in [(MINUTE, rollup::MINUTE_DAYS), (HOUR, rollup::HOUR_DAYS)]
        .into_iter()
        .enumerate()
    {
        gone[n] = rollup_row::Entity::delete_many()
            .filter(rollup_row::Column::Resolution.eq(resolution as i32))
            .filter(rollup_row::Column::EndAt.lt(days(keep)))
            .exec(conn)
            .await?
            .rows_affected;
    }
    let hosts = host_chunk::Entity::delete_many()
        .filter(host_chunk::Column::EndAt.lt(days(host::HOST_DAYS)))
        .exec(conn)
        .await?
        .rows_affected;
    let events =
        event::Entity::delete_many()
            .filter(event::Column::At.lt(
                chrono::DateTime::from_timestamp(days(rollup::MINUTE_DAYS), 0).unwrap_or_default(),
            ))
            .exec(conn)
            .await?
            .rows_affected;
    Ok(Pruned {
        chunks,
        minutes: gone[0],
        hours: gone[1],
        events,
        hosts,
    })
}
