//! Bridges and gaps between communities.
//!
//! # Participation coefficient
//! Guimerà & Amaral, "Functional cartography of complex metabolic networks", *Nature* 433
//! (2005): for node i with strength k_i, of which k_is goes to community s,
//! P_i = 1 − Σ_s (k_is / k_i)². P = 0 when all of i's links stay in one community and
//! approaches 1 when they are spread evenly over many. Weighted here (k = sum of co-occurrence
//! weights); isolated nodes get 0. Variables: `strength` = k_i, `to[s]` = k_is.
//!
//! A bridge ranks high when it both spreads its links over communities (P) and lies on many
//! shortest paths (betweenness): score = P · b / max(b), or P alone when every b is 0.
//!
//! # Gaps
//! For two communities s and t, the weight between them, w_st, against what the configuration
//! model expects, E_st = K_s · K_t / (2m), where K_s is the total strength of s and m the total
//! edge weight (the null model of modularity; Newman, *Networks*, 2nd ed., §7.7). Pairs of
//! large communities with the lowest ratio w_st / E_st are the gaps: themes that the sources
//! rarely bring together.
//!
//! [`participation`], [`bridges`] and [`gaps`] document their complexity and carry an
//! example each.

use crate::graph::InsightGraph;
use serde::Serialize;
use std::collections::HashMap;

/// The participation coefficient P_i of every node: how evenly its links spread over
/// communities.
///
/// P_i = 1 − Σ_s (k_is / k_i)², with k_i the strength of node i and k_is the weight of its
/// edges into community s (its own included); see the [module documentation](self).
///
/// # Arguments
/// * `graph`: the insight graph.
/// * `membership`: `membership[i]` is node i's community id (any `u32`s).
///
/// # Returns
/// One P per node index, in [0, 1 − 1/c] for a node whose links reach c communities: 0 when
/// all of a node's links stay in one community (whichever) and for isolated nodes.
///
/// # Panics
/// If `membership` is shorter than the node count.
///
/// # Complexity
/// * Time complexity: **O(|V| + |E|)** (expected; one hash-map update per edge end).
/// * Auxiliary space: **O(Δ)**, Δ the largest degree, besides the **O(|V|)** result.
///
/// # Reference
/// R. Guimerà and L. A. N. Amaral, "Functional cartography of complex metabolic networks",
/// Nature 433 (2005), with strengths in place of degrees.
///
/// # Examples
/// ```
/// use netgraph::algo::bridges::participation;
/// use netgraph::graph::InsightGraph;
///
/// // Path 0 - 1 - 2 - 3. Node 1 links community 0 (node 0) and community 1 (node 2)
/// // equally: P = 1 - 2·(1/2)². Node 2 sends weight 3 to its own community and 1 to
/// // community 0: P = 1 - (3/4)² - (1/4)² = 3/8.
/// let g = InsightGraph::from_index_edges(4, &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 3.0)]);
/// assert_eq!(participation(&g, &[0, 0, 1, 1]), vec![0.0, 0.5, 0.375, 0.0]);
/// ```
pub fn participation(graph: &InsightGraph, membership: &[u32]) -> Vec<f64> {
    // Ordered by community, so the sum below adds in the same order on every run (a HashMap's
    // order changed the last bits of P between runs).
    let mut to: std::collections::BTreeMap<u32, f64> = std::collections::BTreeMap::new();
    (0..graph.node_count() as u32)
        .map(|i| {
            let strength = graph.strength(i);
            if strength <= 0.0 {
                return 0.0;
            }
            to.clear();
            for (&j, &w) in graph.neighbors(i).iter().zip(graph.weights(i)) {
                *to.entry(membership[j as usize]).or_insert(0.0) += w;
            }
            let sum: f64 = to.values().map(|k_is| (k_is / strength).powi(2)).sum();
            (1.0 - sum).max(0.0)
        })
        .collect()
}

/// An insight linking communities.
#[derive(Debug, Clone, Serialize)]
pub struct Bridge {
    pub node: u32,
    pub participation: f64,
    pub betweenness: f64,
    /// Communities its links reach (its own included).
    pub communities: usize,
    /// P · betweenness / max betweenness (P alone when all betweenness is 0).
    pub score: f64,
}

