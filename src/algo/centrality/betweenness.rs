//! Brandes betweenness: exact, or estimated from sampled pivots; hop or 1/weight lengths.

use super::msbfs::{bits, Mask, MultiBfs, Relabeled, Visitor, WIDTH};
use super::{sum_over_source_batches, sum_over_sources, SOURCES_PER_CHUNK};
use crate::graph::{distance_of, InsightGraph};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// How long an edge is when counting shortest paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Distance {
    /// Every edge has length 1 (networkx `weight=None`). Default.
    #[default]
    Hops,
    /// An edge of weight w has length [`distance_of`]`(w)` = 1/w, so insights that share more
    /// sources are closer (Dijkstra).
    Inverse,
}

impl Distance {
    /// The name of the distance, as the command line and stored results spell it; the
    /// inverse of its [`FromStr`](std::str::FromStr) parse.
    ///
    /// # Complexity
    /// * Time complexity: **O(1)**.
    /// * Auxiliary space: **O(1)**.
    ///
    /// # Examples
    /// ```
    /// use netgraph::algo::centrality::Distance;
    ///
    /// assert_eq!(Distance::Inverse.as_str(), "inverse");
    /// assert_eq!("hops".parse::<Distance>(), Ok(Distance::Hops));
    /// assert_eq!(Distance::default().as_str(), "hops");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Distance::Hops => "hops",
            Distance::Inverse => "inverse",
        }
    }
}

impl std::str::FromStr for Distance {
    type Err = String;
    fn from_str(name: &str) -> Result<Self, String> {
        match name {
            "hops" => Ok(Distance::Hops),
            "inverse" => Ok(Distance::Inverse),
            _ => Err(format!("unknown distance '{name}'; use hops or inverse")),
        }
    }
}

/// Parameters of [`betweenness`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BetweennessConfig {
    /// Edge lengths. Default [`Distance::Hops`].
    pub distance: Distance,
    /// Estimate from this many pivot sources (Brandes & Pich 2007) instead of all nodes.
    /// `None` (default), or a value of at least the node count, gives the exact result.
    pub samples: Option<usize>,
    /// Seed of the pivot draw. Default 1.
    pub seed: u64,
}

impl Default for BetweennessConfig {
    fn default() -> Self {
        BetweennessConfig {
            distance: Distance::Hops,
            samples: None,
            seed: 1,
        }
    }
}

impl BetweennessConfig {
    /// Whether this config estimates rather than computes: it samples fewer sources than
    /// `node_count`.
    ///
    /// # Returns
    /// `true` when `samples` is `Some(k)` with `k < node_count`; then [`betweenness`] is a
    /// pivot estimate. `false` for `None` or `k >= node_count` (exact).
    ///
    /// # Complexity
    /// * Time complexity: **O(1)**.
    /// * Auxiliary space: **O(1)**.
    ///
    /// # Examples
    /// ```
    /// use netgraph::algo::centrality::BetweennessConfig;
    ///
    /// let cfg = BetweennessConfig { samples: Some(100), ..Default::default() };
    /// assert!(cfg.is_sampled(1000));
    /// assert!(!cfg.is_sampled(100));
    /// assert!(!BetweennessConfig::default().is_sampled(1000));
    /// ```
    pub fn is_sampled(&self, node_count: usize) -> bool {
        self.samples.is_some_and(|k| k < node_count)
    }
}

/// Two path lengths tie when they agree to this relative precision: float sums of equal
/// rational lengths (1/2 + 1/3 + 1/6 against 1) differ in the last bits.
const TIE: f64 = 1e-12;

#[inline]
fn tied(a: f64, b: f64) -> bool {
    (a - b).abs() <= TIE * a.abs().max(b.abs())
}

