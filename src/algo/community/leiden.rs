//! The Leiden algorithm (Traag, Waltman & van Eck 2019).

use super::{
    best_community, best_of_restarts, check_params, renumber, split_disconnected, totals,
    Clustering, Level, NeighborWeights, SplitMix64,
};
use crate::error::{Error, Result};
use crate::graph::InsightGraph;
use rayon::prelude::*;
use std::collections::VecDeque;

/// Parameters of [`leiden()`].
#[derive(Debug, Clone, PartialEq)]
pub struct LeidenConfig {
    /// Resolution γ of the modularity being maximised. Default 1.0 (plain modularity); above 1
    /// gives more, smaller communities.
    pub resolution: f64,
    /// Randomness θ of the refinement phase. Default 0.01, the paper's and igraph's `beta`.
    /// It applies to quality changes in edge-weight units, as in igraph, so small θ means the
    /// refinement merges almost greedily, choosing at random only among near-equal merges.
    pub randomness: f64,
    /// Seed of the node orders and of the refinement. Default 1.
    pub seed: u64,
    /// Independent runs derived from `seed`; the best partition is kept (ties: lowest
    /// restart). Default 10: one run can fall short of the best partition.
    pub restarts: usize,
    /// Iterations of the whole algorithm per run, each starting from the previous result.
    /// Default `None`: iterate until stable, that is until local moving moves no node of the
    /// graph (so every node is locally optimal) or an iteration raises the modularity by less
    /// than [`MIN_ITERATION_GAIN`]; `Some(n)` stops after at most n (n ≥ 1) as well.
    ///
    /// Why until stable: on sparse graphs with many small communities two iterations
    /// (igraph's own default) stop short of a local optimum. On the French power grid
    /// fixture (2,848 nodes) the median single run gains 0.0011 of modularity (0.9147 →
    /// 0.9158, level with igraph's `n_iterations=-1`), on the Minnesota road network 0.0033
    /// (0.9118 → 0.9152); runs there take 6–16 and 9–25 iterations. On dense graphs with
    /// clear themes it changes little: a 100k-page generated corpus needs 3–5 iterations
    /// and gains nothing in the sixth decimal. Each iteration after the first costs about
    /// two thirds of it.
    pub iterations: Option<usize>,
}

impl Default for LeidenConfig {
    fn default() -> Self {
        LeidenConfig {
            resolution: 1.0,
            randomness: 0.01,
            seed: 1,
            restarts: 10,
            iterations: None,
        }
    }
}

/// An iteration that raises the modularity by less than this ends the run: less than the
/// last of the six decimals `communities` prints (networkx's `louvain_communities` ends its
/// levels on such a threshold, 1e-7).
///
/// Why: without it, large graphs iterate on for nothing. After a few iterations every node
/// is locally optimal, but refinement draws new random sub-communities each time, and at the
/// next level a handful of those (of tens of thousands) can still move, each gaining about
/// one edge's weight over the total. The more sub-communities, the likelier one of them can
/// move, so the number of iterations grew with the graph: 4 on a 100k-page corpus (111k
/// insights), 21 on a 1M-page one (1.01M insights, 6 s an iteration there), the last 18
/// moving 1 to 5 sub-communities each and gaining less than 1e-6 in all, while two restarts
/// differ in the fifth decimal. Moving a node typically gains in the order of 1/m (m the
/// total edge weight), far above this threshold on graphs below a million edges, so it does
/// not cut short the iterations that move real nodes on sparse graphs (the fixtures need
/// 2–25 and reach igraph's modularity as before).
pub const MIN_ITERATION_GAIN: f64 = 1e-6;

/// A move must beat staying by this much (times the node's strength), so float noise in the
/// community totals cannot make nodes swap back and forth forever.
const MIN_GAIN: f64 = 1e-12;

