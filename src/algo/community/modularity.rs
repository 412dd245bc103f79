//! Modularity of a partition, as networkx defines it.

use crate::graph::InsightGraph;

/// Modularity Q of a partition of a weighted undirected graph, with resolution γ.
///
/// Q = Σ_c [ L_c / m − γ (d_c / 2m)² ], where m is the total edge weight, L_c the weight of
/// the edges inside community c and d_c the sum of the strengths (weighted degrees) of its
/// members. This is `networkx.community.modularity(G, communities, weight="weight",
/// resolution=γ)` and igraph's `Graph.modularity(membership, weights, resolution)`.
///
/// # Arguments
/// * `graph`: the insight graph.
/// * `membership`: community id of every node, indexed by node; ids need not be dense, but
///   a vector as long as the largest id is allocated, so keep them small.
/// * `resolution`: γ; above 1 favours smaller communities, below 1 larger ones.
///
/// # Returns
/// Q: in [−1/2, 1) for γ = 1, and in (−γ, 1) for any γ > 0 (one community holding every
/// node scores 1 − γ); 0 for a graph without edges (where networkx divides by zero).
///
/// # Panics
/// If `membership.len()` is not the node count.
///
/// # Complexity
/// * Time complexity: **O(|V| + |E| + C)**.
/// * Auxiliary space: **O(C)**.
///
/// where C is the largest community id plus one (at most |V| for dense ids).
///
/// # Reference
/// M. E. J. Newman and M. Girvan, "Finding and evaluating community structure in networks",
/// Phys. Rev. E 69, 026113 (2004); the weighted form with resolution from J. Reichardt and
/// S. Bornholdt, "Statistical mechanics of community detection", Phys. Rev. E 74, 016110
/// (2006). Symbols: m = `m`, L_c summed over c = `inside / 2`, d_c = `degree_sum[c]`.
///
/// # Examples
/// ```
/// use netgraph::algo::community::modularity::modularity;
/// use netgraph::graph::InsightGraph;
///
/// // Two triangles {0, 1, 2} and {3, 4, 5} joined by the edge 2-3: m = 7, each triangle has
/// // L_c = 3 and d_c = 7, so Q = 2 (3/7 - (7/14)²) = 5/14, as networkx gives (0.357142857).
/// let g = InsightGraph::from_index_edges(
///     6,
///     &[
///         (0, 1, 1.0), (0, 2, 1.0), (1, 2, 1.0),
///         (3, 4, 1.0), (3, 5, 1.0), (4, 5, 1.0),
///         (2, 3, 1.0),
///     ],
/// );
/// let q = modularity(&g, &[0, 0, 0, 1, 1, 1], 1.0);
/// assert!((q - 5.0 / 14.0).abs() < 1e-15);
/// // Ids need not be 0..c: the same split under other names has the same Q.
/// assert_eq!(modularity(&g, &[7, 7, 7, 2, 2, 2], 1.0), q);
/// // Everything in one community: 1 - 1 = 0. With γ = 2 the split scores 6/7 - 1 = -1/7.
/// assert!(modularity(&g, &[0; 6], 1.0).abs() < 1e-15);
/// assert!((modularity(&g, &[0, 0, 0, 1, 1, 1], 2.0) + 1.0 / 7.0).abs() < 1e-15);
/// ```
pub fn modularity(graph: &InsightGraph, membership: &[u32], resolution: f64) -> f64 {
    modularity_with(graph, membership, resolution, |_, _| ())
}

