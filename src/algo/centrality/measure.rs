//! Which centrality to compute, and with what: [`Measure`] names a measure, [`CentralityConfig`]
//! is one measure with its own parameters (an enum per measure, so a PageRank run never carries
//! a betweenness seed), and [`CentralityConfig::compute`] runs it.

use super::{
    betweenness, closeness, degree, eigenvector, page_rank, strength, BetweennessConfig,
    EigenvectorConfig, Iterated, PageRankConfig,
};
use crate::error::{Error, Result};
use crate::graph::InsightGraph;
use std::fmt;
use std::str::FromStr;

/// A centrality measure. Serializes as its name (`"pagerank"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    PageRank,
    Betweenness,
    Closeness,
    Eigenvector,
    Degree,
    Strength,
}

impl Measure {
    /// Every measure, in the order listings and exports use.
    pub const ALL: [Measure; 6] = [
        Measure::PageRank,
        Measure::Betweenness,
        Measure::Closeness,
        Measure::Eigenvector,
        Measure::Degree,
        Measure::Strength,
    ];

    /// The names of [`Measure::ALL`], as the command line and the store spell them.
    pub const NAMES: [&'static str; 6] = [
        "pagerank",
        "betweenness",
        "closeness",
        "eigenvector",
        "degree",
        "strength",
    ];

    /// The name used on the command line and in the store.
    pub fn as_str(self) -> &'static str {
        Measure::NAMES[self as usize]
    }

    /// The measure of a name, any case; `None` for an unknown name.
    pub fn from_name(name: &str) -> Option<Measure> {
        Measure::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Measure {
    type Err = String;
    fn from_str(name: &str) -> std::result::Result<Self, String> {
        Measure::from_name(name).ok_or_else(|| {
            format!(
                "unknown measure '{name}'; use one of {}",
                Measure::NAMES.join(", ")
            )
        })
    }
}

/// One measure with its parameters; the defaults are each config's `Default`.
#[derive(Debug, Clone, PartialEq)]
pub enum CentralityConfig {
    /// Weighted PageRank ([`page_rank`]).
    PageRank(PageRankConfig),
    /// Brandes betweenness, exact or sampled ([`betweenness`]).
    Betweenness(BetweennessConfig),
    /// Wasserman–Faust closeness ([`closeness`]).
    Closeness,
    /// Weighted eigenvector centrality ([`eigenvector`]).
    Eigenvector(EigenvectorConfig),
    /// Neighbour count ([`degree`]).
    Degree,
    /// Sum of edge weights ([`strength`]).
    Strength,
}

/// What one centrality run gives: a score per node index, and how it was reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Centrality {
    /// One score per node index.
    pub values: Vec<f64>,
    /// Estimated from a sample of source nodes (sampled betweenness).
    pub approximate: bool,
    /// Whether an iterative measure met its tolerance (always true for direct ones).
    pub converged: bool,
    /// Iterations run (0 for direct measures).
    pub iterations: usize,
}

impl CentralityConfig {
    /// `measure` with its default parameters.
    ///
    /// # Examples
    /// ```
    /// use netgraph::algo::centrality::{CentralityConfig, Measure};
    /// let config = CentralityConfig::new(Measure::PageRank);
    /// assert_eq!(config.measure(), Measure::PageRank);
    /// ```
    pub fn new(measure: Measure) -> CentralityConfig {
        match measure {
            Measure::PageRank => CentralityConfig::PageRank(PageRankConfig::default()),
            Measure::Betweenness => CentralityConfig::Betweenness(BetweennessConfig::default()),
            Measure::Closeness => CentralityConfig::Closeness,
            Measure::Eigenvector => CentralityConfig::Eigenvector(EigenvectorConfig::default()),
            Measure::Degree => CentralityConfig::Degree,
            Measure::Strength => CentralityConfig::Strength,
        }
    }

    /// The measure this config computes.
    pub fn measure(&self) -> Measure {
        match self {
            CentralityConfig::PageRank(_) => Measure::PageRank,
            CentralityConfig::Betweenness(_) => Measure::Betweenness,
            CentralityConfig::Closeness => Measure::Closeness,
            CentralityConfig::Eigenvector(_) => Measure::Eigenvector,
            CentralityConfig::Degree => Measure::Degree,
            CentralityConfig::Strength => Measure::Strength,
        }
    }

