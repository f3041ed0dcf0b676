//! Rollups: a monitor's results summed per minute and per hour, so a long
//! range is read from a few rows instead of every raw sample.
//!
//! When the writer seals a raw chunk (`series.rs`) it also stores that
//! chunk's minute and hour buckets, each set as one `monitor_rollups` row
//! keyed like the chunk (monitor, resolution, the chunk's start), in the
//! same transaction: a range is rolled up exactly when its chunk is
//! sealed. Rows are deflated varints like the chunks. Raw chunks go after
//! the raw retention (7 days by default), minute rollups after
//! [`MINUTE_DAYS`], hour rollups after [`HOUR_DAYS`] (`prune`).
//!
//! Merging buckets adds checks and ups, takes the least minimum and the
//! greatest maximum, weights averages by their ups, and keeps the greatest
//! p95: an upper bound of the merged p95, the side an operator should err on.
use super::series::Sample;
use super::{MonitorStatus, SeriesPoint, varint};

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 3600;
/// Minute rollups are kept this long…
pub const MINUTE_DAYS: u32 = 90;
/// …and hour rollups this long.
pub const HOUR_DAYS: u32 = 730;
/// A rollup row never inflates past this.
const MAX_INFLATED: usize = 256 * 1024;

/// The checks of one `[at, at + resolution)`; latencies are those of the
/// checks that were up, and 0 when none was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub at: i64,
    pub checks: u32,
    pub up: u32,
    pub min_ms: u32,
    pub avg_ms: u32,
    pub max_ms: u32,
    pub p95_ms: u32,
}

fn counts_up(s: MonitorStatus) -> bool {
    matches!(s, MonitorStatus::Up | MonitorStatus::Maintenance)
}

/// Buckets `samples` (in time order) by `step` seconds, aligned on
/// `origin` (a bucket starts at `origin + k·step`).
pub fn summarize(samples: &[Sample], origin: i64, step: i64) -> Vec<Bucket> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < samples.len() {
        let at = origin + (samples[i].at - origin).div_euclid(step) * step;
        let mut lat: Vec<u32> = Vec::new();
        let mut checks = 0;
        while i < samples.len() && samples[i].at < at + step {
            checks += 1;
            if counts_up(samples[i].status) {
                lat.push(samples[i].latency_ms);
            }
            i += 1;
        }
        lat.sort_unstable();
        let n = lat.len();
        let sum: u64 = lat.iter().map(|&v| u64::from(v)).sum();
        out.push(Bucket {
            at,
            checks,
            up: n as u32,
            min_ms: lat.first().copied().unwrap_or(0),
            avg_ms: if n > 0 { rounded(sum, n as u64) } else { 0 },
            max_ms: lat.last().copied().unwrap_or(0),
            p95_ms: if n > 0 {
                lat[(n * 95).div_ceil(100) - 1]
            } else {
                0
            },
        });
    }
    out
}

/// `sum / n` to the nearest (merged averages drift no further than that).
fn rounded(sum: u64, n: u64) -> u32 {
    ((sum + n / 2) / n) as u32
}

/// Merges `b` into `a` (see the module comment for how).
fn merge(a: &mut Bucket, b: &Bucket) {
    if b.up > 0 {
        if a.up == 0 {
            (a.min_ms, a.max_ms, a.p95_ms) = (b.min_ms, b.max_ms, b.p95_ms);
        } else {
            a.min_ms = a.min_ms.min(b.min_ms);
            a.max_ms = a.max_ms.max(b.max_ms);
            a.p95_ms = a.p95_ms.max(b.p95_ms);
        }
        let sum = u64::from(a.avg_ms) * u64::from(a.up) + u64::from(b.avg_ms) * u64::from(b.up);
        a.avg_ms = rounded(sum, u64::from(a.up + b.up));
    }
    a.checks += b.checks;
    a.up += b.up;
}

/// Re-buckets `buckets` (any order) into `[from, to)` by `step`, in time
/// order; empty buckets are left out.
pub fn regroup(buckets: &[Bucket], from: i64, to: i64, step: i64) -> Vec<Bucket> {
    let mut sorted: Vec<&Bucket> = buckets
        .iter()
        .filter(|b| b.at >= from && b.at < to)
        .collect();
    sorted.sort_by_key(|b| b.at);
    let mut out: Vec<Bucket> = Vec::new();
    for b in sorted {
        let at = from + (b.at - from) / step * step;
        match out.last_mut() {
            Some(last) if last.at == at => merge(last, b),
            _ => out.push(Bucket { at, ..*b }),
        }
    }
    out
}

/// Share of checks up (0–100) over `buckets`; `None` without checks.
pub fn uptime(buckets: &[Bucket]) -> Option<f32> {
    let (checks, up) = buckets.iter().fold((0u64, 0u64), |(c, u), b| {
        (c + u64::from(b.checks), u + u64::from(b.up))
    });
    (checks > 0).then(|| 100.0 * up as f32 / checks as f32)
}

impl From<Bucket> for SeriesPoint {
    fn from(b: Bucket) -> Self {
        let some = |v: u32| (b.up > 0).then_some(v);
        SeriesPoint {
            at: b.at,
            checks: b.checks,
            uptime: 100.0 * b.up as f32 / b.checks.max(1) as f32,
            min_ms: some(b.min_ms),
            avg_ms: some(b.avg_ms),
            max_ms: some(b.max_ms),
            p95_ms: some(b.p95_ms),
        }
    }
}