/// Normalized shortest-path betweenness of every node: the share of shortest paths between
/// other pairs that pass through it.
///
/// For node v, the sum over pairs s ≠ v ≠ t of σ_st(v) / σ_st, where σ_st counts the
/// shortest paths from s to t and σ_st(v) those through v, computed by Brandes' algorithm:
/// one single-source shortest-path search per source (breadth-first with hops, Dijkstra with
/// inverse distances), then the dependencies δ_s(v) accumulated in reverse order of distance.
/// With hops, 64 sources are searched at once by a bit-parallel multi-source BFS, and their
/// path counts and dependencies kept side by side (batched Brandes, Then et al. 2017); the
/// float operations are those of one search per source, in the same order, so the result has
/// the same bits.
///
/// # Arguments
/// * `graph`: the insight graph.
/// * `config`: edge lengths, optional pivot sample and its seed ([`BetweennessConfig`]).
///
/// # Returns
/// One score per node index, normalized by 1/((n-1)(n-2)) as networkx does for undirected
/// graphs (no scaling when n <= 2). With `samples = Some(k)`, k < n, only the k sources
/// [`pivots`] draws (uniformly without replacement, seeded splitmix64) are searched, and the
/// sums are scaled as networkx 3.6's `k=` does: a sampled node's sum is divided by
/// (k - 1)(n - 2) (it had k - 1 sources other than itself) and any other node's by k (n - 2),
/// an unbiased estimate of the exact value. The result is bit-identical for any number of
/// rayon threads.
///
/// # Complexity
/// * Time complexity: **O(s (|V| + |E|))** with [`Distance::Hops`] and
///   **O(s (|V| + |E|) log |V|)** with [`Distance::Inverse`] (Dijkstra with a binary heap),
///   where s = |V| sources when exact and s = k when sampled. Exact on a connected graph,
///   that is **O(|V| |E|)** and **O(|V| |E| log |V|)**; Brandes' O(|V| |E| + |V|² log |V|)
///   for weights assumes a Fibonacci heap. With hops, the edge scans are shared by each
///   batch of 64 sources, **O(⌈s/64⌉ D (|V| + |E|))** word operations for D levels, and
///   what remains per source is one add forward and one backward per edge of its
///   shortest-path DAG. Batches (hops) or sources (Dijkstra) run in parallel.
/// * Auxiliary space: with hops, **O(|V| + |E|)** for a copy of the adjacency relabelled by
///   degree, and **O(64 |V|)** per rayon worker: two rows of 64 floats per node (1 KiB per
///   node, 110 MiB for 111,000 insights) plus the levels; with Dijkstra, **O(|V| + |E|)**
///   per worker (the heap holds up to one entry per edge). Plus up to 32 score vectors of
///   |V| while summing.
///
/// where **|V|** is the number of nodes and **|E|** the number of edges.
///
/// # Reference
/// U. Brandes, "A faster algorithm for betweenness centrality", J. Math. Sociol. 25 (2001);
/// U. Brandes and C. Pich, "Centrality estimation in large networks", IJBC 17 (2007).
/// Matches `networkx.betweenness_centrality(G, k, normalized=True, weight=None)` and, with
/// [`Distance::Inverse`], the same with a `1/weight` edge attribute, except that path lengths
/// equal to a relative 1e-12 tie. M. Then, S. Günnemann, A. Kemper and T. Neumann,
/// "Efficient Batched Distance and Centrality Computation in Unweighted and Weighted
/// Graphs", BTW 2017, for the batched hop pass. Symbols: the paper's σ_st is `sigma`, δ_s(v)
/// is `delta`, d_s(v) is `dist` (with hops, the level of a batch entry), S is `order`;
/// P_s(w) is not stored: v precedes w when d(v) + len(v, w) = d(w).
///
/// # Examples
/// ```
/// use netgraph::algo::centrality::{betweenness, BetweennessConfig, Distance};
/// use netgraph::graph::InsightGraph;
///
/// // Star with centre 0 and four leaves: every path between two leaves goes through the
/// // centre, so its normalized betweenness is 1, as nx.betweenness_centrality gives.
/// let star = InsightGraph::from_index_edges(
///     5,
///     &[(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0), (0, 4, 1.0)],
/// );
/// assert_eq!(betweenness(&star, &BetweennessConfig::default()), vec![1.0, 0.0, 0.0, 0.0, 0.0]);
///
/// // Square 0-1-2-3-0. In hops each node is on one of the two paths between its
/// // neighbours: 1/2 pair over (n-1)(n-2)/2 = 3 pairs, 1/6 each. With inverse distances the
/// // strong edges 0-1 and 1-2 (length 1/4) make 0-1-2 the only shortest path from 0 to 2,
/// // while 1-0-3 and 1-2-3 still tie (1/4 + 1).
/// let square = InsightGraph::from_index_edges(
///     4,
///     &[(0, 1, 4.0), (1, 2, 4.0), (2, 3, 1.0), (3, 0, 1.0)],
/// );
/// let hops = betweenness(&square, &BetweennessConfig::default());
/// assert!(hops.iter().all(|&b| (b - 1.0 / 6.0).abs() < 1e-15));
/// let inverse = BetweennessConfig { distance: Distance::Inverse, ..Default::default() };
/// let b = betweenness(&square, &inverse);
/// let want = [0.5 / 3.0, 1.0 / 3.0, 0.5 / 3.0, 0.0];
/// assert!(b.iter().zip(want).all(|(b, w)| (b - w).abs() < 1e-15), "{b:?}");
///
/// // Sampling 2 of the 5 star nodes: whichever two, the estimate for the centre is exact.
/// let sampled = BetweennessConfig { samples: Some(2), seed: 7, ..Default::default() };
/// assert_eq!(betweenness(&star, &sampled), vec![1.0, 0.0, 0.0, 0.0, 0.0]);
/// ```
pub fn betweenness(graph: &InsightGraph, config: &BetweennessConfig) -> Vec<f64> {
    let n = graph.node_count();
    let sources: Vec<u32> = match config.samples {
        Some(k) if k < n => pivots(n, k, config.seed),
        _ => (0..n as u32).collect(),
    };
    let mut values = match config.distance {
        Distance::Hops => {
            let relabeled = Relabeled::new(graph);
            if wide_batches_fit(n, rayon::current_num_threads()) {
                hops::<WIDTH>(&relabeled, &sources)
            } else {
                hops::<NARROW>(&relabeled, &sources)
            }
        }
        Distance::Inverse => sum_over_sources(
            n,
            &sources,
            || Scratch::new(n),
            |s, acc, sc| dijkstra_from(graph, s, acc, sc),
        ),
    };
    scale(&mut values, &sources);
    values
}

