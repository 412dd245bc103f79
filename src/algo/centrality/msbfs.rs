//! Multi-source breadth-first search (MS-BFS): up to 64 sources traversed at once, one bit of a
//! `u64` per source, so one scan of an edge serves every source whose frontier it touches.
//!
//! Closeness and hop-count betweenness run one BFS per source. On the small-world insight
//! graphs (diameter 5 to 10, hubs with thousands of neighbours) those BFSs overlap: most edges
//! are scanned at the same few depths from every source. MS-BFS keeps, per node, the bits of
//! the sources that have `seen` it, that have it in their `frontier` (depth d) and that reach
//! it `next` (depth d + 1), so a level costs one pass over edges for the whole batch instead
//! of one per source: **O(D (|V| + |E|))** word operations per batch of 64 sources, D the
//! number of levels, against **O(64 (|V| + |E|))** for 64 separate searches.
//!
//! Each level runs in the cheaper of two directions (Beamer, Asanović and Patterson,
//! "Direction-optimizing breadth-first search", SC 2012): *top-down* pushes the frontier bits
//! of each frontier node to its neighbours; *bottom-up* has every node not yet seen by all
//! sources pull the frontier bits of its neighbours. The cost of each is the degree sum of the
//! nodes it scans, both known before the level starts.
//!
//! A [`Visitor`] sees every parent edge (v at depth d, w at depth d + 1, for the sources of a
//! bit mask) and every finished level; that is where path counts (betweenness) or distance
//! sums (closeness) are gathered. Visits happen in an order that depends on the directions
//! chosen, so a visitor must only do what is order-free: integer-valued sums and bit masks.
//!
//! # Reference
//! M. Then, M. Kaufmann, F. Chirigati, T.-A. Hoang-Vu, K. Pham, A. Kemper, T. Neumann and
//! H. T. Vo, "The More the Merrier: Efficient Multi-Source Graph Traversal", PVLDB 8(4), 2014
//! (MS-BFS, bit-parallel frontiers); M. Then, S. Günnemann, A. Kemper and T. Neumann,
//! "Efficient Batched Distance and Centrality Computation in Unweighted and Weighted Graphs",
//! BTW 2017 (batched Brandes on top of it).

use crate::graph::InsightGraph;

/// A set of sources of a batch: bit i for source i.
pub(crate) type Mask = u64;

/// Sources per batch: one bit of a [`Mask`] each.
pub(crate) const WIDTH: usize = Mask::BITS as usize;

/// Receives what a multi-source search finds.
pub(crate) trait Visitor {
    /// Whether [`edge`](Self::edge) must see every parent edge of a node. `false` lets the
    /// bottom-up direction stop scanning a node's neighbours once every source that still
    /// missed it has found it (enough for distances; path counts need every parent).
    const ALL_PARENTS: bool;

    /// A parent edge: `v` is at depth d and `w` at depth d + 1 for the sources of
    /// `first | again`. `first` holds the sources for which this is the first parent of `w`
    /// seen at this level, `again` those that had one already. Called in no fixed order.
    fn edge(&mut self, v: u32, w: u32, first: Mask, again: Mask);

    /// A finished level: `nodes` (distinct) are at depth `depth` for the sources of
    /// `bits[v]`, for each `v` in `nodes`. Depth 0 is the sources themselves. Every
    /// [`edge`](Self::edge) into this level has been visited.
    fn level(&mut self, depth: u32, nodes: &[u32], bits: &[Mask]);
}

/// A graph's adjacency with its nodes relabelled by degree, highest first (ties by index), for
/// cache locality: the rows that traversals touch most, those of the hubs, come first and stay
/// in cache together.
///
/// Each row keeps the neighbour order of the original graph (ascending original index), so a
/// sum over a node's neighbours adds the same terms in the same order as over the original.
///
/// # Complexity
/// * Building: **O(|V| log |V| + |E|)** time.
/// * Space: **O(|V| + |E|)**: one offset and two labels per node, one target per direction of
///   every edge.
pub(crate) struct Relabeled {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    /// The original node of each label.
    original: Vec<u32>,
    /// The label of each original node.
    label: Vec<u32>,
}

