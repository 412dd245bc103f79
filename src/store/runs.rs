//! Kept analysis runs (Neo4j GDS "write mode"): one `analysis_runs` row per kind, measure or
//! algorithm, and parameters, with its centrality scores or its community memberships and
//! communities. Parameters and summaries are JSON the results layer writes and reads with
//! serde; the store keeps them as given.

use super::rows::insert_rows;
use super::Store;
use crate::algo::centrality::Measure;
use crate::algo::community::Algorithm;
use crate::error::Result;
use crate::ids::InsightId;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

/// A kept centrality run.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptCentrality {
    pub run_id: i64,
    pub measure: Measure,
    /// Canonical JSON of the parameters.
    pub params: String,
    pub graph_version: i64,
    pub computed_at: String,
    /// JSON written by the results layer.
    pub summary: String,
    /// (insight, score), ascending by insight id.
    pub scores: Vec<(InsightId, f64)>,
}

/// A centrality run to keep.
#[derive(Debug, Clone, Copy)]
pub struct NewCentrality<'a> {
    pub measure: Measure,
    pub params: &'a str,
    pub graph_version: i64,
    pub summary: &'a str,
    pub scores: &'a [(InsightId, f64)],
}

/// One community of a kept partition.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityRow {
    pub id: u32,
    pub size: usize,
    pub label: String,
    /// Its place in the pictures' palette (`theme_colours` in schema.sql); `None`: grey.
    pub colour: Option<u32>,
}

/// A kept partition.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptCommunities {
    pub run_id: i64,
    pub algorithm: Algorithm,
    /// Canonical JSON of the parameters.
    pub params: String,
    pub graph_version: i64,
    /// JSON written by the results layer.
    pub summary: String,
    /// (insight, community id), by insight id.
    pub memberships: Vec<(InsightId, u32)>,
    /// By community id.
    pub communities: Vec<CommunityRow>,
}

/// A partition to keep.
#[derive(Debug, Clone)]
pub struct NewCommunities<'a> {
    pub algorithm: Algorithm,
    pub params: &'a str,
    pub graph_version: i64,
    pub summary: &'a str,
    pub memberships: &'a [(InsightId, u32)],
    pub communities: &'a [CommunityRow],
}

/// A kept centrality score of one insight. (No rank: counting the insights above it is a
/// scan of the whole run, too slow for `show` on a large graph; `central` lists ranks.)
#[derive(Debug, Clone, Serialize)]
pub struct KeptScore {
    pub measure: Measure,
    pub score: f64,
    pub params: String,
}

/// The kept community of one insight.
#[derive(Debug, Clone, Serialize)]
pub struct KeptCommunity {
    pub algorithm: Algorithm,
    pub community: i64,
    pub label: String,
    pub size: i64,
}

/// `analysis_runs.kind`.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Centrality,
    Communities,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Centrality => "centrality",
            Kind::Communities => "communities",
        }
    }
}

