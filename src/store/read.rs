//! Typed reads: the graph for the algorithms, and the numbers `stats` shows.

use super::Store;
use crate::error::Result;
use crate::graph::InsightGraph;
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
    /// Reads the kept snapshot when it matches the graph version (O(V + E), no sorting);
    /// otherwise scans the tables (O(V + E log E)) and keeps a snapshot for next time, if the
    /// database can be written right now.
    pub fn load_graph(&self) -> Result<InsightGraph> {
        let version = self.graph_version()?;
        if let Some(graph) = self.read_snapshot(version)? {
            return Ok(graph);
        }
        let graph = self.scan_graph()?;
        self.write_snapshot(version, &graph);
        Ok(graph)
    }

    /// Build G from the insights and appears_with tables.
    pub fn scan_graph(&self) -> Result<InsightGraph> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT id FROM insights ORDER BY id")
            .map_err(|e| self.err(e))?;
        let ids = stmt
            .query_map([], |r| r.get::<_, i64>(0))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<i64>>>()
            .map_err(|e| self.err(e))?;
        let mut stmt = conn
            .prepare("SELECT a, b, weight FROM appears_with")
            .map_err(|e| self.err(e))?;
        let edges = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, f64>(2)?,
                ))
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        Ok(InsightGraph::from_edges(ids, edges))
    }

    fn read_snapshot(&self, version: i64) -> Result<Option<InsightGraph>> {
        use rusqlite::OptionalExtension;
        let row = self
            .conn()
            .query_row(
                "SELECT ids, offsets, targets, weights FROM graph_snapshot WHERE id = 1 AND graph_version = ?1",
                [version],
                |r| {
                    let blob = |i: usize| -> rusqlite::Result<Vec<u8>> { Ok(r.get_ref(i)?.as_blob()?.to_vec()) };
                    Ok((blob(0)?, blob(1)?, blob(2)?, blob(3)?))
                },
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((ids, offsets, targets, weights)) = row else {
            return Ok(None);
        };
        let ids: Vec<i64> = ids
            .chunks_exact(8)
            .map(|c| i64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect();
        let offsets: Vec<u64> = offsets
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect();
        let targets: Vec<u32> = targets
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect();
        let weights: Vec<u32> = weights
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect();
        // A damaged snapshot is not an error: the tables are the truth, so scan them instead.
        Ok(InsightGraph::from_arrays(ids, &offsets, &targets, &weights))
    }

    /// Keep a snapshot of `graph` for `version`. Best effort: a locked or read-only database
    /// just goes without one (it never waits for another writer).
    fn write_snapshot(&self, version: i64, graph: &InsightGraph) {
        let (offsets, targets, weights) = graph.to_arrays();
        let bytes_i64 = |v: &[i64]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
        let bytes_u64 = |v: &[u64]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
        let bytes_u32 = |v: &[u32]| v.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>();
        let conn = self.conn();
        if conn.busy_timeout(std::time::Duration::ZERO).is_err() {
            return;
        }
        let _ = conn.execute(
            "INSERT OR REPLACE INTO graph_snapshot (id, graph_version, ids, offsets, targets, weights)
             VALUES (1, ?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![version, bytes_i64(graph.ids()), bytes_u64(&offsets), bytes_u32(&targets), bytes_u32(&weights)],
        );
        let _ = conn.busy_timeout(super::BUSY_TIMEOUT);
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
            edges: self.scalar("SELECT count(*) FROM appears_with")?,
            total_weight: self.scalar("SELECT ifnull(sum(weight), 0) FROM appears_with")?,
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
