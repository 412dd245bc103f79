//! Kept community partitions: the `analysis_runs` rows of kind 'communities' with their
//! `memberships` and `communities` rows, and the insight texts the labels are made from.

use super::{classify, Store};
use crate::error::Result;
use rusqlite::{params, OptionalExtension, TransactionBehavior};

/// The `analysis_runs.kind` of community partitions.
const KIND: &str = "communities";

/// A partition as kept in the store.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptCommunities {
    pub run_id: i64,
    /// `leiden` or `louvain` (`analysis_runs.measure`).
    pub algorithm: String,
    /// Canonical JSON of the parameters.
    pub params: String,
    pub graph_version: i64,
    /// JSON: modularity, count.
    pub summary: String,
    /// (insight id, community id), by insight id.
    pub memberships: Vec<(i64, u32)>,
    /// (community id, size, label), by community id.
    pub communities: Vec<(u32, usize, String)>,
}

/// A partition to keep.
#[derive(Debug, Clone)]
pub struct NewCommunities<'a> {
    pub algorithm: &'a str,
    pub params: &'a str,
    pub graph_version: i64,
    pub summary: &'a str,
    pub memberships: &'a [(i64, u32)],
    pub communities: &'a [(u32, usize, String)],
}

impl Store {
    /// The kept partition of `algorithm` with exactly these parameters, of any graph version.
    pub fn kept_communities(
        &self,
        algorithm: &str,
        params: &str,
    ) -> Result<Option<KeptCommunities>> {
        let run = self
            .conn()
            .query_row(
                "SELECT id FROM analysis_runs WHERE kind = ?1 AND measure = ?2 AND params = ?3",
                params![KIND, algorithm, params],
                |r| r.get::<_, i64>(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        run.map(|id| self.kept_run(id)).transpose()
    }

    /// The most recently computed kept partition, any algorithm and parameters; only of
    /// `graph_version` if given.
    pub fn newest_kept_communities(
        &self,
        graph_version: Option<i64>,
    ) -> Result<Option<KeptCommunities>> {
        let run = self
            .conn()
            .query_row(
                "SELECT id FROM analysis_runs WHERE kind = ?1 AND (?2 IS NULL OR graph_version = ?2)
                 ORDER BY id DESC LIMIT 1",
                params![KIND, graph_version],
                |r| r.get::<_, i64>(0),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        run.map(|id| self.kept_run(id)).transpose()
    }

    fn kept_run(&self, run_id: i64) -> Result<KeptCommunities> {
        let conn = self.conn();
        let (algorithm, params, graph_version, summary) = conn
            .query_row(
                "SELECT measure, params, graph_version, summary FROM analysis_runs WHERE id = ?1",
                [run_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .map_err(|e| self.err(e))?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT insight_id, community_id FROM memberships WHERE run_id = ?1 ORDER BY insight_id",
            )
            .map_err(|e| self.err(e))?;
        let memberships = stmt
            .query_map([run_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, u32>(1)?)))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT community_id, size, label FROM communities WHERE run_id = ?1 ORDER BY community_id",
            )
            .map_err(|e| self.err(e))?;
        let communities = stmt
            .query_map([run_id], |r| {
                Ok((r.get::<_, u32>(0)?, r.get::<_, i64>(1)? as usize, r.get(2)?))
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        Ok(KeptCommunities {
            run_id,
            algorithm,
            params,
            graph_version,
            summary,
            memberships,
            communities,
        })
    }

    /// Keep a partition, replacing the kept one with the same algorithm and parameters, in
    /// one transaction with cached statements. Returns the new run id.
    pub fn write_communities(&mut self, new: &NewCommunities<'_>) -> Result<i64> {
        let path = self.path.clone();
        let err = |e| classify(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let old: Option<i64> = tx
            .query_row(
                "SELECT id FROM analysis_runs WHERE kind = ?1 AND measure = ?2 AND params = ?3",
                params![KIND, new.algorithm, new.params],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)?;
        if let Some(old) = old {
            // Foreign keys are not enforced, so the cascade is spelled out.
            tx.execute("DELETE FROM memberships WHERE run_id = ?1", [old])
                .map_err(err)?;
            tx.execute("DELETE FROM communities WHERE run_id = ?1", [old])
                .map_err(err)?;
            tx.execute("DELETE FROM analysis_runs WHERE id = ?1", [old])
                .map_err(err)?;
        }
        let run_id = super::insert_analysis_run(
            &tx,
            KIND,
            new.algorithm,
            new.params,
            new.graph_version,
            new.summary,
        )
        .map_err(err)?;
        {
            let mut stmt = tx
                .prepare_cached("INSERT INTO memberships (run_id, insight_id, community_id) VALUES (?1, ?2, ?3)")
                .map_err(err)?;
            for &(insight, community) in new.memberships {
                stmt.execute(params![run_id, insight, community])
                    .map_err(err)?;
            }
            let mut stmt = tx
                .prepare_cached("INSERT INTO communities (run_id, community_id, size, label) VALUES (?1, ?2, ?3, ?4)")
                .map_err(err)?;
            for (community, size, label) in new.communities {
                stmt.execute(params![run_id, community, *size as i64, label])
                    .map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        Ok(run_id)
    }

    /// The text of every insight, by id (what the labels are made from).
    pub fn insight_texts(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, text FROM insights ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        Ok(rows)
    }

    /// The text of the given insights, in the order given ("" for an unknown id).
    pub fn insight_texts_of(&self, ids: &[i64]) -> Result<Vec<String>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT text FROM insights WHERE id = ?1")
            .map_err(|e| self.err(e))?;
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            let text: Option<String> = stmt
                .query_row([id], |r| r.get(0))
                .optional()
                .map_err(|e| self.err(e))?;
            out.push(text.unwrap_or_default());
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new<'a>(
        params: &'a str,
        m: &'a [(i64, u32)],
        c: &'a [(u32, usize, String)],
    ) -> NewCommunities<'a> {
        NewCommunities {
            algorithm: "leiden",
            params,
            graph_version: 3,
            summary: "{\"modularity\":0.5}",
            memberships: m,
            communities: c,
        }
    }

    #[test]
    fn write_read_and_replace() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.newest_kept_communities(None).unwrap(), None);
        let c = vec![(0, 2, "a, b".to_string()), (1, 1, String::new())];
        let first = store
            .write_communities(&new("{\"seed\":1}", &[(1, 0), (2, 0), (5, 1)], &c))
            .unwrap();
        let second = store
            .write_communities(&new("{\"seed\":2}", &[(1, 0)], &c[..1]))
            .unwrap();
        let kept = store
            .kept_communities("leiden", "{\"seed\":1}")
            .unwrap()
            .unwrap();
        assert_eq!(kept.run_id, first);
        assert_eq!(kept.memberships, vec![(1, 0), (2, 0), (5, 1)]);
        assert_eq!(kept.communities, c);
        assert_eq!(kept.graph_version, 3);
        assert_eq!(
            store
                .newest_kept_communities(Some(3))
                .unwrap()
                .unwrap()
                .run_id,
            second
        );
        assert_eq!(store.newest_kept_communities(Some(4)).unwrap(), None);
        // Same parameters again: replaces the old run and its rows.
        let third = store
            .write_communities(&new("{\"seed\":1}", &[(1, 7)], &[]))
            .unwrap();
        let kept = store
            .kept_communities("leiden", "{\"seed\":1}")
            .unwrap()
            .unwrap();
        assert_eq!((kept.run_id, kept.memberships), (third, vec![(1, 7)]));
        let rows: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM memberships", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 2);
    }
}