impl Relabeled {
    pub(crate) fn new(graph: &InsightGraph) -> Relabeled {
        let n = graph.node_count();
        let mut original: Vec<u32> = (0..n as u32).collect();
        original.sort_by_key(|&u| (std::cmp::Reverse(graph.degree(u)), u));
        let mut label = vec![0u32; n];
        for (new, &old) in original.iter().enumerate() {
            label[old as usize] = new as u32;
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut targets = Vec::with_capacity(2 * graph.edge_count());
        offsets.push(0);
        for &old in &original {
            targets.extend(graph.neighbors(old).iter().map(|&w| label[w as usize]));
            offsets.push(targets.len());
        }
        Relabeled {
            offsets,
            targets,
            original,
            label,
        }
    }

    #[inline]
    pub(crate) fn node_count(&self) -> usize {
        self.original.len()
    }

    /// The neighbours of label `v`, as labels, in the original order.
    #[inline]
    pub(crate) fn neighbors(&self, v: u32) -> &[u32] {
        &self.targets[self.offsets[v as usize]..self.offsets[v as usize + 1]]
    }

    #[inline]
    pub(crate) fn degree(&self, v: u32) -> usize {
        self.offsets[v as usize + 1] - self.offsets[v as usize]
    }

    /// The label of original node `u`.
    #[inline]
    pub(crate) fn label(&self, u: u32) -> u32 {
        self.label[u as usize]
    }

    /// The original node of label `v`.
    #[inline]
    pub(crate) fn original(&self, v: u32) -> u32 {
        self.original[v as usize]
    }
}

/// The bits of `mask` as bit positions, lowest first.
#[inline]
pub(crate) fn bits(mut mask: Mask) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if mask == 0 {
            None
        } else {
            let s = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            Some(s)
        }
    })
}

/// The buffers of a multi-source BFS over a graph of a fixed size, reused from batch to batch.
///
/// # Complexity
/// * Space: **O(|V|)**: three words and three list slots per node.
pub(crate) struct MultiBfs {
    /// Sources that have reached each node (depth <= d).
    seen: Vec<Mask>,
    /// Sources for which each node is at depth d; zero outside `current`.
    frontier: Vec<Mask>,
    /// Sources for which each node is at depth d + 1; zero outside `upcoming`.
    next: Vec<Mask>,
    /// The nodes with a nonzero `frontier`.
    current: Vec<u32>,
    /// The nodes with a nonzero `next`.
    upcoming: Vec<u32>,
    /// Nodes with neighbours that some source has not seen yet (compacted by each bottom-up
    /// level, so it may still hold nodes seen by every source since).
    remaining: Vec<u32>,
}

impl MultiBfs {
    /// Buffers for a graph of `n` nodes.
    pub(crate) fn new(n: usize) -> MultiBfs {
        MultiBfs {
            seen: vec![0; n],
            frontier: vec![0; n],
            next: vec![0; n],
            current: Vec::new(),
            upcoming: Vec::new(),
            remaining: Vec::with_capacity(n),
        }
    }

    /// The sources (bit i for `sources[i]` of the last [`run`](Self::run)) that reach `v`.
    #[inline]
    pub(crate) fn reached(&self, v: u32) -> Mask {
        self.seen[v as usize]
    }