/// Sources per batch when [`WIDTH`] would not fit [`BATCH_ROWS_BUDGET`].
const NARROW: usize = WIDTH / 2;

/// Most bytes all workers' batch rows may take together (σ and the dependency value, one f64
/// per source of the batch and node each). 64 sources per batch take 1 KiB per node and worker:
/// 2 GiB for a 1,000,000-insight graph on two threads, which put `deck` near 4 GiB.
const BATCH_ROWS_BUDGET: usize = 1 << 30;

/// The rows of one batch of `lanes` sources over `n` nodes ([`Batch`]'s σ and value), in bytes.
fn batch_bytes(n: usize, lanes: usize) -> usize {
    n.saturating_mul(2 * lanes * std::mem::size_of::<f64>())
}

/// Whether batches of [`WIDTH`] sources fit the budget on `threads` workers. Narrower batches
/// give the same bits (see [`sum_over_source_batches`]), at the cost of one multi-source search
/// per 32 sources instead of 64.
fn wide_batches_fit(n: usize, threads: usize) -> bool {
    batch_bytes(n, WIDTH).saturating_mul(threads.max(1)) <= BATCH_ROWS_BUDGET
}

/// Hop-count betweenness sums over `sources`, `L` at a time, with no more batches at once
/// than [`BATCH_ROWS_BUDGET`] holds (at least one), whatever the number of threads.
fn hops<const L: usize>(graph: &Relabeled, sources: &[u32]) -> Vec<f64> {
    let n = graph.node_count();
    sum_over_source_batches(
        n,
        sources,
        L,
        BATCH_ROWS_BUDGET / batch_bytes(n, L).max(1),
        || Batch::<L>::new(n),
        |batch, sums, b| hops_batch(graph, batch, sums, b),
    )
}

/// Normalize sums over `sources` as networkx 3.6 does (`_rescale` with `endpoints=False`):
/// every pair (s, t) with s, t ≠ v counts, so v has n-1 possible sources and n-2 targets.
/// Exact: each v gets 1/((n-1)(n-2)). Sampled (k < n sources): a sampled v had k-1 valid
/// sources, so 1/((k-1)(n-2)); any other v had k, so 1/(k(n-2)) — the unbiased estimate of
/// the exact value. (With k = 1 a sampled node has no data; networkx gives NaN, we give 0.)
fn scale(values: &mut [f64], sources: &[u32]) {
    let n = values.len();
    if n <= 2 {
        return;
    }
    let pairs_through = (n - 2) as f64;
    let k = sources.len();
    if k >= n {
        let scale = 1.0 / ((n - 1) as f64 * pairs_through);
        values.iter_mut().for_each(|v| *v *= scale);
        return;
    }
    let nonsource = 1.0 / (k as f64 * pairs_through);
    let source = if k > 1 {
        1.0 / ((k - 1) as f64 * pairs_through)
    } else {
        0.0
    };
    let mut sampled = vec![false; n];
    for &s in sources {
        sampled[s as usize] = true;
    }
    for (v, is_source) in values.iter_mut().zip(sampled) {
        *v *= if is_source { source } else { nonsource };
    }
}

