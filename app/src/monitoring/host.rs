//! A host's CPU, memory, disk and load over time, from its node_exporter
//! check: each scrape is one sample, stored in chunks like the results
//! (`series.rs`) in `host_chunks`, kept [`HOST_DAYS`] days.
//!
//! CPU use is a rate: node_exporter gives the seconds each CPU spent in
//! each mode since boot, so a sample's CPU is `1 − Δidle / Δtotal` between
//! this scrape and the one before (the writer keeps the last counters).
//! Values are stored in thousandths (per mille; load in hundredths) as
//! varints, 0 meaning "not reported".
use super::{HostPoint, HostSeries, varint};

/// Host samples are kept this long.
pub const HOST_DAYS: u32 = 30;
/// A chunk is sealed at this many samples or this span (seconds).
const SEAL_SAMPLES: u32 = 240;
const SEAL_SPAN: i64 = 4 * 3600;
const OPEN: u8 = 0;
const SEALED: u8 = 1;
const MAX_INFLATED: usize = 64 * 1024;

/// What one scrape read, before the CPU rate is known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HostReading {
    /// Seconds (in ms) all CPUs spent idle since boot, and in every mode.
    pub cpu_idle_ms: u64,
    pub cpu_total_ms: u64,
    pub memory_permille: Option<u32>,
    pub disk_permille: Option<u32>,
    pub load_centi: Option<u32>,
}

/// One stored sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostSample {
    pub at: i64,
    pub cpu_permille: Option<u32>,
    pub memory_permille: Option<u32>,
    pub disk_permille: Option<u32>,
    pub load_centi: Option<u32>,
}

impl HostSample {
    /// The sample `now` makes after `before` (the previous scrape, whose
    /// counters give the CPU rate; none after a restart or a reboot).
    pub fn of(at: i64, now: &HostReading, before: Option<&HostReading>) -> Self {
        let cpu_permille = before.and_then(|b| {
            let total = now.cpu_total_ms.checked_sub(b.cpu_total_ms)?;
            let idle = now.cpu_idle_ms.checked_sub(b.cpu_idle_ms)?;
            (total > 0 && idle <= total).then(|| (1000 - idle * 1000 / total) as u32)
        });
        Self {
            at,
            cpu_permille,
            memory_permille: now.memory_permille,
            disk_permille: now.disk_permille,
            load_centi: now.load_centi,
        }
    }

    fn values(&self) -> [Option<u32>; 4] {
        [
            self.cpu_permille,
            self.memory_permille,
            self.disk_permille,
            self.load_centi,
        ]
    }
}

/// A chunk of host samples being written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostChunk {
    pub start_at: i64,
    pub end_at: i64,
    pub samples: u32,
    body: Vec<u8>,
}

impl HostChunk {
    pub fn new(start_at: i64) -> Self {
        Self {
            start_at,
            end_at: start_at,
            samples: 0,
            body: Vec::new(),
        }
    }

    /// Continues a stored open chunk; `None` when sealed or unreadable.
    pub fn resume(start_at: i64, data: &[u8]) -> Option<Self> {
        let body = data.strip_prefix(&[OPEN])?;
        let samples = decode_body(start_at, body)?;
        Some(Self {
            start_at,
            end_at: samples.last().map_or(start_at, |s| s.at),
            samples: samples.len() as u32,
            body: body.to_vec(),
        })
    }

    /// Whether `at` belongs in a new chunk instead.
    pub fn is_full(&self, at: i64) -> bool {
        self.samples >= SEAL_SAMPLES || at - self.start_at >= SEAL_SPAN || at < self.end_at
    }

    pub fn push(&mut self, s: &HostSample) {
        varint::put(&mut self.body, (s.at - self.end_at).max(0) as u64);
        for v in s.values() {
            varint::put(&mut self.body, v.map_or(0, |v| u64::from(v) + 1));
        }
        self.end_at = s.at;
        self.samples += 1;
    }

    pub fn encode(&self, sealed: bool) -> Vec<u8> {
        if sealed {
            let mut out = vec![SEALED];
            out.extend(miniz_oxide::deflate::compress_to_vec(&self.body, 9));
            out
        } else {
            [&[OPEN][..], &self.body].concat()
        }
    }
}

