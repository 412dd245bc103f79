//! Kept centrality scores: computed by [`crate::algo::centrality`], written to the store with
//! their parameters and graph version, and read back while the graph is unchanged.

use crate::algo::centrality::{
    self as algo, BetweennessConfig, Distance, EigenvectorConfig, PageRankConfig,
};
use crate::error::{Error, Result};
use crate::graph::InsightGraph;
use crate::store::centrality::{KeptCentrality, NewCentrality};
use crate::store::Store;
use serde_json::json;

/// A centrality measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    PageRank,
    Betweenness,
    Closeness,
    Eigenvector,
    Degree,
    Strength,
}

impl Measure {
    pub const ALL: [Measure; 6] = [
        Measure::PageRank,
        Measure::Betweenness,
        Measure::Closeness,
        Measure::Eigenvector,
        Measure::Degree,
        Measure::Strength,
    ];

    /// The name used on the command line and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::PageRank => "pagerank",
            Measure::Betweenness => "betweenness",
            Measure::Closeness => "closeness",
            Measure::Eigenvector => "eigenvector",
            Measure::Degree => "degree",
            Measure::Strength => "strength",
        }
    }

    pub fn from_name(name: &str) -> Option<Measure> {
        Measure::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(name))
    }
}

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What to compute. Only the part for `measure` is used (and recorded).
#[derive(Debug, Clone, PartialEq)]
pub struct CentralityConfig {
    pub measure: Measure,
    /// PageRank: alpha 0.85, tolerance 1e-13, 1000 iterations.
    pub pagerank: PageRankConfig,
    /// Betweenness: hops, exact (no samples), seed 1.
    pub betweenness: BetweennessConfig,
    /// Eigenvector: tolerance 1e-13, 10 000 iterations.
    pub eigenvector: EigenvectorConfig,
    /// Use kept scores when they match the graph version and parameters. Default true.
    pub reuse: bool,
}

impl CentralityConfig {
    /// `measure` with every default.
    pub fn new(measure: Measure) -> Self {
        CentralityConfig {
            measure,
            pagerank: PageRankConfig::default(),
            betweenness: BetweennessConfig::default(),
            eigenvector: EigenvectorConfig::default(),
            reuse: true,
        }
    }

    fn validate(&self) -> Result<()> {
        let p = &self.pagerank;
        if !(p.alpha > 0.0 && p.alpha <= 1.0) {
            return Err(Error::InvalidInput(format!(
                "alpha must be in (0, 1], not {}",
                p.alpha
            )));
        }
        if !(p.tolerance > 0.0 && self.eigenvector.tolerance > 0.0) {
            return Err(Error::InvalidInput("the tolerance must be positive".into()));
        }
        if p.max_iterations == 0 || self.eigenvector.max_iterations == 0 {
            return Err(Error::InvalidInput(
                "max iterations must be at least 1".into(),
            ));
        }
        if self.betweenness.samples == Some(0) {
            return Err(Error::InvalidInput("samples must be at least 1".into()));
        }
        Ok(())
    }

    /// Canonical JSON (keys sorted) of the parameters that shape this measure's result on a
    /// graph of `node_count` nodes. A sample of at least `node_count` is the exact run.
    pub fn params(&self, node_count: usize) -> String {
        let value = match self.measure {
            Measure::PageRank => json!({
                "alpha": self.pagerank.alpha,
                "max_iterations": self.pagerank.max_iterations,
                "tolerance": self.pagerank.tolerance,
            }),
            Measure::Betweenness => {
                let b = &self.betweenness;
                match b.samples {
                    Some(k) if b.is_sampled(node_count) => {
                        json!({ "distance": b.distance.as_str(), "samples": k, "seed": b.seed })
                    }
                    _ => json!({ "distance": b.distance.as_str() }),
                }
            }
            Measure::Eigenvector => json!({
                "max_iterations": self.eigenvector.max_iterations,
                "tolerance": self.eigenvector.tolerance,
            }),
            Measure::Closeness | Measure::Degree | Measure::Strength => json!({}),
        };
        value.to_string()
    }
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
}

impl Scores {
    /// Node indices best first (score descending, then insight id).
    pub fn ranking(&self) -> Vec<u32> {
        algo::rank(&self.values)
    }
}

/// Kept scores for this graph version and params, else compute, write back, return.
pub fn centrality(
    store: &mut Store,
    graph: &InsightGraph,
    config: &CentralityConfig,
) -> Result<Scores> {
    if graph.is_empty() {
        return Err(Error::EmptyGraph);
    }
    config.validate()?;
    let n = graph.node_count();
    let params = config.params(n);
    let version = store.graph_version()?;
    if config.reuse {
        if let Some(kept) = store.centrality_run(config.measure.as_str(), &params, version)? {
            if let Some(scores) = from_kept(graph, config.measure, kept) {
                return Ok(scores);
            }
        }
    }
    let computed = compute(graph, config);
    let summary = json!({
        "approximate": computed.approximate,
        "converged": computed.converged,
        "iterations": computed.iterations,
        "note": computed.note,
    })
    .to_string();
    let by_id: Vec<(i64, f64)> = graph
        .ids()
        .iter()
        .copied()
        .zip(computed.values.iter().copied())
        .collect();
    store.write_centrality_run(&NewCentrality {
        measure: config.measure.as_str(),
        params: &params,
        graph_version: version,
        summary: &summary,
        scores: &by_id,
    })?;
    Ok(Scores {
        measure: config.measure,
        params,
        approximate: computed.approximate,
        note: computed.note,
        values: computed.values,
        reused: false,
    })
}