/// Per-worker buffers of the Dijkstra pass, reset after each source by walking `order` only.
struct Scratch {
    dist: Vec<f64>,
    settled: Vec<bool>,
    sigma: Vec<f64>,
    delta: Vec<f64>,
    order: Vec<u32>,
    heap: BinaryHeap<Reverse<(u64, u32)>>,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch {
            dist: vec![f64::INFINITY; n],
            settled: vec![false; n],
            sigma: vec![0.0; n],
            delta: vec![0.0; n],
            order: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    fn reset(&mut self) {
        for &w in &self.order {
            let w = w as usize;
            self.dist[w] = f64::INFINITY;
            self.settled[w] = false;
            self.sigma[w] = 0.0;
            self.delta[w] = 0.0;
        }
        self.order.clear();
    }
}

/// Per-worker buffers of the batched hop-count pass, for up to `L` (at most [`WIDTH`], a power
/// of two) sources at once; row `v` holds node `v`'s value for source i of the batch at index i.
struct Batch<const L: usize> {
    bfs: MultiBfs,
    /// σ_sv after the forward pass; δ_s(v) after the dependency pass.
    sigma: Vec<[f64; L]>,
    /// (1 + δ_s(v)) / σ_sv, once δ_s(v) is known.
    value: Vec<[f64; L]>,
    /// The levels of the search: `entries[ends[d - 1]..ends[d]]` are (node, sources) at depth
    /// d (a node has one entry per distinct depth it has from the batch's sources).
    entries: Vec<(u32, Mask)>,
    ends: Vec<usize>,
    /// The sources of the level being pushed to, per node; zero elsewhere.
    above: Vec<Mask>,
    /// The batch's sources as labels of the relabelled graph.
    labels: Vec<u32>,
}

impl<const L: usize> Batch<L> {
    fn new(n: usize) -> Batch<L> {
        const { assert!(L.is_power_of_two() && L <= WIDTH) };
        Batch {
            bfs: MultiBfs::new(n),
            sigma: vec![[0.0; L]; n],
            value: vec![[0.0; L]; n],
            entries: Vec::new(),
            ends: Vec::new(),
            above: vec![0; n],
            labels: Vec::new(),
        }
    }

    /// The entries of depth `d`.
    fn level(&self, d: usize) -> std::ops::Range<usize> {
        (if d == 0 { 0 } else { self.ends[d - 1] })..self.ends[d]
    }
}

/// The forward pass of batched Brandes: path counts σ_sv and the levels, from the MS-BFS.
struct Forward<'a, const L: usize> {
    sigma: &'a mut [[f64; L]],
    entries: &'a mut Vec<(u32, Mask)>,
    ends: &'a mut Vec<usize>,
}

impl<const L: usize> Visitor for Forward<'_, L> {
    const ALL_PARENTS: bool = true;

    /// σ_sw = Σ σ_sv over the parents v of w: the first parent sets it, later ones add (the
    /// counts are integers, so the order of the sum does not matter below 2^53).
    #[inline]
    fn edge(&mut self, v: u32, w: u32, first: Mask, again: Mask) {
        let (from, to) = row_and_row_mut(self.sigma, v as usize, w as usize);
        for s in bits(first) {
            to[s & (L - 1)] = from[s & (L - 1)];
        }
        for s in bits(again) {
            to[s & (L - 1)] += from[s & (L - 1)];
        }
    }

    fn level(&mut self, depth: u32, nodes: &[u32], bits_of: &[Mask]) {
        for &v in nodes {
            let b = bits_of[v as usize];
            if depth == 0 {
                for s in bits(b) {
                    self.sigma[v as usize][s] = 1.0;
                }
            }
            self.entries.push((v, b));
        }
        self.ends.push(self.entries.len());
    }
}

/// Row `a` to read and row `b` to write, `a != b` (the graph has no self-loops).
#[inline]
fn row_and_row_mut<T>(rows: &mut [T], a: usize, b: usize) -> (&T, &mut T) {
    if a < b {
        let (low, high) = rows.split_at_mut(b);
        (&low[a], &mut high[0])
    } else {
        let (low, high) = rows.split_at_mut(a);
        (&high[0], &mut low[b])
    }
}

