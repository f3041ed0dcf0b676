//! Time series of check results, stored as chunks rather than a row per
//! check: one `monitor_chunks` row holds a run of one monitor's samples.
//!
//! A sample is (time, status, latency). Checks come at a regular interval,
//! so a sample is written as the change of the gap since the previous one
//! (usually 0) and the latency with the status in its two low bits, both
//! as zigzag varints: about two bytes a sample in an open chunk. A chunk
//! is sealed at [`SEAL_SAMPLES`] samples or [`SEAL_SPAN`] seconds, and a
//! sealed chunk is deflated (`miniz_oxide`: pure Rust, the deflate under
//! `flate2`, already in the tree through the HTTP compression layer),
//! which folds the long runs of equal values down to a fraction of that.
use super::{MonitorStatus, Series, SeriesPoint, SeriesSource, rollup, varint};
use crate::error::{AppError, MsgKey};

/// A chunk is sealed (and compressed) when it holds this many samples…
pub const SEAL_SAMPLES: u32 = 240;
/// …or spans this many seconds.
pub const SEAL_SPAN: i64 = 4 * 3600;
/// Points a series answer holds at most; a longer range needs a larger step.
pub const MAX_POINTS: i64 = 2_000;

const OPEN: u8 = 0;
const SEALED: u8 = 1;
/// A sealed chunk never inflates past this (a corrupt row cannot eat memory).
const MAX_INFLATED: usize = 64 * 1024;

/// One check result as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// Unix seconds.
    pub at: i64,
    pub status: MonitorStatus,
    pub latency_ms: u32,
}

fn status_bits(s: MonitorStatus) -> u64 {
    match s {
        MonitorStatus::Up => 0,
        MonitorStatus::Down => 1,
        MonitorStatus::Maintenance => 2,
        MonitorStatus::Pending | MonitorStatus::Paused => 3,
    }
}

fn status_of(bits: u64) -> MonitorStatus {
    match bits & 3 {
        0 => MonitorStatus::Up,
        1 => MonitorStatus::Down,
        2 => MonitorStatus::Maintenance,
        _ => MonitorStatus::Pending,
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// A chunk being written: its samples encoded, and what the next one is
/// encoded against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenChunk {
    pub start_at: i64,
    pub end_at: i64,
    pub samples: u32,
    body: Vec<u8>,
    prev_gap: i64,
}

impl OpenChunk {
    pub fn new(start_at: i64) -> Self {
        Self {
            start_at,
            end_at: start_at,
            samples: 0,
            body: Vec::with_capacity(64),
            prev_gap: 0,
        }
    }

    /// Continues a stored open chunk; `None` when it is sealed or unreadable.
    pub fn resume(start_at: i64, data: &[u8]) -> Option<Self> {
        if data.first() != Some(&OPEN) {
            return None;
        }
        let mut chunk = Self::new(start_at);
        let samples = decode_body(start_at, &data[1..])?;
        chunk.body = data[1..].to_vec();
        if let Some(last) = samples.last() {
            chunk.end_at = last.at;
            chunk.samples = samples.len() as u32;
            if samples.len() >= 2 {
                chunk.prev_gap = last.at - samples[samples.len() - 2].at;
            }
        }
        Some(chunk)
    }

    /// The samples written so far.
    pub fn samples(&self) -> Vec<Sample> {
        decode_body(self.start_at, &self.body).unwrap_or_default()
    }

    /// Whether `at` belongs in a new chunk instead.
    pub fn is_full(&self, at: i64) -> bool {
        self.samples >= SEAL_SAMPLES || at - self.start_at >= SEAL_SPAN || at < self.end_at
    }

    pub fn push(&mut self, s: Sample) {
        let gap = if self.samples == 0 {
            s.at - self.start_at
        } else {
            s.at - self.end_at
        };
        varint::put(&mut self.body, zigzag(gap - self.prev_gap));
        varint::put(
            &mut self.body,
            (u64::from(s.latency_ms) << 2) | status_bits(s.status),
        );
        if self.samples > 0 {
            self.prev_gap = gap;
        }
        self.end_at = s.at;
        self.samples += 1;
    }

    /// The bytes stored for this chunk: as is while open, deflated once
    /// sealed.
    pub fn encode(&self, sealed: bool) -> Vec<u8> {
        if sealed {
            let mut out = vec![SEALED];
            out.extend(miniz_oxide::deflate::compress_to_vec(&self.body, 9));
            out
        } else {
            let mut out = Vec::with_capacity(self.body.len() + 1);
            out.push(OPEN);
            out.extend_from_slice(&self.body);
            out
        }
    }
}

fn decode_body(start_at: i64, body: &[u8]) -> Option<Vec<Sample>> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut at = start_at;
    let mut prev_gap = 0i64;
    while pos < body.len() {
        let dgap = unzigzag(varint::get(body, &mut pos)?);
        let value = varint::get(body, &mut pos)?;
        let gap = prev_gap + dgap;
        at += gap;
        if !out.is_empty() {
            prev_gap = gap;
        }
        out.push(Sample {
            at,
            status: status_of(value),
            latency_ms: u32::try_from(value >> 2).ok()?,
        });
    }
    Some(out)
}

