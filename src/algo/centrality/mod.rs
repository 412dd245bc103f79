//! Centrality measures over the insight graph's CSR, each matching a networkx 3.x function.
//!
//! | file | measure | networkx |
//! |------|---------|----------|
//! | [`pagerank`] | weighted PageRank, uniform teleport and dangling mass | `pagerank` |
//! | [`betweenness`](mod@betweenness) | Brandes betweenness, exact or pivot-sampled, hops or 1/weight | `betweenness_centrality` |
//! | [`closeness`](mod@closeness) | closeness with the Wasserman–Faust correction | `closeness_centrality` |
//! | [`eigenvector`](mod@eigenvector) | weighted eigenvector centrality, unit norm | `eigenvector_centrality` |
//! | [`degree`](mod@degree) | neighbour count and strength (weight sum) | `G.degree`, `G.degree(weight=)` |
//!
//! [`Measure`] names a measure and [`CentralityConfig`] carries one measure's parameters;
//! [`CentralityConfig::compute`] dispatches to the function below.
//!
//! Every function takes an [`InsightGraph`](crate::graph::InsightGraph) and a config with
//! documented defaults and returns one score per node index. Iterative measures report whether
//! they converged instead of panicking; parallel measures give the same bits whatever the
//! number of rayon threads.

pub mod betweenness;
pub mod closeness;
pub mod degree;
pub mod eigenvector;
pub mod measure;
pub(crate) mod msbfs;
pub mod pagerank;
mod pull;

pub use betweenness::{betweenness, BetweennessConfig, Distance};
pub use closeness::closeness;
pub use degree::{degree, strength};
pub use eigenvector::{eigenvector, EigenvectorConfig};
pub use measure::{Centrality, CentralityConfig, Measure};
pub use pagerank::{page_rank, PageRankConfig};

/// The result of an iterative method: the last iterate and whether it met the tolerance.
#[derive(Debug, Clone, PartialEq)]
pub struct Iterated {
    /// One score per node index.
    pub values: Vec<f64>,
    /// Iterations run.
    pub iterations: usize,
    /// Whether the change fell below the tolerance within the allowed iterations. When
    /// `false`, `values` is the last iterate, not the answer.
    pub converged: bool,
}

/// Node indices ordered best first: by score descending, then by index (= insight id)
/// ascending.
///
/// Scores that agree to 12 significant digits count as tied, so nodes that are equal in exact
/// arithmetic but differ in the last bit of a float sum still rank by id, and the order is
/// the same on every machine and with any thread count.
///
/// # Arguments
/// * `values`: one score per node index, as every centrality function returns.
///
/// # Returns
/// A permutation of `0..values.len()`: the node with the highest score first. NaN scores
/// sort before every number (they compare as larger under [`f64::total_cmp`]).
///
/// # Complexity
/// * Time complexity: **O(|V| log |V|)**.
/// * Auxiliary space: **O(|V|)** (the rounded keys) besides the **O(|V|)** result.
///
/// # Examples
/// ```
/// use netgraph::algo::centrality::rank;
///
/// assert_eq!(rank(&[0.1, 0.3, 0.3, 0.0]), vec![1, 2, 0, 3]);
/// // 1 - 1e-16 is 1 up to float noise: a tie, broken by index.
/// assert_eq!(rank(&[0.5, 1.0, 0.9999999999999999]), vec![1, 2, 0]);
/// ```
pub fn rank(values: &[f64]) -> Vec<u32> {
    let keys: Vec<f64> = values.iter().map(|&x| rank_key(x)).collect();
    let mut order: Vec<u32> = (0..values.len() as u32).collect();
    order.sort_by(|&a, &b| {
        keys[b as usize]
            .total_cmp(&keys[a as usize])
            .then(a.cmp(&b))
    });
    order
}

/// `x` rounded to 12 significant digits (a key function, so ranking stays a total order).
fn rank_key(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let exponent = x.abs().log10().floor() as i32;
    let scale = 10f64.powi(11 - exponent);
    if scale.is_finite() && scale > 0.0 {
        (x * scale).round() / scale
    } else {
        x
    }
}