/// Up to `L` sources of Brandes with hop lengths at once (batched Brandes, Then et al.,
/// BTW 2017): the MS-BFS finds every source's levels and path counts σ_sv in one pass over
/// each level's edges; the dependencies are then accumulated level by level, deepest first.
///
/// δ_s(v) = σ_sv Σ_w (1 + δ_s(w)) / σ_sw over the successors w of v (neighbours one level
/// deeper for s), the terms added in v's neighbour order: the same float operations in the
/// same order as one search per source. Fills `chunk_sums` with, per [`SOURCES_PER_CHUNK`]
/// sources, Σ_s δ_s(v) in source order, v ≠ s.
fn hops_batch<const L: usize>(
    graph: &Relabeled,
    sources: &[u32],
    chunk_sums: &mut [f64],
    b: &mut Batch<L>,
) {
    let n = graph.node_count();
    b.labels.clear();
    b.labels.extend(sources.iter().map(|&s| graph.label(s)));
    b.entries.clear();
    b.ends.clear();
    let mut forward = Forward {
        sigma: &mut b.sigma,
        entries: &mut b.entries,
        ends: &mut b.ends,
    };
    b.bfs.run(graph, &b.labels, &mut forward);
    // Dependencies level by level from the deepest up. `value[v][s]` first collects
    // Σ_w (1 + δ_s(w)) / σ_sw pushed by the successors w of v; once level d has everything,
    // δ_s(v) = σ_sv × that sum. Successors push in ascending original index, so each
    // parent adds its terms in its own neighbour order, the order of a per-source pull.
    // Pushing from the deeper side makes the random accesses land on parents, nearer the
    // sources: fewer rows, hubs among them, more often in cache.
    let depths = b.ends.len();
    if depths > 1 {
        for e in b.level(depths - 1) {
            let (v, own) = b.entries[e];
            for s in bits(own) {
                b.value[v as usize][s] = 0.0;
            }
        }
    }
    for d in (1..depths).rev() {
        for e in b.level(d) {
            let (v, own) = b.entries[e];
            let (sigma, value) = (&mut b.sigma[v as usize], &mut b.value[v as usize]);
            for s in bits(own) {
                let delta = sigma[s] * value[s];
                value[s] = (1.0 + delta) / sigma[s];
                sigma[s] = delta;
            }
        }
        // The sources (depth 0) take no pushes: δ_s(s) is not counted.
        if d >= 2 {
            for e in b.level(d - 1) {
                let (v, own) = b.entries[e];
                b.above[v as usize] = own;
                for s in bits(own) {
                    b.value[v as usize][s] = 0.0;
                }
            }
            let range = b.level(d);
            let pushers = &mut b.entries[range];
            pushers.sort_unstable_by_key(|&(w, _)| graph.original(w));
            for &(w, own) in pushers.iter() {
                for &v in graph.neighbors(w) {
                    let parent = own & b.above[v as usize];
                    if parent != 0 {
                        let (from, to) = row_and_row_mut(&mut b.value, w as usize, v as usize);
                        for s in bits(parent) {
                            to[s & (L - 1)] += from[s & (L - 1)];
                        }
                    }
                }
            }
            for e in b.level(d - 1) {
                b.above[b.entries[e].0 as usize] = 0;
            }
        }
    }
    for e in b.level(0) {
        let (v, own) = b.entries[e];
        for s in bits(own) {
            b.sigma[v as usize][s] = 0.0;
        }
    }
    for (c, sums) in chunk_sums.chunks_mut(n).enumerate() {
        let shift = c * SOURCES_PER_CHUNK;
        let chunk = (Mask::MAX >> (WIDTH - SOURCES_PER_CHUNK)) << shift;
        for (u, sum) in sums.iter_mut().enumerate() {
            let v = graph.label(u as u32) as usize;
            let reached = b.bfs.reached(v as u32) & chunk;
            // Starting from 0.0 as a per-source accumulator does; δ_s(s) is 0 here.
            let mut acc = 0.0;
            for s in bits(reached) {
                acc += b.sigma[v][s];
            }
            *sum = acc;
        }
    }
}

