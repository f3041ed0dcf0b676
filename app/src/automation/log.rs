//! A run's output: lines with their time and stream, stored as deflated
//! blocks (`run_chunks`), never a row per line. A block is written every
//! few hundred milliseconds or 64 KB, whichever comes first, so a live page
//! sees output within a second and a million lines make a few thousand
//! rows. Lines are numbered across the whole run (every host), from 0.
use super::entity::chunk;
use super::{OutputLine, Stream};
use crate::error::AppError;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, prelude::Expr, sea_query::ExprTrait,
};

/// A line longer than this is cut into pieces of this size.
pub const MAX_LINE: usize = 16 * 1024;
/// Lines one read of the output returns at most.
pub const PAGE_LINES: usize = 5_000;

/// One line as captured: bytes as the program wrote them (invalid UTF-8
/// and control characters included), without its newline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub at_ms: i64,
    pub stream: Stream,
    pub bytes: Vec<u8>,
}

fn stream_code(s: Stream) -> u8 {
    match s {
        Stream::Stdout => 0,
        Stream::Stderr => 1,
        Stream::System => 2,
    }
}

/// Lines as `at_ms:i64 | stream:u8 | len:u32 | bytes`, deflated.
pub fn encode(lines: &[Line]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(lines.iter().map(|l| l.bytes.len() + 13).sum());
    for l in lines {
        raw.extend_from_slice(&l.at_ms.to_le_bytes());
        raw.push(stream_code(l.stream));
        raw.extend_from_slice(&(l.bytes.len() as u32).to_le_bytes());
        raw.extend_from_slice(&l.bytes);
    }
    miniz_oxide::deflate::compress_to_vec(&raw, 6)
}

/// The lines of an [`encode`]d block; `None` when it is not one.
pub fn decode(data: &[u8]) -> Option<Vec<Line>> {
    let raw = miniz_oxide::inflate::decompress_to_vec_with_limit(data, 64 << 20).ok()?;
    let mut lines = Vec::new();
    let mut rest = raw.as_slice();
    while !rest.is_empty() {
        let (head, tail) = rest.split_at_checked(13)?;
        let at_ms = i64::from_le_bytes(head[..8].try_into().ok()?);
        let stream = match head[8] {
            0 => Stream::Stdout,
            1 => Stream::Stderr,
            _ => Stream::System,
        };
        let len = u32::from_le_bytes(head[9..13].try_into().ok()?) as usize;
        let (bytes, tail) = tail.split_at_checked(len)?;
        lines.push(Line {
            at_ms,
            stream,
            bytes: bytes.to_vec(),
        });
        rest = tail;
    }
    Some(lines)
}

