//! The insight graph G as the algorithms see it: insights are nodes, appears-with edges are
//! undirected and weighted by the number of shared sources (see [`crate::cooccurrence`]).
//!
//! Stored as a petgraph [`Csr`] holding both directions of every edge, so each node's
//! neighbours and weights are two contiguous slices. Node indices are dense `u32`s; `ids` maps
//! them back to insight ids (sorted ascending, so index order is id order and ties broken "by
//! id" are ties broken by index).
//!
//! Weights are strengths (more shared sources = closer). A measure that needs distances gets
//! them from [`distance_of`], the one place that turns a strength into a length.

use crate::ids::{InsightId, NodeIndex};
use petgraph::csr::Csr;
use petgraph::Directed;

/// Symmetric CSR adjacency with `f64` weights and `u32` indices.
pub type Adjacency = Csr<(), f64, Directed, u32>;

/// The insight graph with its index <-> id map.
#[derive(Debug, Clone)]
pub struct InsightGraph {
    csr: Adjacency,
    ids: Vec<InsightId>,
    edge_count: usize,
    total_weight: f64,
}

/// The length of an edge of strength `weight` when a measure needs distances: 1/weight, so
/// insights that share more sources are closer.
#[inline]
pub fn distance_of(weight: f64) -> f64 {
    1.0 / weight
}

/// Flat symmetric CSR arrays: row offsets (nodes + 1), neighbour indices, integer weights.
/// The layout of `graph_snapshot` in schema.sql.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsrArrays {
    pub offsets: Vec<u64>,
    pub targets: Vec<u32>,
    pub weights: Vec<u32>,
}