    /// Breadth-first search from every node of `sources` at once, reporting to `visitor`.
    ///
    /// `sources` must be distinct labels of `graph`, at most [`WIDTH`] of them; source
    /// `sources[i]` is bit i of every mask.
    ///
    /// # Complexity
    /// * Time complexity: **O(D (|V| + |E|))** word operations, D the largest depth reached,
    ///   plus the visitor's calls: one per parent edge and level.
    /// * Auxiliary space: none beyond the buffers.
    pub(crate) fn run<V: Visitor>(&mut self, graph: &Relabeled, sources: &[u32], visitor: &mut V) {
        debug_assert!(!sources.is_empty() && sources.len() <= WIDTH);
        let MultiBfs {
            seen,
            frontier,
            next,
            current,
            upcoming,
            remaining,
        } = self;
        let full = Mask::MAX >> (WIDTH - sources.len());
        seen.fill(0);
        frontier.fill(0);
        next.fill(0);
        current.clear();
        upcoming.clear();
        remaining.clear();
        for (i, &s) in sources.iter().enumerate() {
            debug_assert_eq!(seen[s as usize], 0, "sources must be distinct");
            seen[s as usize] = 1 << i;
            frontier[s as usize] = 1 << i;
            current.push(s);
        }
        // Degree sum of the nodes some source has not seen: the cost of a bottom-up level.
        let mut unseen_degree = 0usize;
        for u in 0..graph.node_count() as u32 {
            let degree = graph.degree(u);
            if degree > 0 && seen[u as usize] != full {
                remaining.push(u);
                unseen_degree += degree;
            }
        }
        visitor.level(0, current, frontier);
        let mut depth = 0;
        while !current.is_empty() {
            let frontier_degree: usize = current.iter().map(|&v| graph.degree(v)).sum();
            if frontier_degree <= unseen_degree {
                // Top-down: each frontier node offers its bits to the neighbours lacking them.
                for &v in current.iter() {
                    let offer = frontier[v as usize];
                    for &w in graph.neighbors(v) {
                        let fresh = offer & !seen[w as usize];
                        if fresh != 0 {
                            let had = next[w as usize];
                            if had == 0 {
                                upcoming.push(w);
                            }
                            visitor.edge(v, w, fresh & !had, fresh & had);
                            next[w as usize] = had | fresh;
                        }
                    }
                }
            } else {
                // Bottom-up: each node still missing sources gathers them from its neighbours.
                let mut kept = 0;
                for i in 0..remaining.len() {
                    let w = remaining[i];
                    let missing = full & !seen[w as usize];
                    if missing == 0 {
                        continue;
                    }
                    remaining[kept] = w;
                    kept += 1;
                    let mut found: Mask = 0;
                    for &v in graph.neighbors(w) {
                        let fresh = frontier[v as usize] & missing;
                        if fresh != 0 {
                            visitor.edge(v, w, fresh & !found, fresh & found);
                            found |= fresh;
                            if !V::ALL_PARENTS && found == missing {
                                break;
                            }
                        }
                    }
                    if found != 0 {
                        next[w as usize] = found;
                        upcoming.push(w);
                    }
                }
                remaining.truncate(kept);
            }
            for &v in current.iter() {
                frontier[v as usize] = 0;
            }
            for &w in upcoming.iter() {
                let was = seen[w as usize];
                seen[w as usize] = was | next[w as usize];
                if was != full && seen[w as usize] == full {
                    unseen_degree -= graph.degree(w);
                }
            }
            std::mem::swap(frontier, next);
            std::mem::swap(current, upcoming);
            upcoming.clear();
            depth += 1;
            if !current.is_empty() {
                visitor.level(depth, current, frontier);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::centrality::test_graphs::*;

    /// Records each (depth, original node, bits) and counts parent edges per (original node,
    /// source).
    struct Record {
        original: Vec<u32>,
        levels: Vec<(u32, u32, u64)>,
        parents: std::collections::BTreeMap<(u32, usize), u32>,
    }

    impl Visitor for Record {
        const ALL_PARENTS: bool = true;
        fn edge(&mut self, _v: u32, w: u32, first: Mask, again: Mask) {
            assert_eq!(first & again, 0);
            for s in bits(first | again) {
                *self
                    .parents
                    .entry((self.original[w as usize], s))
                    .or_default() += 1;
            }
        }
        fn level(&mut self, depth: u32, nodes: &[u32], bits: &[Mask]) {
            for &v in nodes {
                assert_ne!(bits[v as usize], 0);
                let original = self.original[v as usize];
                self.levels.push((depth, original, bits[v as usize]));
            }
        }
    }

    /// Run from the original `sources`, return the record and each original node's reach.
    fn search(g: &InsightGraph, sources: &[u32]) -> (Record, Vec<u64>) {
        let graph = &Relabeled::new(g);
        let labels: Vec<u32> = sources.iter().map(|&s| graph.label(s)).collect();
        let mut bfs = MultiBfs::new(g.node_count());
        let mut rec = Record {
            original: (0..g.node_count() as u32)
                .map(|v| graph.original(v))
                .collect(),
            levels: Vec::new(),
            parents: Default::default(),
        };
        bfs.run(graph, &labels, &mut rec);
        rec.levels.sort();
        let reached = (0..g.node_count() as u32)
            .map(|u| bfs.reached(graph.label(u)))
            .collect();
        (rec, reached)
    }

    #[test]
    fn relabelling_puts_hubs_first_and_keeps_neighbour_order() {
        // Star centre 0 has the highest degree; leaves keep index order.
        let g = Relabeled::new(&star5());
        assert_eq!(
            (0..5).map(|v| g.original(v)).collect::<Vec<_>>(),
            [0, 1, 2, 3, 4]
        );
        let p = Relabeled::new(&path5());
        // Degrees 1 2 2 2 1: the inner nodes first, by index, then the ends.
        assert_eq!(
            (0..5).map(|v| p.original(v)).collect::<Vec<_>>(),
            [1, 2, 3, 0, 4]
        );
        for u in 0..5 {
            let v = p.label(u);
            assert_eq!(p.original(v), u);
            let back: Vec<u32> = p.neighbors(v).iter().map(|&w| p.original(w)).collect();
            assert_eq!(back, path5().neighbors(u));
            assert_eq!(p.degree(v), path5().degree(u));
        }
    }

    #[test]
    fn depths_and_parents_match_one_search_per_source() {
        // Sources 0 (bit 0) and 2 (bit 1) on 0 - 1 - 2 - 3 - 4.
        let (rec, reached) = search(&path5(), &[0, 2]);
        assert_eq!(
            rec.levels,
            vec![
                (0, 0, 0b01),
                (0, 2, 0b10),
                (1, 1, 0b11),
                (1, 3, 0b10),
                (2, 0, 0b10),
                (2, 2, 0b01),
                (2, 4, 0b10),
                (3, 3, 0b01),
                (4, 4, 0b01),
            ]
        );
        assert!(rec.parents.values().all(|&p| p == 1));
        // Four tree edges from each source.
        assert_eq!(rec.parents.len(), 4 + 4);
        assert_eq!(reached, [3; 5]);
    }

    #[test]
    fn a_square_gives_two_parents_and_pairs_stay_apart() {
        let square = InsightGraph::from_index_edges(
            4,
            &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (0, 3, 1.0)],
        );
        let (rec, _) = search(&square, &[0]);
        assert_eq!(rec.parents[&(2, 0)], 2);
        assert_eq!(rec.parents[&(1, 0)], 1);
        let (_, reached) = search(&pairs(), &[0, 4]);
        assert_eq!(reached, [0b01, 0b01, 0, 0, 0b10]);
    }

    #[test]
    fn sixty_four_sources_fill_the_mask() {
        // A cycle of 70 nodes searched from 64 of them at once: every source reaches all.
        let edges: Vec<(u32, u32, f64)> = (0..70).map(|i| (i, (i + 1) % 70, 1.0)).collect();
        let ring = InsightGraph::from_index_edges(70, &edges);
        let sources: Vec<u32> = (0..WIDTH as u32).collect();
        let (rec, reached) = search(&ring, &sources);
        assert!(reached.iter().all(|&r| r == u64::MAX));
        // Node 69 is next to source 0; the far side of the ring is 35 hops away.
        assert!(rec.levels.contains(&(1, 69, 1)));
        // Node 69 is 6 hops from sources 63 and 5, so one entry at depth 6 has both bits.
        assert!(rec.levels.contains(&(6, 69, 1 << 63 | 1 << 5)));
        let deepest = rec.levels.iter().map(|l| l.0).max().unwrap();
        assert_eq!(deepest, 35);
    }

    #[test]
    fn bits_lists_positions_lowest_first() {
        assert_eq!(bits(0b1010_0001).collect::<Vec<_>>(), vec![0, 5, 7]);
        assert_eq!(bits(1 << 63).collect::<Vec<_>>(), vec![63]);
        assert_eq!(bits(0).count(), 0);
    }
}
