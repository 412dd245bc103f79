//! Centrality scores, kept or computed: [`scores()`] reads a kept run that fits the request,
//! or computes one with [`CentralityConfig::compute`] and keeps it.

use super::Reuse;
use crate::algo::centrality::{rank, CentralityConfig, Distance, Measure};
use crate::error::{Error, Result};
use crate::graph::InsightGraph;
use crate::ids::{InsightId, NodeIndex};
use crate::store::runs::{KeptCentrality, NewCentrality};
use crate::store::Store;
use serde::{Deserialize, Serialize};

/// The parameters that shape a measure's result, the key of a kept run. Fields are in
/// alphabetical order and absent ones are skipped, so the JSON is canonical: equal
/// parameters give equal text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CentralityParams {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance: Option<Distance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_iterations: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
}

impl CentralityParams {
    /// The parameters of `config` on a graph of `node_count` nodes. A sample of at least
    /// `node_count` is the exact run, so it is recorded as such.
    pub fn of(config: &CentralityConfig, node_count: usize) -> CentralityParams {
        match config {
            CentralityConfig::PageRank(p) => CentralityParams {
                alpha: Some(p.alpha),
                max_iterations: Some(p.max_iterations),
                tolerance: Some(p.tolerance),
                ..Default::default()
            },
            CentralityConfig::Betweenness(b) => {
                let sampled = b.is_sampled(node_count);
                CentralityParams {
                    distance: Some(b.distance),
                    samples: b.samples.filter(|_| sampled),
                    seed: sampled.then_some(b.seed),
                    ..Default::default()
                }
            }
            CentralityConfig::Eigenvector(e) => CentralityParams {
                max_iterations: Some(e.max_iterations),
                tolerance: Some(e.tolerance),
                ..Default::default()
            },
            CentralityConfig::Closeness | CentralityConfig::Degree | CentralityConfig::Strength => {
                CentralityParams::default()
            }
        }
    }

    /// Canonical JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain numbers and names serialize")
    }
}

/// How a kept run was reached, kept beside its scores.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CentralitySummary {
    pub approximate: bool,
    pub converged: bool,
    pub iterations: usize,
    /// What a reader should know: "distance = 1/weight", "approximate: ...", non-convergence.
    pub note: Option<String>,
}

/// Scores of one measure for every node of the graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    pub measure: Measure,
    /// Canonical JSON of the parameters.
    pub params: String,
    /// Sampled betweenness.
    pub approximate: bool,
    /// What a reader should know: "distance = 1/weight", "approximate: ...", non-convergence.
    pub note: Option<String>,
    /// Indexed by [`InsightGraph`] node index.
    pub values: Vec<f64>,
    /// Read back from the store, not recomputed.
    pub reused: bool,
    /// In the store: read back, or computed and written. `false` when the database is
    /// read-only.
    pub kept: bool,
}

impl Scores {
    /// Node indices best first (score descending, then insight id).
    pub fn ranking(&self) -> Vec<NodeIndex> {
        rank(&self.values)
    }
}

/// The scores `config` asks for on `graph`: a kept run when `reuse` allows one, else computed,
/// written back and returned. [`Error::EmptyGraph`] when there are no insights,
/// [`Error::InvalidInput`] for parameters no run can use.
pub fn scores(
    store: &mut Store,
    graph: &InsightGraph,
    config: &CentralityConfig,
    reuse: Reuse,
) -> Result<Scores> {
    if graph.is_empty() {
        return Err(Error::EmptyGraph);
    }
    config.validate()?;
    let measure = config.measure();
    let params = CentralityParams::of(config, graph.node_count()).to_json();
    let version = store.graph_version()?;
    let kept = match reuse {
        Reuse::SameParameters => store.centrality_run(measure, &params, version)?,
        Reuse::AnyParameters => store.current_centrality_run(measure, version)?,
        Reuse::Never => None,
    };
    if let Some(kept) = kept {
        let run_id = kept.run_id;
        if let Some(scores) = from_kept(graph, kept) {
            if reuse == Reuse::SameParameters {
                // What `central` gives is what pictures, exports and `show` use next.
                super::keep(store, |store| store.make_current(run_id))?;
            }
            return Ok(scores);
        }
    }
    let run = config.compute(graph);
    let summary = CentralitySummary {
        approximate: run.approximate,
        converged: run.converged,
        iterations: run.iterations,
        note: note(config, graph.node_count(), run.converged, run.iterations),
    };
    let by_id: Vec<(InsightId, f64)> = graph
        .ids()
        .iter()
        .copied()
        .zip(run.values.iter().copied())
        .collect();
    let kept = super::keep(store, |store| {
        store.write_centrality_run(&NewCentrality {
            measure,
            params: &params,
            graph_version: version,
            summary: &serde_json::to_string(&summary).expect("serializable"),
            scores: &by_id,
        })
    })?;
    Ok(Scores {
        measure,
        params,
        approximate: summary.approximate,
        note: summary.note,
        values: run.values,
        reused: false,
        kept,
    })
}

/// The newest scores of `measure` kept for graph `version`, if any; never computes. (Exports
/// add every measure the user has computed as extra columns.)
pub fn kept(
    store: &Store,
    graph: &InsightGraph,
    measure: Measure,
    version: i64,
) -> Result<Option<Scores>> {
    Ok(store
        .current_centrality_run(measure, version)?
        .and_then(|kept| from_kept(graph, kept)))
}