impl CsrArrays {
    /// Both directions of undirected edges `(a, b, weight)` over `n` nodes, given once each
    /// with `a < b` and sorted by `(a, b)` (the order `appears_with` is stored in).
    ///
    /// A counting sort, O(V + E) time and memory: rows come out sorted without comparing,
    /// since every row receives its smaller neighbours (as `b`) before its larger ones (as
    /// `a`), each group in ascending order. Edges out of that order or out of range are
    /// `None`.
    pub fn from_sorted_edges(n: usize, edges: &[(u32, u32, u32)]) -> Option<CsrArrays> {
        let mut offsets = vec![0u64; n + 1];
        let mut previous = None;
        for &(a, b, _) in edges {
            if a >= b || b as usize >= n || previous.is_some_and(|p| p >= (a, b)) {
                return None;
            }
            previous = Some((a, b));
            offsets[a as usize + 1] += 1;
            offsets[b as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill: Vec<u64> = offsets[..n].to_vec();
        let mut targets = vec![0u32; edges.len() * 2];
        let mut weights = vec![0u32; edges.len() * 2];
        for &(a, b, w) in edges {
            for (from, to) in [(a, b), (b, a)] {
                let at = fill[from as usize] as usize;
                targets[at] = to;
                weights[at] = w;
                fill[from as usize] += 1;
            }
        }
        Some(CsrArrays {
            offsets,
            targets,
            weights,
        })
    }
}

impl InsightGraph {
    /// Build from sorted insight ids and undirected edges given once each as (id, id, weight).
    /// Edges naming unknown ids are ignored. O(V + E log E).
    pub fn from_edges(
        ids: Vec<InsightId>,
        edges: impl IntoIterator<Item = (InsightId, InsightId, f64)>,
    ) -> InsightGraph {
        debug_assert!(ids.windows(2).all(|w| w[0] < w[1]));
        let index = |id: InsightId| ids.binary_search(&id).ok().map(|i| i as u32);
        let mut directed: Vec<(u32, u32, f64)> = Vec::new();
        for (a, b, w) in edges {
            if let (Some(ia), Some(ib)) = (index(a), index(b)) {
                if ia != ib {
                    directed.push((ia, ib, w));
                    directed.push((ib, ia, w));
                }
            }
        }
        Self::from_directed(ids, directed)
    }

    /// Build from a dense node count (ids 0..n) and undirected index edges; for tests and
    /// generated graphs.
    pub fn from_index_edges(n: usize, edges: &[(u32, u32, f64)]) -> InsightGraph {
        let ids: Vec<InsightId> = (0..n as u32).map(InsightId).collect();
        Self::from_edges(
            ids,
            edges
                .iter()
                .map(|&(a, b, w)| (InsightId(a), InsightId(b), w)),
        )
    }

    fn from_directed(ids: Vec<InsightId>, mut directed: Vec<(u32, u32, f64)>) -> InsightGraph {
        use rayon::slice::ParallelSliceMut;
        directed.par_sort_unstable_by(|x, y| (x.0, x.1).cmp(&(y.0, y.1)));
        directed.dedup_by(|x, y| (x.0, x.1) == (y.0, y.1));
        let edge_count = directed.len() / 2;
        // After deduplication, so a repeated input edge counts once in m.
        let total_weight = directed.iter().map(|e| e.2).sum::<f64>() / 2.0;
        let mut csr =
            Adjacency::from_sorted_edges(&directed).expect("edges sorted and deduplicated above");
        while csr.node_count() < ids.len() {
            csr.add_node(());
        }
        InsightGraph {
            csr,
            ids,
            edge_count,
            total_weight,
        }
    }

    /// Rebuild from the flat arrays of [`to_arrays`](Self::to_arrays); `None` if they are not a
    /// valid symmetric CSR of `ids.len()` nodes. O(V + E).
    pub fn from_arrays(ids: Vec<InsightId>, arrays: &CsrArrays) -> Option<InsightGraph> {
        let CsrArrays {
            offsets,
            targets,
            weights,
        } = arrays;
        let n = ids.len();
        if offsets.len() != n + 1
            || offsets[0] != 0
            || offsets[n] as usize != targets.len()
            || targets.len() != weights.len()
            || targets.len() % 2 != 0
            || offsets.windows(2).any(|w| w[0] > w[1])
        {
            return None;
        }
        let mut directed = Vec::with_capacity(targets.len());
        let mut total_weight = 0.0;
        for u in 0..n {
            for e in offsets[u] as usize..offsets[u + 1] as usize {
                let v = targets[e];
                if v as usize >= n {
                    return None;
                }
                let w = f64::from(weights[e]);
                if (u as u32) < v {
                    total_weight += w;
                }
                directed.push((u as u32, v, w));
            }
        }
        let edge_count = directed.len() / 2;
        let mut csr = Adjacency::from_sorted_edges(&directed).ok()?;
        while csr.node_count() < n {
            csr.add_node(());
        }
        Some(InsightGraph {
            csr,
            ids,
            edge_count,
            total_weight,
        })
    }

    /// The graph as flat arrays: (row offsets, targets, integer weights). See `graph_snapshot`
    /// in schema.sql.
    pub fn to_arrays(&self) -> CsrArrays {
        let mut offsets = Vec::with_capacity(self.node_count() + 1);
        let mut targets = Vec::with_capacity(self.edge_count * 2);
        let mut weights = Vec::with_capacity(self.edge_count * 2);
        offsets.push(0);
        for u in 0..self.node_count() as u32 {
            targets.extend_from_slice(self.neighbors(u));
            weights.extend(self.weights(u).iter().map(|&w| w as u32));
            offsets.push(targets.len() as u64);
        }
        CsrArrays {
            offsets,
            targets,
            weights,
        }
    }

    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    /// Undirected edges.
    pub fn edge_count(&self) -> usize {
        self.edge_count
    }

    /// Sum of undirected edge weights (m in modularity).
    pub fn total_weight(&self) -> f64 {
        self.total_weight
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Neighbours of node `u`, ascending.
    #[inline]
    pub fn neighbors(&self, u: u32) -> &[u32] {
        self.csr.neighbors_slice(u)
    }

    /// Weights parallel to [`neighbors`](Self::neighbors).
    #[inline]
    pub fn weights(&self, u: u32) -> &[f64] {
        self.csr.edges_slice(u)
    }

    #[inline]
    pub fn degree(&self, u: u32) -> usize {
        self.neighbors(u).len()
    }

    /// Sum of the weights of `u`'s edges.
    #[inline]
    pub fn strength(&self, u: u32) -> f64 {
        self.weights(u).iter().sum()
    }

    /// The insight id of node `u`.
    #[inline]
    pub fn id(&self, u: NodeIndex) -> InsightId {
        self.ids[u as usize]
    }

    /// The insight id of every node, ascending (node `u` is `ids()[u]`).
    pub fn ids(&self) -> &[InsightId] {
        &self.ids
    }

    /// The node of insight `id`. O(log V).
    pub fn index_of(&self, id: InsightId) -> Option<NodeIndex> {
        self.ids.binary_search(&id).ok().map(|i| i as u32)
    }

    /// The petgraph structure, for petgraph's own algorithms and visitors.
    pub fn csr(&self) -> &Adjacency {
        &self.csr
    }

    /// Connected component of every node (labels 0.., in order of first node). O(V + E).
    pub fn components(&self) -> Vec<u32> {
        let n = self.node_count();
        let mut label = vec![u32::MAX; n];
        let mut next = 0;
        let mut stack = Vec::new();
        for start in 0..n as u32 {
            if label[start as usize] != u32::MAX {
                continue;
            }
            label[start as usize] = next;
            stack.push(start);
            while let Some(u) = stack.pop() {
                for &v in self.neighbors(u) {
                    if label[v as usize] == u32::MAX {
                        label[v as usize] = next;
                        stack.push(v);
                    }
                }
            }
            next += 1;
        }
        label
    }

    /// (number of components, size of the largest).
    pub fn component_summary(&self) -> (usize, usize) {
        let labels = self.components();
        let count = labels.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
        let mut sizes = vec![0usize; count];
        for l in labels {
            sizes[l as usize] += 1;
        }
        (count, sizes.into_iter().max().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_symmetric_adjacency_with_isolated_nodes() {
        let id = InsightId;
        let g = InsightGraph::from_edges(
            vec![id(10), id(20), id(30), id(40)],
            vec![(id(10), id(30), 2.0), (id(20), id(30), 1.0)],
        );
        assert_eq!(g.node_count(), 4);
        assert_eq!(g.edge_count(), 2);
        assert_eq!(g.neighbors(2), &[0, 1]);
        assert_eq!(g.weights(2), &[2.0, 1.0]);
        assert_eq!(g.degree(3), 0);
        assert_eq!(g.strength(2), 3.0);
        assert_eq!(g.total_weight(), 3.0);
        assert_eq!(g.index_of(InsightId(40)), Some(3));
        assert_eq!(g.component_summary(), (2, 3));
        let arrays = g.to_arrays();
        let back = InsightGraph::from_arrays(g.ids().to_vec(), &arrays).unwrap();
        assert_eq!(back.neighbors(2), g.neighbors(2));
        assert_eq!(back.weights(2), g.weights(2));
        assert_eq!((back.edge_count(), back.total_weight()), (2, 3.0));
        let bad = CsrArrays {
            offsets: vec![0, 1],
            targets: vec![5],
            weights: vec![1],
        };
        assert!(InsightGraph::from_arrays(vec![InsightId(1)], &bad).is_none());
        // The counting sort gives the same arrays as petgraph's sorted construction.
        let counted = CsrArrays::from_sorted_edges(4, &[(0, 2, 2), (1, 2, 1)]).unwrap();
        assert_eq!(counted, arrays);
        assert!(CsrArrays::from_sorted_edges(4, &[(1, 2, 1), (0, 2, 2)]).is_none());
        assert!(CsrArrays::from_sorted_edges(2, &[(0, 2, 1)]).is_none());
    }
}
