//! The storage half of merging near-duplicate insights (`dedupe --apply`): which sources hold
//! the insights, and moving their occurrences to the kept insight while recording the merge
//! (`merges`, `insight_aliases`) so later imports follow it. The edge weights that change are
//! computed by [`crate::cooccurrence::delta`] and written by
//! [`ChangeTx::apply_edge_delta`]; the orchestration is [`crate::dedupe::merge`].

use super::change::ChangeTx;
use super::now_utc;
use crate::error::{Error, Result};
use crate::ids::{InsightId, SourceId};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::collections::BTreeSet;

/// One planned merge: `merge` insights become `keep`.
#[derive(Debug, Clone, Serialize)]
pub struct MergeGroup {
    pub keep: InsightId,
    pub merge: Vec<InsightId>,
    /// Lowest similarity of a pair that joined the group.
    pub similarity: f64,
}

/// What moving the occurrences did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Moved {
    pub insights_merged: usize,
    pub occurrences_moved: usize,
}

impl ChangeTx<'_> {
    /// The sources holding any of `insights`, ascending; [`Error::NotFound`] if one of the
    /// insights does not exist (the database changed since a plan was made).
    pub fn sources_holding(&self, insights: &[InsightId]) -> Result<Vec<SourceId>> {
        let (sources, missing) = self.with(|tx| {
            let mut exists = tx.prepare_cached("SELECT 1 FROM insights WHERE id = ?1")?;
            let mut held = tx.prepare_cached(
                "SELECT DISTINCT source_id FROM occurrences WHERE insight_id = ?1",
            )?;
            let mut sources = BTreeSet::new();
            for &id in insights {
                if exists.query_row([id], |_| Ok(())).optional()?.is_none() {
                    return Ok((Vec::new(), Some(id)));
                }
                for source in held.query_map([id], |r| r.get::<_, SourceId>(0))? {
                    sources.insert(source?);
                }
            }
            Ok((sources.into_iter().collect(), None))
        })?;
        match missing {
            Some(id) => Err(Error::NotFound(format!(
                "no insight #{id} (the database changed since the plan was made?)"
            ))),
            None => Ok(sources),
        }
    }

    /// Move every occurrence of each group's merged insights to its kept insight, delete the
    /// merged insights, and record each merge (`merges`) and each merged text
    /// (`insight_aliases`, re-pointing aliases of insights merged earlier).
    pub fn move_merged(&self, groups: &[MergeGroup], threshold: f64) -> Result<Moved> {
        let now = now_utc();
        self.with(|tx| {
            let mut moved = Moved::default();
            let mut record = tx.prepare_cached(
                "INSERT INTO merges (insight_id, similarity, threshold, merged_at) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut alias = tx.prepare_cached(
                "INSERT INTO insight_aliases (key, insight_id, text, old_id, merge_id)
                 SELECT key, ?2, text, id, ?3 FROM insights WHERE id = ?1",
            )?;
            let mut repoint =
                tx.prepare_cached("UPDATE insight_aliases SET insight_id = ?2 WHERE insight_id = ?1")?;
            let mut occurrences =
                tx.prepare_cached("UPDATE occurrences SET insight_id = ?2 WHERE insight_id = ?1")?;
            let mut delete = tx.prepare_cached("DELETE FROM insights WHERE id = ?1")?;
            // A person's title moves to the kept insight unless it has one of its own.
            let mut keep_title = tx.prepare_cached(
                "INSERT INTO titles (insight_id, manual)
                 SELECT ?2, manual FROM titles WHERE insight_id = ?1 AND manual IS NOT NULL
                 ON CONFLICT (insight_id) DO UPDATE SET manual = ifnull(manual, excluded.manual)",
            )?;
            for g in groups {
                record.execute(params![g.keep, g.similarity, threshold, now])?;
                let merge_id = tx.last_insert_rowid();
                for &m in &g.merge {
                    repoint.execute(params![m, g.keep])?;
                    alias.execute(params![m, g.keep, merge_id])?;
                    moved.occurrences_moved += occurrences.execute(params![m, g.keep])?;
                    keep_title.execute(params![m, g.keep])?;
                    delete.execute([m])?;
                    moved.insights_merged += 1;
                }
            }
            Ok(moved)
        })
    }
}
