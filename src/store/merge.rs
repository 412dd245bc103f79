//! Merging near-duplicate insights (`dedupe --apply`) in one transaction, and recording the
//! merge so later imports follow it.
//!
//! Merging moves every occurrence of the merged insights to the kept one, then recomputes the
//! appears-with contributions of exactly the sources that held any of them: each such source's
//! old pairs are taken back and its new pairs added, with [`cooccurrence::source_pairs`], which
//! counts a pair once per source (related-to links likewise). So an insight that shared a source with both variants keeps
//! weight 1 from that source, not 2, and every weight stays "number of distinct sources".

use super::Store;
use crate::error::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use std::collections::HashSet;

/// One planned merge: `merge` insights become `keep`.
#[derive(Debug, Clone, Serialize)]
pub struct MergeGroup {
    pub keep: i64,
    pub merge: Vec<i64>,
    /// Lowest similarity of a pair that joined the group.
    pub similarity: f64,
}

/// What a merge did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MergeReport {
    pub groups: usize,
    pub insights_merged: usize,
    pub occurrences_moved: usize,
    pub sources_relinked: usize,
    pub edges_before: i64,
    pub edges_after: i64,
}

impl Store {
    /// Apply `groups` in one transaction (all or nothing), recording each in `merges` and each
    /// merged text in `insight_aliases`. Bumps the graph version.
    ///
    /// Errors with [`Error::InvalidInput`] if an id is unknown or appears in two groups.
    /// O(S · k²) for the S sources holding the merged insights, k insights per source.
    pub fn merge_insights(&mut self, groups: &[MergeGroup], threshold: f64) -> Result<MergeReport> {
        let mut all: HashSet<i64> = HashSet::new();
        for g in groups {
            for &id in std::iter::once(&g.keep).chain(&g.merge) {
                if !all.insert(id) {
                    return Err(Error::InvalidInput(format!(
                        "insight #{id} is in more than one merge group"
                    )));
                }
            }
        }
        let now = super::now_utc();
        let mut itx = self.begin_import()?;
        let mut report = MergeReport {
            groups: groups.len(),
            ..Default::default()
        };
        report.edges_before = itx.edge_totals()?.0;
        let sources: Vec<i64> = {
            let tx = itx.tx();
            let mut exists = tx
                .prepare_cached("SELECT 1 FROM insights WHERE id = ?1")
                .map_err(|e| itx.err(e))?;
            let mut held = tx
                .prepare_cached("SELECT DISTINCT source_id FROM occurrences WHERE insight_id = ?1")
                .map_err(|e| itx.err(e))?;
            let mut sources: HashSet<i64> = HashSet::new();
            let mut ids: Vec<i64> = all.iter().copied().collect();
            ids.sort_unstable();
            for id in ids {
                if exists
                    .query_row([id], |_| Ok(()))
                    .optional()
                    .map_err(|e| itx.err(e))?
                    .is_none()
                {
                    return Err(Error::NotFound(format!(
                        "no insight #{id} (the database changed since the plan was made?)"
                    )));
                }
                let rows = held
                    .query_map([id], |r| r.get::<_, i64>(0))
                    .map_err(|e| itx.err(e))?;
                for r in rows {
                    sources.insert(r.map_err(|e| itx.err(e))?);
                }
            }
            let mut sources: Vec<i64> = sources.into_iter().collect();
            sources.sort_unstable();
            sources
        };
        report.sources_relinked = sources.len();
        let before = itx.sequences_of(&sources)?;
        {
            let tx = itx.tx();
            let e = |err| itx.err(err);
            let mut record = tx
                .prepare_cached("INSERT INTO merges (insight_id, similarity, threshold, merged_at) VALUES (?1, ?2, ?3, ?4)")
                .map_err(e)?;
            let mut alias = tx
                .prepare_cached(
                    "INSERT INTO insight_aliases (key, insight_id, text, old_id, merge_id)
                     SELECT key, ?2, text, id, ?3 FROM insights WHERE id = ?1",
                )
                .map_err(e)?;
            let mut repoint = tx
                .prepare_cached("UPDATE insight_aliases SET insight_id = ?2 WHERE insight_id = ?1")
                .map_err(e)?;
            let mut moved = tx
                .prepare_cached("UPDATE occurrences SET insight_id = ?2 WHERE insight_id = ?1")
                .map_err(e)?;
            let mut delete = tx
                .prepare_cached("DELETE FROM insights WHERE id = ?1")
                .map_err(e)?;
            for g in groups {
                record
                    .execute(params![g.keep, g.similarity, threshold, now])
                    .map_err(e)?;
                let merge_id = tx.last_insert_rowid();
                for &m in &g.merge {
                    repoint.execute(params![m, g.keep]).map_err(e)?;
                    alias.execute(params![m, g.keep, merge_id]).map_err(e)?;
                    report.occurrences_moved += moved.execute(params![m, g.keep]).map_err(e)?;
                    delete.execute([m]).map_err(e)?;
                    report.insights_merged += 1;
                }
            }
        }
        let after = itx.sequences_of(&sources)?;
        let window = itx
            .meta("window")?
            .and_then(|w| w.parse::<u32>().ok())
            .filter(|&w| w > 0);
        itx.replace_contributions(&before, &after, window)?;
        itx.bump_graph_version()?;
        report.edges_after = itx.edge_totals()?.0;
        itx.commit()?;
        Ok(report)
    }
}