/// The bridges between communities: nodes whose links reach more than one community, best
/// first.
///
/// A node's score is P · b / max(b), its [`participation`] P weighted by its betweenness b
/// relative to the largest, or P alone when every b is 0; see the
/// [module documentation](self).
///
/// # Arguments
/// * `graph`: the insight graph.
/// * `membership`: `membership[i]` is node i's community id.
/// * `betweenness`: one betweenness per node index, as
///   [`betweenness`](crate::algo::centrality::betweenness()) returns (any scale: only ratios
///   to the largest count).
///
/// # Returns
/// A [`Bridge`] for every node with P > 0, ordered by score, then P, both descending, then
/// node index ascending.
///
/// # Panics
/// If `membership` or `betweenness` is shorter than the node count.
///
/// # Complexity
/// * Time complexity: **O(|V| log |V| + |E| log Δ)**: the participation pass, a sort of each
///   bridge's neighbour communities (Δ the largest degree), and the final sort.
/// * Auxiliary space: **O(|V| + Δ)**.
///
/// # Examples
/// ```
/// use netgraph::algo::bridges::bridges;
/// use netgraph::algo::centrality::{betweenness, BetweennessConfig};
/// use netgraph::graph::InsightGraph;
///
/// // Path 0 - 1 - 2 - 3 - 4 split as {0, 1} and {2, 3, 4}. Nodes 1 and 2 both have P = 1/2,
/// // but 2 lies on more shortest paths (betweenness 2/3 against 1/2), so it ranks first
/// // with score 1/2 · 1; node 1 scores 1/2 · (1/2) / (2/3) = 3/8.
/// let g = InsightGraph::from_index_edges(
///     5,
///     &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 4, 1.0)],
/// );
/// let b = betweenness(&g, &BetweennessConfig::default());
/// let found = bridges(&g, &[0, 0, 1, 1, 1], &b);
/// assert_eq!(found.iter().map(|x| x.node).collect::<Vec<_>>(), vec![2, 1]);
/// assert!((found[0].score - 0.5).abs() < 1e-12 && (found[1].score - 0.375).abs() < 1e-12);
/// assert_eq!(found[0].communities, 2);
/// ```
pub fn bridges(graph: &InsightGraph, membership: &[u32], betweenness: &[f64]) -> Vec<Bridge> {
    let p = participation(graph, membership);
    let max_b = betweenness.iter().copied().fold(0.0, f64::max);
    let mut out: Vec<Bridge> = (0..graph.node_count() as u32)
        .filter(|&i| p[i as usize] > 0.0)
        .map(|i| {
            let mut reached: Vec<u32> = graph
                .neighbors(i)
                .iter()
                .map(|&j| membership[j as usize])
                .collect();
            reached.push(membership[i as usize]);
            reached.sort_unstable();
            reached.dedup();
            let b = betweenness[i as usize];
            let score = if max_b > 0.0 {
                p[i as usize] * b / max_b
            } else {
                p[i as usize]
            };
            Bridge {
                node: i,
                participation: p[i as usize],
                betweenness: b,
                communities: reached.len(),
                score,
            }
        })
        .collect();
    out.sort_by(|x, y| {
        y.score
            .total_cmp(&x.score)
            .then(y.participation.total_cmp(&x.participation))
            .then(x.node.cmp(&y.node))
    });
    out
}

/// Two communities and how weakly they are linked.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    pub a: u32,
    pub b: u32,
    /// w_ab: total weight of edges between them.
    pub weight: f64,
    /// E_ab = K_a · K_b / (2m).
    pub expected: f64,
    /// weight / expected: 0 = never linked, 1 = as linked as chance predicts.
    pub ratio: f64,
    /// The heaviest existing link between them (nodes, weight), ties by lowest nodes.
    pub closest: Option<(u32, u32, f64)>,
}

