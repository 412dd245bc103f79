//! Typed reads: the graph for the algorithms, and the numbers `stats` shows.

use super::Store;
use crate::error::Error;
use crate::error::Result;
use crate::graph::{CsrArrays, InsightGraph};
use rusqlite::Connection;
use serde::Serialize;

/// An insight with how many sources hold it.
#[derive(Debug, Clone, Serialize)]
pub struct InsightSources {
    pub id: i64,
    pub sources: i64,
    pub text: String,
}

/// Database-wide counts (the graph-derived ones are filled in by `stats`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub files: i64,
    pub sources: i64,
    pub insights: i64,
    pub occurrences: i64,
    pub edges: i64,
    pub total_weight: i64,
    pub related_edges: i64,
    pub window: Option<u32>,
    pub graph_version: i64,
}

impl Store {
    /// Load G: every insight is a node, every appears-with edge an undirected weighted edge.
    ///
    /// Reads the kept snapshot when it matches the graph version; otherwise scans the tables
    /// and keeps a snapshot for next time, if the database can be written right now. Both
    /// are O(V + E), without sorting.
    pub fn load_graph(&self) -> Result<InsightGraph> {
        let version = self.graph_version()?;
        if let Some(graph) = read_snapshot(self.conn(), version).map_err(|e| self.err(e))? {
            return Ok(graph);
        }
        let graph = self.scan_graph()?;
        self.keep_snapshot(version, &graph);
        Ok(graph)
    }

    /// Build G from the insights and appears_with tables: two sequential scans (ids ascending,
    /// edges in (a, b) order) and a counting sort into CSR.
    pub fn scan_graph(&self) -> Result<InsightGraph> {
        let ids = insight_ids(self.conn()).map_err(|e| self.err(e))?;
        let index = IdIndex::new(&ids);
        let mut stmt = self
            .conn()
            .prepare("SELECT a, b, weight FROM appears_with")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([]).map_err(|e| self.err(e))?;
        let mut edges: Vec<(u32, u32, u32)> = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let (a, b) = (index.get(row.get(0)?), index.get(row.get(1)?));
            if let (Some(a), Some(b)) = (a, b) {
                edges.push((a, b, row.get(2)?));
            }
        }
        let arrays = CsrArrays::from_sorted_edges(ids.len(), &edges).ok_or_else(|| {
            Error::CorruptDatabase {
                path: self.path().to_path_buf(),
                message: "appears_with is not a valid edge list (a < b, sorted, known insights)"
                    .into(),
            }
        })?;
        Ok(InsightGraph::from_arrays(ids, &arrays).expect("valid arrays"))
    }

    /// Keep a snapshot of `graph` for `version`. Best effort: a locked or read-only database
    /// just goes without one (it never waits for another writer).
    fn keep_snapshot(&self, version: i64, graph: &InsightGraph) {
        let conn = self.conn();
        if conn.busy_timeout(std::time::Duration::ZERO).is_err() {
            return;
        }
        let _ = write_snapshot(conn, version, graph.ids(), &graph.to_arrays());
        let _ = conn.busy_timeout(super::BUSY_TIMEOUT);
    }

    /// An edge total as every change to the edges keeps it in `meta`; counted by `sql` in a
    /// database that has none yet.
    fn kept_total(&self, key: &str, sql: &str) -> Result<i64> {
        match self.meta(key)?.and_then(|v| v.parse().ok()) {
            Some(total) => Ok(total),
            None => self.scalar(sql),
        }
    }

    fn scalar(&self, sql: &str) -> Result<i64> {
        self.conn()
            .query_row(sql, [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    pub fn counts(&self) -> Result<Counts> {
        Ok(Counts {
            files: self.scalar("SELECT count(DISTINCT path) FROM sources")?,
            sources: self.scalar("SELECT count(*) FROM sources")?,
            insights: self.scalar("SELECT count(*) FROM insights")?,
            occurrences: self.scalar("SELECT count(*) FROM occurrences")?,
            edges: self.kept_total("edges", "SELECT count(*) FROM appears_with")?,
            total_weight: self.kept_total(
                "total_weight",
                "SELECT ifnull(sum(weight), 0) FROM appears_with",
            )?,
            related_edges: self.scalar("SELECT count(*) FROM related_to")?,
            window: self
                .meta("window")?
                .and_then(|w| w.parse().ok())
                .filter(|&w: &u32| w > 0),
            graph_version: self.graph_version()?,
        })
    }

    /// The insights found in most sources, most first, ties by id.
    pub fn most_sourced(&self, limit: usize) -> Result<Vec<InsightSources>> {
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT i.id, count(DISTINCT o.source_id) AS n, i.text
                 FROM occurrences o JOIN insights i ON i.id = o.insight_id
                 GROUP BY o.insight_id ORDER BY n DESC, i.id LIMIT ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([limit as i64], |r| {
                Ok(InsightSources {
                    id: r.get(0)?,
                    sources: r.get(1)?,
                    text: r.get(2)?,
                })
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// Text and source count of the given insights, in the order given.
    pub fn insight_details(&self, ids: &[i64]) -> Result<Vec<InsightSources>> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT i.text, (SELECT count(DISTINCT source_id) FROM occurrences WHERE insight_id = i.id)
                 FROM insights i WHERE i.id = ?1",
            )
            .map_err(|e| self.err(e))?;
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            let (text, sources): (String, i64) = stmt
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(|e| self.err(e))?;
            out.push(InsightSources { id, sources, text });
        }
        Ok(out)
    }
}

/// Every insight id, ascending.
pub(super) fn insight_ids(conn: &Connection) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM insights ORDER BY id")?;
    let ids = stmt.query_map([], |r| r.get::<_, i64>(0))?.collect();
    ids
}

/// Insight id -> node index, for ascending ids: a direct table when ids are dense enough
/// (they are, unless most insights were pruned), else binary search.
pub(super) struct IdIndex<'a> {
    ids: &'a [i64],
    table: Vec<u32>,
}

