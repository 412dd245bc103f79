//! The graph's rows laid out for the power iterations (PageRank, eigenvector centrality), whose
//! every iteration is one pull `Σ w(v, t) · y[t]` over every node v's neighbours t.
//!
//! On a large graph that pull is bound by memory latency: `y[t]` is read at random, and once
//! `y` outgrows the per-core cache (2 MiB holds 256k `f64`s) nearly every read waits on the
//! shared cache. So the rows are cut into **blocks of targets** small enough that a block's
//! part of `y` stays in cache, and each group of rows is pulled one block at a time
//! (cache blocking, as in the propagation blocking of Beamer, Asanović and Patterson,
//! "Reducing PageRank Communication via Propagation Blocking", IPDPS 2017; here on the pull
//! side, with no extra pass).
//!
//! A row's neighbours are in ascending index order, so its entries in block 0, then block 1,
//! and so on are its entries in their original order: a node's sum, carried from block to
//! block, adds the same terms in the same order as over the graph itself, to the same bits.
//!
//! The weights, counts of shared sources, are kept as `f32` in each group of rows where every
//! one converts exactly (any count up to 2²⁴), 4 bytes instead of 8 to stream per entry, and
//! widen to the same `f64` on use.

use crate::graph::InsightGraph;
use rayon::prelude::*;
use std::ops::Range;

/// Targets per block: 128k `f64`s of `y`, 1 MiB, half the per-core cache of the machines we
/// measure on, leaving the other half to the streamed rows and sums.
const BLOCK: usize = 1 << 17;

/// Entries per group of rows (at least one whole row): enough that each visit of a block's
/// part of `y` serves many reads, few enough that the groups spread over the threads.
const GROUP_ENTRIES: usize = 1 << 21;

/// The rows of a graph for repeated pulls; see the [module](self) documentation.
///
/// # Complexity
/// * Building: **O(|V| + |E|)** time, in parallel over groups of rows.
/// * Space: **O(B |V| + |E|)** for B blocks (⌈|V| / 2¹⁷⌉): an offset per node and block, a
///   target and a weight per direction of every edge (8 bytes each, or 12 when the weights
///   stay `f64`).
pub(crate) struct PullRows {
    groups: Vec<Group>,
}

/// How [`PullRows`] cuts the graph: targets per block, entries per group of rows.
#[derive(Debug, Clone, Copy)]
struct Layout {
    block: usize,
    group_entries: usize,
}

/// The rows `nodes` of the graph, their entries ordered by block, then row.
struct Group {
    nodes: Range<usize>,
    /// Row i's entries in block b are `offsets[b * len + i]..offsets[b * len + i + 1]`,
    /// `len` the number of rows.
    offsets: Vec<u32>,
    targets: Vec<u32>,
    weights: Weights,
}

/// The weights of a group's entries: narrowed when every weight of the group converts
/// exactly to `f32`.
enum Weights {
    Narrow(Vec<f32>),
    Wide(Vec<f64>),
}

impl PullRows {
    pub(crate) fn new(graph: &InsightGraph) -> PullRows {
        PullRows::with_layout(
            graph,
            Layout {
                block: BLOCK,
                group_entries: GROUP_ENTRIES,
            },
        )
    }

    fn with_layout(graph: &InsightGraph, layout: Layout) -> PullRows {
        let n = graph.node_count();
        let mut bounds = vec![0];
        let mut entries = 0;
        for v in 0..n {
            entries += graph.degree(v as u32);
            if entries >= layout.group_entries {
                bounds.push(v + 1);
                entries = 0;
            }
        }
        if *bounds.last().unwrap() < n {
            bounds.push(n);
        }
        let groups = bounds
            .par_windows(2)
            .map(|w| Group::new(graph, w[0]..w[1], layout.block))
            .collect();
        PullRows { groups }
    }

