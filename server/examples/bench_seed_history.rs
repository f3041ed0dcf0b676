//! For `make bench`: gives every monitor of a stopped instance's SQLite
//! file `days` days of history, as the engine would have left it at a 30 s
//! interval — minute and hour rollups for each two-hour chunk (encoded by
//! the app's own `rollup::encode`) and a fall and a recovery a day in
//! `monitor_events` — so the overview and a monitor's detail are timed
//! against full tables, not a fresh file.
//!
//! Usage: `bench_seed_history <sqlite file> <days>`.
use app::monitoring::rollup::{Bucket, HOUR, MINUTE, encode};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Connection, Row};
use std::str::FromStr;

/// The engine seals a chunk at 240 samples: two hours at 30 s.
const CHUNK: i64 = 2 * 3600;
/// Rows per INSERT statement.
const BATCH: usize = 400;

/// A chunk starting at `start` rolled up at `resolution`: every check up,
/// latencies that vary a little from bucket to bucket.
fn buckets(start: i64, resolution: i64) -> Vec<Bucket> {
    let checks = (resolution / 30) as u32;
    (0..CHUNK / resolution)
        .map(|i| {
            let at = start + i * resolution;
            let jitter = ((at / resolution) % 7) as u32;
            Bucket {
                at,
                checks,
                up: checks,
                min_ms: 1,
                avg_ms: 2 + jitter / 3,
                max_ms: 4 + jitter,
                p95_ms: 3 + jitter,
            }
        })
        .collect()
}

/// One value to bind.
enum V {
    Int(i64),
    Bytes(Vec<u8>),
    Text(String),
}

async fn insert_many(conn: &mut sqlx::SqliteConnection, head: &str, marks: &str, rows: &[Vec<V>]) {
    for batch in rows.chunks(BATCH) {
        let sql = format!("{head} {}", vec![marks; batch.len()].join(","));
        // Only placeholders are spliced in; the values are bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in batch {
            for v in row {
                q = match v {
                    V::Int(n) => q.bind(*n),
                    V::Bytes(b) => q.bind(b.clone()),
                    V::Text(t) => q.bind(t.clone()),
                };
            }
        }
        q.execute(&mut *conn).await.expect("insert");
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (file, days) = match args.as_slice() {
        [_, file, days] => (file.clone(), days.parse::<i64>().expect("days")),
        _ => panic!("usage: bench_seed_history <sqlite file> <days>"),
    };
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{file}"))
        .expect("path")
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Off);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .expect("open");
    let mut conn = pool.acquire().await.expect("connection");
    let ids: Vec<i64> = sqlx::query("SELECT id FROM monitors ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .expect("monitors")
        .iter()
        .map(|r| r.get(0))
        .collect();
    // Whole chunks ending before today's first: the engine's own rows for
    // the last hours are left as they are.
    let now = chrono::Utc::now().timestamp();
    let first = (now - days * 86_400).div_euclid(CHUNK) * CHUNK + CHUNK;
    let last = now.div_euclid(86_400) * 86_400 - CHUNK;
    // Each chunk's rows are the same for every monitor: encode them once.
    let chunks: Vec<(i64, Vec<u8>, Vec<u8>)> = (0..)
        .map(|k| first + k * CHUNK)
        .take_while(|&start| start <= last)
        .map(|start| {
            (
                start,
                encode(&buckets(start, MINUTE), MINUTE),
                encode(&buckets(start, HOUR), HOUR),
            )
        })
        .collect();
    let mut rows = 0usize;
    let mut events = 0usize;
    for id in &ids {
        let mut tx = conn.begin().await.expect("begin");
        let mut rollups = Vec::with_capacity(chunks.len() * 2);
        for (start, minute, hour) in &chunks {
            for (resolution, data) in [(MINUTE, minute), (HOUR, hour)] {
                rollups.push(vec![
                    V::Int(*id),
                    V::Int(resolution),
                    V::Int(*start),
                    V::Int(start + CHUNK),
                    V::Bytes(data.clone()),
                ]);
            }
        }
        rows += rollups.len();
        insert_many(
            &mut tx,
            "INSERT OR IGNORE INTO monitor_rollups (monitor_id, resolution, start_at, end_at, data) VALUES",
            "(?,?,?,?,?)",
            &rollups,
        )
        .await;
        // A fall and a recovery each day, at an hour of its own.
        let mut changes = Vec::new();
        for day in 1..days {
            let at = now - day * 86_400 + (id % 24) * 3600;
            let stamp = |t: i64| {
                chrono::DateTime::from_timestamp(t, 0)
                    .expect("time")
                    .to_rfc3339()
            };
            for (t, status, previous, message) in [
                (at, "down", "up", "connection failed"),
                (at + 120, "up", "down", "status 200"),
            ] {
                changes.push(vec![
                    V::Int(*id),
                    V::Text(stamp(t)),
                    V::Text(status.into()),
                    V::Text(previous.into()),
                    V::Text(message.into()),
                ]);
            }
        }
        events += changes.len();
        insert_many(
            &mut tx,
            "INSERT INTO monitor_events (monitor_id, at, status, previous, message) VALUES",
            "(?,?,?,?,?)",
            &changes,
        )
        .await;
        tx.commit().await.expect("commit");
    }
    println!(
        "monitors {} rollup_rows {rows} events {events} chunks_per_monitor {}",
        ids.len(),
        chunks.len()
    );
}
