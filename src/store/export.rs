//! Reads for the exports: every insight's text and source count in one scan, and the
//! appears-in edges (insight -> source) of a set of insights.

use super::Store;
use crate::error::Result;
use std::path::Path;

/// A source node as the exports show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceNode {
    pub id: i64,
    /// The page or document title; else the source name inside its file; else the file name.
    pub title: String,
    /// The path of the file it came from.
    pub path: String,
}

impl Store {
    /// (id, text, number of sources) of every insight, by id. One scan of insights plus one
    /// grouped scan of the occurrence index: O(V + occurrences).
    pub fn insight_texts_and_sources(&self) -> Result<Vec<(i64, String, i64)>> {
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT i.id, i.text, ifnull(s.sources, 0)
                 FROM insights i LEFT JOIN insight_sources s ON s.insight_id = i.id
                 ORDER BY i.id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// The sources holding any of `insights`, and the appears-in edges (insight id, source
    /// id) from them; both sorted by id.
    pub fn appears_in(&self, insights: &[i64]) -> Result<(Vec<SourceNode>, Vec<(i64, i64)>)> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT DISTINCT source_id FROM occurrences WHERE insight_id = ?1 ORDER BY source_id")
            .map_err(|e| self.err(e))?;
        let mut edges = Vec::new();
        for &insight in insights {
            let sources = stmt
                .query_map([insight], |r| r.get::<_, i64>(0))
                .map_err(|e| self.err(e))?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(|e| self.err(e))?;
            edges.extend(sources.into_iter().map(|s| (insight, s)));
        }
        edges.sort_unstable();
        let mut ids: Vec<i64> = edges.iter().map(|&(_, s)| s).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT path, name, title FROM sources WHERE id = ?1")
            .map_err(|e| self.err(e))?;
        let mut sources = Vec::with_capacity(ids.len());
        for id in ids {
            let (path, name, title): (String, String, Option<String>) = stmt
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .map_err(|e| self.err(e))?;
            let title = match title.filter(|t| !t.trim().is_empty()) {
                Some(t) => t,
                None if !name.is_empty() => name,
                None => Path::new(&path)
                    .file_name()
                    .map_or(path.clone(), |f| f.to_string_lossy().into_owned()),
            };
            sources.push(SourceNode { id, title, path });
        }
        Ok((sources, edges))
    }
}
