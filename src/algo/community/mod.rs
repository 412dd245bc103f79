//! Community detection on the insight graph: modularity, Louvain, Leiden and theme labels.
//!
//! - [`modularity()`]: the quality both algorithms maximise (networkx's definition, with the
//!   resolution γ).
//! - [`louvain()`]: Blondel et al. 2008, local moving and aggregation.
//! - [`leiden()`]: Traag, Waltman & van Eck 2019, fast local moving, refinement, aggregation;
//!   every community it returns is connected.
//! - [`labels`]: a few words per community, by class-based TF-IDF over the insights' text.
//! - [`quotient`]: how strongly communities are linked, against chance (association
//!   strength).
//!
//! [`Algorithm`] names an algorithm and [`CommunityConfig`] carries one algorithm's parameters;
//! [`CommunityConfig::detect`] runs it.
//!
//! Both algorithms are seeded with this module's own [`SplitMix64`] (no `rand` dependency, so
//! a seed means the same thing in every build) and run several restarts derived from the seed
//! in parallel; the best partition wins, ties going to the lowest restart index, so the result
//! does not depend on the number of threads.
//!
//! Internally every level of the multilevel scheme is a [`Level`]: a flat CSR graph with
//! self-loops (the weight inside an aggregated node) and node strengths. Aggregation buckets
//! nodes by community and merges their rows through one dense buffer, O(V + E) per level.

mod config;
pub mod labels;
pub mod leiden;
pub mod louvain;
pub mod modularity;
pub mod quotient;

pub use config::{default_restarts, Algorithm, CommunityConfig};
pub use leiden::{leiden, LeidenConfig};
pub use louvain::{louvain, LouvainConfig};
pub use modularity::modularity;

pub use crate::algo::rng::SplitMix64;
use crate::error::{Error, Result};
use crate::graph::{prefetch_lines, InsightGraph};
use rayon::prelude::*;

/// A partition found by [`louvain()`] or [`leiden()`].
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    /// Community of every node, numbered 0.. in order of each community's smallest node.
    pub membership: Vec<u32>,
    /// Number of communities.
    pub count: usize,
    /// Modularity of `membership` at the configured resolution ([`modularity()`]).
    pub modularity: f64,
    /// Which restart produced it (0-based).
    pub restart: usize,
}

/// Local moving's core, shared by Louvain and Leiden: take node `v` out of its community and
/// find the community it gains most by joining. The gain of joining c is
/// k_v,in(c) − γ k_v Σ_tot(c) / 2m (Blondel et al. 2008, eq. 2, with the resolution γ; the
/// terms that do not depend on c dropped). `tot[own]` is left without v's strength: the
/// caller adds it back to wherever v goes. Returns (best community, its gain, the gain of
/// staying). O(degree of v).
#[inline]
pub(crate) fn best_community(
    level: &Level,
    v: u32,
    partition: &[u32],
    tot: &mut [f64],
    gamma: f64,
    two_m: f64,
    buffer: &mut NeighborWeights,
) -> (u32, f64, f64) {
    let own = partition[v as usize];
    let k = level.strength[v as usize];
    let (nbrs, ws) = level.row(v);
    buffer.add_row(nbrs, ws, |u| (u != v).then(|| partition[u as usize]));
    tot[own as usize] -= k;
    let scale = gamma * k / two_m;
    let stay = buffer.weight[own as usize] - scale * tot[own as usize];
    let (mut best, mut best_gain) = (own, stay);
    for &c in buffer.list() {
        let gain = buffer.weight[c as usize] - scale * tot[c as usize];
        if gain > best_gain {
            best = c;
            best_gain = gain;
        }
    }
    buffer.clear();
    (best, best_gain, stay)
}

