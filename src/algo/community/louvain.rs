//! The Louvain method (Blondel, Guillaume, Lambiotte & Lefebvre 2008).

use super::{
    best_community, best_of_restarts, check_params, renumber, Clustering, Level, NeighborWeights,
    SplitMix64,
};
use crate::error::Result;
use crate::graph::InsightGraph;

/// Parameters of [`louvain()`].
#[derive(Debug, Clone, PartialEq)]
pub struct LouvainConfig {
    /// Resolution γ of the modularity being maximised. Default 1.0 (plain modularity); above 1
    /// gives more, smaller communities.
    pub resolution: f64,
    /// Seed of the node orders. Default 1.
    pub seed: u64,
    /// Independent runs, each with its own node orders derived from `seed`; the best
    /// partition is kept (ties: lowest restart). Default 10, like a best-of-10 over seeds.
    pub restarts: usize,
}

impl Default for LouvainConfig {
    fn default() -> Self {
        LouvainConfig {
            resolution: 1.0,
            seed: 1,
            restarts: 10,
        }
    }
}

/// A move must beat staying by this much (times the node's strength), so float noise in the
/// community totals cannot make nodes swap back and forth forever.
const MIN_GAIN: f64 = 1e-12;

/// Louvain community detection: greedy modularity optimisation by local moving and
/// aggregation, repeated until no node moves.
///
/// Each level visits the nodes in a random order, moving every node to the neighbouring
/// community with the largest modularity gain, and sweeps again until a sweep moves nothing;
/// then every community becomes one node of the next level's graph (its inside weight a
/// self-loop). The run ends at the first level where no node moves. Louvain can leave a
/// community internally disconnected; use [`leiden()`](super::leiden()) when that matters.
///
/// # Arguments
/// * `graph`: the weighted insight graph; isolated nodes end as singleton communities.
/// * `config`: resolution, seed and restarts ([`LouvainConfig`]).
///
/// # Returns
/// The best [`Clustering`] over the restarts, or `InvalidInput` for a negative or non-finite
/// resolution or zero restarts. The same graph and config give the same result whatever the
/// number of threads.
///
/// # Complexity
/// * Time: O(r · L · S · (V + E)) for r restarts, L levels and S sweeps per level; L and S
///   are small in practice (the method is near-linear on sparse graphs).
/// * Space: O(V + E) per concurrently running restart.
///
/// # Reference
/// V. D. Blondel, J.-L. Guillaume, R. Lambiotte, E. Lefebvre, "Fast unfolding of communities
/// in large networks", J. Stat. Mech. (2008) P10008. Matches
/// `networkx.community.louvain_communities(G, weight="weight", resolution=γ, seed=s)`
/// (best of several seeds).
///
/// Paper symbols: ΔQ of moving i into C ∝ k_{i,in} − γ Σ_tot k_i / 2m, with
/// k_{i,in} = `buffer.weight[c]`, Σ_tot = `tot[c]`, k_i = `k`, 2m = `level.total`.
pub fn louvain(graph: &InsightGraph, config: &LouvainConfig) -> Result<Clustering> {
    check_params(config.resolution, config.restarts)?;
    Ok(best_of_restarts(
        graph,
        config.resolution,
        config.seed,
        config.restarts,
        |level, rng| run(level, config.resolution, rng),
    ))
}

/// One Louvain run; returns a community per node of `g0` (ids not yet dense).
fn run(g0: &Level, resolution: f64, rng: &mut SplitMix64) -> Vec<u32> {
    let mut node_of: Vec<u32> = (0..g0.node_count() as u32).collect();
    let mut aggregated: Option<Level> = None;
    loop {
        let level = aggregated.as_ref().unwrap_or(g0);
        let mut membership: Vec<u32> = (0..level.node_count() as u32).collect();
        // Phase 1: local moving.
        if !move_nodes(level, &mut membership, resolution, rng) {
            break;
        }
        // Phase 2: aggregation.
        let count = renumber(&mut membership);
        for node in node_of.iter_mut() {
            *node = membership[*node as usize];
        }
        aggregated = Some(level.aggregate(&membership, count));
    }
    node_of
}

/// Sweep the nodes in one random order until a sweep moves nothing; true if any node moved.
fn move_nodes(
    level: &Level,
    membership: &mut [u32],
    resolution: f64,
    rng: &mut SplitMix64,
) -> bool {
    let n = level.node_count();
    let two_m = level.total;
    if two_m <= 0.0 {
        return false;
    }
    let mut tot = level.strength.clone();
    let order = rng.permutation(n);
    let mut buffer = NeighborWeights::new(n);
    let mut moved = false;
    loop {
        let mut moves = 0usize;
        for (at, &v) in order.iter().enumerate() {
            // A random order: ask for the next row before reading this one.
            if let Some(&next) = order.get(at + 1) {
                level.prefetch_row(next);
            }
            let own = membership[v as usize];
            let k = level.strength[v as usize];
            let (mut best, best_gain, stay) = best_community(
                level,
                v,
                membership,
                &mut tot,
                resolution,
                two_m,
                &mut buffer,
            );
            if best != own && best_gain > stay + MIN_GAIN * k {
                membership[v as usize] = best;
                moves += 1;
            } else {
                best = own;
            }
            tot[best as usize] += k;
        }
        if moves == 0 {
            return moved;
        }
        moved = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::community::modularity;
    use crate::algo::community::tests::{ring_of_cliques, two_triangles};

    #[test]
    fn finds_the_two_triangles() {
        let g = two_triangles();
        let c = louvain(&g, &LouvainConfig::default()).unwrap();
        assert_eq!(c.membership, vec![0, 0, 0, 1, 1, 1]);
        assert_eq!(c.count, 2);
        assert!((c.modularity - 5.0 / 14.0).abs() < 1e-12);
    }

    #[test]
    fn finds_a_ring_of_cliques() {
        let g = ring_of_cliques(8, 5);
        let c = louvain(&g, &LouvainConfig::default()).unwrap();
        assert_eq!(c.count, 8);
        for (u, &m) in c.membership.iter().enumerate() {
            assert_eq!(m as usize, u / 5);
        }
        assert_eq!(c.modularity, modularity(&g, &c.membership, 1.0));
    }

    #[test]
    fn isolated_nodes_stay_alone_and_seeds_repeat() {
        let g = InsightGraph::from_index_edges(5, &[(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0)]);
        let config = LouvainConfig {
            seed: 42,
            ..LouvainConfig::default()
        };
        let a = louvain(&g, &config).unwrap();
        assert_eq!(a.membership, vec![0, 0, 0, 1, 2]);
        assert_eq!(a, louvain(&g, &config).unwrap());
    }

    #[test]
    fn bad_parameters_are_errors() {
        let g = two_triangles();
        assert!(louvain(
            &g,
            &LouvainConfig {
                resolution: -1.0,
                ..Default::default()
            }
        )
        .is_err());
        assert!(louvain(
            &g,
            &LouvainConfig {
                restarts: 0,
                ..Default::default()
            }
        )
        .is_err());
    }
}
