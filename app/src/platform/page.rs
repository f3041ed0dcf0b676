//! Lists that grow without bound (servers, monitors, incidents, runs) are
//! read a page at a time by keyset: the cursor is the last id served, so a
//! page costs an index range scan whatever its depth, and rows added
//! meanwhile neither repeat nor vanish (offsets do both).
use crate::error::{AppError, MsgKey};
use serde::{Deserialize, Serialize};

/// Items served when the caller names no page size.
pub const DEFAULT_PER_PAGE: u64 = 50;
/// The most items one page holds, whatever the caller asks for.
pub const MAX_PER_PAGE: u64 = 200;

/// `{"items": [...], "next_cursor": "..."}`: one page of a list;
/// `next_cursor` is `null` on the last page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The same page with each item turned into its wire form.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

/// Which way ids run through the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Oldest first.
    Ascending,
    /// Newest first.
    Descending,
}

/// A page size within `1..=MAX_PER_PAGE`.
pub fn per_page(requested: Option<u64>) -> u64 {
    requested.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE)
}

/// The id a cursor names; a cursor the caller made up is a 422 on `cursor`.
pub fn parse_cursor(cursor: Option<&str>) -> Result<Option<i64>, AppError> {
    match cursor.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => c
            .parse::<i64>()
            .map(Some)
            .map_err(|_| AppError::invalid([("cursor", MsgKey::BadRequest)])),
    }
}

#[cfg(feature = "ssr")]
pub use db::paginate;

#[cfg(feature = "ssr")]
mod db {
    use super::{Direction, Page, parse_cursor, per_page};
    use crate::error::AppError;
    use sea_orm::{
        ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
    };

    /// One page of `query` (already filtered) by the integer key `id`:
    /// rows after `cursor` in `direction`, at most `per_page` of them.
    /// `key` reads the id of a row, for the next cursor.
    pub async fn paginate<E: EntityTrait>(
        conn: &impl ConnectionTrait,
        query: Select<E>,
        id: E::Column,
        key: impl Fn(&E::Model) -> i64,
        direction: Direction,
        cursor: Option<&str>,
        requested: Option<u64>,
    ) -> Result<Page<E::Model>, AppError> {
        let limit = per_page(requested);
        let after = parse_cursor(cursor)?;
        let query = match (direction, after) {
            (Direction::Ascending, Some(c)) => query.filter(id.gt(c)).order_by_asc(id),
            (Direction::Ascending, None) => query.order_by_asc(id),
            (Direction::Descending, Some(c)) => query.filter(id.lt(c)).order_by_desc(id),
            (Direction::Descending, None) => query.order_by_desc(id),
        };
        // One row more than the page tells whether another page follows.
        let mut items = query.limit(limit + 1).all(conn).await?;
        let more = items.len() as u64 > limit;
        items.truncate(limit as usize);
        let next_cursor = more
            .then(|| items.last().map(|m| key(m).to_string()))
            .flatten();
        Ok(Page { items, next_cursor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes_are_clamped() {
        assert_eq!(per_page(None), DEFAULT_PER_PAGE);
        assert_eq!(per_page(Some(0)), 1);
        assert_eq!(per_page(Some(10_000)), MAX_PER_PAGE);
    }

    #[test]
    fn made_up_cursors_are_refused() {
        assert_eq!(parse_cursor(None).unwrap(), None);
        assert_eq!(parse_cursor(Some("")).unwrap(), None);
        assert_eq!(parse_cursor(Some("42")).unwrap(), Some(42));
        let err = parse_cursor(Some("42; drop table")).unwrap_err();
        assert_eq!(err.status(), 422);
        assert!(err.error.fields.contains_key("cursor"));
    }
}