/// The samples of a stored chunk (open or sealed); `None` when corrupt.
pub fn decode(start_at: i64, data: &[u8]) -> Option<Vec<Sample>> {
    match data.split_first()? {
        (&OPEN, body) => decode_body(start_at, body),
        (&SEALED, packed) => {
            let body =
                miniz_oxide::inflate::decompress_to_vec_with_limit(packed, MAX_INFLATED).ok()?;
            decode_body(start_at, &body)
        }
        _ => None,
    }
}

/// The range and step a series request asks for, checked: `from < to`,
/// `step` ≥ 1 s and at most [`MAX_POINTS`] buckets. Without `to`, the
/// range ends at the next whole step after `now` (so hourly buckets fall on
/// the hour); without `from`, it starts a day before `to`.
pub fn window(
    from: Option<i64>,
    to: Option<i64>,
    step: Option<i64>,
    now: i64,
) -> Result<(i64, i64, i64), AppError> {
    if step.is_some_and(|s| s < 1) {
        return Err(AppError::invalid([("step", MsgKey::RangeInvalid)]));
    }
    let to = to.unwrap_or_else(|| {
        let s = step.unwrap_or(60);
        now.div_euclid(s) * s + s
    });
    let from = from.unwrap_or(to - 86_400);
    if from >= to {
        return Err(AppError::invalid([("from", MsgKey::RangeInvalid)]));
    }
    let step = step.unwrap_or_else(|| ((to - from) / 200).max(60));
    if (to - from) / step > MAX_POINTS {
        return Err(AppError::invalid([("step", MsgKey::RangeInvalid)]));
    }
    Ok((from, to, step))
}

/// Buckets `samples` (in time order) into `[from, to)` by `step`; empty
/// buckets are left out.
pub fn bucket(monitor: i32, from: i64, to: i64, step: i64, samples: &[Sample]) -> Series {
    let lo = samples.partition_point(|s| s.at < from);
    let hi = samples.partition_point(|s| s.at < to);
    let buckets = rollup::summarize(&samples[lo..hi], from, step);
    points(monitor, from, to, step, SeriesSource::Raw, buckets)
}

/// A series made of `buckets` already in `[from, to)` and on `step`.
pub fn points(
    monitor: i32,
    from: i64,
    to: i64,
    step: i64,
    source: SeriesSource,
    buckets: Vec<rollup::Bucket>,
) -> Series {
    Series {
        monitor,
        from,
        to,
        step,
        source,
        points: buckets.into_iter().map(SeriesPoint::from).collect(),
    }
}

/// Raw results answer ranges of at most this long that end in the last
/// [`RAW_RECENT`] seconds; anything else is read from rollups. Raw results
/// are kept at least that long (the setting's lower bound).
pub const RAW_RANGE: i64 = 2 * 86_400;
pub const RAW_RECENT: i64 = 2 * 86_400;

