//! The strongest shortest path between two insights: "how are these ideas connected".
//!
//! See [`strongest_shortest_path`] for the definition, its complexity and an example.

use crate::graph::InsightGraph;

const UNSEEN: u32 = u32::MAX;

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The strongest shortest path from `s` to `t`: the fewest hops, then the most shared
/// sources, then the lowest ids.
///
/// Among all paths from `s` to `t` with the fewest hops, the one whose edge weights have the
/// greatest sum (the most shared sources along the way); if several remain, the one whose
/// node sequence, read from `s` to `t`, is lexicographically smallest (node index order is
/// insight id order, so: lowest ids first). The answer is unique and does not depend on
/// traversal order. Weight sums that agree to a relative 1e-9 count as equal.
///
/// # Arguments
/// * `graph`: the insight graph.
/// * `s`: the node the path starts from.
/// * `t`: the node the path ends at.
///
/// # Returns
/// `Some(nodes)` from `s` to `t` inclusive (`[s]` when `s == t`), or `None` when `t` is not
/// reachable from `s` or either is not a node of the graph.
///
/// # Complexity
/// * Time complexity: **O(|V| + |E|)**: one breadth-first search from `t` (hop distances),
///   stopped after the layer holding `s`; one pass over those layers for the best weight sum
///   to `t` along shortest paths; one greedy walk from `s`.
/// * Auxiliary space: **O(|V|)**.
///
/// # Reference
/// Breadth-first search with a lexicographic tie-break on the shortest-path DAG; the weight
/// criterion is a max-sum dynamic programme over that DAG (Cormen et al., *Introduction to
/// Algorithms*, 3rd ed., §22.2 and §24.2).
///
/// # Examples
/// ```
/// use netgraph::algo::path::strongest_shortest_path;
/// use netgraph::graph::InsightGraph;
///
/// // 0-1-3 (weights 1, 1) and 0-2-3 (weights 2, 2): both 2 hops, the heavier goes through 2.
/// // Node 4 has no edges, so it cannot be reached.
/// let g = InsightGraph::from_index_edges(
///     5,
///     &[(0, 1, 1.0), (1, 3, 1.0), (0, 2, 2.0), (2, 3, 2.0)],
/// );
/// assert_eq!(strongest_shortest_path(&g, 0, 3), Some(vec![0, 2, 3]));
/// assert_eq!(strongest_shortest_path(&g, 3, 0), Some(vec![3, 2, 0]));
/// assert_eq!(strongest_shortest_path(&g, 0, 4), None);
///
/// // Fewer hops win over weight: the light direct edge beats a heavy detour.
/// let g = InsightGraph::from_index_edges(3, &[(0, 2, 1.0), (0, 1, 10.0), (1, 2, 10.0)]);
/// assert_eq!(strongest_shortest_path(&g, 0, 2), Some(vec![0, 2]));
/// ```
pub fn strongest_shortest_path(graph: &InsightGraph, s: u32, t: u32) -> Option<Vec<u32>> {
    let n = graph.node_count();
    if s as usize >= n || t as usize >= n {
        return None;
    }
    // Hop distance to t, layer by layer, stopping after the layer that holds s.
    let mut dist = vec![UNSEEN; n];
    dist[t as usize] = 0;
    let mut layers: Vec<Vec<u32>> = vec![vec![t]];
    while dist[s as usize] == UNSEEN {
        let d = layers.len() as u32;
        let mut next = Vec::new();
        for &v in layers.last().expect("non-empty") {
            for &u in graph.neighbors(v) {
                if dist[u as usize] == UNSEEN {
                    dist[u as usize] = d;
                    next.push(u);
                }
            }
        }
        if next.is_empty() {
            return None;
        }
        layers.push(next);
    }
    // best[v]: greatest weight sum from v to t along a shortest path.
    let mut best = vec![f64::NEG_INFINITY; n];
    best[t as usize] = 0.0;
    for layer in &layers[1..] {
        for &v in layer {
            let d = dist[v as usize];
            for (&u, &w) in graph.neighbors(v).iter().zip(graph.weights(v)) {
                if dist[u as usize] != UNSEEN && dist[u as usize] + 1 == d {
                    best[v as usize] = best[v as usize].max(w + best[u as usize]);
                }
            }
        }
    }
    // Walk from s, taking the lowest-index step that keeps the optimum.
    let mut path = vec![s];
    let mut v = s;
    while v != t {
        let d = dist[v as usize];
        let step = graph
            .neighbors(v)
            .iter()
            .zip(graph.weights(v))
            .find(|(&u, &w)| {
                dist[u as usize] != UNSEEN
                    && dist[u as usize] + 1 == d
                    && same(w + best[u as usize], best[v as usize])
            })
            .map(|(&u, _)| u)
            .expect("a shortest-path step exists on every layer");
        path.push(step);
        v = step;
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fewest_hops_beat_heavier_longer_paths() {
        // 0-3 directly (weight 1) vs 0-1-2-3 (weight 10 each).
        let g = InsightGraph::from_index_edges(
            4,
            &[(0, 3, 1.0), (0, 1, 10.0), (1, 2, 10.0), (2, 3, 10.0)],
        );
        assert_eq!(strongest_shortest_path(&g, 0, 3), Some(vec![0, 3]));
        assert_eq!(strongest_shortest_path(&g, 3, 0), Some(vec![3, 0]));
    }

    #[test]
    fn among_fewest_hops_the_heaviest_then_lowest_ids() {
        // Three 2-hop routes 0-x-5: via 1 (1+3=4), via 2 (2+2=4), via 3 (1+1=2). 1 and 2 tie
        // on weight; 1 is lower.
        let g = InsightGraph::from_index_edges(
            6,
            &[
                (0, 1, 1.0),
                (1, 5, 3.0),
                (0, 2, 2.0),
                (2, 5, 2.0),
                (0, 3, 1.0),
                (3, 5, 1.0),
            ],
        );
        assert_eq!(strongest_shortest_path(&g, 0, 5), Some(vec![0, 1, 5]));
        // The greedy walk looks ahead: the heavy first hop 0-2 (2) is only worth it if the rest
        // keeps up; here 0-4-5 totals 1+9=10 > 0-2-5.
        let g = InsightGraph::from_index_edges(
            6,
            &[(0, 2, 2.0), (2, 5, 2.0), (0, 4, 1.0), (4, 5, 9.0)],
        );
        assert_eq!(strongest_shortest_path(&g, 0, 5), Some(vec![0, 4, 5]));
    }

    #[test]
    fn unreachable_and_trivial() {
        let g = InsightGraph::from_index_edges(4, &[(0, 1, 1.0), (2, 3, 1.0)]);
        assert_eq!(strongest_shortest_path(&g, 0, 3), None);
        assert_eq!(strongest_shortest_path(&g, 2, 2), Some(vec![2]));
        assert_eq!(strongest_shortest_path(&g, 0, 9), None);
    }
}