fn decode_body(start_at: i64, body: &[u8]) -> Option<Vec<HostSample>> {
    let mut out = Vec::new();
    let (mut pos, mut at) = (0, start_at);
    while pos < body.len() {
        at += i64::try_from(varint::get(body, &mut pos)?).ok()?;
        let mut value = || -> Option<Option<u32>> {
            let v = varint::get(body, &mut pos)?;
            Some(v.checked_sub(1).and_then(|v| u32::try_from(v).ok()))
        };
        out.push(HostSample {
            at,
            cpu_permille: value()?,
            memory_permille: value()?,
            disk_permille: value()?,
            load_centi: value()?,
        });
    }
    Some(out)
}

/// The samples of a stored chunk; `None` when corrupt.
pub fn decode(start_at: i64, data: &[u8]) -> Option<Vec<HostSample>> {
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

/// Averages `samples` (in time order) per `step` over `[from, to)`.
pub fn bucket(
    (server_id, server_name): (i32, String),
    monitor: Option<i32>,
    from: i64,
    to: i64,
    step: i64,
    samples: &[HostSample],
) -> HostSeries {
    let mut points: Vec<HostPoint> = Vec::new();
    let mut i = 0;
    let inside: Vec<&HostSample> = samples
        .iter()
        .filter(|s| s.at >= from && s.at < to)
        .collect();
    while i < inside.len() {
        let at = from + (inside[i].at - from) / step * step;
        let mut sums = [(0u64, 0u64); 4];
        while i < inside.len() && inside[i].at < at + step {
            for (sum, v) in sums.iter_mut().zip(inside[i].values()) {
                if let Some(v) = v {
                    *sum = (sum.0 + u64::from(v), sum.1 + 1);
                }
            }
            i += 1;
        }
        let avg = |(sum, n): (u64, u64), scale: f32| (n > 0).then(|| sum as f32 / n as f32 / scale);
        points.push(HostPoint {
            at,
            cpu_pct: avg(sums[0], 10.0),
            memory_pct: avg(sums[1], 10.0),
            disk_pct: avg(sums[2], 10.0),
            load: avg(sums[3], 100.0),
        });
    }
    HostSeries {
        server_id,
        server_name,
        monitor,
        from,
        to,
        step,
        points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(idle: u64, total: u64) -> HostReading {
        HostReading {
            cpu_idle_ms: idle,
            cpu_total_ms: total,
            memory_permille: Some(500),
            disk_permille: Some(700),
            load_centi: Some(52),
        }
    }

    #[test]
    fn cpu_is_the_busy_share_between_two_scrapes() {
        let a = reading(10_000, 20_000);
        let b = reading(10_750, 21_000);
        assert_eq!(HostSample::of(0, &b, Some(&a)).cpu_permille, Some(250));
        // No previous scrape, or counters gone back (a reboot): unknown.
        assert_eq!(HostSample::of(0, &b, None).cpu_permille, None);
        assert_eq!(HostSample::of(0, &a, Some(&b)).cpu_permille, None);
    }

    #[test]
    fn chunks_round_trip_and_buckets_average() {
        let t0 = 1_700_000_000;
        let samples: Vec<HostSample> = (0..240)
            .map(|i| HostSample {
                at: t0 + 30 * i,
                cpu_permille: (i > 0).then_some(100 + (i % 10) as u32),
                memory_permille: Some(400),
                disk_permille: Some(700),
                load_centi: None,
            })
            .collect();
        let mut chunk = HostChunk::new(t0);
        for s in &samples[..100] {
            chunk.push(s);
        }
        let mut resumed = HostChunk::resume(t0, &chunk.encode(false)).unwrap();
        assert_eq!(resumed, chunk);
        for s in &samples[100..] {
            assert!(!resumed.is_full(s.at));
            resumed.push(s);
        }
        assert!(resumed.is_full(t0 + 30 * 240));
        let sealed = resumed.encode(true);
        assert!(sealed.len() < 240 * 2, "{} bytes", sealed.len());
        assert_eq!(decode(t0, &sealed).unwrap(), samples);
        assert_eq!(decode(t0, &[SEALED, 1, 2]), None);
        assert!(HostChunk::resume(t0, &sealed).is_none());

        let series = bucket((1, "db-1".into()), Some(3), t0, t0 + 7200, 3600, &samples);
        assert_eq!(series.points.len(), 2);
        let p = &series.points[0];
        assert_eq!(
            (p.memory_pct, p.disk_pct, p.load),
            (Some(40.0), Some(70.0), None)
        );
        let cpu = p.cpu_pct.unwrap();
        assert!((10.0..11.0).contains(&cpu), "{cpu}");
    }
}
