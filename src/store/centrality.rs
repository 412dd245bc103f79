//! Kept centrality runs: one `analysis_runs` row (kind 'centrality') per measure and
//! parameters, its scores in `centrality`. All the SQL for them lives here.

use super::Store;
use crate::error::Result;
use rusqlite::{params, OptionalExtension};

/// A kept run as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptCentrality {
    pub run_id: i64,
    pub measure: String,
    /// Canonical JSON of the parameters.
    pub params: String,
    pub graph_version: i64,
    pub computed_at: String,
    /// JSON: approximate, note, iterations, converged.
    pub summary: String,
    /// (insight id, score), ascending by insight id.
    pub scores: Vec<(i64, f64)>,
}

/// A run to keep.
#[derive(Debug, Clone, Copy)]
pub struct NewCentrality<'a> {
    pub measure: &'a str,
    pub params: &'a str,
    pub graph_version: i64,
    pub summary: &'a str,
    /// (insight id, score).
    pub scores: &'a [(i64, f64)],
}

const KIND: &str = "centrality";

impl Store {
    /// The kept run of `measure` with exactly these parameters, if it was computed on
    /// `graph_version`.
    pub fn centrality_run(
        &self,
        measure: &str,
        params: &str,
        graph_version: i64,
    ) -> Result<Option<KeptCentrality>> {
        self.centrality_run_where(
            "kind = ?1 AND measure = ?2 AND params = ?3 AND graph_version = ?4",
            params![KIND, measure, params, graph_version],
        )
    }

    /// The newest kept run of `measure` computed on `graph_version`, whatever its parameters.
    pub fn newest_centrality_run(
        &self,
        measure: &str,
        graph_version: i64,
    ) -> Result<Option<KeptCentrality>> {
        self.centrality_run_where(
            "kind = ?1 AND measure = ?2 AND graph_version = ?3",
            params![KIND, measure, graph_version],
        )
    }

    fn centrality_run_where(
        &self,
        condition: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Option<KeptCentrality>> {
        let conn = self.conn();
        let sql = format!(
            "SELECT id, measure, params, graph_version, computed_at, summary FROM analysis_runs
             WHERE {condition} ORDER BY computed_at DESC, id DESC LIMIT 1"
        );
        let run = conn
            .query_row(&sql, args, |r| {
                Ok(KeptCentrality {
                    run_id: r.get(0)?,
                    measure: r.get(1)?,
                    params: r.get(2)?,
                    graph_version: r.get(3)?,
                    computed_at: r.get(4)?,
                    summary: r.get(5)?,
                    scores: Vec::new(),
                })
            })
            .optional()
            .map_err(|e| self.err(e))?;
        let Some(mut run) = run else { return Ok(None) };
        let mut stmt = conn
            .prepare_cached(
                "SELECT insight_id, score FROM centrality WHERE run_id = ?1 ORDER BY insight_id",
            )
            .map_err(|e| self.err(e))?;
        run.scores = stmt
            .query_map([run.run_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        Ok(Some(run))
    }

    /// Keep a run, replacing any earlier run of the same measure and parameters, in one
    /// transaction. Returns the new run id.
    pub fn write_centrality_run(&mut self, run: &NewCentrality<'_>) -> Result<i64> {
        let path = self.path.clone();
        let err = |e| super::classify(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(err)?;
        // Deleted explicitly: foreign keys (and so ON DELETE CASCADE) are not switched on.
        tx.execute(
            "DELETE FROM centrality WHERE run_id IN
                 (SELECT id FROM analysis_runs WHERE kind = ?1 AND measure = ?2 AND params = ?3)",
            params![KIND, run.measure, run.params],
        )
        .map_err(err)?;
        tx.execute(
            "DELETE FROM analysis_runs WHERE kind = ?1 AND measure = ?2 AND params = ?3",
            params![KIND, run.measure, run.params],
        )
        .map_err(err)?;
        let run_id = super::insert_analysis_run(
            &tx,
            KIND,
            run.measure,
            run.params,
            run.graph_version,
            run.summary,
        )
        .map_err(err)?;
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO centrality (run_id, insight_id, score) VALUES (?1, ?2, ?3)",
                )
                .map_err(err)?;
            for &(id, score) in run.scores {
                insert.execute(params![run_id, id, score]).map_err(err)?;
            }
        }
        tx.commit().map_err(err)?;
        Ok(run_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<'a>(params: &'a str, version: i64, scores: &'a [(i64, f64)]) -> NewCentrality<'a> {
        NewCentrality {
            measure: "pagerank",
            params,
            graph_version: version,
            summary: "{}",
            scores,
        }
    }

    #[test]
    fn write_read_and_replace() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.centrality_run("pagerank", "{}", 1).unwrap(), None);
        let first = store
            .write_centrality_run(&run("{\"a\":1}", 1, &[(2, 0.5), (1, 0.25)]))
            .unwrap();
        let kept = store
            .centrality_run("pagerank", "{\"a\":1}", 1)
            .unwrap()
            .unwrap();
        assert_eq!(kept.run_id, first);
        assert_eq!(kept.scores, vec![(1, 0.25), (2, 0.5)]);
        // Another graph version: not this run.
        assert_eq!(
            store.centrality_run("pagerank", "{\"a\":1}", 2).unwrap(),
            None
        );
        // Same measure and params again: replaces, scores of the old run are gone.
        store
            .write_centrality_run(&run("{\"a\":1}", 2, &[(1, 1.0)]))
            .unwrap();
        let rows: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM centrality", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
        let runs: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM analysis_runs", [], |r| r.get(0))
            .unwrap();
        assert_eq!(runs, 1);
        // Other params are kept side by side; the newest wins "any params".
        let third = store
            .write_centrality_run(&run("{\"a\":2}", 2, &[(1, 2.0)]))
            .unwrap();
        assert_eq!(
            store
                .newest_centrality_run("pagerank", 2)
                .unwrap()
                .unwrap()
                .run_id,
            third
        );
        assert_eq!(store.newest_centrality_run("closeness", 2).unwrap(), None);
    }
}