    /// Reject parameters no run can use, with [`Error::InvalidInput`].
    pub fn validate(&self) -> Result<()> {
        let invalid = |message: String| Err(Error::InvalidInput(message));
        match self {
            CentralityConfig::PageRank(p) => {
                if !(p.alpha > 0.0 && p.alpha <= 1.0) {
                    return invalid(format!("alpha must be in (0, 1], not {}", p.alpha));
                }
                check_iteration(p.tolerance, p.max_iterations)
            }
            CentralityConfig::Eigenvector(e) => check_iteration(e.tolerance, e.max_iterations),
            CentralityConfig::Betweenness(b) if b.samples == Some(0) => {
                invalid("samples must be at least 1".into())
            }
            _ => Ok(()),
        }
    }

    /// Compute the measure on `graph`. The cost is the measure's own (see each function):
    /// O(V + E) for degree and strength, O(k(V + E)) per iteration-bounded run for PageRank and
    /// eigenvector, O(V·E) (or O(s·E) with s samples) for betweenness and closeness.
    ///
    /// # Examples
    /// ```
    /// use netgraph::algo::centrality::{CentralityConfig, Measure};
    /// use netgraph::graph::InsightGraph;
    /// // A path 0 - 1 - 2: the middle node has degree 2.
    /// let g = InsightGraph::from_index_edges(3, &[(0, 1, 1.0), (1, 2, 1.0)]);
    /// let run = CentralityConfig::new(Measure::Degree).compute(&g);
    /// assert_eq!(run.values, vec![1.0, 2.0, 1.0]);
    /// assert!(run.converged && !run.approximate);
    /// ```
    pub fn compute(&self, graph: &InsightGraph) -> Centrality {
        let direct = |values| Centrality {
            values,
            approximate: false,
            converged: true,
            iterations: 0,
        };
        let iterated = |r: Iterated| Centrality {
            values: r.values,
            approximate: false,
            converged: r.converged,
            iterations: r.iterations,
        };
        match self {
            CentralityConfig::PageRank(p) => iterated(page_rank(graph, p)),
            CentralityConfig::Eigenvector(e) => iterated(eigenvector(graph, e)),
            CentralityConfig::Closeness => direct(closeness(graph)),
            CentralityConfig::Degree => direct(degree(graph)),
            CentralityConfig::Strength => direct(strength(graph)),
            CentralityConfig::Betweenness(b) => Centrality {
                approximate: b.is_sampled(graph.node_count()),
                ..direct(betweenness(graph, b))
            },
        }
    }
}

fn check_iteration(tolerance: f64, max_iterations: usize) -> Result<()> {
    // Written so that NaN fails too.
    if tolerance.is_nan() || tolerance <= 0.0 {
        return Err(Error::InvalidInput("the tolerance must be positive".into()));
    }
    if max_iterations == 0 {
        return Err(Error::InvalidInput(
            "max iterations must be at least 1".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measure_names_round_trip() {
        for m in Measure::ALL {
            assert_eq!(Measure::from_name(m.as_str()), Some(m));
            assert_eq!(m.as_str().parse::<Measure>(), Ok(m));
            assert_eq!(CentralityConfig::new(m).measure(), m);
        }
        assert_eq!(Measure::from_name("PageRank"), Some(Measure::PageRank));
        assert_eq!(Measure::from_name("katz"), None);
        assert!("katz".parse::<Measure>().unwrap_err().contains("pagerank"));
    }

    #[test]
    fn bad_parameters_are_invalid_input() {
        let pagerank = PageRankConfig {
            alpha: 1.5,
            ..PageRankConfig::default()
        };
        assert!(matches!(
            CentralityConfig::PageRank(pagerank).validate(),
            Err(Error::InvalidInput(_))
        ));
        let eigen = EigenvectorConfig {
            max_iterations: 0,
            ..EigenvectorConfig::default()
        };
        assert!(CentralityConfig::Eigenvector(eigen).validate().is_err());
        let sampled = BetweennessConfig {
            samples: Some(0),
            ..BetweennessConfig::default()
        };
        assert!(CentralityConfig::Betweenness(sampled).validate().is_err());
        assert!(CentralityConfig::Closeness.validate().is_ok());
    }
}