/// One source of Brandes with Dijkstra over 1/weight lengths; adds δ_s(w) to `acc[w]`.
///
/// Distances are settled first; path counts and dependencies then use the tolerant
/// predecessor test, so a float-rounded tie counts as the tie it is in exact arithmetic.
fn dijkstra_from(graph: &InsightGraph, s: u32, acc: &mut [f64], sc: &mut Scratch) {
    let Scratch {
        dist,
        settled,
        sigma,
        delta,
        order,
        heap,
        ..
    } = sc;
    dist[s as usize] = 0.0;
    // Lengths are positive, so the bits of a non-negative f64 order like the value.
    heap.push(Reverse((0.0f64.to_bits(), s)));
    while let Some(Reverse((_, v))) = heap.pop() {
        let vi = v as usize;
        if settled[vi] {
            continue;
        }
        settled[vi] = true;
        order.push(v);
        for (&w, &weight) in graph.neighbors(v).iter().zip(graph.weights(v)) {
            let candidate = dist[vi] + distance_of(weight);
            if candidate < dist[w as usize] {
                dist[w as usize] = candidate;
                heap.push(Reverse((candidate.to_bits(), w)));
            }
        }
    }
    let precedes = |dist: &[f64], v: usize, w: usize, weight: f64| {
        dist[v] < dist[w] && tied(dist[v] + distance_of(weight), dist[w])
    };
    sigma[s as usize] = 1.0;
    for &w in order.iter().skip(1) {
        let wi = w as usize;
        let mut paths = 0.0;
        for (&v, &weight) in graph.neighbors(w).iter().zip(graph.weights(w)) {
            if precedes(dist, v as usize, wi, weight) {
                paths += sigma[v as usize];
            }
        }
        sigma[wi] = paths;
    }
    for &w in order.iter().rev() {
        let wi = w as usize;
        let coeff = (1.0 + delta[wi]) / sigma[wi];
        for (&v, &weight) in graph.neighbors(w).iter().zip(graph.weights(w)) {
            if precedes(dist, v as usize, wi, weight) {
                delta[v as usize] += sigma[v as usize] * coeff;
            }
        }
        if w != s {
            acc[wi] += delta[wi];
        }
    }
    sc.reset();
}

