//! Baseline for `make bench`'s check engine figure: the least a program can
//! do to make the same requests — one shared reqwest client, N requests
//! spread evenly over each interval, each body read to its end — so the
//! engine's CPU per check is reported as a ratio to this.
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, n, interval, seconds] = args.as_slice() else {
        eprintln!("usage: bench_check_loop URL N INTERVAL_SECS DURATION_SECS");
        std::process::exit(2);
    };
    let n: u64 = n.parse().expect("N");
    let interval = Duration::from_secs(interval.parse().expect("INTERVAL_SECS"));
    let seconds: u64 = seconds.parse().expect("DURATION_SECS");
    let client = reqwest::Client::new();
    let done = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let gap = interval / n as u32;
    let mut tick = tokio::time::interval(gap);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let end = tokio::time::Instant::now() + Duration::from_secs(seconds);
    while tokio::time::Instant::now() < end {
        tick.tick().await;
        let (client, url, done, failed) =
            (client.clone(), url.clone(), done.clone(), failed.clone());
        tokio::spawn(async move {
            let ok = match client
                .get(&url)
                .timeout(Duration::from_secs(10))
                .send()
                .await
            {
                Ok(r) => r.bytes().await.is_ok(),
                Err(_) => false,
            };
            let counter = if ok { &done } else { &failed };
            counter.fetch_add(1, Ordering::Relaxed);
        });
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!(
        "requests {} failed {}",
        done.load(Ordering::Relaxed),
        failed.load(Ordering::Relaxed)
    );
}