    /// `out[v] = finish(v, Σ w(v, t) · y[t])` for every node v, the sum over v's neighbours t
    /// in their order in the graph.
    pub(crate) fn pull_into(
        &self,
        y: &[f64],
        out: &mut [f64],
        finish: impl Fn(usize, f64) -> f64 + Sync,
    ) {
        let mut slices = Vec::with_capacity(self.groups.len());
        let mut rest = out;
        for group in &self.groups {
            let (head, tail) = rest.split_at_mut(group.nodes.len());
            slices.push(head);
            rest = tail;
        }
        self.groups
            .par_iter()
            .zip(slices)
            .for_each(|(group, sums)| {
                sums.fill(0.0);
                match &group.weights {
                    Weights::Narrow(w) => group.pull(y, w, sums),
                    Weights::Wide(w) => group.pull(y, w, sums),
                }
                for (i, s) in sums.iter_mut().enumerate() {
                    *s = finish(group.nodes.start + i, *s);
                }
            });
    }
}

impl Group {
    fn new(graph: &InsightGraph, nodes: Range<usize>, block: usize) -> Group {
        let len = nodes.len();
        let narrow = nodes.clone().all(|v| {
            let weights = graph.weights(v as u32);
            weights.iter().all(|&w| f64::from(w as f32) == w)
        });
        let blocks = graph.node_count().div_ceil(block);
        // Rows are sorted by target, so each row's entries in a block are one slice of it:
        // first count them per (block, row), then copy each slice to its place.
        let mut offsets = vec![0u32; blocks * len + 1];
        for (i, v) in nodes.clone().enumerate() {
            let row = graph.neighbors(v as u32);
            let mut from = 0;
            for b in 0..blocks {
                let limit = ((b + 1) * block).min(u32::MAX as usize) as u32;
                let count = row[from..].partition_point(|&t| t < limit);
                offsets[b * len + i + 1] = count as u32;
                from += count;
            }
        }
        for k in 1..offsets.len() {
            offsets[k] += offsets[k - 1];
        }
        let total = offsets[blocks * len] as usize;
        let mut targets = vec![0u32; total];
        let mut narrow_weights = vec![0f32; if narrow { total } else { 0 }];
        let mut wide_weights = vec![0f64; if narrow { 0 } else { total }];
        for (i, v) in nodes.clone().enumerate() {
            let (row, weights) = (graph.neighbors(v as u32), graph.weights(v as u32));
            let mut from = 0;
            for b in 0..blocks {
                let into = offsets[b * len + i] as usize..offsets[b * len + i + 1] as usize;
                let slice = from..from + into.len();
                from = slice.end;
                targets[into.clone()].copy_from_slice(&row[slice.clone()]);
                if narrow {
                    for (out, &w) in narrow_weights[into].iter_mut().zip(&weights[slice]) {
                        *out = w as f32;
                    }
                } else {
                    wide_weights[into].copy_from_slice(&weights[slice]);
                }
            }
        }
        Group {
            nodes,
            offsets,
            targets,
            weights: if narrow {
                Weights::Narrow(narrow_weights)
            } else {
                Weights::Wide(wide_weights)
            },
        }
    }