/// The pivot sources of sampled betweenness: `k` distinct nodes of `0..n`, drawn uniformly
/// without replacement.
///
/// A partial Fisher–Yates shuffle of `0..n` driven by
/// [`SplitMix64`](crate::algo::rng::SplitMix64) from `seed`: the same `(n, k, seed)` gives the
/// same pivots on every machine.
///
/// # Arguments
/// * `n`: the number of nodes.
/// * `k`: the number of pivots; values above `n` are taken as `n`.
/// * `seed`: the generator's seed.
///
/// # Returns
/// `min(k, n)` distinct node indices, ascending.
///
/// # Complexity
/// * Time complexity: **O(n + k log k)** (the index list, k swaps, the final sort).
/// * Auxiliary space: **O(n)** for the index list being shuffled.
///
/// # Reference
/// U. Brandes and C. Pich, "Centrality estimation in large networks", IJBC 17 (2007),
/// uniform random pivots; D. Knuth, *TAOCP* vol. 2, §3.4.2, Algorithm P.
///
/// # Examples
/// ```
/// use netgraph::algo::centrality::betweenness::pivots;
///
/// let p = pivots(10, 4, 3);
/// assert_eq!(p.len(), 4);
/// assert!(p.windows(2).all(|w| w[0] < w[1]) && p.iter().all(|&v| v < 10));
/// assert_eq!(p, pivots(10, 4, 3));
/// // Asking for every node (or more) gives every node.
/// assert_eq!(pivots(5, 9, 3), vec![0, 1, 2, 3, 4]);
/// ```
pub fn pivots(n: usize, k: usize, seed: u64) -> Vec<u32> {
    let mut rng = crate::algo::rng::SplitMix64::new(seed);
    let mut all: Vec<u32> = (0..n as u32).collect();
    let k = k.min(n);
    for i in 0..k {
        let j = i + rng.below(n - i);
        all.swap(i, j);
    }
    all.truncate(k);
    all.sort_unstable();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::centrality::test_graphs::*;

    fn exact(g: &InsightGraph) -> Vec<f64> {
        betweenness(g, &BetweennessConfig::default())
    }

    #[test]
    fn path_matches_networkx() {
        // nx.betweenness_centrality(nx.path_graph(5)): interior pairs over (n-1)(n-2)/2 = 6.
        assert_close(&exact(&path5()), &[0.0, 0.5, 4.0 / 6.0, 0.5, 0.0], 1e-15);
    }

    #[test]
    fn star_centre_is_on_every_path() {
        assert_close(&exact(&star5()), &[1.0, 0.0, 0.0, 0.0, 0.0], 1e-15);
    }

    #[test]
    fn disconnected_pairs_have_no_betweenness() {
        assert_close(&exact(&pairs()), &[0.0; 5], 0.0);
    }

    #[test]
    fn square_splits_paths_between_ties() {
        // 0-1-2-3-0: each node lies on one of the two shortest paths between its neighbours.
        let g = InsightGraph::from_index_edges(
            4,
            &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (0, 3, 1.0)],
        );
        assert_close(&exact(&g), &[1.0 / 6.0; 4], 1e-15);
    }

    #[test]
    fn inverse_distance_prefers_strong_edges_and_ties_float_sums() {
        // 0 -(1)- 4 direct has length 1; 0 -(2)- 1 -(3)- 2 -(6)- 4 has length 1/2+1/3+1/6 = 1,
        // which floats sum to 0.9999999999999999. Exactly, the two paths tie.
        let g = InsightGraph::from_index_edges(
            5,
            &[
                (0, 4, 1.0),
                (0, 1, 2.0),
                (1, 2, 3.0),
                (2, 4, 6.0),
                (3, 4, 1.0),
            ],
        );
        let cfg = BetweennessConfig {
            distance: Distance::Inverse,
            ..Default::default()
        };
        let b = betweenness(&g, &cfg);
        // Exact reference (fractions): through 1: (0,2) fully, (0,4) and (0,3) half each;
        // through 2: (1,4) and (1,3) fully, (0,4) and (0,3) half each. Ordered pairs count
        // twice, over (n-1)(n-2) = 12.
        assert!((b[1] - 4.0 / 12.0).abs() < 1e-12, "{b:?}");
        assert!((b[2] - 6.0 / 12.0).abs() < 1e-12, "{b:?}");
        // Hops ignore weights: 1 is only on half the shortest paths between 0 and 2.
        assert!((exact(&g)[1] - 1.0 / 12.0).abs() < 1e-15);
    }

    #[test]
    fn all_samples_equal_exact_and_sampling_is_seeded() {
        let g = path5();
        let all = betweenness(
            &g,
            &BetweennessConfig {
                samples: Some(5),
                ..Default::default()
            },
        );
        assert_eq!(all, exact(&g));
        let a = betweenness(
            &g,
            &BetweennessConfig {
                samples: Some(2),
                seed: 7,
                ..Default::default()
            },
        );
        let b = betweenness(
            &g,
            &BetweennessConfig {
                samples: Some(2),
                seed: 7,
                ..Default::default()
            },
        );
        assert_eq!(a, b);
        assert_eq!(pivots(10, 4, 3), pivots(10, 4, 3));
        assert_eq!(pivots(10, 10, 3), (0..10).collect::<Vec<u32>>());
    }

    #[test]
    fn sampled_scaling_matches_networkx_rescale() {
        // A path 0-1-2-3-4: with sources {0, 2}, the raw sums are δ_0 + δ_2.
        let g = InsightGraph::from_index_edges(
            5,
            &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 4, 1.0)],
        );
        let sources = pivots(5, 2, 3);
        let got = betweenness(
            &g,
            &BetweennessConfig {
                samples: Some(2),
                seed: 3,
                ..Default::default()
            },
        );
        // Dependencies on a path: δ_s(v) = number of nodes beyond v seen from s.
        let delta = |s: usize, v: usize| -> f64 {
            if v == s {
                0.0
            } else if v > s {
                (4 - v) as f64
            } else {
                v as f64
            }
        };
        for (v, &got_v) in got.iter().enumerate().take(5) {
            let raw: f64 = sources.iter().map(|&s| delta(s as usize, v)).sum();
            let is_source = sources.contains(&(v as u32));
            // networkx 3.6 _rescale, normalized, endpoints=False, k = 2, n = 5.
            let want = if is_source {
                raw / (1.0 * 3.0)
            } else {
                raw / (2.0 * 3.0)
            };
            assert!((got_v - want).abs() < 1e-12, "node {v}: {got_v} vs {want}");
        }
    }

    /// Brandes with one breadth-first search per source, as netgraph computed hop betweenness
    /// before the batched pass: the reference the batched pass must equal bit for bit. Sums
    /// per 16-source chunk, chunks in order, as [`sum_over_sources`] does.
    fn one_search_per_source(g: &InsightGraph, config: &BetweennessConfig) -> Vec<f64> {
        let n = g.node_count();
        let sources: Vec<u32> = match config.samples {
            Some(k) if k < n => pivots(n, k, config.seed),
            _ => (0..n as u32).collect(),
        };
        let mut total = vec![0.0; n];
        for chunk in sources.chunks(SOURCES_PER_CHUNK) {
            let mut acc = vec![0.0; n];
            for &s in chunk {
                let mut hops = vec![u32::MAX; n];
                let mut value = vec![0.0f64; n];
                let mut order = vec![s];
                let mut successors: Vec<Vec<u32>> = vec![Vec::new(); n];
                hops[s as usize] = 0;
                value[s as usize] = 1.0;
                let mut head = 0;
                while head < order.len() {
                    let v = order[head];
                    head += 1;
                    for &w in g.neighbors(v) {
                        if hops[w as usize] == u32::MAX {
                            hops[w as usize] = hops[v as usize] + 1;
                            order.push(w);
                        }
                        if hops[w as usize] == hops[v as usize] + 1 {
                            value[w as usize] += value[v as usize];
                            successors[v as usize].push(w);
                        }
                    }
                }
                for &v in order.iter().rev() {
                    let pulled: f64 = successors[v as usize]
                        .iter()
                        .map(|&w| value[w as usize])
                        .sum();
                    let sigma = value[v as usize];
                    let delta = sigma * pulled;
                    if v != s {
                        acc[v as usize] += delta;
                    }
                    value[v as usize] = (1.0 + delta) / sigma;
                }
            }
            for (t, a) in total.iter_mut().zip(acc) {
                *t += a;
            }
        }
        scale(&mut total, &sources);
        total
    }

    /// Batches of 32 (taken when 64 would not fit the memory budget) give the same bits.
    #[test]
    fn narrow_batches_give_the_same_bits() {
        for (n, seed) in [(65, 2), (200, 3)] {
            let g = mixed(n, seed);
            let relabeled = Relabeled::new(&g);
            let sources: Vec<u32> = (0..n).collect();
            let wide = hops::<WIDTH>(&relabeled, &sources);
            assert!(wide.iter().any(|&b| b > 0.0));
            assert_eq!(wide, hops::<NARROW>(&relabeled, &sources), "n = {n}");
        }
        assert!(wide_batches_fit(100_000, 2));
        assert!(!wide_batches_fit(1_000_000, 2));
        assert!(wide_batches_fit(1_000_000, 1));
    }

    #[test]
    fn batched_pass_equals_one_search_per_source() {
        // 64 sources per batch: 200 and 300 nodes give several full batches and a partial one.
        for (n, seed) in [(7, 1), (65, 2), (200, 3), (300, 4)] {
            let g = mixed(n, seed);
            let (components, _) = g.component_summary();
            assert!(components >= 2, "the test graph should be disconnected");
            let exact = BetweennessConfig::default();
            let got = betweenness(&g, &exact);
            assert_eq!(got, one_search_per_source(&g, &exact), "n = {n}");
            assert!(got.iter().any(|&b| b > 0.0));
            for samples in [1, 17, 64, 100, 150] {
                let cfg = BetweennessConfig {
                    samples: Some(samples),
                    seed,
                    ..Default::default()
                };
                assert_eq!(
                    betweenness(&g, &cfg),
                    one_search_per_source(&g, &cfg),
                    "n = {n}, {samples} samples"
                );
            }
        }
        for g in [path5(), star5(), pairs()] {
            let exact = BetweennessConfig::default();
            assert_eq!(betweenness(&g, &exact), one_search_per_source(&g, &exact));
        }
    }

    #[test]
    fn same_bits_with_any_thread_count() {
        let edges: Vec<(u32, u32, f64)> = (0..300u32)
            .flat_map(|i| {
                [
                    (i, (i * 7 + 1) % 300, 1.0 + (i % 3) as f64),
                    (i, (i * 13 + 5) % 300, 2.0),
                ]
            })
            .collect();
        let g = InsightGraph::from_index_edges(300, &edges);
        for distance in [Distance::Hops, Distance::Inverse] {
            let cfg = BetweennessConfig {
                distance,
                ..Default::default()
            };
            let one = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .unwrap()
                .install(|| betweenness(&g, &cfg));
            let three = rayon::ThreadPoolBuilder::new()
                .num_threads(3)
                .build()
                .unwrap()
                .install(|| betweenness(&g, &cfg));
            assert_eq!(one, three);
        }
    }
}