/// A kept run as scores over `graph`'s nodes, or `None` when it does not cover them all or
/// its summary does not read (then it is computed again).
fn from_kept(graph: &InsightGraph, kept: KeptCentrality) -> Option<Scores> {
    let ids = graph.ids();
    if kept.scores.len() != ids.len()
        || kept
            .scores
            .iter()
            .zip(ids)
            .any(|(&(id, _), &want)| id != want)
    {
        return None;
    }
    let summary: CentralitySummary = serde_json::from_str(&kept.summary).ok()?;
    Some(Scores {
        measure: kept.measure,
        params: kept.params,
        approximate: summary.approximate,
        note: summary.note,
        values: kept.scores.into_iter().map(|(_, score)| score).collect(),
        reused: true,
        kept: true,
    })
}

/// What a reader of these scores should know, if anything.
fn note(
    config: &CentralityConfig,
    node_count: usize,
    converged: bool,
    iterations: usize,
) -> Option<String> {
    let mut notes = Vec::new();
    if !converged {
        notes.push(format!(
            "did not converge in {iterations} iterations: scores are the last iterate (raise --max-iterations)"
        ));
    }
    if let CentralityConfig::Betweenness(b) = config {
        if b.is_sampled(node_count) {
            notes.push(format!(
                "approximate: estimated from {} of {node_count} source nodes (seed {})",
                b.samples.unwrap_or(node_count),
                b.seed
            ));
        }
        if b.distance == Distance::Inverse {
            notes.push(
                "distance = 1/weight: insights that share more sources are closer".to_string(),
            );
        }
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::centrality::{BetweennessConfig, PageRankConfig};

    #[test]
    fn params_are_canonical_and_sampling_only_counts_below_n() {
        let json = |c: &CentralityConfig, n| CentralityParams::of(c, n).to_json();
        assert_eq!(
            json(&CentralityConfig::new(Measure::PageRank), 10),
            r#"{"alpha":0.85,"max_iterations":1000,"tolerance":1e-13}"#
        );
        let mut b = BetweennessConfig::default();
        assert_eq!(
            json(&CentralityConfig::Betweenness(b), 10),
            r#"{"distance":"hops"}"#
        );
        b.samples = Some(10);
        assert_eq!(
            json(&CentralityConfig::Betweenness(b), 10),
            r#"{"distance":"hops"}"#
        );
        b.samples = Some(3);
        assert_eq!(
            json(&CentralityConfig::Betweenness(b), 10),
            r#"{"distance":"hops","samples":3,"seed":1}"#
        );
        assert_eq!(json(&CentralityConfig::Closeness, 10), "{}");
        let back: CentralityParams =
            serde_json::from_str(r#"{"distance":"inverse","samples":3,"seed":1}"#).unwrap();
        assert_eq!(back.distance, Some(Distance::Inverse));
    }

    #[test]
    fn empty_graph_is_an_error() {
        let mut store = Store::open_in_memory().unwrap();
        let graph = store.load_graph().unwrap();
        let err = scores(
            &mut store,
            &graph,
            &CentralityConfig::Degree,
            Reuse::SameParameters,
        )
        .unwrap_err();
        assert!(matches!(err, Error::EmptyGraph));
        assert_eq!(err.exit_code(), 3);
    }

    #[test]
    fn scores_are_kept_and_reused_until_params_change() {
        let mut store = Store::open_in_memory().unwrap();
        let graph = InsightGraph::from_index_edges(3, &[(0, 1, 1.0), (1, 2, 2.0)]);
        let config = CentralityConfig::new(Measure::PageRank);
        let same = Reuse::SameParameters;
        let first = scores(&mut store, &graph, &config, same).unwrap();
        assert!(!first.reused);
        let second = scores(&mut store, &graph, &config, same).unwrap();
        assert!(second.reused);
        assert_eq!(first.values, second.values);
        let other = CentralityConfig::PageRank(PageRankConfig {
            alpha: 0.5,
            ..PageRankConfig::default()
        });
        assert!(!scores(&mut store, &graph, &other, same).unwrap().reused);
        assert!(
            !scores(&mut store, &graph, &config, Reuse::Never)
                .unwrap()
                .reused
        );
        // Any parameters: the newest kept run (the default config's, written last).
        let kept = scores(&mut store, &graph, &other, Reuse::AnyParameters).unwrap();
        assert!(kept.reused);
        assert_eq!(kept.params, CentralityParams::of(&config, 3).to_json());
        // Nothing kept for closeness: computed and kept.
        let closeness = scores(
            &mut store,
            &graph,
            &CentralityConfig::Closeness,
            Reuse::AnyParameters,
        )
        .unwrap();
        assert!(!closeness.reused);
    }

    #[test]
    fn bad_parameters_are_invalid_input() {
        let mut store = Store::open_in_memory().unwrap();
        let graph = InsightGraph::from_index_edges(2, &[(0, 1, 1.0)]);
        let bad = CentralityConfig::PageRank(PageRankConfig {
            alpha: 1.5,
            ..PageRankConfig::default()
        });
        assert!(matches!(
            scores(&mut store, &graph, &bad, Reuse::SameParameters),
            Err(Error::InvalidInput(_))
        ));
    }

    #[test]
    fn notes_say_what_a_reader_should_know() {
        let b = CentralityConfig::Betweenness(BetweennessConfig {
            samples: Some(2),
            seed: 7,
            distance: Distance::Inverse,
        });
        assert_eq!(
            note(&b, 10, true, 0).unwrap(),
            "approximate: estimated from 2 of 10 source nodes (seed 7); distance = 1/weight: insights that share more sources are closer"
        );
        assert!(note(&CentralityConfig::Degree, 10, true, 0).is_none());
        assert!(
            note(&CentralityConfig::new(Measure::PageRank), 10, false, 1000)
                .unwrap()
                .starts_with("did not converge in 1000")
        );
    }
}