/// [`modularity()`], telling `inside_of` along the way the weight of each node's edges to its
/// own community (`inside_of(u, w)`, once per node in order, `w` summed in row order): what
/// ranks a community's members, for the price of the one pass over the edges modularity
/// takes anyway. The same Q, bit for bit.
///
/// # Examples
/// ```
/// use netgraph::algo::community::modularity::{modularity, modularity_with};
/// use netgraph::graph::InsightGraph;
///
/// // A triangle {0, 1, 2} with a pendant 3 on node 2, in two communities {0, 1, 2}, {3}.
/// let g = InsightGraph::from_index_edges(
///     4,
///     &[(0, 1, 1.0), (0, 2, 2.0), (1, 2, 1.0), (2, 3, 5.0)],
/// );
/// let mut inside = vec![f64::NAN; 4];
/// let q = modularity_with(&g, &[0, 0, 0, 1], 1.0, |u, w| inside[u as usize] = w);
/// assert_eq!(inside, vec![3.0, 2.0, 3.0, 0.0]);
/// assert_eq!(q, modularity(&g, &[0, 0, 0, 1], 1.0));
/// ```
pub fn modularity_with(
    graph: &InsightGraph,
    membership: &[u32],
    resolution: f64,
    mut inside_of: impl FnMut(u32, f64),
) -> f64 {
    assert_eq!(
        membership.len(),
        graph.node_count(),
        "one community per node"
    );
    let m = graph.total_weight();
    if m <= 0.0 {
        return 0.0;
    }
    let slots = membership
        .iter()
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut degree_sum = vec![0.0f64; slots];
    // Both directions of every inside edge are visited, so `inside` = 2 Σ_c L_c.
    let mut inside = 0.0;
    for u in 0..graph.node_count() as u32 {
        let cu = membership[u as usize];
        let mut k = 0.0;
        let mut own = 0.0;
        for (&v, &w) in graph.neighbors(u).iter().zip(graph.weights(u)) {
            k += w;
            if membership[v as usize] == cu {
                inside += w;
                own += w;
            }
        }
        degree_sum[cu as usize] += k;
        inside_of(u, own);
    }
    let two_m = 2.0 * m;
    let expected: f64 = degree_sum.iter().map(|d| (d / two_m) * (d / two_m)).sum();
    inside / two_m - resolution * expected
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::community::tests::two_triangles;

    #[test]
    fn two_triangles_by_hand() {
        let g = two_triangles();
        // m = 7; each triangle: L_c = 3, d_c = 2 + 2 + 3 = 7.
        // Q = 2 (3/7 − (7/14)²) = 6/7 − 1/2 = 5/14.
        let q = modularity(&g, &[0, 0, 0, 1, 1, 1], 1.0);
        assert!((q - 5.0 / 14.0).abs() < 1e-15, "{q}");
        // γ = 2: 6/7 − 2 · 1/2 = −1/7.
        let q2 = modularity(&g, &[0, 0, 0, 1, 1, 1], 2.0);
        assert!((q2 + 1.0 / 7.0).abs() < 1e-15, "{q2}");
        // Everything in one community: 1 − 1 = 0.
        assert!(modularity(&g, &[3; 6], 1.0).abs() < 1e-15);
        // Singletons: −Σ (k/2m)² = −(4·4 + 2·9)/196.
        let q3 = modularity(&g, &[0, 1, 2, 3, 4, 5], 1.0);
        assert!((q3 + 34.0 / 196.0).abs() < 1e-15, "{q3}");
    }

    #[test]
    fn graph_without_edges_has_zero_modularity() {
        let g = InsightGraph::from_index_edges(3, &[]);
        assert_eq!(modularity(&g, &[0, 1, 2], 1.0), 0.0);
    }

    #[test]
    fn weights_count() {
        // Path a–b (3) b–c (1): {a,b},{c}: m = 4, L = 3, d = 7 and 1.
        let g = InsightGraph::from_index_edges(3, &[(0, 1, 3.0), (1, 2, 1.0)]);
        let q = modularity(&g, &[0, 0, 1], 1.0);
        let want = 3.0 / 4.0 - (7.0f64 / 8.0).powi(2) - (1.0f64 / 8.0).powi(2);
        assert!((q - want).abs() < 1e-15);
    }
}
