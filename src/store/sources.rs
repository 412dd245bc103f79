//! Reads of sources: the files an import knows, and where insights occur.

use super::codec::StoredPath;
use super::Store;
use crate::error::Result;
use crate::ids::{InsightId, SourceId};
use crate::parse::Role;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the database knows about one imported file.
#[derive(Debug, Clone)]
pub struct KnownFile {
    pub content_hash: String,
    pub size: u64,
    pub mtime_ns: i64,
    pub source_ids: Vec<SourceId>,
}

/// One place an insight occurs.
#[derive(Debug, Clone, Serialize)]
pub struct Appearance {
    pub source_id: SourceId,
    pub path: String,
    pub name: String,
    pub title: Option<String>,
    pub role: Role,
    pub line: i64,
}

/// A source in which two insights appear together.
#[derive(Debug, Clone, Serialize)]
pub struct LinkSource {
    pub source_id: SourceId,
    pub path: String,
    pub name: String,
    pub title: Option<String>,
}

/// An appears-in edge: an insight and a source holding it.
pub type AppearsIn = (InsightId, SourceId);

/// A source node as the exports show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceNode {
    pub id: SourceId,
    /// The page or document title; else the source name inside its file; else the file name.
    pub title: String,
    /// The path of the file it came from.
    pub path: String,
}

impl Store {
    /// Every imported file, by path (exactly as stored, bytes included). O(sources).
    pub fn known_files(&self) -> Result<HashMap<PathBuf, KnownFile>> {
        self.read(|c| {
            let mut stmt =
                c.prepare("SELECT path, id, content_hash, size, mtime_ns FROM sources")?;
            let mut rows = stmt.query([])?;
            let mut files: HashMap<PathBuf, KnownFile> = HashMap::new();
            while let Some(row) = rows.next()? {
                let file = files
                    .entry(row.get::<_, StoredPath>(0)?.0)
                    .or_insert(KnownFile {
                        content_hash: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                        size: row.get::<_, Option<i64>>(3)?.unwrap_or(0) as u64,
                        mtime_ns: row.get::<_, Option<i64>>(4)?.unwrap_or(0),
                        source_ids: Vec::new(),
                    });
                file.source_ids.push(row.get(1)?);
            }
            Ok(files)
        })
    }

    /// Where insight `id` occurs, by path, source and position; the first `limit`.
    pub fn appearances(&self, id: InsightId, limit: usize) -> Result<Vec<Appearance>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT s.id, s.path, s.name, s.title, o.role, o.line
                 FROM occurrences o JOIN sources s ON s.id = o.source_id
                 WHERE o.insight_id = ?1 ORDER BY s.path, s.name, o.position LIMIT ?2",
            )?;
            let rows = stmt
                .query_map(rusqlite::params![id, limit as i64], |r| {
                    Ok(Appearance {
                        source_id: r.get(0)?,
                        path: r.get::<_, StoredPath>(1)?.lossy(),
                        name: r.get(2)?,
                        title: r.get(3)?,
                        role: r.get(4)?,
                        line: r.get(5)?,
                    })
                })?
                .collect();
            rows
        })
    }

    /// The sources in which insights `a` and `b` appear together (within the co-occurrence
    /// window, if one is set), by path.
    pub fn linking_sources(&self, a: InsightId, b: InsightId) -> Result<Vec<LinkSource>> {
        let window = self.window()?.map_or(i64::MAX, i64::from);
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT s.id, s.path, s.name, s.title
                 FROM occurrences oa
                 JOIN occurrences ob ON ob.source_id = oa.source_id AND ob.insight_id = ?2
                 JOIN sources s ON s.id = oa.source_id
                 WHERE oa.insight_id = ?1
                 GROUP BY s.id HAVING min(abs(oa.position - ob.position)) <= ?3
                 ORDER BY s.path, s.name",
            )?;
            let rows = stmt
                .query_map(rusqlite::params![a, b, window], |r| {
                    Ok(LinkSource {
                        source_id: r.get(0)?,
                        path: r.get::<_, StoredPath>(1)?.lossy(),
                        name: r.get(2)?,
                        title: r.get(3)?,
                    })
                })?
                .collect();
            rows
        })
    }

    /// The sources holding any of `insights`, and the appears-in edges (insight, source) from
    /// them; both sorted by id. One indexed lookup per insight and per source.
    pub fn appears_in(&self, insights: &[InsightId]) -> Result<(Vec<SourceNode>, Vec<AppearsIn>)> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT DISTINCT source_id FROM occurrences WHERE insight_id = ?1 ORDER BY source_id",
            )?;
            let mut edges = Vec::new();
            for &insight in insights {
                for source in stmt.query_map([insight], |r| r.get::<_, SourceId>(0))? {
                    edges.push((insight, source?));
                }
            }
            edges.sort_unstable();
            let mut ids: Vec<SourceId> = edges.iter().map(|&(_, s)| s).collect();
            ids.sort_unstable();
            ids.dedup();
            let mut stmt = c.prepare_cached("SELECT path, name, title FROM sources WHERE id = ?1")?;
            let mut sources = Vec::with_capacity(ids.len());
            for id in ids {
                let (path, name, title): (StoredPath, String, Option<String>) =
                    stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                let path = path.lossy();
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
        })
    }
}