    /// Adds each row's entries to `sums`, one block of targets at a time.
    fn pull<W: Copy + Into<f64>>(&self, y: &[f64], weights: &[W], sums: &mut [f64]) {
        let len = self.nodes.len();
        let blocks = (self.offsets.len() - 1) / len;
        for base in (0..blocks).map(|b| b * len) {
            let rows = &self.offsets[base..=base + len];
            for (sum, row) in sums.iter_mut().zip(rows.windows(2)) {
                let entries = row[0] as usize..row[1] as usize;
                let mut s = *sum;
                for (&t, &w) in self.targets[entries.clone()].iter().zip(&weights[entries]) {
                    s += w.into() * y[t as usize];
                }
                *sum = s;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::rng::SplitMix64;

    /// A random graph of `n` nodes and about `4n` edges, with weights from `weight`.
    fn random_graph(n: u32, seed: u64, weight: impl Fn(&mut SplitMix64) -> f64) -> InsightGraph {
        let mut rng = SplitMix64::new(seed);
        let mut edges = Vec::new();
        for _ in 0..4 * n {
            let (a, b) = (rng.below(n as usize) as u32, rng.below(n as usize) as u32);
            if a != b {
                edges.push((a.min(b), a.max(b), weight(&mut rng)));
            }
        }
        edges.sort_by_key(|e| (e.0, e.1));
        edges.dedup_by_key(|e| (e.0, e.1));
        InsightGraph::from_index_edges(n as usize, &edges)
    }

    /// The sums as the graph's rows give them, term by term in row order.
    fn row_sums(graph: &InsightGraph, y: &[f64]) -> Vec<u64> {
        (0..graph.node_count() as u32)
            .map(|v| {
                let terms = graph.neighbors(v).iter().zip(graph.weights(v));
                let sum: f64 = terms.map(|(&t, &w)| w * y[t as usize]).sum();
                (sum + f64::from(v)).to_bits()
            })
            .collect()
    }

    fn pulled_sums(graph: &InsightGraph, layout: Layout, y: &[f64]) -> Vec<u64> {
        let rows = PullRows::with_layout(graph, layout);
        let mut out = vec![f64::NAN; graph.node_count()];
        rows.pull_into(y, &mut out, |v, pulled| pulled + v as f64);
        out.iter().map(|x| x.to_bits()).collect()
    }

    /// Blocks of 1 to 2¹⁷ targets, groups of 1 to 2M entries: every one gives the same bits.
    fn every_layout_gives_the_row_sums(graph: &InsightGraph, y: &[f64]) {
        let want = row_sums(graph, y);
        for block in [1, 7, 64, 1000, 1 << 17] {
            for group_entries in [1, 50, 3000, 1 << 21] {
                let layout = Layout {
                    block,
                    group_entries,
                };
                assert_eq!(pulled_sums(graph, layout, y), want, "{layout:?}");
            }
        }
    }

    #[test]
    fn blocked_sums_have_the_bits_of_the_rows_in_order() {
        let graph = random_graph(500, 3, |rng| 1.0 + rng.below(300) as f64);
        let mut rng = SplitMix64::new(9);
        let y: Vec<f64> = (0..500).map(|_| rng.next_f64()).collect();
        every_layout_gives_the_row_sums(&graph, &y);
        let rows = PullRows::new(&graph);
        assert!(matches!(rows.groups[0].weights, Weights::Narrow(_)));
    }

    #[test]
    fn weights_that_f32_cannot_hold_stay_wide() {
        // 0.1 and 2^24 + 1 round in f32; the sums must not.
        let graph = random_graph(300, 5, |rng| match rng.below(3) {
            0 => 0.1,
            1 => 16_777_217.0,
            _ => 1.0,
        });
        let y: Vec<f64> = (0..300).map(|i| 1.0 / (1.0 + i as f64)).collect();
        every_layout_gives_the_row_sums(&graph, &y);
        let rows = PullRows::new(&graph);
        assert!(matches!(rows.groups[0].weights, Weights::Wide(_)));
    }

    #[test]
    fn nodes_without_edges_and_empty_graphs_are_covered() {
        let graph = InsightGraph::from_index_edges(6, &[(1, 4, 2.0)]);
        let rows = PullRows::with_layout(
            &graph,
            Layout {
                block: 2,
                group_entries: 1,
            },
        );
        let mut out = vec![f64::NAN; 6];
        rows.pull_into(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &mut out, |v, s| {
            s - v as f64
        });
        assert_eq!(out, [0.0, 9.0, -2.0, -3.0, 0.0, -5.0]);
        let empty = InsightGraph::from_index_edges(0, &[]);
        PullRows::new(&empty).pull_into(&[], &mut [], |_, s| s);
    }
}