/// Where a series over `[from, to)` by `step` is read from at `now`: raw
/// results for a short recent range, hour rollups for hourly steps or past
/// the minute rollups' retention, minute rollups otherwise.
pub fn source_for(from: i64, to: i64, step: i64, now: i64) -> SeriesSource {
    if to - from <= RAW_RANGE && from >= now - RAW_RECENT {
        SeriesSource::Raw
    } else if step >= rollup::HOUR || from < now - i64::from(rollup::MINUTE_DAYS) * 86_400 {
        SeriesSource::Hour
    } else {
        SeriesSource::Minute
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(n: usize) -> Vec<Sample> {
        (0..n)
            .map(|i| Sample {
                // A 30 s interval with a second of jitter now and then.
                at: 1_700_000_000 + 30 * i as i64 + (i % 7 == 3) as i64,
                status: if i % 50 == 49 {
                    MonitorStatus::Down
                } else {
                    MonitorStatus::Up
                },
                latency_ms: 1 + (i as u32 * 7) % 5,
            })
            .collect()
    }

    #[test]
    fn open_and_sealed_chunks_round_trip() {
        let all = samples(SEAL_SAMPLES as usize);
        let mut chunk = OpenChunk::new(all[0].at);
        for s in &all[..100] {
            chunk.push(*s);
        }
        let open = chunk.encode(false);
        let mut resumed = OpenChunk::resume(chunk.start_at, &open).expect("open chunk resumes");
        assert_eq!(resumed, chunk);
        for s in &all[100..] {
            assert!(!resumed.is_full(s.at));
            resumed.push(*s);
        }
        assert!(resumed.is_full(all.last().unwrap().at + 30));
        let sealed = resumed.encode(true);
        assert_eq!(decode(resumed.start_at, &sealed).unwrap(), all);
        assert!(OpenChunk::resume(resumed.start_at, &sealed).is_none());
        // The storage target: at most 4 bytes a sample, here well under.
        let per_sample = sealed.len() as f64 / all.len() as f64;
        assert!(per_sample < 2.0, "{per_sample} bytes per sample");
    }

    #[test]
    fn corrupt_chunks_decode_to_none() {
        assert_eq!(decode(0, &[]), None);
        assert_eq!(decode(0, &[7, 1, 2]), None);
        assert_eq!(decode(0, &[OPEN, 0x80]), None);
        assert_eq!(decode(0, &[SEALED, 1, 2, 3]), None);
    }

    #[test]
    fn buckets_give_uptime_and_latency_percentiles() {
        let all = samples(100);
        let from = all[0].at;
        let series = bucket(1, from, from + 3000, 1500, &all);
        assert_eq!(series.points.len(), 2);
        let first = &series.points[0];
        assert_eq!(first.checks, 50);
        assert_eq!(first.uptime, 98.0);
        assert_eq!(first.min_ms, Some(1));
        assert_eq!(first.max_ms, Some(5));
        assert_eq!(first.p95_ms, Some(5));
        let now = 1_700_000_123;
        assert!(window(Some(10), Some(5), None, now).is_err());
        assert!(window(Some(0), Some(100), Some(0), now).is_err());
        assert!(window(Some(0), Some(10_000_000), Some(1), now).is_err());
        assert_eq!(window(Some(0), Some(86_400), None, now).unwrap().2, 432);
        // Defaults: the day up to the next whole hour.
        let (f, t, s) = window(None, None, Some(3600), now).unwrap();
        assert_eq!((t % 3600, t - f, s), (0, 86_400, 3600));
        assert!(t > now && t - now <= 3600);
    }

    #[test]
    fn long_or_old_ranges_read_rollups() {
        let now = 1_700_000_000;
        let day = 86_400;
        assert_eq!(source_for(now - day, now, 60, now), SeriesSource::Raw);
        assert_eq!(
            source_for(now - 3 * day, now, 300, now),
            SeriesSource::Minute
        );
        assert_eq!(
            source_for(now - 5 * day, now - 4 * day, 60, now),
            SeriesSource::Minute
        );
        assert_eq!(
            source_for(now - 30 * day, now, 3600, now),
            SeriesSource::Hour
        );
        assert_eq!(
            source_for(now - 100 * day, now - 99 * day, 60, now),
            SeriesSource::Hour
        );
    }
}