/// An insight's id, text and number of sources, for near-duplicate detection.
#[derive(Debug, Clone)]
pub struct InsightText {
    pub id: i64,
    pub text: String,
    pub sources: i64,
}

impl Store {
    /// Every insight's text and source count, by id. One scan of insights and one of the
    /// occurrences index.
    pub fn insight_texts_with_sources(&self) -> Result<Vec<InsightText>> {
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT i.id, i.text, ifnull(n.sources, 0) FROM insights i
                 LEFT JOIN (SELECT insight_id, count(DISTINCT source_id) AS sources FROM occurrences GROUP BY insight_id) n
                   ON n.insight_id = i.id
                 ORDER BY i.id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(InsightText {
                    id: r.get(0)?,
                    text: r.get(1)?,
                    sources: r.get(2)?,
                })
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{import, ImportConfig, Silent};

    fn fts_consistent(store: &Store) {
        for table in ["insights_fts", "sources_fts"] {
            store
                .conn()
                .execute(
                    &format!("INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)"),
                    [],
                )
                .unwrap_or_else(|e| panic!("{table} out of step with its content: {e}"));
        }
    }

    /// The full-text indexes stay in step with their tables through bulk load, incremental
    /// import, prune (orphan deletes), replaced sources and merges.
    #[test]
    fn search_indexes_stay_consistent() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
        write("a.jsonl", "{\"source\":\"Book A\",\"text\":\"alpha one\"}\n{\"source\":\"Book A\",\"text\":\"alpha one!\"}\n");
        write("b.jsonl", "{\"source\":\"Book B\",\"text\":\"beta two\"}\n{\"source\":\"Book B\",\"text\":\"alpha one\"}\n");
        let mut store = Store::open_in_memory().unwrap();
        let paths = vec![dir.path().to_path_buf()];
        import(&mut store, &paths, &ImportConfig::default(), &Silent).unwrap();
        fts_consistent(&store);
        write("b.jsonl", "{\"source\":\"Book B2\",\"text\":\"gamma three\"}\n{\"source\":\"Book B2\",\"text\":\"alpha one\"}\n");
        write("c.jsonl", "{\"source\":\"Book C\",\"text\":\"delta four\"}\n{\"source\":\"Book C\",\"text\":\"alpha one!\"}\n");
        import(&mut store, &paths, &ImportConfig::default(), &Silent).unwrap();
        fts_consistent(&store);
        let (one, one_bang) = (
            store.resolve_insight("alpha one").unwrap(),
            store.resolve_insight("alpha one!").unwrap(),
        );
        assert_ne!(one, one_bang);
        store
            .merge_insights(
                &[MergeGroup {
                    keep: one,
                    merge: vec![one_bang],
                    similarity: 1.0,
                }],
                0.8,
            )
            .unwrap();
        fts_consistent(&store);
        assert_eq!(store.resolve_insight(&one_bang.to_string()).unwrap(), one);
        std::fs::remove_file(dir.path().join("c.jsonl")).unwrap();
        import(
            &mut store,
            &paths,
            &ImportConfig {
                prune: true,
                ..ImportConfig::default()
            },
            &Silent,
        )
        .unwrap();
        fts_consistent(&store);
        assert!(store
            .search_insights("delta", 5, Default::default())
            .unwrap()
            .is_empty());
        assert_eq!(
            store
                .search_sources("B2", 5, Default::default())
                .unwrap()
                .len(),
            1
        );
        assert!(store
            .search_sources("Book C", 5, Default::default())
            .unwrap()
            .is_empty());
    }
}