/// Bytes as text: valid UTF-8 as it is (ANSI colour sequences and tabs
/// kept for the viewer), every other byte and control character escaped
/// as `\xNN`, so binary output is shown, never lost or garbled.
pub fn escape(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() && c != '\t' && c != '\u{1b}' {
                out.push_str(&format!("\\x{:02x}", c as u32 & 0xff));
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// A line's time on the wire: RFC 3339 with milliseconds (lines come
/// faster than seconds).
fn stamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// Writes one host's lines of a run, a block at a time.
pub struct Writer {
    run_id: i32,
    target_id: i32,
    pending: Vec<Line>,
    pending_bytes: usize,
}

impl Writer {
    pub fn new(run_id: i32, target_id: i32) -> Self {
        Self {
            run_id,
            target_id,
            pending: Vec::new(),
            pending_bytes: 0,
        }
    }

    /// Adds one line (cut when longer than [`MAX_LINE`]).
    pub fn push(&mut self, at_ms: i64, stream: Stream, bytes: &[u8]) {
        for piece in bytes.chunks(MAX_LINE) {
            self.pending_bytes += piece.len();
            self.pending.push(Line {
                at_ms,
                stream,
                bytes: piece.to_vec(),
            });
        }
        if bytes.is_empty() {
            self.pending.push(Line {
                at_ms,
                stream,
                bytes: Vec::new(),
            });
        }
    }

    /// Enough waits to make a block of now.
    pub fn full(&self) -> bool {
        self.pending_bytes >= 64 * 1024 || self.pending.len() >= 2_000
    }

    /// Writes what waits as one block, numbered after the run's last line.
    /// Two hosts of a run may write at once: the unique (run, first line)
    /// index refuses the second, which counts again.
    pub async fn flush(&mut self, conn: &impl ConnectionTrait) -> Result<(), AppError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let data = encode(&self.pending);
        let mut tries = 0;
        loop {
            let first = next_line(conn, self.run_id).await?;
            let row = chunk::ActiveModel {
                run_id: Set(self.run_id),
                target_id: Set(self.target_id),
                first_line: Set(first),
                lines: Set(self.pending.len() as i32),
                raw_bytes: Set(self.pending_bytes as i64),
                data: Set(data.clone()),
                ..Default::default()
            };
            match row.insert(conn).await {
                Ok(_) => break,
                Err(_) if tries < 8 => tries += 1,
                Err(e) => return Err(e.into()),
            }
        }
        self.pending.clear();
        self.pending_bytes = 0;
        Ok(())
    }
}

/// The number the run's next line gets.
async fn next_line(conn: &impl ConnectionTrait, run_id: i32) -> Result<i64, AppError> {
    let end: Option<Option<i64>> = chunk::Entity::find()
        .select_only()
        .column_as(
            Expr::col(chunk::Column::FirstLine).add(Expr::col(chunk::Column::Lines)),
            "end",
        )
        .filter(chunk::Column::RunId.eq(run_id))
        .order_by_desc(chunk::Column::FirstLine)
        .limit(1)
        .into_tuple()
        .one(conn)
        .await?;
    Ok(end.flatten().unwrap_or(0))
}

/// The run's lines from number `after` on (at most [`PAGE_LINES`]), each
/// with its host's label from `label`.
pub async fn read(
    conn: &impl ConnectionTrait,
    run_id: i32,
    after: i64,
    label: impl Fn(i32) -> String,
) -> Result<Vec<OutputLine>, AppError> {
    let blocks = chunk::Entity::find()
        .filter(chunk::Column::RunId.eq(run_id))
        .filter(
            Expr::col(chunk::Column::FirstLine)
                .add(Expr::col(chunk::Column::Lines))
                .gt(after),
        )
        .order_by_asc(chunk::Column::FirstLine)
        .limit(64)
        .all(conn)
        .await?;
    let mut out = Vec::new();
    for block in blocks {
        let target = label(block.target_id);
        let lines = decode(&block.data).unwrap_or_default();
        for (i, l) in lines.into_iter().enumerate() {
            let n = block.first_line + i as i64;
            if n < after {
                continue;
            }
            out.push(OutputLine {
                n,
                at: stamp(l.at_ms),
                stream: l.stream,
                target: target.clone(),
                text: escape(&l.bytes),
            });
            if out.len() >= PAGE_LINES {
                return Ok(out);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_round_trip_and_are_smaller_than_the_text() {
        let lines: Vec<Line> = (0..2_000)
            .map(|i| Line {
                at_ms: 1_765_000_000_000 + i,
                stream: if i % 7 == 0 {
                    Stream::Stderr
                } else {
                    Stream::Stdout
                },
                bytes: format!("line {i}: copying /var/lib/app/file-{i}.dat").into_bytes(),
            })
            .collect();
        let raw: usize = lines.iter().map(|l| l.bytes.len() + 1).sum();
        let data = encode(&lines);
        assert!(data.len() < raw / 3, "{} bytes for {raw}", data.len());
        assert_eq!(decode(&data).unwrap(), lines);
        assert_eq!(decode(b"not deflate"), None);
        // A block cut short is refused, not read as fewer lines.
        let cut = miniz_oxide::deflate::compress_to_vec(&[1, 2, 3], 6);
        assert_eq!(decode(&cut), None);
    }

    #[test]
    fn binary_and_invalid_utf8_are_escaped_colours_kept() {
        assert_eq!(escape(b"plain \xc3\xa9t\xc3\xa9"), "plain été");
        assert_eq!(escape(b"bad \xff\xfe end"), "bad \\xff\\xfe end");
        assert_eq!(
            escape(b"\x1b[31mred\x1b[0m\tok"),
            "\u{1b}[31mred\u{1b}[0m\tok"
        );
        assert_eq!(escape(b"nul\x00bell\x07"), "nul\\x00bell\\x07");
    }

    #[test]
    fn long_lines_are_cut_and_empty_lines_kept() {
        let mut w = Writer::new(1, 1);
        w.push(0, Stream::Stdout, &vec![b'a'; MAX_LINE * 2 + 5]);
        w.push(0, Stream::Stdout, b"");
        assert_eq!(w.pending.len(), 4);
        assert_eq!(w.pending[2].bytes.len(), 5);
        assert!(w.pending[3].bytes.is_empty());
    }
}
