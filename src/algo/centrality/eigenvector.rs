//! Weighted eigenvector centrality by power iteration, component by component.

use super::pull::PullRows;
use super::Iterated;
use crate::graph::InsightGraph;

/// Parameters of [`eigenvector`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EigenvectorConfig {
    /// Stop when, in every connected component, the L1 change of the (unit-norm) component
    /// vector falls below `component_size * tolerance` (networkx's test, per component).
    /// Default 1e-13, far tighter than networkx's 1e-6, so the result is the limit.
    pub tolerance: f64,
    /// Give up (returning `converged: false`) after this many iterations. Default 10 000.
    pub max_iterations: usize,
}

impl Default for EigenvectorConfig {
    fn default() -> Self {
        EigenvectorConfig {
            tolerance: 1e-13,
            max_iterations: 10_000,
        }
    }
}

/// Two components' largest eigenvalues count as equal within this relative difference.
const SAME_EIGENVALUE: f64 = 1e-9;

/// Eigenvector centrality: every node's score is proportional to the weighted sum of its
/// neighbours' scores.
///
/// # Arguments
/// * `graph`: the insight graph; edge weights (shared sources) are the matrix entries.
/// * `config`: tolerance and iteration cap ([`EigenvectorConfig`]).
///
/// # Returns
/// [`Iterated`] with one non-negative score per node index and unit Euclidean norm: the
/// limit of networkx's iteration x <- (A + I) x / ||(A + I) x|| from a uniform start. Each
/// connected component is iterated to its own dominant eigenvector; components whose
/// largest eigenvalue is below the graph's largest get 0 (their share of networkx's iterate
/// decays to 0). Components tied for the largest keep the weights a uniform start gives
/// them. A graph without edges gives the uniform vector.
///
/// # Complexity
/// * Time complexity: **O(k (|V| + |E|))** for k iterations (plus one **O(|V| + |E|)**
///   component search); k ≤ `config.max_iterations` and grows as the gap between the two
///   largest eigenvalues of A + I shrinks: the error falls by a factor (λ₂ + 1) / (λ₁ + 1)
///   per iteration.
/// * Auxiliary space: **O(|V| + |E|)**: the rows laid out for the cache ([`PullRows`], 8
///   bytes per direction of an edge), component labels, two score vectors, per-component
///   sums.
///
/// # Reference
/// P. Bonacich, "Factoring and weighting approaches to status scores and clique
/// identification", J. Math. Sociol. 2 (1972). Matches
/// `networkx.eigenvector_centrality(G, weight="weight")` at a tight tolerance. Symbols: the
/// eigenvector x is `x`, λ of each component is `lambda[c]`, (A + I) x is `next`.
///
/// # Examples
/// ```
/// use netgraph::algo::centrality::{eigenvector, EigenvectorConfig};
/// use netgraph::graph::InsightGraph;
///
/// // Star with centre 0 and four leaves: λ = 2 and x = (2, 1, 1, 1, 1) / √8, as
/// // nx.eigenvector_centrality(nx.star_graph(4)) gives (0.7071 and 0.3536).
/// let star = InsightGraph::from_index_edges(
///     5,
///     &[(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0), (0, 4, 1.0)],
/// );
/// let r = eigenvector(&star, &EigenvectorConfig::default());
/// assert!(r.converged);
/// let s = 8f64.sqrt();
/// assert!((r.values[0] - 2.0 / s).abs() < 1e-12);
/// assert!(r.values[1..].iter().all(|&x| (x - 1.0 / s).abs() < 1e-12));
///
/// // Of two disjoint pairs, the heavier one (λ = 2 against 1) takes all the weight.
/// let pairs = InsightGraph::from_index_edges(4, &[(0, 1, 1.0), (2, 3, 2.0)]);
/// let r = eigenvector(&pairs, &EigenvectorConfig::default());
/// let h = 0.5f64.sqrt();
/// assert!(r.values[0] == 0.0 && r.values[1] == 0.0);
/// assert!((r.values[2] - h).abs() < 1e-12 && (r.values[3] - h).abs() < 1e-12);
/// ```
pub fn eigenvector(graph: &InsightGraph, config: &EigenvectorConfig) -> Iterated {
    let n = graph.node_count();
    if n == 0 {
        return Iterated {
            values: Vec::new(),
            iterations: 0,
            converged: true,
        };
    }
    let component = graph.components();
    let count = component.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut size = vec![0usize; count];
    for &c in &component {
        size[c as usize] += 1;
    }
    let mut x: Vec<f64> = component
        .iter()
        .map(|&c| 1.0 / (size[c as usize] as f64).sqrt())
        .collect();
    let rows = PullRows::new(graph);
    let mut next = vec![0.0; n];
    let mut norm = vec![0.0; count];
    let mut change = vec![0.0; count];
    let mut iterations = 0;
    let mut converged = false;
    while iterations < config.max_iterations {
        iterations += 1;
        rows.pull_into(&x, &mut next, |v, pulled| x[v] + pulled);
        norm.fill(0.0);
        change.fill(0.0);
        for (v, &c) in component.iter().enumerate() {
            norm[c as usize] += next[v] * next[v];
        }
        for (v, &c) in component.iter().enumerate() {
            let c = c as usize;
            next[v] /= norm[c].sqrt();
            change[c] += (next[v] - x[v]).abs();
        }
        std::mem::swap(&mut x, &mut next);
        if change
            .iter()
            .zip(&size)
            .all(|(&d, &s)| d < s as f64 * config.tolerance)
        {
            converged = true;
            break;
        }
    }
    // Rayleigh quotient of each unit component vector: λ = x^T A x.
    let mut lambda = vec![0.0; count];
    let mut weight = vec![0.0; count];
    let mut ax = next;
    rows.pull_into(&x, &mut ax, |_, pulled| pulled);
    for v in 0..n {
        let c = component[v] as usize;
        lambda[c] += x[v] * ax[v];
        weight[c] += x[v];
    }
    let largest = lambda.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let keep: Vec<bool> = lambda
        .iter()
        .map(|&l| l >= largest - SAME_EIGENVALUE * largest.abs().max(1.0))
        .collect();
    // A uniform start projects onto component c's unit vector v_c with weight sum(v_c).
    let mut values: Vec<f64> = (0..n)
        .map(|v| {
            if keep[component[v] as usize] {
                weight[component[v] as usize] * x[v]
            } else {
                0.0
            }
        })
        .collect();
    let total = values.iter().map(|v| v * v).sum::<f64>().sqrt();
    for v in &mut values {
        *v /= total;
    }
    Iterated {
        values,
        iterations,
        converged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::centrality::test_graphs::*;

    #[test]
    fn star_matches_the_dominant_eigenvector() {
        // λ = 2 for K(1,4); x = (2, 1, 1, 1, 1) / sqrt(8).
        let r = eigenvector(&star5(), &EigenvectorConfig::default());
        assert!(r.converged);
        let s = 8f64.sqrt();
        assert_close(
            &r.values,
            &[2.0 / s, 1.0 / s, 1.0 / s, 1.0 / s, 1.0 / s],
            1e-12,
        );
    }

    #[test]
    fn path_matches_networkx() {
        // Path of 5: x_k ∝ sin(kπ/6), k = 1..5, λ = √3.
        let r = eigenvector(&path5(), &EigenvectorConfig::default());
        let raw: Vec<f64> = (1..=5)
            .map(|k| (k as f64 * std::f64::consts::PI / 6.0).sin())
            .collect();
        let norm = raw.iter().map(|v| v * v).sum::<f64>().sqrt();
        let want: Vec<f64> = raw.iter().map(|v| v / norm).collect();
        assert_close(&r.values, &want, 1e-12);
    }

    #[test]
    fn weaker_components_get_zero() {
        // Pair 2-3 (weight 2, λ = 2) beats pair 0-1 (λ = 1) and the isolated node (λ = 0).
        let r = eigenvector(&pairs(), &EigenvectorConfig::default());
        let h = 0.5f64.sqrt();
        assert_close(&r.values, &[0.0, 0.0, h, h, 0.0], 1e-15);
    }

    #[test]
    fn tied_components_share_and_edgeless_graphs_are_uniform() {
        let g = InsightGraph::from_index_edges(4, &[(0, 1, 1.0), (2, 3, 1.0)]);
        assert_close(
            &eigenvector(&g, &EigenvectorConfig::default()).values,
            &[0.5; 4],
            1e-15,
        );
        let g = InsightGraph::from_index_edges(3, &[]);
        let third = (1.0f64 / 3.0).sqrt();
        assert_close(
            &eigenvector(&g, &EigenvectorConfig::default()).values,
            &[third; 3],
            1e-15,
        );
    }
}
