//! Degree (neighbour count) and strength (sum of edge weights).

use crate::graph::InsightGraph;

/// Degree centrality: the number of neighbours of every node, whatever the edge weights.
///
/// # Arguments
/// * `graph`: the insight graph.
///
/// # Returns
/// One score per node index, as `f64` so every measure has the same shape; 0 for an isolated
/// node. Not normalized: networkx's `degree_centrality` is this divided by n - 1.
///
/// # Complexity
/// * Time complexity: **O(|V|)** (a row length per node).
/// * Auxiliary space: **O(1)** besides the **O(|V|)** result.
///
/// # Reference
/// L. C. Freeman, "Centrality in social networks: conceptual clarification", Social Networks
/// 1 (1978). Matches `dict(G.degree())` in networkx (not the normalized `degree_centrality`).
///
/// # Examples
/// ```
/// use netgraph::algo::centrality::degree;
/// use netgraph::graph::InsightGraph;
///
/// // Path 0 - 1 - 2 plus isolated node 3: weights do not count.
/// let g = InsightGraph::from_index_edges(4, &[(0, 1, 5.0), (1, 2, 1.0)]);
/// assert_eq!(degree(&g), vec![1.0, 2.0, 1.0, 0.0]);
/// ```
pub fn degree(graph: &InsightGraph) -> Vec<f64> {
    (0..graph.node_count() as u32)
        .map(|u| graph.degree(u) as f64)
        .collect()
}

/// Strength (weighted degree): the sum of the weights (shared sources) of every node's edges.
///
/// # Arguments
/// * `graph`: the insight graph.
///
/// # Returns
/// One score per node index; 0 for an isolated node. The scores sum to twice
/// [`total_weight`](InsightGraph::total_weight).
///
/// # Complexity
/// * Time complexity: **O(|V| + |E|)**.
/// * Auxiliary space: **O(1)** besides the **O(|V|)** result.
///
/// # Reference
/// A. Barrat et al., "The architecture of complex weighted networks", PNAS 101 (2004), s_i.
/// Matches `dict(G.degree(weight="weight"))` in networkx.
///
/// # Examples
/// ```
/// use netgraph::algo::centrality::strength;
/// use netgraph::graph::InsightGraph;
///
/// // Path 0 - 1 - 2 with weights 5 and 1, plus isolated node 3.
/// let g = InsightGraph::from_index_edges(4, &[(0, 1, 5.0), (1, 2, 1.0)]);
/// assert_eq!(strength(&g), vec![5.0, 6.0, 1.0, 0.0]);
/// ```
pub fn strength(graph: &InsightGraph) -> Vec<f64> {
    (0..graph.node_count() as u32)
        .map(|u| graph.strength(u))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::centrality::test_graphs::*;

    #[test]
    fn star_and_pairs() {
        assert_eq!(degree(&star5()), vec![4.0, 1.0, 1.0, 1.0, 1.0]);
        assert_eq!(degree(&pairs()), vec![1.0, 1.0, 1.0, 1.0, 0.0]);
        assert_eq!(strength(&pairs()), vec![1.0, 1.0, 2.0, 2.0, 0.0]);
    }
}