/// The gaps between communities: pairs of large communities linked less than the
/// configuration model expects, least linked first.
///
/// For communities s and t, the weight between them w_st against E_st = K_s K_t / (2m),
/// with K_s the total strength of s and m the total edge weight; see the
/// [module documentation](self).
///
/// # Arguments
/// * `graph`: the insight graph.
/// * `membership`: `membership[i]` is node i's community id.
/// * `min_size`: only communities with at least this many members are paired.
///
/// # Returns
/// A [`Gap`] for every pair of communities with at least `min_size` members each, ordered by
/// ratio w_st / E_st ascending, then by community ids. Communities with no edges at all are
/// left out (no expectation to miss); a graph without edges gives no gaps.
///
/// # Panics
/// If `membership` is shorter than the node count.
///
/// # Complexity
/// * Time complexity: **O(|V| + |E| + C² log C)** (expected; hash maps) for C large
///   communities: one pass over the nodes, one over the edges, then every pair and their
///   sort.
/// * Auxiliary space: **O(K + C²)** for K communities in all, besides the **O(C²)** result.
///
/// # Reference
/// M. E. J. Newman, *Networks*, 2nd ed. (2018), §7.7: the null model of modularity.
///
/// # Examples
/// ```
/// use netgraph::algo::bridges::gaps;
/// use netgraph::graph::InsightGraph;
///
/// // Triangles {0, 1, 2}, {3, 4, 5} and {6, 7, 8} in a row: 2-3 and 5-6 join them, the
/// // first and the last never meet. Strengths K = 7, 8, 7; 2m = 22.
/// let g = InsightGraph::from_index_edges(9, &[
///     (0, 1, 1.0), (0, 2, 1.0), (1, 2, 1.0),
///     (3, 4, 1.0), (3, 5, 1.0), (4, 5, 1.0),
///     (6, 7, 1.0), (6, 8, 1.0), (7, 8, 1.0),
///     (2, 3, 1.0), (5, 6, 1.0),
/// ]);
/// let found = gaps(&g, &[0, 0, 0, 1, 1, 1, 2, 2, 2], 3);
/// let pairs: Vec<(u32, u32)> = found.iter().map(|x| (x.a, x.b)).collect();
/// assert_eq!(pairs, vec![(0, 2), (0, 1), (1, 2)]);
/// assert_eq!((found[0].weight, found[0].ratio, found[0].closest), (0.0, 0.0, None));
/// assert!((found[0].expected - 49.0 / 22.0).abs() < 1e-12);
/// // Communities 0 and 1: one edge of weight 1 against 7 · 8 / 22 expected.
/// assert!((found[1].ratio - 22.0 / 56.0).abs() < 1e-12);
/// assert_eq!(found[1].closest, Some((2, 3, 1.0)));
/// // No community has 4 members.
/// assert!(gaps(&g, &[0, 0, 0, 1, 1, 1, 2, 2, 2], 4).is_empty());
/// ```
pub fn gaps(graph: &InsightGraph, membership: &[u32], min_size: usize) -> Vec<Gap> {
    let two_m = 2.0 * graph.total_weight();
    if two_m <= 0.0 {
        return Vec::new();
    }
    let mut size: HashMap<u32, usize> = HashMap::new();
    let mut total: HashMap<u32, f64> = HashMap::new();
    for i in 0..graph.node_count() as u32 {
        let c = membership[i as usize];
        *size.entry(c).or_insert(0) += 1;
        *total.entry(c).or_insert(0.0) += graph.strength(i);
    }
    let mut large: Vec<u32> = size
        .iter()
        .filter(|&(c, &n)| n >= min_size && total[c] > 0.0)
        .map(|(&c, _)| c)
        .collect();
    large.sort_unstable();
    let is_large: HashMap<u32, ()> = large.iter().map(|&c| (c, ())).collect();
    // (community pair) -> (weight between them, their heaviest link).
    type Between = HashMap<(u32, u32), (f64, Option<(u32, u32, f64)>)>;
    let mut between: Between = HashMap::new();
    for i in 0..graph.node_count() as u32 {
        for (&j, &w) in graph.neighbors(i).iter().zip(graph.weights(i)) {
            let (ci, cj) = (membership[i as usize], membership[j as usize]);
            if i < j && ci != cj && is_large.contains_key(&ci) && is_large.contains_key(&cj) {
                let (key, link) = if ci < cj {
                    ((ci, cj), (i, j, w))
                } else {
                    ((cj, ci), (j, i, w))
                };
                let entry = between.entry(key).or_insert((0.0, None));
                entry.0 += w;
                let better = match entry.1 {
                    None => true,
                    Some((a, b, bw)) => {
                        w > bw
                            || (w == bw
                                && (link.0.min(link.1), link.0.max(link.1)) < (a.min(b), a.max(b)))
                    }
                };
                if better {
                    entry.1 = Some(link);
                }
            }
        }
    }
    let mut out = Vec::new();
    for (x, &a) in large.iter().enumerate() {
        for &b in &large[x + 1..] {
            let (weight, closest) = between.get(&(a, b)).copied().unwrap_or((0.0, None));
            let expected = total[&a] * total[&b] / two_m;
            out.push(Gap {
                a,
                b,
                weight,
                expected,
                ratio: weight / expected,
                closest,
            });
        }
    }
    out.sort_by(|x, y| {
        x.ratio
            .total_cmp(&y.ratio)
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two triangles {0,1,2} and {4,5,6} joined through node 3, plus a third triangle {7,8,9}
    /// hanging off node 6 by a light edge.
    fn three_themes() -> (InsightGraph, Vec<u32>) {
        let edges = [
            (0, 1, 2.0),
            (0, 2, 2.0),
            (1, 2, 2.0),
            (2, 3, 1.0),
            (3, 4, 1.0),
            (4, 5, 2.0),
            (4, 6, 2.0),
            (5, 6, 2.0),
            (6, 7, 1.0),
            (7, 8, 2.0),
            (7, 9, 2.0),
            (8, 9, 2.0),
        ];
        (
            InsightGraph::from_index_edges(10, &edges),
            vec![0, 0, 0, 0, 1, 1, 1, 2, 2, 2],
        )
    }

    #[test]
    fn participation_matches_the_formula() {
        let (g, m) = three_themes();
        let p = participation(&g, &m);
        // Node 3: strength 2, 1 to community 0 and 1 to community 1.
        assert!((p[3] - 0.5).abs() < 1e-12);
        // Node 2: strength 5, 4 to its own community 0 and 1 to node 3 (also community 0).
        assert_eq!(p[2], 0.0);
        // Node 6: strength 5: 4 within community 1, 1 to community 2.
        assert!((p[6] - (1.0 - (0.8f64.powi(2) + 0.2f64.powi(2)))).abs() < 1e-12);
        assert_eq!(p[0], 0.0);
    }

    #[test]
    fn bridges_rank_by_participation_and_betweenness() {
        let (g, m) = three_themes();
        let mut b = vec![0.0; 10];
        b[3] = 20.0;
        b[4] = 18.0;
        b[6] = 21.0;
        let ranked: Vec<u32> = bridges(&g, &m, &b).iter().map(|x| x.node).collect();
        // 4 and 6 both have P = 1 - (0.8² + 0.2²); 6 lies on more shortest paths.
        assert_eq!(ranked, vec![3, 6, 4, 7]);
        let bridges = bridges(&g, &m, &b);
        assert_eq!(bridges[0].communities, 2);
    }

    #[test]
    fn gaps_are_the_least_linked_pairs_against_expectation() {
        let (g, m) = three_themes();
        let gaps = gaps(&g, &m, 3);
        let pairs: Vec<(u32, u32)> = gaps.iter().map(|x| (x.a, x.b)).collect();
        // 0 and 2 never meet; 0-1 and 1-2 are each linked by one edge of weight 1.
        assert_eq!(pairs[0], (0, 2));
        assert_eq!(gaps[0].weight, 0.0);
        assert_eq!(gaps[0].closest, None);
        let k: f64 = 2.0 * g.total_weight();
        let (k0, k1) = (15.0, 14.0); // strengths of communities 0 and 1
        let g01 = gaps.iter().find(|x| (x.a, x.b) == (0, 1)).unwrap();
        assert!((g01.expected - k0 * k1 / k).abs() < 1e-12);
        assert_eq!(g01.closest, Some((3, 4, 1.0)));
        // Only community 0 has 4 members: no pair is large enough.
        assert!(super::gaps(&g, &m, 4).is_empty());
    }
}
