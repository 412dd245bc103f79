//! How strongly communities are linked to each other: the quotient graph of a partition,
//! each link weighed against chance.
//!
//! For communities a and b, the observed weight w_ab (the sum of the weights of the edges
//! between them) is compared with the weight the configuration model expects,
//! E_ab = S_a · S_b / (2m), with S_a the total strength of a's members and m the total edge
//! weight (the null model of modularity; Newman, *Networks*, 2nd ed., §7.7). The ratio
//! w_ab / E_ab is the association strength of van Eck & Waltman, "How to normalize
//! co-occurrence data?", *JASIST* 60(8) (2009), which VOSviewer uses to lay out and link
//! clusters: 1 means as linked as chance predicts, above 1 more.

use crate::graph::InsightGraph;
use std::collections::HashMap;

/// The link between two communities.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommunityLink {
    /// Community ids, `a < b`.
    pub a: u32,
    pub b: u32,
    /// w_ab: the total weight of the edges between them.
    pub weight: f64,
    /// E_ab = S_a · S_b / (2m).
    pub expected: f64,
    /// w_ab / E_ab: association strength.
    pub association: f64,
}

/// The links between every two communities joined by at least one edge, with their
/// association strength; see the [module documentation](self).
///
/// # Arguments
/// * `graph`: the insight graph.
/// * `membership`: `membership[i]` is node i's community id (any `u32`s).
///
/// # Returns
/// One [`CommunityLink`] per linked pair, sorted by `(a, b)`. Pairs without an edge are left
/// out (their association strength is 0); a graph without edges gives none.
///
/// # Panics
/// If `membership` is shorter than the node count.
///
/// # Complexity
/// * Time complexity: **O(|V| + |E| + L log L)** (expected; hash maps) for L linked pairs.
/// * Auxiliary space: **O(K + L)** for K communities.
///
/// # Reference
/// N. J. van Eck and L. Waltman, "How to normalize co-occurrence data? An analysis of some
/// well-known similarity measures", JASIST 60(8) (2009); M. E. J. Newman, *Networks* (2018),
/// §7.7.
///
/// # Examples
/// ```
/// use netgraph::algo::community::quotient::community_links;
/// use netgraph::graph::InsightGraph;
///
/// // Two triangles joined by one edge: S = 7 each, 2m = 14, so E = 49 / 14 = 3.5 and the
/// // single edge between them is 1 / 3.5 of what chance predicts.
/// let g = InsightGraph::from_index_edges(6, &[
///     (0, 1, 1.0), (0, 2, 1.0), (1, 2, 1.0),
///     (3, 4, 1.0), (3, 5, 1.0), (4, 5, 1.0),
///     (2, 3, 1.0),
/// ]);
/// let links = community_links(&g, &[0, 0, 0, 1, 1, 1]);
/// assert_eq!(links.len(), 1);
/// assert_eq!((links[0].a, links[0].b, links[0].weight), (0, 1, 1.0));
/// assert!((links[0].association - 2.0 / 7.0).abs() < 1e-12);
/// ```
pub fn community_links(graph: &InsightGraph, membership: &[u32]) -> Vec<CommunityLink> {
    let two_m = 2.0 * graph.total_weight();
    if two_m <= 0.0 {
        return Vec::new();
    }
    let mut total: HashMap<u32, f64> = HashMap::new();
    let mut between: HashMap<(u32, u32), f64> = HashMap::new();
    for i in 0..graph.node_count() as u32 {
        let ci = membership[i as usize];
        *total.entry(ci).or_insert(0.0) += graph.strength(i);
        for (&j, &w) in graph.neighbors(i).iter().zip(graph.weights(i)) {
            let cj = membership[j as usize];
            if i < j && ci != cj {
                *between.entry((ci.min(cj), ci.max(cj))).or_insert(0.0) += w;
            }
        }
    }
    let mut links: Vec<CommunityLink> = between
        .into_iter()
        .map(|((a, b), weight)| {
            let expected = total[&a] * total[&b] / two_m;
            CommunityLink {
                a,
                b,
                weight,
                expected,
                association: weight / expected,
            }
        })
        .collect();
    links.sort_unstable_by_key(|l| (l.a, l.b));
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn association_is_one_when_links_follow_chance() {
        // A 4-cycle split in two halves {0,1}, {2,3}: S = 4 each, 2m = 8, E = 2; the two
        // edges between the halves weigh 2: exactly as chance predicts.
        let g = InsightGraph::from_index_edges(
            4,
            &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 0, 1.0)],
        );
        let links = community_links(&g, &[5, 5, 9, 9]);
        assert_eq!(links.len(), 1);
        assert_eq!((links[0].a, links[0].b), (5, 9));
        assert!((links[0].expected - 2.0).abs() < 1e-12);
        assert!((links[0].association - 1.0).abs() < 1e-12);
        assert!(community_links(&InsightGraph::from_index_edges(2, &[]), &[0, 1]).is_empty());
    }
}
