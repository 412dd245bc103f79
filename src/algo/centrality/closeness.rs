//! Closeness centrality with the Wasserman–Faust correction for disconnected graphs.

use crate::graph::InsightGraph;
use rayon::prelude::*;

/// Closeness of every node: how near it is, in hops, to the nodes it can reach, scaled by the
/// share of the graph it can reach.
///
/// # Arguments
/// * `graph`: the insight graph; edge weights are ignored (every edge has length 1).
///
/// # Returns
/// One score per node index: `(r - 1) / total * (r - 1) / (n - 1)` where r counts the nodes
/// reachable from the node (itself included) and `total` sums their hop distances; 0 for an
/// isolated node or a graph of one node.
///
/// # Complexity
/// * Time complexity: **O(|V| (|V| + |E|))**: one breadth-first search per node, run in
///   parallel.
/// * Auxiliary space: **O(|V|)** per rayon worker (hop counts and the BFS queue) besides the
///   **O(|V|)** result.
///
/// # Reference
/// A. Bavelas, "Communication patterns in task-oriented groups" (1950); S. Wasserman and
/// K. Faust, "Social Network Analysis" (1994), for the scaling by reachable share.
/// Matches `networkx.closeness_centrality(G, wf_improved=True)`. Symbols: networkx's `sp`
/// is the BFS `order` (its length is r), `totsp` is `total`, `len_G` is `n`.
///
/// # Examples
/// ```
/// use netgraph::algo::centrality::closeness;
/// use netgraph::graph::InsightGraph;
///
/// // Path 0 - 1 - 2 - 3 - 4 (weights are ignored). An end is 1 + 2 + 3 + 4 = 10 hops from
/// // the others: 4 / 10 = 0.4. The middle is 1 + 1 + 2 + 2 = 6 hops away: 4 / 6.
/// let path = InsightGraph::from_index_edges(
///     5,
///     &[(0, 1, 1.0), (1, 2, 9.0), (2, 3, 1.0), (3, 4, 1.0)],
/// );
/// let c = closeness(&path);
/// assert!((c[0] - 0.4).abs() < 1e-15 && (c[4] - 0.4).abs() < 1e-15);
/// assert!((c[2] - 4.0 / 6.0).abs() < 1e-15);
///
/// // Two pairs and an isolated node: each pair node reaches 1 of the 4 others, 1 hop away,
/// // so 1/1 scaled by 1/4; networkx gives 0.25 too.
/// let pairs = InsightGraph::from_index_edges(5, &[(0, 1, 1.0), (2, 3, 1.0)]);
/// assert_eq!(closeness(&pairs), vec![0.25, 0.25, 0.25, 0.25, 0.0]);
/// ```
pub fn closeness(graph: &InsightGraph) -> Vec<f64> {
    let n = graph.node_count();
    (0..n as u32)
        .into_par_iter()
        .map_init(
            || (vec![u32::MAX; n], Vec::<u32>::new()),
            |(hops, order), u| {
                hops[u as usize] = 0;
                order.push(u);
                let mut total: u64 = 0;
                let mut head = 0;
                while head < order.len() {
                    let v = order[head];
                    head += 1;
                    let next = hops[v as usize] + 1;
                    for &w in graph.neighbors(v) {
                        if hops[w as usize] == u32::MAX {
                            hops[w as usize] = next;
                            total += u64::from(next);
                            order.push(w);
                        }
                    }
                }
                let reached = order.len() as f64;
                for &w in order.iter() {
                    hops[w as usize] = u32::MAX;
                }
                order.clear();
                if total > 0 && n > 1 {
                    let c = (reached - 1.0) / total as f64;
                    c * ((reached - 1.0) / (n as f64 - 1.0))
                } else {
                    0.0
                }
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::centrality::test_graphs::*;

    #[test]
    fn path_matches_networkx() {
        // nx.closeness_centrality(nx.path_graph(5))
        assert_close(
            &closeness(&path5()),
            &[0.4, 4.0 / 7.0, 4.0 / 6.0, 4.0 / 7.0, 0.4],
            1e-15,
        );
    }

    #[test]
    fn star_centre_is_closest() {
        assert_close(
            &closeness(&star5()),
            &[1.0, 4.0 / 7.0, 4.0 / 7.0, 4.0 / 7.0, 4.0 / 7.0],
            1e-15,
        );
    }

    #[test]
    fn disconnected_pairs_are_scaled_by_reach() {
        // Each pair node reaches one node at distance 1: 1/1 * 1/4; the isolated node: 0.
        assert_close(&closeness(&pairs()), &[0.25, 0.25, 0.25, 0.25, 0.0], 1e-15);
    }
}
