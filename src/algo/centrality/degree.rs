//! Degree (neighbour count) and strength (sum of edge weights).

use crate::graph::InsightGraph;

/// Number of neighbours of every node.
///
/// # Arguments
/// * `graph`: the insight graph.
///
/// # Returns
/// One score per node index, as `f64` so every measure has the same shape.
///
/// # Complexity
/// * Time: O(|V|). Auxiliary space: O(1) beyond the result.
///
/// # Reference
/// L. C. Freeman, "Centrality in social networks: conceptual clarification" (1978).
/// Matches `dict(G.degree())` in networkx (not the normalized `degree_centrality`).
pub fn degree(graph: &InsightGraph) -> Vec<f64> {
    (0..graph.node_count() as u32)
        .map(|u| graph.degree(u) as f64)
        .collect()
}

/// Sum of the weights (shared sources) of every node's edges.
///
/// # Arguments
/// * `graph`: the insight graph.
///
/// # Returns
/// One score per node index.
///
/// # Complexity
/// * Time: O(|V| + |E|). Auxiliary space: O(1) beyond the result.
///
/// # Reference
/// A. Barrat et al., "The architecture of complex weighted networks", PNAS 101 (2004), s_i.
/// Matches `dict(G.degree(weight="weight"))` in networkx.
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
