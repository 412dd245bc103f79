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
    /// Two sequential scans (ids ascending, edges in (a, b) order), O(V + E log E).
    pub fn load_graph(&self) -> Result<InsightGraph> {
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