/// Leiden community detection: modularity optimisation that guarantees connected
/// communities.
///
/// Each iteration runs the paper's three phases level by level:
/// 1. **Fast local moving** ([`fast_move_nodes`]): nodes wait in a queue (random initial
///    order); a node moves to the neighbouring (or an empty) community with the largest gain,
///    and its neighbours outside that community rejoin the queue.
/// 2. **Refinement** ([`refine_partition`]): inside every community S of that partition,
///    start from singletons and merge each well-connected singleton node into a
///    well-connected sub-community of S, chosen at random with probability ∝ exp(ΔH/θ) among
///    merges that do not lower the quality.
/// 3. **Aggregation**: the refined communities become the nodes of the next level, and the
///    non-refined partition gives their initial communities.
///
/// The levels end when local moving leaves every node alone. Iterations repeat from the
/// result until stable (by default), or at most [`LeidenConfig::iterations`] times. Stable
/// means: local moving on the original graph moves no node (the iteration stops there, as
/// refining and aggregating an unchanged partition is what the next iteration would do
/// anyway), which leaves every node locally optimal (no single node can gain by moving),
/// something two iterations do not guarantee; or an iteration raised the modularity by less
/// than [`MIN_ITERATION_GAIN`], which bounds the iterations on large graphs, where moves of
/// whole random sub-communities could otherwise go on for a long time. An iteration never
/// lowers the quality, and one that moves a node raises it, so iterating until stable ends.
/// As a safeguard every community is finally split into its connected components, which
/// never lowers modularity and is a no-op when the paper's guarantee holds.
///
/// # Arguments
/// * `graph`: the weighted insight graph; isolated nodes end as singleton communities.
/// * `config`: resolution, randomness, seed, restarts, iterations ([`LeidenConfig`]).
///
/// # Returns
/// The best [`Clustering`] over the restarts, every community connected; or `InvalidInput`
/// for a negative or non-finite resolution, a randomness that is not positive, zero
/// restarts or `Some(0)` iterations. The same graph and config give the same result whatever
/// the number of threads.
///
/// # Complexity
/// * Time: O(r · I · L · (V + E)) for r restarts, I iterations and L levels, each phase being
///   linear in the level's size (plus sorting each aggregate node's neighbours). L is small
///   (levels shrink geometrically). Until stable, I is not bounded in advance (each
///   iteration but the last raises the quality by at least [`MIN_ITERATION_GAIN`]), but is
///   small in practice: 2–25 on the fixtures, 3 on 100k- and 1M-page corpora; iterations
///   after the first cost about two thirds of it, as local moving starts near a local
///   optimum, and the last only one pass of local moving.
/// * Space: O(V + E) per concurrently running restart.
///
/// # Reference
/// V. A. Traag, L. Waltman, N. J. van Eck, "From Louvain to Leiden: guaranteeing
/// well-connected communities", Scientific Reports 9, 5233 (2019), supplementary
/// pseudo-code (`Leiden`, `MoveNodesFast`, `RefinePartition`, `MergeNodesSubset`,
/// `AggregateGraph`). Matches igraph's `Graph.community_leiden(objective_function=
/// "modularity", weights="weight", resolution=γ, beta=θ, n_iterations=-1)` (igraph's C
/// `leiden.c` follows the same pseudo-code): the distribution of single-run modularity is
/// the same on the fixtures (`tests/fixtures/expected/leiden/`). leidenalg differs in its
/// refinement, which merges greedily, without θ or the well-connectedness tests.
///
/// Paper symbols: P = `partition`, P_refined = `refined`, G = `level`, S = the community
/// `s` being refined, ‖v‖ = `level.strength[v]` (node weight k_v, with γ/2m folded into
/// `scale`), ‖C‖ = `tot[c]` / `refined_tot[c]`, E(C, S − C) = `outside[c]`, θ = `theta`,
/// ΔH = `gain`, Q = `queue`.
pub fn leiden(graph: &InsightGraph, config: &LeidenConfig) -> Result<Clustering> {
    check_params(config.resolution, config.restarts)?;
    if !(config.randomness.is_finite() && config.randomness > 0.0) {
        return Err(Error::InvalidInput(format!(
            "randomness must be a number > 0, not {}",
            config.randomness
        )));
    }
    if config.iterations == Some(0) {
        return Err(Error::InvalidInput(
            "iterations must be at least 1 (none: until an iteration changes nothing)".into(),
        ));
    }
    Ok(best_of_restarts(
        graph,
        config.resolution,
        config.seed,
        config.restarts,
        |level, rng| {
            let mut membership = run(level, config, rng).0;
            split_disconnected(graph, &mut membership);
            membership
        },
    ))
}