/// Replace the kept run of `kind`, `measure` and `params` by a new one; returns its id.
/// Foreign keys are not enforced, so the rows of the old run are deleted explicitly.
fn replace_run(
    tx: &Transaction<'_>,
    kind: Kind,
    measure: &dyn rusqlite::ToSql,
    params: &str,
    graph_version: i64,
    summary: &str,
) -> rusqlite::Result<i64> {
    let old: Option<i64> = tx
        .query_row(
            "SELECT id FROM analysis_runs WHERE kind = ?1 AND measure = ?2 AND params = ?3",
            params![kind.as_str(), measure, params],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(old) = old {
        for table in [
            "centrality",
            "memberships",
            "communities",
            "theme_colours",
            "analysis_runs",
        ] {
            let column = if table == "analysis_runs" {
                "id"
            } else {
                "run_id"
            };
            tx.execute(&format!("DELETE FROM {table} WHERE {column} = ?1"), [old])?;
        }
    }
    tx.execute(
        "INSERT INTO analysis_runs (kind, measure, params, graph_version, computed_at, summary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            kind.as_str(),
            measure,
            params,
            graph_version,
            super::now_utc(),
            summary
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The `meta` key naming the current run of the run `r` (an alias in the query): one for
/// partitions, whatever their algorithm, one per centrality measure.
macro_rules! current_key {
    () => {
        "CASE r.kind WHEN 'communities' THEN 'current communities'
         ELSE 'current ' || r.kind || ' ' || r.measure END"
    };
}
const CURRENT_KEY: &str = current_key!();

/// `ORDER BY` term putting the current run (alias `r`) first: see [`Store::make_current`].
const CURRENT_FIRST: &str = concat!(
    "(r.id IS (SELECT CAST(m.value AS INTEGER) FROM meta m WHERE m.key = ",
    current_key!(),
    ")) DESC"
);

/// The `meta` key to set to make run `run_id` current: `None` when it is current already
/// (or does not exist: nothing to make current).
fn stale_key(conn: &Connection, run_id: i64) -> rusqlite::Result<Option<String>> {
    let key: Option<String> = conn
        .query_row(
            &format!("SELECT {CURRENT_KEY} FROM analysis_runs r WHERE r.id = ?1"),
            [run_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(key) = key else { return Ok(None) };
    let current = super::meta::get(conn, &key)?;
    Ok((current != Some(run_id.to_string())).then_some(key))
}

/// See [`Store::make_current`].
fn make_current(tx: &Transaction<'_>, run_id: i64) -> rusqlite::Result<()> {
    if let Some(key) = stale_key(tx, run_id)? {
        super::meta::set(tx, &key, &run_id.to_string())?;
    }
    Ok(())
}

/// Rows per `INSERT` of [`insert_run_rows`]: a statement per row spends its time in binding
/// and stepping, not storing (at 100k insights, 19 ms of a 0.55 s `central --recompute`).
const ROWS_PER_INSERT: usize = 256;

/// Inserts `(run_id, id, value)` for every `(id, value)` of `rows` into `into`, a table and
/// its three columns, many rows per statement (see [`insert_rows`]).
///
/// # Complexity
/// * Time complexity: **O(r log R)** for r rows into a table of R.
/// * Auxiliary space: **O(1)** besides two cached statements.
fn insert_run_rows<V: rusqlite::ToSql>(
    tx: &Transaction<'_>,
    into: &str,
    run_id: i64,
    rows: &[(InsightId, V)],
) -> rusqlite::Result<()> {
    let head = format!("INSERT INTO {into}");
    insert_rows(
        tx,
        &head,
        3,
        ROWS_PER_INSERT,
        rows,
        |insert, at, (id, value)| {
            insert.raw_bind_parameter(at, run_id)?;
            insert.raw_bind_parameter(at + 1, id)?;
            insert.raw_bind_parameter(at + 2, value)
        },
    )
}

impl Store {
    /// The kept run of `measure` with exactly these parameters, if it was computed on
    /// `graph_version`.
    pub fn centrality_run(
        &self,
        measure: Measure,
        params: &str,
        graph_version: i64,
    ) -> Result<Option<KeptCentrality>> {
        self.centrality_run_where(
            "measure = ?2 AND params = ?3 AND graph_version = ?4",
            params![Kind::Centrality.as_str(), measure, params, graph_version],
        )
    }

    /// The current run of `measure` on `graph_version`, whatever its parameters: the one
    /// `central` last gave ([`Store::make_current`]) if it is of that version, else the newest.
    pub fn current_centrality_run(
        &self,
        measure: Measure,
        graph_version: i64,
    ) -> Result<Option<KeptCentrality>> {
        self.centrality_run_where(
            "measure = ?2 AND graph_version = ?3",
            params![Kind::Centrality.as_str(), measure, graph_version],
        )
    }

    /// Make `run_id` the current run of its kind (and measure): the one pictures, exports,
    /// `bridges`, `show` and reports use. `central` and `communities` call this for the run
    /// they give, kept or computed, so what those show follows what was last asked for, not
    /// what was last computed. Writes only when it changes.
    pub fn make_current(&mut self, run_id: i64) -> Result<()> {
        // Read first: a command that reuses the current run takes no write lock (it would
        // wait on an import in progress).
        if self.read(|c| stale_key(c, run_id))?.is_none() {
            return Ok(());
        }
        self.write(|tx| make_current(tx, run_id))
    }

    fn centrality_run_where(
        &self,
        condition: &str,
        args: &[&dyn rusqlite::ToSql],
    ) -> Result<Option<KeptCentrality>> {
        self.read(|c| {
            let sql = format!(
                "SELECT id, measure, params, graph_version, computed_at, summary FROM analysis_runs r
                 WHERE kind = ?1 AND {condition} ORDER BY {CURRENT_FIRST}, id DESC LIMIT 1"
            );
            let run = c
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
                .optional()?;
            let Some(mut run) = run else { return Ok(None) };
            let mut stmt = c.prepare_cached(
                "SELECT insight_id, score FROM centrality WHERE run_id = ?1 ORDER BY insight_id",
            )?;
            run.scores = stmt
                .query_map([run.run_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Some(run))
        })
    }

    /// Keep a centrality run, replacing any earlier run of the same measure and parameters,
    /// and make it the current one, in one transaction. Returns the new run id.
    pub fn write_centrality_run(&mut self, run: &NewCentrality<'_>) -> Result<i64> {
        self.write(|tx| {
            let run_id = replace_run(
                tx,
                Kind::Centrality,
                &run.measure,
                run.params,
                run.graph_version,
                run.summary,
            )?;
            insert_run_rows(
                tx,
                "centrality (run_id, insight_id, score)",
                run_id,
                run.scores,
            )?;
            make_current(tx, run_id)?;
            Ok(run_id)
        })
    }

    /// The kept partition of `algorithm` with exactly these parameters, of any graph version.
    pub fn kept_communities(
        &self,
        algorithm: Algorithm,
        params: &str,
    ) -> Result<Option<KeptCommunities>> {
        let run = self.read(|c| {
            c.query_row(
                "SELECT id FROM analysis_runs WHERE kind = ?1 AND measure = ?2 AND params = ?3",
                params![Kind::Communities.as_str(), algorithm, params],
                |r| r.get::<_, i64>(0),
            )
            .optional()
        })?;
        run.map(|id| self.kept_partition_run(id)).transpose()
    }

    /// The current kept partition, any algorithm and parameters: the one `communities` last
    /// gave ([`Store::make_current`]), else the newest; only of `graph_version` if given.
    pub fn current_kept_communities(
        &self,
        graph_version: Option<i64>,
    ) -> Result<Option<KeptCommunities>> {
        let run = self.read(|c| {
            c.query_row(
                &format!(
                    "SELECT id FROM analysis_runs r
                     WHERE kind = ?1 AND (?2 IS NULL OR graph_version = ?2)
                     ORDER BY {CURRENT_FIRST}, id DESC LIMIT 1"
                ),
                params![Kind::Communities.as_str(), graph_version],
                |r| r.get::<_, i64>(0),
            )
            .optional()
        })?;
        run.map(|id| self.kept_partition_run(id)).transpose()
    }

    fn kept_partition_run(&self, run_id: i64) -> Result<KeptCommunities> {
        self.read(|c| {
            let (algorithm, params, graph_version, summary) = c.query_row(
                "SELECT measure, params, graph_version, summary FROM analysis_runs WHERE id = ?1",
                [run_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
            let mut stmt = c.prepare_cached(
                "SELECT insight_id, community_id FROM memberships WHERE run_id = ?1 ORDER BY insight_id",
            )?;
            let memberships = stmt
                .query_map([run_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut stmt = c.prepare_cached(
                "SELECT c.community_id, c.size, c.label, t.colour FROM communities c
                 LEFT JOIN theme_colours t USING (run_id, community_id)
                 WHERE c.run_id = ?1 ORDER BY c.community_id",
            )?;
            let communities = stmt
                .query_map([run_id], |r| {
                    Ok(CommunityRow {
                        id: r.get(0)?,
                        size: r.get::<_, i64>(1)? as usize,
                        label: r.get(2)?,
                        colour: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(KeptCommunities {
                run_id,
                algorithm,
                params,
                graph_version,
                summary,
                memberships,
                communities,
            })
        })
    }

    /// Keep a partition, replacing the kept one with the same algorithm and parameters, and
    /// make it the current one, in one transaction with cached statements. Returns the new
    /// run id.
    pub fn write_communities(&mut self, new: &NewCommunities<'_>) -> Result<i64> {
        self.write(|tx| {
            let run_id = replace_run(
                tx,
                Kind::Communities,
                &new.algorithm,
                new.params,
                new.graph_version,
                new.summary,
            )?;
            insert_run_rows(
                tx,
                "memberships (run_id, insight_id, community_id)",
                run_id,
                new.memberships,
            )?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO communities (run_id, community_id, size, label) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for c in new.communities {
                stmt.execute(params![run_id, c.id, c.size as i64, c.label])?;
            }
            let mut stmt = tx.prepare_cached(
                "INSERT INTO theme_colours (run_id, community_id, colour) VALUES (?1, ?2, ?3)",
            )?;
            for c in new.communities {
                if let Some(colour) = c.colour {
                    stmt.execute(params![run_id, c.id, colour])?;
                }
            }
            make_current(tx, run_id)?;
            Ok(run_id)
        })
    }

    /// The current score (see [`Store::current_centrality_run`]) of every centrality measure
    /// kept for the current graph version, for one insight. Primary-key lookups only.
    pub fn kept_scores_of(&self, id: InsightId) -> Result<Vec<KeptScore>> {
        let version = self.graph_version()?;
        self.read(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT o.measure, c.score, o.params
                     FROM analysis_runs o JOIN centrality c ON c.run_id = o.id AND c.insight_id = ?1
                     WHERE o.kind = 'centrality' AND o.graph_version = ?2
                       AND o.id = (SELECT r.id FROM analysis_runs r
                                   WHERE r.kind = 'centrality' AND r.measure = o.measure
                                     AND r.graph_version = ?2
                                   ORDER BY {CURRENT_FIRST}, r.id DESC LIMIT 1)
                     ORDER BY o.measure"
            ))?;
            let rows = stmt
                .query_map(params![id, version], |r| {
                    Ok(KeptScore {
                        measure: r.get(0)?,
                        score: r.get(1)?,
                        params: r.get(2)?,
                    })
                })?
                .collect();
            rows
        })
    }

    /// The insight's community in the current partition (see [`Store::current_kept_communities`])
    /// of the current graph version.
    pub fn kept_community_of(&self, id: InsightId) -> Result<Option<KeptCommunity>> {
        let version = self.graph_version()?;
        self.read(|c| {
            c.query_row(
                &format!(
                    "SELECT r.measure, m.community_id, c.label, c.size
                     FROM analysis_runs r
                     JOIN memberships m ON m.run_id = r.id AND m.insight_id = ?1
                     JOIN communities c ON c.run_id = r.id AND c.community_id = m.community_id
                     WHERE r.kind = 'communities' AND r.graph_version = ?2
                     ORDER BY {CURRENT_FIRST}, r.id DESC LIMIT 1"
                ),
                params![id, version],
                |r| {
                    Ok(KeptCommunity {
                        algorithm: r.get(0)?,
                        community: r.get(1)?,
                        label: r.get(2)?,
                        size: r.get(3)?,
                    })
                },
            )
            .optional()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u32) -> InsightId {
        InsightId(n)
    }

    fn centrality<'a>(
        params: &'a str,
        version: i64,
        scores: &'a [(InsightId, f64)],
    ) -> NewCentrality<'a> {
        NewCentrality {
            measure: Measure::PageRank,
            params,
            graph_version: version,
            summary: "{}",
            scores,
        }
    }

    fn count(store: &Store, table: &str) -> i64 {
        store
            .conn()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn centrality_runs_write_read_and_replace() {
        let mut store = Store::open_in_memory().unwrap();
        let pr = Measure::PageRank;
        assert_eq!(store.centrality_run(pr, "{}", 1).unwrap(), None);
        let first = store
            .write_centrality_run(&centrality("{\"a\":1}", 1, &[(id(2), 0.5), (id(1), 0.25)]))
            .unwrap();
        let kept = store.centrality_run(pr, "{\"a\":1}", 1).unwrap().unwrap();
        assert_eq!(kept.run_id, first);
        assert_eq!(kept.scores, vec![(id(1), 0.25), (id(2), 0.5)]);
        // Another graph version: not this run.
        assert_eq!(store.centrality_run(pr, "{\"a\":1}", 2).unwrap(), None);
        // Same measure and params again: replaces, scores of the old run are gone.
        store
            .write_centrality_run(&centrality("{\"a\":1}", 2, &[(id(1), 1.0)]))
            .unwrap();
        assert_eq!(count(&store, "centrality"), 1);
        assert_eq!(count(&store, "analysis_runs"), 1);
        // Other params are kept side by side; the newest wins "any params".
        let third = store
            .write_centrality_run(&centrality("{\"a\":2}", 2, &[(id(1), 2.0)]))
            .unwrap();
        assert_eq!(
            store.current_centrality_run(pr, 2).unwrap().unwrap().run_id,
            third
        );
        assert_eq!(
            store.current_centrality_run(Measure::Closeness, 2).unwrap(),
            None
        );
    }

    fn partition<'a>(
        params: &'a str,
        m: &'a [(InsightId, u32)],
        c: &'a [CommunityRow],
    ) -> NewCommunities<'a> {
        NewCommunities {
            algorithm: Algorithm::Leiden,
            params,
            graph_version: 3,
            summary: "{\"modularity\":0.5}",
            memberships: m,
            communities: c,
        }
    }

    #[test]
    fn runs_of_many_statements_keep_every_row() {
        // 2 full statements of ROWS_PER_INSERT rows and a shorter one, twice in one
        // connection, so the cached statements are reused.
        let mut store = Store::open_in_memory().unwrap();
        let n = 2 * ROWS_PER_INSERT as u32 + 37;
        let scores: Vec<(InsightId, f64)> = (1..=n).map(|i| (id(i), f64::from(i) / 7.0)).collect();
        let members: Vec<(InsightId, u32)> = (1..=n).map(|i| (id(i), i % 5)).collect();
        for params in ["{\"a\":1}", "{\"a\":2}"] {
            store
                .write_centrality_run(&centrality(params, 1, &scores))
                .unwrap();
            let kept = store.centrality_run(Measure::PageRank, params, 1).unwrap();
            assert_eq!(kept.unwrap().scores, scores);
            let c = [CommunityRow {
                id: 0,
                size: n as usize,
                label: String::new(),
                colour: Some(0),
            }];
            store
                .write_communities(&partition(params, &members, &c))
                .unwrap();
            let kept = store.kept_communities(Algorithm::Leiden, params).unwrap();
            assert_eq!(kept.unwrap().memberships, members);
        }
        assert_eq!(count(&store, "centrality"), 2 * n as i64);
    }

    #[test]
    fn partitions_write_read_and_replace() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.current_kept_communities(None).unwrap(), None);
        let row = |id, size, label: &str| CommunityRow {
            id,
            size,
            label: label.into(),
            colour: (size > 1).then_some(id + 3),
        };
        let c = vec![row(0, 2, "a, b"), row(1, 1, "")];
        let first = store
            .write_communities(&partition(
                "{\"seed\":1}",
                &[(id(1), 0), (id(2), 0), (id(5), 1)],
                &c,
            ))
            .unwrap();
        let second = store
            .write_communities(&partition("{\"seed\":2}", &[(id(1), 0)], &c[..1]))
            .unwrap();
        let kept = store
            .kept_communities(Algorithm::Leiden, "{\"seed\":1}")
            .unwrap()
            .unwrap();
        assert_eq!(kept.run_id, first);
        assert_eq!(kept.memberships, vec![(id(1), 0), (id(2), 0), (id(5), 1)]);
        assert_eq!(kept.communities, c);
        assert_eq!(kept.graph_version, 3);
        assert_eq!(
            store
                .current_kept_communities(Some(3))
                .unwrap()
                .unwrap()
                .run_id,
            second
        );
        assert_eq!(store.current_kept_communities(Some(4)).unwrap(), None);
        // Same parameters again: replaces the old run and its rows.
        let third = store
            .write_communities(&partition("{\"seed\":1}", &[(id(1), 7)], &[]))
            .unwrap();
        let kept = store
            .kept_communities(Algorithm::Leiden, "{\"seed\":1}")
            .unwrap()
            .unwrap();
        assert_eq!((kept.run_id, kept.memberships), (third, vec![(id(1), 7)]));
        assert_eq!(count(&store, "memberships"), 2);
        // The replaced run's colours went with it; the second run's one colour stays.
        assert_eq!(count(&store, "theme_colours"), 1);
    }

    /// Kept results are read straight from the analysis tables the `central` and
    /// `communities` commands write.
    #[test]
    fn kept_scores_and_community_of_the_current_graph_version() {
        let store = Store::open_in_memory().unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO meta VALUES ('graph_version', '2');
                 INSERT INTO insights (id, key, text) VALUES (1, 'a', 'A'), (2, 'b', 'B'), (3, 'c', 'C');
                 INSERT INTO analysis_runs (id, kind, measure, params, graph_version, computed_at)
                 VALUES (1, 'centrality', 'pagerank', '{}', 1, '2024-01-01T00:00:00Z'),
                        (2, 'centrality', 'pagerank', '{\"alpha\":0.85}', 2, '2024-01-02T00:00:00Z'),
                        (3, 'communities', 'leiden', '{}', 2, '2024-01-02T00:00:00Z');
                 INSERT INTO centrality VALUES (1, 1, 9.0), (2, 1, 0.2), (2, 2, 0.5), (2, 3, 0.3);
                 INSERT INTO memberships VALUES (3, 1, 7), (3, 2, 7), (3, 3, 8);
                 INSERT INTO communities VALUES (3, 7, 2, 'theme seven'), (3, 8, 1, 'eight');",
            )
            .unwrap();
        let scores = store.kept_scores_of(id(1)).unwrap();
        assert_eq!(scores.len(), 1);
        assert_eq!(
            (scores[0].measure, scores[0].score),
            (Measure::PageRank, 0.2)
        );
        let c = store.kept_community_of(id(1)).unwrap().unwrap();
        assert_eq!(
            (c.community, c.label.as_str(), c.size),
            (7, "theme seven", 2)
        );
        assert!(store.kept_community_of(id(99)).unwrap().is_none());
    }

    #[test]
    fn an_unknown_stored_measure_is_a_damaged_database() {
        let store = Store::open_in_memory().unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO analysis_runs (id, kind, measure, params, graph_version, computed_at)
                 VALUES (1, 'centrality', 'katz', '{}', 0, '2024-01-01T00:00:00Z');
                 INSERT INTO insights (id, key, text) VALUES (1, 'a', 'A');
                 INSERT INTO centrality VALUES (1, 1, 0.5);",
            )
            .unwrap();
        let err = store.kept_scores_of(id(1)).unwrap_err();
        assert_eq!(err.exit_code(), crate::error::exit_code::DATABASE);
        assert!(err.to_string().contains("katz"), "{err}");
    }
}
