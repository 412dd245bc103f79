//! Weighted PageRank, pull-based over the CSR.

use super::pull::PullRows;
use super::Iterated;
use crate::graph::InsightGraph;
use rayon::prelude::*;

/// Parameters of [`page_rank`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageRankConfig {
    /// Damping factor: the probability of following an edge rather than jumping to a random
    /// node. Default 0.85 (networkx, Brin & Page).
    pub alpha: f64,
    /// Stop when the L1 change of the score vector falls below `node_count * tolerance`
    /// (networkx's test). Default 1e-13, the value the reference fixtures were built with.
    pub tolerance: f64,
    /// Give up (returning `converged: false`) after this many iterations. Default 1000.
    pub max_iterations: usize,
}

impl Default for PageRankConfig {
    fn default() -> Self {
        PageRankConfig {
            alpha: 0.85,
            tolerance: 1e-13,
            max_iterations: 1000,
        }
    }
}

/// PageRank of every node of the undirected weighted graph, following edges in proportion to
/// their weight (shared sources).
///
/// The stationary distribution of a random walk that, with probability `alpha`, follows an
/// edge of the current node chosen in proportion to its weight and otherwise jumps to a node
/// chosen uniformly; from a node without edges it always jumps. Computed by power iteration
/// from the uniform vector, pulling each node's new score from its neighbours, over rows laid
/// out for the cache ([`PullRows`]).
///
/// # Arguments
/// * `graph`: the insight graph; every undirected edge is walked both ways.
/// * `config`: damping factor, tolerance and iteration cap ([`PageRankConfig`]).
///
/// # Returns
/// [`Iterated`] with one score per node index, summing to 1. Isolated nodes are dangling:
/// their mass is spread uniformly over all nodes, as networkx does with the default
/// (uniform) personalization and dangling vectors. An empty graph gives an empty vector.
///
/// # Complexity
/// * Time complexity: **O(k (|V| + |E|))** for k iterations. The L1 change shrinks by at
///   least a factor `alpha` per iteration, so k ≲ log(tolerance / 2) / log(alpha) (under 190
///   with the defaults), and never more than `config.max_iterations`.
/// * Auxiliary space: **O(|V| + |E|)**: the rows' copy (8 bytes per direction of an edge)
///   and four vectors of scores.
///
/// where **|V|** is the number of nodes and **|E|** the number of edges.
///
/// # Reference
/// S. Brin and L. Page, "The anatomy of a large-scale hypertextual Web search engine" (1998).
/// Matches `networkx.pagerank(G, alpha, weight="weight")`. Symbols: the paper's d is
/// `alpha`; PR(T)/C(T) is `share[t]` = `x[t] / strength[t]`, weighted here by the edge weight
/// w(t, v); the (1 - d) / N teleport plus the redistributed dangling mass is `base`.
///
/// # Examples
/// ```
/// use netgraph::algo::centrality::{page_rank, PageRankConfig};
/// use netgraph::graph::InsightGraph;
///
/// // In a cycle every node looks the same: PageRank is uniform, 1/n.
/// let cycle = InsightGraph::from_index_edges(
///     4,
///     &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 0, 1.0)],
/// );
/// let r = page_rank(&cycle, &PageRankConfig::default());
/// assert!(r.converged);
/// assert!(r.values.iter().all(|&x| (x - 0.25).abs() < 1e-12));
///
/// // Star with centre 0 and four leaves: networkx's nx.pagerank(nx.star_graph(4)) gives
/// // 0.4757 for the centre and 0.1311 for each leaf (c = 0.85 * 4 l + 0.03, l = (1 - c) / 4).
/// let star = InsightGraph::from_index_edges(
///     5,
///     &[(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0), (0, 4, 1.0)],
/// );
/// let r = page_rank(&star, &PageRankConfig::default());
/// let centre = 0.132 / 0.2775;
/// assert!((r.values[0] - centre).abs() < 1e-12);
/// assert!((r.values[1] - (1.0 - centre) / 4.0).abs() < 1e-12);
/// assert!((r.values.iter().sum::<f64>() - 1.0).abs() < 1e-12);
/// ```
pub fn page_rank(graph: &InsightGraph, config: &PageRankConfig) -> Iterated {
    let n = graph.node_count();
    if n == 0 {
        return Iterated {
            values: Vec::new(),
            iterations: 0,
            converged: true,
        };
    }
    let alpha = config.alpha;
    let nf = n as f64;
    let inverse_strength: Vec<f64> = (0..n as u32)
        .into_par_iter()
        .map(|u| {
            let s = graph.strength(u);
            if s > 0.0 {
                1.0 / s
            } else {
                0.0
            }
        })
        .collect();
    let dangling: Vec<u32> = (0..n as u32)
        .filter(|&u| inverse_strength[u as usize] == 0.0)
        .collect();
    let rows = PullRows::new(graph);
    let mut x = vec![1.0 / nf; n];
    let mut share = vec![0.0; n];
    let mut next = vec![0.0; n];
    for iteration in 1..=config.max_iterations {
        share
            .par_iter_mut()
            .zip(x.par_iter().zip(&inverse_strength))
            .for_each(|(s, (xi, inv))| *s = xi * inv);
        let dangling_mass: f64 = dangling.iter().map(|&u| x[u as usize]).sum();
        let base = (alpha * dangling_mass + (1.0 - alpha)) / nf;
        rows.pull_into(&share, &mut next, |_, pulled| alpha * pulled + base);
        // Summed serially so the stopping test does not depend on the thread count.
        let change: f64 = next.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut x, &mut next);
        if change < nf * config.tolerance {
            return Iterated {
                values: x,
                iterations: iteration,
                converged: true,
            };
        }
    }
    Iterated {
        values: x,
        iterations: config.max_iterations,
        converged: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::centrality::test_graphs::*;

    #[test]
    fn star_matches_networkx() {
        // Solving c = 0.85 * 4l + 0.03, l = 0.85 * c / 4 + 0.03 (nx.pagerank(nx.star_graph(4))).
        let r = page_rank(&star5(), &PageRankConfig::default());
        assert!(r.converged);
        let c = 0.132 / 0.2775;
        let l = (1.0 - c) / 4.0;
        assert_close(&r.values, &[c, l, l, l, l], 1e-12);
    }

    #[test]
    fn path_is_symmetric_and_sums_to_one() {
        let r = page_rank(&path5(), &PageRankConfig::default());
        let x = &r.values;
        assert!((x.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!((x[0] - x[4]).abs() < 1e-15 && (x[1] - x[3]).abs() < 1e-15);
        assert!(x[1] > x[2] && x[2] > x[0]);
    }

    #[test]
    fn isolated_nodes_get_the_teleport_share() {
        // Two pairs and an isolated node q: p = 0.85 p + b, q = b, b = (0.85 q + 0.15) / 5,
        // 4p + q = 1, so b = 0.15 / 4.15.
        let r = page_rank(&pairs(), &PageRankConfig::default());
        assert!(r.converged);
        let b = 0.15 / 4.15;
        let p = b / 0.15;
        assert_close(&r.values, &[p, p, p, p, b], 1e-12);
    }

    #[test]
    fn non_convergence_is_reported() {
        let r = page_rank(
            &path5(),
            &PageRankConfig {
                max_iterations: 2,
                ..Default::default()
            },
        );
        assert!(!r.converged);
        assert_eq!(r.iterations, 2);
    }
}