/// Fixed number of sources per work unit in the parallel source loops. Contributions are
/// summed per chunk and chunks in index order, so results do not depend on the thread count.
pub(crate) const SOURCES_PER_CHUNK: usize = 16;

/// Chunks computed in parallel before their sums are folded in, bounding memory to
/// `CHUNKS_PER_BATCH` score vectors.
pub(crate) const CHUNKS_PER_BATCH: usize = 32;

/// Run `per_source(source, accumulator, scratch)` for every source, in parallel, and return the
/// summed accumulators. Deterministic: sources are cut into fixed chunks, each chunk sums its
/// sources in order, and chunk sums are added to the total in chunk order.
pub(crate) fn sum_over_sources<S, F>(
    n: usize,
    sources: &[u32],
    make_scratch: impl Fn() -> S + Sync,
    per_source: F,
) -> Vec<f64>
where
    F: Fn(u32, &mut [f64], &mut S) + Sync,
{
    use rayon::prelude::*;
    let mut total = vec![0.0; n];
    let chunks: Vec<&[u32]> = sources.chunks(SOURCES_PER_CHUNK).collect();
    for batch in chunks.chunks(CHUNKS_PER_BATCH) {
        let sums: Vec<Vec<f64>> = batch
            .par_iter()
            .map_init(&make_scratch, |scratch, chunk| {
                let mut acc = vec![0.0; n];
                for &s in *chunk {
                    per_source(s, &mut acc, scratch);
                }
                acc
            })
            .collect();
        for acc in sums {
            for (t, a) in total.iter_mut().zip(acc) {
                *t += a;
            }
        }
    }
    total
}

/// Run `per_batch(batch, chunk_sums, scratch)` for every batch of up to `width` (at most
/// [`msbfs::WIDTH`], a multiple of [`SOURCES_PER_CHUNK`]) consecutive sources, in parallel, and
/// return the summed contributions.
///
/// `per_batch` fills `chunk_sums`, `n` values per [`SOURCES_PER_CHUNK`] sources of its batch
/// (chunk c of the batch at `chunk_sums[c * n..(c + 1) * n]`), each the sum, in source order,
/// of those sources' contributions. The chunk sums are added to the total in source order, so
/// the result has the same bits as [`sum_over_sources`] with the same per-source terms, and
/// the same whatever the thread count.
///
/// Scratch buffers come from a pool and go back to it after each batch: a batch's scratch can
/// be large (betweenness keeps 2 x 64 floats per node), so it is made once per worker, not once
/// per rayon split, and at most `max_scratches` are made: no more batches than that run at
/// once, whatever the number of threads.
pub(crate) fn sum_over_source_batches<S, F>(
    n: usize,
    sources: &[u32],
    width: usize,
    max_scratches: usize,
    make_scratch: impl Fn() -> S + Sync,
    per_batch: F,
) -> Vec<f64>
where
    S: Send,
    F: Fn(&[u32], &mut [f64], &mut S) + Sync,
{
    use rayon::prelude::*;
    assert!(
        width > 0 && width <= msbfs::WIDTH && width % SOURCES_PER_CHUNK == 0,
        "batch width {width}"
    );
    let mut total = vec![0.0; n];
    if n == 0 {
        return total;
    }
    let pool = std::sync::Mutex::new(Vec::new());
    let batches: Vec<&[u32]> = sources.chunks(width).collect();
    // Batches in flight bound the memory of their chunk sums, and the scratches made (a group
    // runs at most its size at once); the fold order, hence the result, does not depend on it.
    let in_flight = (4 * rayon::current_num_threads().max(1)).min(max_scratches.max(1));
    for group in batches.chunks(in_flight) {
        let sums: Vec<Vec<f64>> = group
            .par_iter()
            .map(|batch| {
                let taken = pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
                let mut scratch = taken.unwrap_or_else(&make_scratch);
                let mut chunk_sums = vec![0.0; batch.len().div_ceil(SOURCES_PER_CHUNK) * n];
                per_batch(batch, &mut chunk_sums, &mut scratch);
                pool.lock().unwrap_or_else(|e| e.into_inner()).push(scratch);
                chunk_sums
            })
            .collect();
        for chunk in sums.iter().flat_map(|s| s.chunks(n)) {
            for (t, a) in total.iter_mut().zip(chunk) {
                *t += a;
            }
        }
    }
    total
}

