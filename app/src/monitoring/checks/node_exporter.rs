//! `node-exporter`: scrapes a Prometheus node_exporter and reads the host's
//! load, memory and root filesystem from the text exposition format. Up
//! when the page is read and holds those metrics; the message gives them.
use super::{Spec, read_capped, short};
use crate::monitoring::host::HostReading;

/// What one scrape tells about a host.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostMetrics {
    pub load1: Option<f64>,
    pub memory_used_pct: Option<f64>,
    pub root_used_pct: Option<f64>,
    pub cpus: usize,
    /// Seconds all CPUs spent idle since boot, and in every mode.
    pub cpu_idle_seconds: f64,
    pub cpu_total_seconds: f64,
}

impl HostMetrics {
    /// What the host series stores of this scrape.
    pub fn reading(&self) -> HostReading {
        let permille = |pct: Option<f64>| pct.map(|p| (p * 10.0).round().clamp(0.0, 1000.0) as u32);
        HostReading {
            cpu_idle_ms: (self.cpu_idle_seconds * 1000.0) as u64,
            cpu_total_ms: (self.cpu_total_seconds * 1000.0) as u64,
            memory_permille: permille(self.memory_used_pct),
            disk_permille: permille(self.root_used_pct),
            load_centi: self
                .load1
                .map(|l| (l * 100.0).round().clamp(0.0, 1e9) as u32),
        }
    }
}

/// A sample line: `name{labels} value [timestamp]`.
fn sample(line: &str) -> Option<(&str, &str, f64)> {
    let (head, rest) = match line.find('{') {
        Some(open) => {
            let close = line[open..].find('}')? + open;
            (
                (&line[..open], &line[open + 1..close]),
                line[close + 1..].trim(),
            )
        }
        None => {
            let (n, r) = line.split_once(char::is_whitespace)?;
            ((n, ""), r.trim())
        }
    };
    let value = rest.split_whitespace().next()?.parse().ok()?;
    Some((head.0, head.1, value))
}

/// Reads the metrics this check reports from an exposition page.
pub fn parse(text: &str) -> HostMetrics {
    let mut m = HostMetrics::default();
    let (mut mem_total, mut mem_avail) = (None, None);
    let (mut fs_size, mut fs_avail) = (None, None);
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((name, labels, value)) = sample(line) else {
            continue;
        };
        let root = labels.contains("mountpoint=\"/\"");
        match name {
            "node_load1" => m.load1 = Some(value),
            "node_memory_MemTotal_bytes" => mem_total = Some(value),
            "node_memory_MemAvailable_bytes" => mem_avail = Some(value),
            "node_filesystem_size_bytes" if root => fs_size = Some(value),
            "node_filesystem_avail_bytes" if root => fs_avail = Some(value),
            "node_cpu_seconds_total" => {
                m.cpu_total_seconds += value;
                if labels.contains("mode=\"idle\"") {
                    m.cpus += 1;
                    m.cpu_idle_seconds += value;
                }
            }
            _ => {}
        }
    }
    let used = |total: Option<f64>, avail: Option<f64>| match (total, avail) {
        (Some(t), Some(a)) if t > 0.0 => Some(100.0 * (t - a) / t),
        _ => None,
    };
    m.memory_used_pct = used(mem_total, mem_avail);
    m.root_used_pct = used(fs_size, fs_avail);
    m
}

pub(super) async fn check(
    client: &reqwest::Client,
    spec: &Spec,
) -> Result<(String, HostReading), String> {
    let mut resp = client
        .get(&spec.target)
        .timeout(spec.timeout)
        .send()
        .await
        .map_err(|e| short(&e))?;
    if !resp.status().is_success() {
        return Err(format!("status {}", resp.status().as_u16()));
    }
    let (body, cut) = read_capped(&mut resp, spec.max_bytes).await?;
    let m = parse(&String::from_utf8_lossy(&body));
    let Some(load) = m.load1 else {
        return Err(if cut {
            "no node_exporter metrics within the size cap".into()
        } else {
            "not a node_exporter page".into()
        });
    };
    let pct = |v: Option<f64>| v.map(|v| format!("{v:.0} %")).unwrap_or_else(|| "?".into());
    let message = format!(
        "load {load:.2} on {} CPUs, memory {}, disk / {}",
        m.cpus,
        pct(m.memory_used_pct),
        pct(m.root_used_pct)
    );
    Ok((message, m.reading()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_load_memory_and_root_filesystem() {
        let page = r#"# HELP node_load1 1m load average.
# TYPE node_load1 gauge
node_load1 0.52
node_memory_MemTotal_bytes 1e+09
node_memory_MemAvailable_bytes 2.5e+08
node_filesystem_size_bytes{device="/dev/vda",fstype="ext4",mountpoint="/"} 1000
node_filesystem_avail_bytes{device="/dev/vda",fstype="ext4",mountpoint="/"} 300
node_filesystem_avail_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 1
node_cpu_seconds_total{cpu="0",mode="idle"} 100.5
node_cpu_seconds_total{cpu="0",mode="user"} 10
node_cpu_seconds_total{cpu="1",mode="idle"} 99
garbage line {
"#;
        let m = parse(page);
        assert_eq!(m.load1, Some(0.52));
        assert_eq!(m.memory_used_pct, Some(75.0));
        assert_eq!(m.root_used_pct, Some(70.0));
        assert_eq!(m.cpus, 2);
        assert_eq!((m.cpu_idle_seconds, m.cpu_total_seconds), (199.5, 209.5));
        let r = m.reading();
        assert_eq!(
            (
                r.cpu_idle_ms,
                r.memory_permille,
                r.disk_permille,
                r.load_centi
            ),
            (199_500, Some(750), Some(700), Some(52))
        );
        assert_eq!(parse("<html>nope</html>"), HostMetrics::default());
    }
}