/// The generator of restart `restart` of a run seeded with `seed`.
pub(crate) fn restart_rng(seed: u64, restart: usize) -> SplitMix64 {
    let mut mix = SplitMix64::new(seed ^ (restart as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    SplitMix64::new(mix.next_u64())
}

/// Reject parameters no algorithm can use.
pub(crate) fn check_params(resolution: f64, restarts: usize) -> Result<()> {
    if !resolution.is_finite() || resolution < 0.0 {
        return Err(Error::InvalidInput(format!(
            "resolution must be a finite number ≥ 0, not {resolution}"
        )));
    }
    if restarts == 0 {
        return Err(Error::InvalidInput("restarts must be at least 1".into()));
    }
    Ok(())
}

/// Run `restarts` independent runs in parallel and keep the best by modularity (ties: lowest
/// restart index). Each run gets its own generator from [`restart_rng`], so the outcome does
/// not depend on how rayon schedules the runs.
pub(crate) fn best_of_restarts(
    graph: &InsightGraph,
    resolution: f64,
    seed: u64,
    restarts: usize,
    run: impl Fn(&Level, &mut SplitMix64) -> Vec<u32> + Sync,
) -> Clustering {
    if graph.is_empty() {
        return Clustering {
            membership: Vec::new(),
            count: 0,
            modularity: 0.0,
            restart: 0,
        };
    }
    let level = Level::from_graph(graph);
    let runs: Vec<(Vec<u32>, usize, f64)> = (0..restarts)
        .into_par_iter()
        .map(|r| {
            let mut rng = restart_rng(seed, r);
            let mut membership = run(&level, &mut rng);
            let count = renumber(&mut membership);
            let q = modularity(graph, &membership, resolution);
            (membership, count, q)
        })
        .collect();
    let mut best = 0;
    for (r, run) in runs.iter().enumerate() {
        if run.2 > runs[best].2 {
            best = r;
        }
    }
    let (membership, count, modularity) = runs.into_iter().nth(best).expect("restarts ≥ 1");
    Clustering {
        membership,
        count,
        modularity,
        restart: best,
    }
}

/// Renumber community ids (each below the node count) densely, in order of first appearance
/// (so by smallest node); returns the number of communities.
pub(crate) fn renumber(membership: &mut [u32]) -> usize {
    let mut new_id = vec![u32::MAX; membership.len()];
    let mut next = 0u32;
    for c in membership.iter_mut() {
        let slot = &mut new_id[*c as usize];
        if *slot == u32::MAX {
            *slot = next;
            next += 1;
        }
        *c = *slot;
    }
    next as usize
}

/// One level of the multilevel scheme: a symmetric weighted graph in CSR form. A node's
/// self-loop (the edge weight inside an aggregated community, both directions) is a row entry
/// pointing at the node itself, so `strength[v]` is the row sum and Σ strength = 2m.
#[derive(Debug, Clone)]
pub(crate) struct Level {
    pub offsets: Vec<usize>,
    pub targets: Vec<u32>,
    pub weights: Weights,
    pub strength: Vec<f64>,
    /// Σ strength = 2m.
    pub total: f64,
}

impl Level {
    pub fn from_graph(graph: &InsightGraph) -> Level {
        let n = graph.node_count();
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        let mut targets = Vec::with_capacity(2 * graph.edge_count());
        let mut weights = Weights::narrowest(
            (0..n as u32).flat_map(|u| graph.weights(u).iter().copied()),
            2 * graph.edge_count(),
        );
        let mut strength = Vec::with_capacity(n);
        for u in 0..n as u32 {
            targets.extend_from_slice(graph.neighbors(u));
            let w = graph.weights(u);
            weights.extend_from_f64(w);
            strength.push(w.iter().sum::<f64>());
            offsets.push(targets.len());
        }
        let total = strength.iter().sum();
        Level {
            offsets,
            targets,
            weights,
            strength,
            total,
        }
    }

    pub fn node_count(&self) -> usize {
        self.strength.len()
    }

    /// Ask the processor for the start of `u`'s row, to be read soon: the first two cache
    /// lines of its targets and three of its weights (32 entries; 48 when the weights are
    /// narrow). Passes that visit rows in an order of their own (a random one, or community by
    /// community) would otherwise wait for memory at the start of every row; the hardware
    /// prefetcher takes over once a row is being read in order. Measured, paired, on the
    /// whole `communities` command: 0.93 of the time at 100k pages, 0.90 at 1M.
    #[inline]
    pub fn prefetch_row(&self, u: u32) {
        let at = self.offsets[u as usize];
        prefetch_lines(self.targets.as_ptr().wrapping_add(at), 2);
        match &self.weights {
            Weights::Narrow(w) => prefetch_lines(w.as_ptr().wrapping_add(at), 3),
            Weights::Wide(w) => prefetch_lines(w.as_ptr().wrapping_add(at), 3),
        }
    }

    /// Neighbours (possibly including `u` itself) and weights of `u`.
    #[inline]
    pub fn row(&self, u: u32) -> (&[u32], RowWeights<'_>) {
        let (a, b) = (self.offsets[u as usize], self.offsets[u as usize + 1]);
        let weights = match &self.weights {
            Weights::Narrow(w) => RowWeights::Narrow(&w[a..b]),
            Weights::Wide(w) => RowWeights::Wide(&w[a..b]),
        };
        (&self.targets[a..b], weights)
    }

    /// The graph of communities: one node per community of `membership` (ids `0..count`),
    /// an edge between two communities weighted by the sum of the edges between them, and a
    /// self-loop holding the weight inside. Nodes are bucketed by community (counting sort) and
    /// each community's rows merged through a dense buffer; O(V + E + Σ d log d) time, where d
    /// is an aggregate node's degree, and O(V + E) space.
    ///
    /// Communities are merged in parallel, in blocks of consecutive ids, each block with a
    /// buffer of its own; every row is summed in the same order whatever the threads, so the
    /// result is the same bits.
    pub fn aggregate(&self, membership: &[u32], count: usize) -> Level {
        /// Communities per parallel task: enough to pay for a task's buffer.
        const BLOCK: usize = 256;
        let n = self.node_count();
        let mut start = vec![0usize; count + 1];
        for &c in membership {
            start[c as usize + 1] += 1;
        }
        for c in 0..count {
            start[c + 1] += start[c];
        }
        let mut fill = start.clone();
        let mut order = vec![0u32; n];
        for (u, &c) in membership.iter().enumerate() {
            order[fill[c as usize]] = u as u32;
            fill[c as usize] += 1;
        }
        // One block: row lengths, targets, weights and strengths of its communities.
        type Block = (Vec<usize>, Vec<u32>, Vec<f64>, Vec<f64>);
        let blocks: Vec<Block> = (0..count.div_ceil(BLOCK))
            .into_par_iter()
            .map_init(
                || NeighborWeights::new(count),
                |buffer, b| {
                    let communities = b * BLOCK..((b + 1) * BLOCK).min(count);
                    let mut block: Block = Default::default();
                    for c in communities {
                        let mut k = 0.0;
                        for at in start[c]..start[c + 1] {
                            // Members are scattered over the graph.
                            if let Some(&next) = order.get(at + 1) {
                                self.prefetch_row(next);
                            }
                            let u = order[at];
                            let (nbrs, ws) = self.row(u);
                            buffer.add_row(nbrs, ws, |v| Some(membership[v as usize]));
                            k += self.strength[u as usize];
                        }
                        buffer.sort();
                        for &d in buffer.list() {
                            block.1.push(d);
                            block.2.push(buffer.weight[d as usize]);
                        }
                        block.0.push(buffer.list().len());
                        buffer.clear();
                        block.3.push(k);
                    }
                    block
                },
            )
            .collect();
        let entries = blocks.iter().map(|b| b.1.len()).sum();
        let mut offsets = Vec::with_capacity(count + 1);
        offsets.push(0);
        let mut targets = Vec::with_capacity(entries);
        let mut weights =
            Weights::narrowest(blocks.iter().flat_map(|b| b.2.iter().copied()), entries);
        let mut strength = Vec::with_capacity(count);
        for (lengths, t, w, k) in blocks {
            for len in lengths {
                offsets.push(offsets.last().expect("starts at 0") + len);
            }
            targets.extend_from_slice(&t);
            weights.extend_from_f64(&w);
            strength.extend_from_slice(&k);
        }
        Level {
            offsets,
            targets,
            weights,
            strength,
            total: self.total,
        }
    }
}

/// The edge weights of a level: `f32` when every one converts to it exactly, else `f64`.
///
/// Why: netgraph's weights are counts of shared sources, and a level's are sums of them, so
/// nearly always whole numbers far below 2²⁴, which `f32` holds exactly. Every sum is still
/// taken in `f64`, of the same values in the same order, so the narrow form gives the same
/// bits; it reads a third less memory per edge (8 bytes with the target instead of 12), and
/// passes over a level are bound by reading it: Leiden took 7% less time at 100k and 1M
/// pages (2 × 3.7M and 2 × 37M edge entries).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Weights {
    Narrow(Vec<f32>),
    Wide(Vec<f64>),
}

impl Weights {
    /// Empty weights, with room for `capacity`: narrow when every one of `all` is an `f32`
    /// exactly.
    fn narrowest(mut all: impl Iterator<Item = f64>, capacity: usize) -> Weights {
        if all.all(|w| f64::from(w as f32) == w) {
            Weights::Narrow(Vec::with_capacity(capacity))
        } else {
            Weights::Wide(Vec::with_capacity(capacity))
        }
    }

    /// Append `weights`, each converting exactly when narrow (the caller checked).
    fn extend_from_f64(&mut self, weights: &[f64]) {
        match self {
            Weights::Narrow(all) => all.extend(weights.iter().map(|&w| w as f32)),
            Weights::Wide(all) => all.extend_from_slice(weights),
        }
    }
}

/// One row's weights, in the width of its level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RowWeights<'a> {
    Narrow(&'a [f32]),
    Wide(&'a [f64]),
}

impl RowWeights<'_> {
    /// The sum, in order, of the weights of the entries whose target `keep` accepts.
    pub fn sum_where(self, targets: &[u32], keep: impl Fn(u32) -> bool) -> f64 {
        fn sum<W: Copy + Into<f64>>(t: &[u32], w: &[W], keep: impl Fn(u32) -> bool) -> f64 {
            t.iter()
                .zip(w)
                .filter(|(&u, _)| keep(u))
                .map(|(_, &w)| w.into())
                .sum()
        }
        match self {
            RowWeights::Narrow(w) => sum(targets, w, keep),
            RowWeights::Wide(w) => sum(targets, w, keep),
        }
    }
}

/// Weights from one node to each neighbouring community: a dense array plus the list of
/// communities touched, reset per node in time proportional to that list. Edge weights are
/// positive, so a weight of 0 marks a community not yet touched (one memory access per edge).
///
/// Why branch-free: whether an edge reaches a community already touched is a coin toss to the
/// branch predictor (a node's neighbours are spread over tens of communities), so an `if` per
/// edge is often mispredicted. Every edge writes its community to the end of the list instead,
/// and the length grows only when the community was new: aggregating a 111k-node level took
/// 77 ms instead of 85, and the whole `communities` command 0.96 of the time (paired).
pub(crate) struct NeighborWeights {
    pub weight: Vec<f64>,
    /// The touched communities in order of first touch, then one spare slot: `add_row`
    /// writes one past the end before it knows whether to keep it.
    touched: Vec<u32>,
    len: usize,
}

impl NeighborWeights {
    pub fn new(communities: usize) -> NeighborWeights {
        NeighborWeights {
            weight: vec![0.0; communities],
            touched: vec![0; communities + 1],
            len: 0,
        }
    }

    /// Add every edge of a row (`targets`, `weights`, each weight > 0) to the community
    /// `community_of` gives its target, skipping targets it gives `None`.
    #[inline]
    pub fn add_row(
        &mut self,
        targets: &[u32],
        weights: RowWeights<'_>,
        community_of: impl Fn(u32) -> Option<u32>,
    ) {
        match weights {
            RowWeights::Narrow(w) => self.add_weights(targets, w, community_of),
            RowWeights::Wide(w) => self.add_weights(targets, w, community_of),
        }
    }

    /// [`add_row`](Self::add_row) for one width of weights.
    #[inline]
    fn add_weights<W: Copy + Into<f64>>(
        &mut self,
        targets: &[u32],
        weights: &[W],
        community_of: impl Fn(u32) -> Option<u32>,
    ) {
        let weight = self.weight.as_mut_slice();
        let touched = self.touched.as_mut_slice();
        let mut len = self.len;
        for (&t, &w) in targets.iter().zip(weights) {
            if let Some(c) = community_of(t) {
                let slot = &mut weight[c as usize];
                let new = *slot == 0.0;
                *slot += w.into();
                touched[len] = c;
                len += usize::from(new);
            }
        }
        self.len = len;
    }

    /// The communities touched since the last [`clear`](Self::clear), in order of first touch.
    #[inline]
    pub fn list(&self) -> &[u32] {
        &self.touched[..self.len]
    }

    /// The touched communities in ascending order.
    pub fn sort(&mut self) {
        self.touched[..self.len].sort_unstable();
    }

    pub fn clear(&mut self) {
        for &c in &self.touched[..self.len] {
            self.weight[c as usize] = 0.0;
        }
        self.len = 0;
    }
}

/// Community totals Σ strength for `membership` over `communities` ids.
pub(crate) fn totals(level: &Level, membership: &[u32], communities: usize) -> Vec<f64> {
    let mut tot = vec![0.0; communities];
    for (u, &c) in membership.iter().enumerate() {
        tot[c as usize] += level.strength[u];
    }
    tot
}

/// Split every community into its connected components (each component becomes its own
/// community). Splitting a community along a cut with no edges never lowers modularity.
/// Returns the new number of communities; ids are renumbered by first node.
pub(crate) fn split_disconnected(graph: &InsightGraph, membership: &mut [u32]) -> usize {
    let label = graph.components_within(|u, v| membership[u as usize] == membership[v as usize]);
    let count = label.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
    membership.copy_from_slice(&label);
    count
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Two triangles {0,1,2} and {3,4,5} joined by the edge 2–3, all weights 1.
    pub fn two_triangles() -> InsightGraph {
        InsightGraph::from_index_edges(
            6,
            &[
                (0, 1, 1.0),
                (0, 2, 1.0),
                (1, 2, 1.0),
                (3, 4, 1.0),
                (3, 5, 1.0),
                (4, 5, 1.0),
                (2, 3, 1.0),
            ],
        )
    }

    /// `k` cliques of `size` nodes, clique i joined to clique i+1 by one edge (a ring).
    pub fn ring_of_cliques(k: usize, size: usize) -> InsightGraph {
        let mut edges = Vec::new();
        for c in 0..k {
            let base = (c * size) as u32;
            for i in 0..size as u32 {
                for j in i + 1..size as u32 {
                    edges.push((base + i, base + j, 1.0));
                }
            }
            let next = (((c + 1) % k) * size) as u32;
            edges.push((base, next + 1, 1.0));
        }
        InsightGraph::from_index_edges(k * size, &edges)
    }

    /// A sparse graph with many small themes, like an insight graph of a few hundred pages:
    /// `n` nodes in planted groups of `group`, a path through each group, and about `n`
    /// more edges, a quarter of them between groups; weights 1–3.
    pub fn sparse_themes(n: usize, group: usize, seed: u64) -> InsightGraph {
        let mut rng = SplitMix64::new(seed);
        let mut edges = Vec::new();
        for u in 1..n {
            if u % group != 0 {
                edges.push(((u - 1) as u32, u as u32, 1.0));
            }
        }
        for _ in 0..n {
            let a = rng.below(n);
            let b = if rng.below(4) == 0 {
                rng.below(n)
            } else {
                a / group * group + rng.below(group)
            };
            if a != b && b < n {
                edges.push((a.min(b) as u32, a.max(b) as u32, (1 + rng.below(3)) as f64));
            }
        }
        edges.sort_unstable_by_key(|e| (e.0, e.1));
        edges.dedup_by_key(|e| (e.0, e.1));
        InsightGraph::from_index_edges(n, &edges)
    }

    #[test]
    fn rng_is_deterministic_and_spread() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        let mut counts = [0usize; 4];
        for _ in 0..4000 {
            counts[a.below(4)] += 1;
        }
        assert!(counts.iter().all(|&c| c > 900), "{counts:?}");
        let f = a.next_f64();
        assert!((0.0..1.0).contains(&f));
        assert_ne!(restart_rng(1, 0).next_u64(), restart_rng(1, 1).next_u64());
    }

    #[test]
    fn weights_are_narrow_only_where_f32_holds_them() {
        assert!(matches!(
            Level::from_graph(&two_triangles()).weights,
            Weights::Narrow(_)
        ));
        // 0.1 is no f32: the level keeps f64, and the weight itself.
        let tenth = InsightGraph::from_index_edges(3, &[(0, 1, 0.1), (1, 2, 1.0)]);
        let level = Level::from_graph(&tenth);
        assert_eq!(level.row(1).1, RowWeights::Wide(&[0.1, 1.0]));
        // 2^24 and 1 are f32s, the self-loop of their sum, 2 (2^24 + 1), is not.
        let big = 16_777_216.0;
        let path = InsightGraph::from_index_edges(3, &[(0, 1, big), (1, 2, 1.0)]);
        let level = Level::from_graph(&path);
        assert!(matches!(level.weights, Weights::Narrow(_)));
        let one = level.aggregate(&[0, 0, 0], 1);
        assert_eq!(one.row(0).1, RowWeights::Wide(&[2.0 * (big + 1.0)]));
        assert_eq!(one.strength, vec![2.0 * (big + 1.0)]);
    }

    #[test]
    fn aggregate_keeps_weight_and_strength() {
        let g = two_triangles();
        let level = Level::from_graph(&g);
        assert_eq!(level.total, 14.0);
        let agg = level.aggregate(&[0, 0, 0, 1, 1, 1], 2);
        assert_eq!(agg.node_count(), 2);
        assert_eq!(
            agg.row(0),
            (&[0u32, 1][..], RowWeights::Narrow(&[6.0, 1.0]))
        );
        assert_eq!(
            agg.row(1),
            (&[0u32, 1][..], RowWeights::Narrow(&[1.0, 6.0]))
        );
        assert_eq!(agg.strength, vec![7.0, 7.0]);
        assert_eq!(agg.total, 14.0);
    }

    #[test]
    fn split_disconnected_separates_components() {
        let g = two_triangles();
        let mut m = vec![0, 0, 1, 1, 0, 0];
        assert_eq!(split_disconnected(&g, &mut m), 3);
        assert_eq!(m, vec![0, 0, 1, 1, 2, 2]);
    }

    #[test]
    fn renumber_orders_by_first_node() {
        let mut m = vec![4, 4, 2, 3, 2];
        assert_eq!(renumber(&mut m), 3);
        assert_eq!(m, vec![0, 0, 1, 2, 1]);
    }
}