/// The stored form of a run of buckets of one `resolution` (in time
/// order): each bucket's distance from the previous in resolutions, then
/// its counts and latencies, deflated.
pub fn encode(buckets: &[Bucket], resolution: i64) -> Vec<u8> {
    let mut body = Vec::with_capacity(buckets.len() * 8);
    let mut prev = buckets.first().map_or(0, |b| b.at / resolution);
    varint::put(&mut body, prev as u64);
    for b in buckets {
        let slot = b.at / resolution;
        varint::put(&mut body, (slot - prev) as u64);
        prev = slot;
        varint::put(&mut body, u64::from(b.checks));
        varint::put(&mut body, u64::from(b.up));
        if b.up > 0 {
            for v in [b.min_ms, b.avg_ms, b.max_ms, b.p95_ms] {
                varint::put(&mut body, u64::from(v));
            }
        }
    }
    miniz_oxide::deflate::compress_to_vec(&body, 9)
}

/// The buckets of a stored rollup row; `None` when corrupt.
pub fn decode(data: &[u8], resolution: i64) -> Option<Vec<Bucket>> {
    let body = miniz_oxide::inflate::decompress_to_vec_with_limit(data, MAX_INFLATED).ok()?;
    let mut pos = 0;
    let mut slot = i64::try_from(varint::get(&body, &mut pos)?).ok()?;
    let mut out = Vec::new();
    while pos < body.len() {
        slot += i64::try_from(varint::get(&body, &mut pos)?).ok()?;
        let mut next = || varint::get(&body, &mut pos).and_then(|v| u32::try_from(v).ok());
        let (checks, up) = (next()?, next()?);
        let (min_ms, avg_ms, max_ms, p95_ms) = if up > 0 {
            (next()?, next()?, next()?, next()?)
        } else {
            (0, 0, 0, 0)
        };
        out.push(Bucket {
            at: slot.checked_mul(resolution)?,
            checks,
            up,
            min_ms,
            avg_ms,
            max_ms,
            p95_ms,
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(at: i64, up: bool, latency_ms: u32) -> Sample {
        Sample {
            at,
            status: if up {
                MonitorStatus::Up
            } else {
                MonitorStatus::Down
            },
            latency_ms,
        }
    }

    #[test]
    fn minutes_and_hours_sum_what_they_hold() {
        // Two hours of 30 s checks, latency 1..=20 ms, down every 40th.
        let t0 = 1_700_000_000 / HOUR * HOUR;
        let samples: Vec<Sample> = (0..240)
            .map(|i| sample(t0 + 30 * i, i % 40 != 39, 1 + (i % 20) as u32))
            .collect();
        let minutes = summarize(&samples, 0, MINUTE);
        assert_eq!(minutes.len(), 120);
        assert!(minutes.iter().all(|b| b.checks == 2));
        let hours = summarize(&samples, 0, HOUR);
        assert_eq!(hours.len(), 2);
        assert_eq!((hours[0].checks, hours[0].up), (120, 117));
        assert_eq!((hours[0].min_ms, hours[0].max_ms), (1, 20));
        assert_eq!(hours[0].p95_ms, 19);
        // Minutes regrouped into hours agree on counts and extremes; the
        // merged p95 bounds the exact one from above.
        let regrouped = regroup(&minutes, t0, t0 + 2 * HOUR, HOUR);
        assert_eq!(regrouped.len(), 2);
        for (r, h) in regrouped.iter().zip(&hours) {
            assert_eq!((r.at, r.checks, r.up), (h.at, h.checks, h.up));
            assert_eq!((r.min_ms, r.max_ms), (h.min_ms, h.max_ms));
            assert!(r.avg_ms.abs_diff(h.avg_ms) <= 1);
            assert!(r.p95_ms >= h.p95_ms);
        }
        assert_eq!(uptime(&hours), Some(100.0 * 234.0 / 240.0));
        assert_eq!(uptime(&[]), None);
        let point = SeriesPoint::from(hours[0]);
        assert_eq!((point.checks, point.min_ms), (120, Some(1)));
    }

    #[test]
    fn rows_round_trip_and_corrupt_rows_decode_to_none() {
        let t0 = 1_700_000_000 / HOUR * HOUR;
        let samples: Vec<Sample> = (0..240)
            .map(|i| sample(t0 + 60 * i, i % 7 != 0, 3))
            .collect();
        let minutes = summarize(&samples, 0, MINUTE);
        let all_down = summarize(&[sample(t0, false, 9)], 0, HOUR);
        for (buckets, res) in [(&minutes, MINUTE), (&all_down, HOUR)] {
            let row = encode(buckets, res);
            assert_eq!(decode(&row, res).as_ref(), Some(buckets));
        }
        // Four hours of minutes fit in well under a byte a minute.
        assert!(encode(&minutes, MINUTE).len() < 240);
        assert_eq!(decode(&[1, 2, 3], MINUTE), None);
        let truncated = miniz_oxide::deflate::compress_to_vec(&[5, 1, 2], 9);
        assert_eq!(decode(&truncated, MINUTE), None);
    }
}
