//! Reads of insights: their texts, how many sources hold them, details of one insight and
//! the variants merged into it.

use super::Store;
use crate::error::{Error, Result};
use crate::ids::InsightId;
use rusqlite::OptionalExtension;
use serde::Serialize;

/// An insight with the number of sources holding it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InsightRow {
    pub id: InsightId,
    pub sources: i64,
    pub text: String,
}

/// An insight's text and how widely it occurs.
#[derive(Debug, Clone, Serialize)]
pub struct InsightInfo {
    pub id: InsightId,
    pub text: String,
    pub sources: i64,
    /// Appears-with neighbours.
    pub degree: i64,
    /// Sum of appears-with weights.
    pub strength: i64,
}

/// A merged variant of an insight.
#[derive(Debug, Clone, Serialize)]
pub struct Variant {
    pub old_id: InsightId,
    pub text: String,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<InsightRow> {
    Ok(InsightRow {
        id: r.get(0)?,
        sources: r.get(1)?,
        text: r.get(2)?,
    })
}

impl Store {
    /// Every insight with its text and number of sources, by id. One scan of insights plus one
    /// grouped scan of the occurrence index: O(V + occurrences).
    pub fn insights_with_sources(&self) -> Result<Vec<InsightRow>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT i.id, ifnull(s.sources, 0), i.text
                 FROM insights i LEFT JOIN insight_sources s ON s.insight_id = i.id
                 ORDER BY i.id",
            )?;
            let rows = stmt.query_map([], row)?.collect();
            rows
        })
    }

    /// The text of every insight, by id (what theme labels are made from). O(V).
    pub fn insight_texts(&self) -> Result<Vec<(InsightId, String)>> {
        self.read(|c| {
            let mut stmt = c.prepare("SELECT id, text FROM insights ORDER BY id")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect();
            rows
        })
    }

    /// The text of each of `ids` that is an insight, by id. One primary-key lookup each:
    /// O(k log V) for k ids, where [`insight_texts`](Self::insight_texts) reads all V.
    pub fn insight_texts_of(&self, ids: &[InsightId]) -> Result<Vec<(InsightId, String)>> {
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT text FROM insights WHERE id = ?1")?;
            let mut texts = Vec::with_capacity(sorted.len());
            for id in sorted {
                if let Some(text) = stmt.query_row([id], |r| r.get(0)).optional()? {
                    texts.push((id, text));
                }
            }
            Ok(texts)
        })
    }

    /// Text and source count of the given insights, in the order given. The ids come from the
    /// graph, so one missing from `insights` means a damaged database. One primary-key lookup
    /// each.
    pub fn insight_details(&self, ids: &[InsightId]) -> Result<Vec<InsightRow>> {
        let found = self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT i.id, (SELECT count(DISTINCT source_id) FROM occurrences WHERE insight_id = i.id), i.text
                 FROM insights i WHERE i.id = ?1",
            )?;
            ids.iter()
                .map(|id| stmt.query_row([id], row).optional())
                .collect::<rusqlite::Result<Vec<_>>>()
        })?;
        found
            .into_iter()
            .zip(ids)
            .map(|(row, id)| {
                row.ok_or_else(|| Error::CorruptDatabase {
                    path: self.path().to_path_buf(),
                    message: format!(
                        "the database is damaged (insight #{id} is in the graph but not in insights); restore a backup or re-import into a new --db"
                    ),
                })
            })
            .collect()
    }

    /// The insights found in most sources, most first, ties by id.
    ///
    /// The counts come from one pass over the `occurrences_by_insight` index, and only the
    /// `limit` insights kept are joined for their text: joining every insight before the
    /// limit took 1.02 s instead of 0.71 s at a million pages.
    pub fn most_sourced(&self, limit: usize) -> Result<Vec<InsightRow>> {
        self.read(|c| {
            let mut stmt = c.prepare(
                "SELECT i.id, top.n, i.text
                 FROM (SELECT insight_id, count(DISTINCT source_id) AS n FROM occurrences
                       GROUP BY insight_id ORDER BY n DESC, insight_id LIMIT ?1) AS top
                 JOIN insights i ON i.id = top.insight_id
                 ORDER BY top.n DESC, i.id",
            )?;
            let rows = stmt.query_map([limit as i64], row)?.collect();
            rows
        })
    }

    /// Text, source count, degree and strength of insight `id`.
    pub fn insight_info(&self, id: InsightId) -> Result<InsightInfo> {
        self.read(|c| {
            c.query_row(
                // The two halves of the neighbors view spelled out: SQLite does not push a
                // correlated condition into a UNION ALL view, and would scan appears_with.
                "SELECT i.text,
                        (SELECT count(DISTINCT source_id) FROM occurrences WHERE insight_id = ?1),
                        (SELECT count(*) FROM appears_with WHERE a = ?1)
                          + (SELECT count(*) FROM appears_with_rev WHERE b = ?1),
                        (SELECT ifnull(sum(weight), 0) FROM appears_with WHERE a = ?1)
                          + (SELECT ifnull(sum(weight), 0) FROM appears_with_rev WHERE b = ?1)
                 FROM insights i WHERE i.id = ?1",
                [id],
                |r| {
                    Ok(InsightInfo {
                        id,
                        text: r.get(0)?,
                        sources: r.get(1)?,
                        degree: r.get(2)?,
                        strength: r.get(3)?,
                    })
                },
            )
            .optional()
        })?
        .ok_or_else(|| Error::NotFound(format!("no insight #{id}")))
    }

    /// Texts merged into insight `id` by `dedupe --apply`.
    pub fn variants(&self, id: InsightId) -> Result<Vec<Variant>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT old_id, text FROM insight_aliases WHERE insight_id = ?1 ORDER BY old_id",
            )?;
            let rows = stmt
                .query_map([id], |r| {
                    Ok(Variant {
                        old_id: r.get(0)?,
                        text: r.get(1)?,
                    })
                })?
                .collect();
            rows
        })
    }
}