/// The newest kept scores of `measure` for the current graph version, any params.
pub fn kept_scores(
    store: &Store,
    graph: &InsightGraph,
    measure: Measure,
) -> Result<Option<Scores>> {
    let version = store.graph_version()?;
    Ok(store
        .newest_centrality_run(measure.as_str(), version)?
        .and_then(|kept| from_kept(graph, measure, kept)))
}

/// A kept run as scores over `graph`'s nodes, or `None` when it does not cover them all.
fn from_kept(graph: &InsightGraph, measure: Measure, kept: KeptCentrality) -> Option<Scores> {
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
    let summary: serde_json::Value = serde_json::from_str(&kept.summary).unwrap_or_default();
    Some(Scores {
        measure,
        params: kept.params,
        approximate: summary["approximate"].as_bool().unwrap_or(false),
        note: summary["note"].as_str().map(str::to_string),
        values: kept.scores.into_iter().map(|(_, score)| score).collect(),
        reused: true,
    })
}

struct Computed {
    values: Vec<f64>,
    approximate: bool,
    converged: bool,
    iterations: usize,
    note: Option<String>,
}

fn compute(graph: &InsightGraph, config: &CentralityConfig) -> Computed {
    let n = graph.node_count();
    let direct = |values| Computed {
        values,
        approximate: false,
        converged: true,
        iterations: 0,
        note: None,
    };
    let iterated = |r: algo::Iterated| {
        let note = (!r.converged)
            .then(|| format!("did not converge in {} iterations: scores are the last iterate (raise --max-iterations)", r.iterations));
        Computed {
            values: r.values,
            approximate: false,
            converged: r.converged,
            iterations: r.iterations,
            note,
        }
    };
    match config.measure {
        Measure::PageRank => iterated(algo::page_rank(graph, &config.pagerank)),
        Measure::Eigenvector => iterated(algo::eigenvector(graph, &config.eigenvector)),
        Measure::Closeness => direct(algo::closeness(graph)),
        Measure::Degree => direct(algo::degree(graph)),
        Measure::Strength => direct(algo::strength(graph)),
        Measure::Betweenness => {
            let b = &config.betweenness;
            let approximate = b.is_sampled(n);
            let mut notes = Vec::new();
            if approximate {
                let k = b.samples.unwrap_or(n);
                notes.push(format!(
                    "approximate: estimated from {k} of {n} source nodes (seed {})",
                    b.seed
                ));
            }
            if b.distance == Distance::Inverse {
                notes.push(
                    "distance = 1/weight: insights that share more sources are closer".to_string(),
                );
            }
            let note = (!notes.is_empty()).then(|| notes.join("; "));
            Computed {
                values: algo::betweenness(graph, b),
                approximate,
                converged: true,
                iterations: 0,
                note,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measure_names_round_trip() {
        for m in Measure::ALL {
            assert_eq!(Measure::from_name(m.as_str()), Some(m));
        }
        assert_eq!(Measure::from_name("PageRank"), Some(Measure::PageRank));
        assert_eq!(Measure::from_name("katz"), None);
    }

    #[test]
    fn params_are_canonical_and_sampling_only_counts_below_n() {
        let mut c = CentralityConfig::new(Measure::PageRank);
        assert_eq!(
            c.params(10),
            r#"{"alpha":0.85,"max_iterations":1000,"tolerance":1e-13}"#
        );
        c.measure = Measure::Betweenness;
        assert_eq!(c.params(10), r#"{"distance":"hops"}"#);
        c.betweenness.samples = Some(10);
        assert_eq!(c.params(10), r#"{"distance":"hops"}"#);
        c.betweenness.samples = Some(3);
        assert_eq!(c.params(10), r#"{"distance":"hops","samples":3,"seed":1}"#);
    }

    #[test]
    fn empty_graph_is_an_error() {
        let mut store = Store::open_in_memory().unwrap();
        let graph = store.load_graph().unwrap();
        let err =
            centrality(&mut store, &graph, &CentralityConfig::new(Measure::Degree)).unwrap_err();
        assert!(matches!(err, Error::EmptyGraph));
        assert_eq!(err.exit_code(), 3);
    }

    #[test]
    fn scores_are_kept_and_reused_until_params_change() {
        let mut store = Store::open_in_memory().unwrap();
        let graph = InsightGraph::from_index_edges(3, &[(0, 1, 1.0), (1, 2, 2.0)]);
        let config = CentralityConfig::new(Measure::PageRank);
        let first = centrality(&mut store, &graph, &config).unwrap();
        assert!(!first.reused);
        let second = centrality(&mut store, &graph, &config).unwrap();
        assert!(second.reused);
        assert_eq!(first.values, second.values);
        let mut other = config.clone();
        other.pagerank.alpha = 0.5;
        assert!(!centrality(&mut store, &graph, &other).unwrap().reused);
        let mut fresh = config.clone();
        fresh.reuse = false;
        assert!(!centrality(&mut store, &graph, &fresh).unwrap().reused);
        // The newest run of any params is what kept_scores gives.
        let kept = kept_scores(&store, &graph, Measure::PageRank)
            .unwrap()
            .unwrap();
        assert!(kept.reused);
        assert_eq!(kept.params, config.params(3));
        assert_eq!(
            kept_scores(&store, &graph, Measure::Closeness).unwrap(),
            None
        );
    }

    #[test]
    fn bad_parameters_are_invalid_input() {
        let mut store = Store::open_in_memory().unwrap();
        let graph = InsightGraph::from_index_edges(2, &[(0, 1, 1.0)]);
        let mut c = CentralityConfig::new(Measure::PageRank);
        c.pagerank.alpha = 1.5;
        assert!(matches!(
            centrality(&mut store, &graph, &c),
            Err(Error::InvalidInput(_))
        ));
    }
}