#[cfg(test)]
pub(crate) mod test_graphs {
    use crate::graph::InsightGraph;

    /// 0 - 1 - 2 - 3 - 4
    pub fn path5() -> InsightGraph {
        InsightGraph::from_index_edges(5, &[(0, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0), (3, 4, 1.0)])
    }

    /// Centre 0 with leaves 1..=4.
    pub fn star5() -> InsightGraph {
        InsightGraph::from_index_edges(5, &[(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0), (0, 4, 1.0)])
    }

    /// Two disjoint edges 0-1 and 2-3 plus isolated node 4.
    pub fn pairs() -> InsightGraph {
        InsightGraph::from_index_edges(5, &[(0, 1, 1.0), (2, 3, 2.0)])
    }

    /// A graph of `n` nodes with hubs, chains, a separate component and isolated nodes.
    pub fn mixed(n: u32, seed: u64) -> InsightGraph {
        let mut rng = crate::algo::rng::SplitMix64::new(seed);
        let main = n * 3 / 4;
        let mut edges = Vec::new();
        for v in 1..main {
            // Attach to an earlier node, biased to the first ones: hubs and many ties.
            let r = rng.below(v as usize) as u32;
            edges.push((v, r * r / v.max(1), 1.0));
            if v % 3 == 0 {
                edges.push((v, rng.below(v as usize) as u32, 2.0));
            }
        }
        // A second component, a ring with chords, and a few isolated nodes at the end.
        let ring = main..n - 3;
        for v in ring.clone() {
            let next = if v + 1 == ring.end { ring.start } else { v + 1 };
            edges.push((v, next, 1.0));
            if v % 5 == 0 {
                edges.push((v, ring.start + (v * 7) % (ring.end - ring.start), 1.0));
            }
        }
        edges.retain(|&(a, b, _)| a != b);
        InsightGraph::from_index_edges(n as usize, &edges)
    }

    pub fn assert_close(got: &[f64], want: &[f64], tol: f64) {
        assert_eq!(got.len(), want.len());
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                (g - w).abs() <= tol,
                "node {i}: got {g}, want {w}\n got {got:?}\nwant {want:?}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scratch cap holds on a wide pool, and the sums do not depend on it.
    #[test]
    fn batches_make_no_more_scratches_than_allowed() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let sources: Vec<u32> = (0..640).collect();
        let run = |cap: usize| {
            let made = AtomicUsize::new(0);
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(4)
                .build()
                .unwrap();
            let total = pool.install(|| {
                sum_over_source_batches(
                    3,
                    &sources,
                    32,
                    cap,
                    || made.fetch_add(1, Ordering::SeqCst),
                    |batch, sums, _| {
                        for (c, chunk) in batch.chunks(SOURCES_PER_CHUNK).enumerate() {
                            for s in chunk {
                                sums[c * 3 + (*s as usize % 3)] += f64::from(*s) / 7.0;
                            }
                        }
                    },
                )
            });
            (total, made.into_inner())
        };
        let (wide, made) = run(64);
        assert!(made <= 4, "{made} scratches for 4 threads");
        for cap in [1, 2] {
            let (total, made) = run(cap);
            assert!(made <= cap, "{made} scratches, at most {cap}");
            assert_eq!(total, wide, "cap {cap}");
        }
    }

    #[test]
    fn rank_orders_by_score_then_index() {
        assert_eq!(rank(&[0.1, 0.3, 0.3, 0.0]), vec![1, 2, 0, 3]);
        // Equal up to float noise: ties, broken by index.
        assert_eq!(rank(&[0.5, 1.0, 0.9999999999999999]), vec![1, 2, 0]);
    }
}
