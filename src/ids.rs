//! Identifiers that cross module boundaries, each its own type so an insight id can never be
//! passed where a source id or a graph node index is meant.
//!
//! - [`InsightId`]: the `insights.id` of an insight, stable for the life of the database
//!   (merged insights keep answering to their old id through `insight_aliases`).
//! - [`SourceId`]: the `sources.id` of one source (a file, or one named source inside a JSONL
//!   file).
//! - [`NodeIndex`]: a dense position `0..n` in one loaded [`crate::graph::InsightGraph`]; valid
//!   only for that graph. Algorithms index arrays with it, so it stays a plain `u32` alias
//!   (petgraph's CSR uses `u32` indices too) rather than a wrapper that every hot loop would
//!   unwrap.
//!
//! Both ids serialize as plain numbers (`"id": 12`), display as numbers, and cross the SQLite
//! boundary through `ToSql`/`FromSql`; a stored value out of range is a conversion error that
//! the store reports as a damaged database.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A node's position in one loaded insight graph.
pub type NodeIndex = u32;

/// The id of an insight (`insights.id`). Insight ids fit in 32 bits: the co-occurrence code
/// packs two of them into one `u64` per pair.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct InsightId(pub u32);

/// The id of a source (`sources.id`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct SourceId(pub i64);

impl InsightId {
    /// The id as SQLite stores it.
    pub fn get(self) -> i64 {
        i64::from(self.0)
    }

    /// An id read from the command line or a file; `None` when it cannot be an insight id.
    pub fn from_i64(id: i64) -> Option<InsightId> {
        u32::try_from(id).ok().map(InsightId)
    }
}

impl fmt::Display for InsightId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ToSql for InsightId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0))
    }
}

impl FromSql for InsightId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let id = i64::column_result(value)?;
        InsightId::from_i64(id).ok_or(FromSqlError::OutOfRange(id))
    }
}

impl ToSql for SourceId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0))
    }
}

impl FromSql for SourceId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(SourceId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_numbers_in_json_and_text() {
        assert_eq!(serde_json::to_string(&InsightId(12)).unwrap(), "12");
        assert_eq!(format!("#{}", InsightId(12)), "#12");
        assert_eq!(serde_json::from_str::<SourceId>("7").unwrap(), SourceId(7));
        assert_eq!(InsightId::from_i64(-1), None);
        assert_eq!(InsightId::from_i64(1 << 40), None);
    }

    #[test]
    fn an_out_of_range_stored_id_is_an_error() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let got: rusqlite::Result<InsightId> = conn.query_row("SELECT 1 << 40", [], |r| r.get(0));
        assert!(got.is_err());
        let ok: InsightId = conn.query_row("SELECT 5", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, InsightId(5));
    }
}
