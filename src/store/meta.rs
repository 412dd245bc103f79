//! The `meta` table's typed values, read and written in one place. Each function takes a
//! plain connection, so the store and an import's transaction share them.
//!
//! A value that does not parse can only come from a damaged or hand-edited database: it is a
//! conversion error (reported as a damaged database), never a silent default.

use crate::cooccurrence::Window;
use rusqlite::types::Type;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

const GRAPH_VERSION: &str = "graph_version";
const WINDOW: &str = "window";
const EDGES: &str = "edges";
const TOTAL_WEIGHT: &str = "total_weight";

/// The appears-with edge count and the sum of their weights (the number of pair
/// contributions of all sources).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EdgeTotals {
    pub edges: i64,
    pub total_weight: i64,
}

/// The raw value of `key`.
pub(super) fn get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

pub(super) fn set(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map(drop)
}

/// The number stored under `key`, if any.
fn number<T: std::str::FromStr>(conn: &Connection, key: &str) -> rusqlite::Result<Option<T>>
where
    T::Err: std::error::Error + Send + Sync + 'static,
{
    match get(conn, key)? {
        None => Ok(None),
        Some(text) => text.trim().parse().map(Some).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(
                0,
                Type::Text,
                format!("meta.{key} holds {text:?}: {e}").into(),
            )
        }),
    }
}

/// Bumped by every change of the graph; 0 before the first import.
pub(super) fn graph_version(conn: &Connection) -> rusqlite::Result<i64> {
    Ok(number(conn, GRAPH_VERSION)?.unwrap_or(0))
}

/// Count one more change of the graph; returns the new version.
pub(super) fn bump_graph_version(conn: &Connection) -> rusqlite::Result<i64> {
    let version = graph_version(conn)? + 1;
    set(conn, GRAPH_VERSION, &version.to_string())?;
    Ok(version)
}

/// The co-occurrence window the edges were computed with; 0 (or nothing) is none.
pub(super) fn window(conn: &Connection) -> rusqlite::Result<Window> {
    Ok(number::<u32>(conn, WINDOW)?.filter(|&w| w > 0))
}

pub(super) fn set_window(conn: &Connection, window: Window) -> rusqlite::Result<()> {
    set(conn, WINDOW, &window.unwrap_or(0).to_string())
}

/// The totals every change to the edges keeps; counted (a scan of appears_with) in a database
/// that has none yet.
pub(super) fn edge_totals(conn: &Connection) -> rusqlite::Result<EdgeTotals> {
    match (number(conn, EDGES)?, number(conn, TOTAL_WEIGHT)?) {
        (Some(edges), Some(total_weight)) => Ok(EdgeTotals {
            edges,
            total_weight,
        }),
        _ => count_edges(conn),
    }
}

pub(super) fn set_edge_totals(conn: &Connection, totals: EdgeTotals) -> rusqlite::Result<()> {
    set(conn, EDGES, &totals.edges.to_string())?;
    set(conn, TOTAL_WEIGHT, &totals.total_weight.to_string())
}

/// Count the edges and their weight by scanning appears_with.
pub(super) fn count_edges(conn: &Connection) -> rusqlite::Result<EdgeTotals> {
    conn.query_row(
        "SELECT count(*), ifnull(sum(weight), 0) FROM appears_with",
        [],
        |r| {
            Ok(EdgeTotals {
                edges: r.get(0)?,
                total_weight: r.get(1)?,
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn typed_values_round_trip_and_bad_ones_are_errors() {
        let store = Store::open_in_memory().unwrap();
        let c = store.conn();
        assert_eq!(graph_version(c).unwrap(), 0);
        assert_eq!(bump_graph_version(c).unwrap(), 1);
        assert_eq!(window(c).unwrap(), None);
        set_window(c, Some(3)).unwrap();
        assert_eq!(window(c).unwrap(), Some(3));
        set_window(c, None).unwrap();
        assert_eq!(window(c).unwrap(), None);
        assert_eq!(edge_totals(c).unwrap(), EdgeTotals::default());
        set(c, WINDOW, "three").unwrap();
        let err = store.window().unwrap_err();
        assert_eq!(err.exit_code(), crate::error::exit_code::DATABASE);
        assert!(err.to_string().contains("meta.window"), "{err}");
    }
}