/// One Leiden run from the singleton partition: iterations until stable (see [`leiden()`]),
/// or `config.iterations` of them. Returns the partition (dense ids) and the iterations run.
fn run(g0: &Level, config: &LeidenConfig, rng: &mut SplitMix64) -> (Vec<u32>, usize) {
    let mut membership: Vec<u32> = (0..g0.node_count() as u32).collect();
    let mut done = 0;
    loop {
        let gain = iterate(g0, &mut membership, config, rng);
        renumber(&mut membership);
        done += 1;
        let stable = gain.is_none_or(|gain| gain < MIN_ITERATION_GAIN);
        if stable || config.iterations.is_some_and(|max| done >= max) {
            return (membership, done);
        }
    }
}

/// One iteration of the algorithm (the paper's `Leiden` function), from and into
/// `membership` (dense ids) of `g0`'s nodes. Returns the modularity it gained, or `None` if
/// local moving moved no node of `g0`: then every node of `g0` is locally optimal,
/// `membership` is left as it was, and the iteration stops before refining.
fn iterate(
    g0: &Level,
    membership: &mut [u32],
    config: &LeidenConfig,
    rng: &mut SplitMix64,
) -> Option<f64> {
    let gamma = config.resolution;
    // Original node -> node of the current level.
    let mut node_of: Vec<u32> = (0..g0.node_count() as u32).collect();
    let mut partition = membership.to_vec();
    let mut aggregated: Option<Level> = None;
    let mut gain = 0.0;
    loop {
        let level = aggregated.as_ref().unwrap_or(g0);
        let n = level.node_count();

        // Phase 1: fast local moving.
        let moved = fast_move_nodes(level, &mut partition, gamma, rng);
        if moved == 0.0 && aggregated.is_none() {
            return None;
        }
        gain += moved;
        let count = renumber(&mut partition);
        if count == n {
            break;
        }

        // Phase 2: refinement.
        let (mut refined, mut refined_count) =
            refine_partition(level, &partition, count, gamma, config.randomness, rng);
        if refined_count == n {
            // Nothing merged: aggregate by the partition itself so the levels still shrink
            // (what igraph does).
            refined.clone_from(&partition);
            refined_count = count;
        }

        // Phase 3: aggregation on the refined partition; the non-refined partition is the
        // initial partition of the aggregate graph.
        let next = level.aggregate(&refined, refined_count);
        let mut next_partition = vec![0u32; refined_count];
        for v in 0..n {
            next_partition[refined[v] as usize] = partition[v];
        }
        for node in node_of.iter_mut() {
            *node = refined[*node as usize];
        }
        partition = next_partition;
        aggregated = Some(next);
    }
    for (m, &v) in membership.iter_mut().zip(&node_of) {
        *m = partition[v as usize];
    }
    Some(gain)
}

/// Phase 1 (the paper's `MoveNodesFast`): queue-driven local moving of `partition` (ids below
/// the node count) until the queue is empty. Every node is queued once in a random order;
/// when a node moves, its neighbours outside its new community that are not queued join the
/// end of the queue. Returns the modularity gained: the sum over moves of
/// 2 (ΔH(v → best) − ΔH(v → own)) / 2m, positive if and only if a node moved (aggregation
/// keeps the modularity, so gains add up over the levels). O(V + E) for the first pass,
/// plus O(degree) per re-queued node.
#[inline(never)]
fn fast_move_nodes(level: &Level, partition: &mut [u32], gamma: f64, rng: &mut SplitMix64) -> f64 {
    let n = level.node_count();
    let two_m = level.total;
    if two_m <= 0.0 {
        return 0.0;
    }
    let mut tot = totals(level, partition, n);
    let mut size = vec![0u32; n];
    for &c in partition.iter() {
        size[c as usize] += 1;
    }
    // Empty community ids, smallest on top.
    let mut empty: Vec<u32> = (0..n as u32)
        .rev()
        .filter(|&c| size[c as usize] == 0)
        .collect();
    let mut queue: VecDeque<u32> = rng.permutation(n).into();
    let mut queued = vec![true; n];
    let mut buffer = NeighborWeights::new(n);
    // Σ (ΔH(v → best) − ΔH(v → own)) over the moves, each > 0.
    let mut gain = 0.0;

    while let Some(v) = queue.pop_front() {
        // The queue is a random order: without help, every row starts with a cache miss.
        if let Some(&next) = queue.front() {
            level.prefetch_row(next);
        }
        queued[v as usize] = false;
        let own = partition[v as usize];
        let k = level.strength[v as usize];
        let (mut best, mut best_gain, stay) =
            best_community(level, v, partition, &mut tot, gamma, two_m, &mut buffer);
        // The empty community: gain 0 (only new when v is not alone already).
        if best_gain < 0.0 && size[own as usize] > 1 {
            best = *empty
                .last()
                .expect("a community of two or more leaves an id free");
            best_gain = 0.0;
        }
        if best == own || best_gain <= stay + MIN_GAIN * k {
            tot[own as usize] += k;
            continue;
        }
        if empty.last() == Some(&best) {
            empty.pop();
        }
        tot[best as usize] += k;
        size[own as usize] -= 1;
        if size[own as usize] == 0 {
            empty.push(own);
        }
        size[best as usize] += 1;
        partition[v as usize] = best;
        gain += best_gain - stay;
        for &u in level.row(v).0 {
            if u != v && !queued[u as usize] && partition[u as usize] != best {
                queued[u as usize] = true;
                queue.push_back(u);
            }
        }
    }
    2.0 * gain / two_m
}