impl<'a> IdIndex<'a> {
    pub(super) fn new(ids: &'a [i64]) -> IdIndex<'a> {
        let max = ids.last().copied().unwrap_or(0);
        let table = if max >= 0 && (max as usize) <= 4 * ids.len() + 1024 {
            let mut table = vec![u32::MAX; max as usize + 1];
            for (i, &id) in ids.iter().enumerate() {
                if id >= 0 {
                    table[id as usize] = i as u32;
                }
            }
            table
        } else {
            Vec::new()
        };
        IdIndex { ids, table }
    }

    pub(super) fn get(&self, id: i64) -> Option<u32> {
        if !self.table.is_empty() {
            return usize::try_from(id)
                .ok()
                .and_then(|i| self.table.get(i))
                .copied()
                .filter(|&i| i != u32::MAX);
        }
        self.ids.binary_search(&id).ok().map(|i| i as u32)
    }
}

fn le_bytes<const N: usize, T: Copy>(values: &[T], to: impl Fn(T) -> [u8; N]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() * N);
    for &v in values {
        out.extend_from_slice(&to(v));
    }
    out
}

/// Write the snapshot of the graph of `version` (see `graph_snapshot` in schema.sql).
pub(super) fn write_snapshot(
    conn: &Connection,
    version: i64,
    ids: &[i64],
    arrays: &CsrArrays,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO graph_snapshot (id, graph_version, ids, offsets, targets, weights)
         VALUES (1, ?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![
            version,
            le_bytes(ids, i64::to_le_bytes),
            le_bytes(&arrays.offsets, u64::to_le_bytes),
            le_bytes(&arrays.targets, u32::to_le_bytes),
            le_bytes(&arrays.weights, u32::to_le_bytes)
        ],
    )?;
    Ok(())
}

/// The snapshot of the graph of `version`, if one is kept and valid. A damaged snapshot is
/// not an error: the tables are the truth, and the caller scans them instead.
fn read_snapshot(conn: &Connection, version: i64) -> rusqlite::Result<Option<InsightGraph>> {
    use rusqlite::OptionalExtension;
    fn words<const N: usize, T>(bytes: &[u8], from: impl Fn([u8; N]) -> T) -> Vec<T> {
        bytes
            .chunks_exact(N)
            .map(|c| from(c.try_into().expect("N bytes")))
            .collect()
    }
    conn.query_row(
        "SELECT ids, offsets, targets, weights FROM graph_snapshot WHERE id = 1 AND graph_version = ?1",
        [version],
        |r| {
            let ids = words(r.get_ref(0)?.as_blob()?, i64::from_le_bytes);
            let arrays = CsrArrays {
                offsets: words(r.get_ref(1)?.as_blob()?, u64::from_le_bytes),
                targets: words(r.get_ref(2)?.as_blob()?, u32::from_le_bytes),
                weights: words(r.get_ref(3)?.as_blob()?, u32::from_le_bytes),
            };
            Ok(InsightGraph::from_arrays(ids, &arrays))
        },
    )
    .optional()
    .map(Option::flatten)
}