/// Phase 2 (the paper's `RefinePartition` and `MergeNodesSubset`): inside each community of
/// `partition`, merge singletons into well-connected sub-communities. Returns the refined
/// partition with dense ids and its number of communities.
///
/// Refinement never crosses a community S of `partition` (a node only merges into a
/// sub-community of its own S, and every test involves S's nodes alone), so the communities
/// are refined independently and in parallel. Each gets its own generator, seeded from one
/// draw of `rng` and S's index, and visits its nodes in a random order of its own: the result
/// depends on the seed, never on the number of threads or on how rayon splits the work.
/// O(V + E) work in all; space O(V) besides the level.
#[inline(never)]
fn refine_partition(
    level: &Level,
    partition: &[u32],
    count: usize,
    gamma: f64,
    theta: f64,
    rng: &mut SplitMix64,
) -> (Vec<u32>, usize) {
    let n = level.node_count();
    let scale = gamma / level.total;
    let tot = totals(level, partition, count);
    // Nodes bucketed by community (counting sort, ascending within a community), and every
    // node's position inside its bucket: sub-communities are numbered by the position of the
    // node they started from.
    let mut start = vec![0usize; count + 1];
    for &c in partition {
        start[c as usize + 1] += 1;
    }
    for c in 0..count {
        start[c + 1] += start[c];
    }
    let mut fill = start.clone();
    let mut order = vec![0u32; n];
    let mut position = vec![0u32; n];
    for (v, &c) in partition.iter().enumerate() {
        let at = fill[c as usize];
        order[at] = v as u32;
        position[v] = (at - start[c as usize]) as u32;
        fill[c as usize] += 1;
    }
    let base = rng.next_u64();
    let mut local = vec![0u32; n];
    // Every community S refines into `local[start[S]..start[S + 1]]`: the position (inside S)
    // of the sub-community of each of S's nodes, in bucket order.
    let mut slices: Vec<&mut [u32]> = Vec::with_capacity(count);
    let mut rest = local.as_mut_slice();
    for c in 0..count {
        let (head, tail) = rest.split_at_mut(start[c + 1] - start[c]);
        slices.push(head);
        rest = tail;
    }
    slices.into_par_iter().enumerate().for_each(|(s, out)| {
        let members = &order[start[s]..start[s + 1]];
        let mut rng = SplitMix64::new(base ^ (s as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let refined = merge_nodes_subset(
            level, partition, &position, members, s as u32, tot[s], scale, theta, &mut rng,
        );
        out.copy_from_slice(&refined);
    });
    let mut refined = vec![0u32; n];
    for s in 0..count {
        for (i, &v) in order[start[s]..start[s + 1]].iter().enumerate() {
            refined[v as usize] = (start[s] + local[start[s] + i] as usize) as u32;
        }
    }
    let refined_count = renumber(&mut refined);
    (refined, refined_count)
}

/// The paper's `MergeNodesSubset` on one community S (`members`, ascending, of id `s` and
/// total strength `k_s`): start from singletons and merge each well-connected singleton,
/// in a random order, into a well-connected sub-community of S, chosen with probability
/// ∝ exp(ΔH/θ). Returns, for each member, the position in `members` of the node its
/// sub-community started from. O(|S| + edges of S's nodes).
#[allow(clippy::too_many_arguments)]
fn merge_nodes_subset(
    level: &Level,
    partition: &[u32],
    position: &[u32],
    members: &[u32],
    s: u32,
    k_s: f64,
    scale: f64,
    theta: f64,
    rng: &mut SplitMix64,
) -> Vec<u32> {
    let size = members.len();
    let mut refined: Vec<u32> = (0..size as u32).collect();
    if size == 1 {
        return refined;
    }
    let mut refined_tot: Vec<f64> = members
        .iter()
        .map(|&v| level.strength[v as usize])
        .collect();
    let mut refined_size = vec![1u32; size];
    // outside[c]: weight of the edges from sub-community c to the rest of S.
    // Members are scattered over the graph, and visited in a random order below: ask for the
    // next row before reading this one.
    let mut outside: Vec<f64> = members
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if let Some(&next) = members.get(i + 1) {
                level.prefetch_row(next);
            }
            let (nbrs, ws) = level.row(v);
            ws.sum_where(nbrs, |u| u != v && partition[u as usize] == s)
        })
        .collect();
    let mut buffer = NeighborWeights::new(size);
    let mut candidates: Vec<(u32, f64)> = Vec::new();

    let visits = rng.permutation(size);
    for (at, &i) in visits.iter().enumerate() {
        if let Some(&next) = visits.get(at + 1) {
            level.prefetch_row(members[next as usize]);
        }
        let v = members[i as usize];
        let own = refined[i as usize];
        if refined_size[own as usize] != 1 {
            continue;
        }
        let k = level.strength[v as usize];
        // Only well-connected nodes move: E(v, S − v) ≥ γ ‖v‖ (‖S‖ − ‖v‖); a node without
        // neighbours in S has nothing to merge with.
        if outside[own as usize] == 0.0 || outside[own as usize] < scale * k * (k_s - k) {
            continue;
        }
        let (nbrs, ws) = level.row(v);
        buffer.add_row(nbrs, ws, |u| {
            (u != v && partition[u as usize] == s).then(|| refined[position[u as usize] as usize])
        });
        candidates.clear();
        let mut max_gain = 0.0f64; // staying alone
        for &c in buffer.list() {
            let c_tot = refined_tot[c as usize];
            // Only into well-connected sub-communities: E(C, S − C) ≥ γ ‖C‖ (‖S‖ − ‖C‖).
            if outside[c as usize] < scale * c_tot * (k_s - c_tot) {
                continue;
            }
            let gain = buffer.weight[c as usize] - scale * k * c_tot;
            if gain >= 0.0 {
                candidates.push((c, gain));
                max_gain = max_gain.max(gain);
            }
        }
        if candidates.is_empty() {
            buffer.clear();
            continue;
        }
        // Pr(C) ∝ exp(ΔH(v → C) / θ), staying alone (ΔH = 0) included.
        let stay = (-max_gain / theta).exp();
        let mut total = stay;
        for candidate in candidates.iter_mut() {
            candidate.1 = ((candidate.1 - max_gain) / theta).exp();
            total += candidate.1;
        }
        let mut pick = rng.next_f64() * total - stay;
        let mut chosen = own;
        if pick >= 0.0 {
            chosen = candidates.last().expect("non-empty").0;
            for &(c, p) in &candidates {
                if pick < p {
                    chosen = c;
                    break;
                }
                pick -= p;
            }
        }
        if chosen != own {
            let w_vc = buffer.weight[chosen as usize];
            outside[chosen as usize] += outside[own as usize] - 2.0 * w_vc;
            refined_tot[chosen as usize] += k;
            refined_tot[own as usize] = 0.0;
            refined_size[chosen as usize] += 1;
            refined_size[own as usize] = 0;
            refined[i as usize] = chosen;
        }
        buffer.clear();
    }
    refined
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::community::modularity;
    use crate::algo::community::tests::{ring_of_cliques, sparse_themes, two_triangles};

    fn connected(graph: &InsightGraph, membership: &[u32]) -> bool {
        let mut split = membership.to_vec();
        let parts = split_disconnected(graph, &mut split);
        parts
            == membership
                .iter()
                .map(|&c| c as usize + 1)
                .max()
                .unwrap_or(0)
    }

    /// Whether no node of `level` gains modularity by moving alone to another community
    /// (neighbouring or empty): what an iteration that changes nothing guarantees.
    fn locally_optimal(level: &Level, membership: &[u32], gamma: f64) -> bool {
        let n = level.node_count();
        let mut tot = totals(level, membership, n);
        let mut buffer = NeighborWeights::new(n);
        (0..n as u32).all(|v| {
            let k = level.strength[v as usize];
            let (_, best_gain, stay) = best_community(
                level,
                v,
                membership,
                &mut tot,
                gamma,
                level.total,
                &mut buffer,
            );
            tot[membership[v as usize] as usize] += k;
            let alone = membership
                .iter()
                .filter(|&&c| c == membership[v as usize])
                .count()
                == 1;
            let best = if alone { best_gain } else { best_gain.max(0.0) };
            best <= stay + 1e-9 * k
        })
    }

    #[test]
    fn default_iterates_until_stable() {
        assert_eq!(LeidenConfig::default().iterations, None);
        let g = sparse_themes(600, 6, 3);
        let level = Level::from_graph(&g);
        let mut two_left_a_node_to_move = false;
        for seed in 0..4 {
            let config = LeidenConfig {
                seed,
                restarts: 1,
                ..Default::default()
            };
            let (membership, iterations) = run(&level, &config, &mut SplitMix64::new(seed));
            assert!(
                locally_optimal(&level, &membership, 1.0),
                "seed {seed}: a node can still gain by moving"
            );
            // The first iteration always moves nodes, so a stable run has at least two.
            assert!(iterations >= 2, "seed {seed}: {iterations} iterations");
            let two = LeidenConfig {
                iterations: Some(2),
                ..config
            };
            let (after_two, _) = run(&level, &two, &mut SplitMix64::new(seed));
            two_left_a_node_to_move |= !locally_optimal(&level, &after_two, 1.0);
        }
        assert!(
            two_left_a_node_to_move,
            "this graph should need more than two iterations for some seed"
        );
    }

    #[test]
    fn local_moving_reports_the_modularity_it_gains() {
        // The gains drive the stopping rule: they must add up to the real change of
        // modularity, at the first level and at an aggregated one.
        let g = sparse_themes(900, 6, 7);
        let level = Level::from_graph(&g);
        let mut rng = SplitMix64::new(3);
        let mut partition: Vec<u32> = (0..g.node_count() as u32).collect();
        let before = modularity(&g, &partition, 1.0);
        let gain = fast_move_nodes(&level, &mut partition, 1.0, &mut rng);
        let after = modularity(&g, &partition, 1.0);
        assert!(gain > 0.1, "{gain}");
        assert!(
            (after - before - gain).abs() < 1e-12,
            "{after} - {before} vs {gain}"
        );

        let count = renumber(&mut partition);
        let (refined, refined_count) =
            refine_partition(&level, &partition, count, 1.0, 0.01, &mut rng);
        let aggregate = level.aggregate(&refined, refined_count);
        let mut coarse = vec![0u32; refined_count];
        for v in 0..g.node_count() {
            coarse[refined[v] as usize] = partition[v];
        }
        let gain = fast_move_nodes(&aggregate, &mut coarse, 1.0, &mut rng);
        let lifted: Vec<u32> = refined.iter().map(|&r| coarse[r as usize]).collect();
        let moved = modularity(&g, &lifted, 1.0);
        assert!(
            (moved - after - gain).abs() < 1e-12,
            "{moved} - {after} vs {gain}"
        );
    }

    #[test]
    fn a_stable_partition_ends_the_run_at_local_moving() {
        let g = sparse_themes(600, 6, 3);
        let level = Level::from_graph(&g);
        let config = LeidenConfig::default();
        let (stable, _) = run(&level, &config, &mut SplitMix64::new(5));
        assert!(locally_optimal(&level, &stable, 1.0));
        let mut again = stable.clone();
        assert_eq!(
            iterate(&level, &mut again, &config, &mut SplitMix64::new(9)),
            None
        );
        assert_eq!(again, stable);
        // From singletons the first iteration gains a lot.
        let mut fresh: Vec<u32> = (0..g.node_count() as u32).collect();
        let singletons = modularity(&g, &fresh, 1.0);
        let gain = iterate(&level, &mut fresh, &config, &mut SplitMix64::new(9)).unwrap();
        let q = modularity(&g, &fresh, 1.0);
        assert!(gain > 0.5, "{gain}");
        assert!(
            (q - singletons - gain).abs() < 1e-12,
            "{q} - {singletons} vs {gain}"
        );
    }

    #[test]
    fn more_iterations_never_lower_modularity() {
        // Iteration k + 1 starts from iteration k's result with the same generator stream,
        // and an iteration never lowers the quality, so for one seed the modularity can
        // only grow with the number of iterations.
        let g = sparse_themes(800, 5, 11);
        for seed in 0..5 {
            let q = |iterations| {
                leiden(
                    &g,
                    &LeidenConfig {
                        seed,
                        restarts: 1,
                        iterations,
                        ..Default::default()
                    },
                )
                .unwrap()
                .modularity
            };
            let (one, two, stable) = (q(Some(1)), q(Some(2)), q(None));
            assert!(one <= two + 1e-12, "seed {seed}: {one} > {two}");
            assert!(two <= stable + 1e-12, "seed {seed}: {two} > {stable}");
        }
    }

    #[test]
    fn same_partition_whatever_the_threads() {
        // Refinement and aggregation run in parallel; the partition must not depend on it.
        let g = sparse_themes(3000, 8, 5);
        let run_on = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                leiden(
                    &g,
                    &LeidenConfig {
                        restarts: 3,
                        ..Default::default()
                    },
                )
                .unwrap()
            })
        };
        let one = run_on(1);
        for threads in [2, 4] {
            assert_eq!(run_on(threads), one, "{threads} threads");
        }
    }

    #[test]
    fn zero_iterations_is_an_error() {
        let g = two_triangles();
        let zero = LeidenConfig {
            iterations: Some(0),
            ..Default::default()
        };
        assert!(matches!(leiden(&g, &zero), Err(Error::InvalidInput(_))));
        let one = LeidenConfig {
            iterations: Some(1),
            ..Default::default()
        };
        assert_eq!(leiden(&g, &one).unwrap().membership, vec![0, 0, 0, 1, 1, 1]);
    }

    #[test]
    fn finds_the_two_triangles() {
        let g = two_triangles();
        let c = leiden(&g, &LeidenConfig::default()).unwrap();
        assert_eq!(c.membership, vec![0, 0, 0, 1, 1, 1]);
        assert!((c.modularity - 5.0 / 14.0).abs() < 1e-12);
    }

    #[test]
    fn finds_a_ring_of_cliques_at_any_seed() {
        let g = ring_of_cliques(12, 6);
        for seed in 0..5 {
            let c = leiden(
                &g,
                &LeidenConfig {
                    seed,
                    restarts: 1,
                    ..Default::default()
                },
            )
            .unwrap();
            assert_eq!(c.count, 12, "seed {seed}");
            assert!(connected(&g, &c.membership));
            assert_eq!(c.modularity, modularity(&g, &c.membership, 1.0));
        }
    }

    #[test]
    fn resolution_changes_the_granularity() {
        let g = ring_of_cliques(12, 6);
        let coarse = leiden(
            &g,
            &LeidenConfig {
                resolution: 0.05,
                ..Default::default()
            },
        )
        .unwrap();
        let fine = leiden(
            &g,
            &LeidenConfig {
                resolution: 1.0,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(
            coarse.count < fine.count,
            "{} vs {}",
            coarse.count,
            fine.count
        );
    }

    #[test]
    fn isolated_single_and_edgeless() {
        let g = InsightGraph::from_index_edges(1, &[]);
        assert_eq!(
            leiden(&g, &LeidenConfig::default()).unwrap().membership,
            vec![0]
        );
        let g = InsightGraph::from_index_edges(4, &[(1, 2, 2.0)]);
        let c = leiden(&g, &LeidenConfig::default()).unwrap();
        assert_eq!(c.membership, vec![0, 1, 1, 2]);
        let empty = InsightGraph::from_index_edges(0, &[]);
        assert_eq!(leiden(&empty, &LeidenConfig::default()).unwrap().count, 0);
    }

    #[test]
    fn seeds_repeat_and_bad_parameters_fail() {
        let g = ring_of_cliques(6, 4);
        let config = LeidenConfig {
            seed: 9,
            ..Default::default()
        };
        assert_eq!(leiden(&g, &config).unwrap(), leiden(&g, &config).unwrap());
        assert!(leiden(
            &g,
            &LeidenConfig {
                randomness: 0.0,
                ..Default::default()
            }
        )
        .is_err());
        assert!(leiden(
            &g,
            &LeidenConfig {
                resolution: f64::NAN,
                ..Default::default()
            }
        )
        .is_err());
    }
}
