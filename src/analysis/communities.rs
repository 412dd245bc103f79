//! Kept community partitions: detect communities ([`crate::algo::community`]), give them
//! stable ids and theme labels, write them to the store with their parameters and graph
//! version, and reuse them while the graph and parameters are unchanged.
//!
//! Community ids are stable across re-runs: a new partition is matched to the previous kept
//! one (same parameters if kept, else the newest) by member overlap, greedily, largest overlap
//! first. A new community continues an old one when their overlap holds a majority of either;
//! it then keeps the old id and label. Other communities get fresh ids above every old id.

use crate::algo::community::labels::{label_communities, LabelConfig};
use crate::algo::community::{
    leiden, louvain, modularity, Clustering, LeidenConfig, LouvainConfig,
};
use crate::error::{Error, Result};
use crate::graph::InsightGraph;
use crate::store::communities::{KeptCommunities, NewCommunities};
use crate::store::Store;
use std::collections::HashMap;

/// The community detection algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// Traag, Waltman & van Eck 2019; connected communities. The default.
    Leiden,
    /// Blondel et al. 2008.
    Louvain,
}

impl Algorithm {
    pub const ALL: [Algorithm; 2] = [Algorithm::Leiden, Algorithm::Louvain];

    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Leiden => "leiden",
            Algorithm::Louvain => "louvain",
        }
    }

    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// What to compute; every field but `recompute` is part of the kept run's parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityConfig {
    /// Default Leiden.
    pub algorithm: Algorithm,
    /// Resolution γ. Default 1.0.
    pub resolution: f64,
    /// Default 1.
    pub seed: u64,
    /// Runs derived from the seed; the best is kept. Default `None`: [`default_restarts`] for
    /// the graph's size.
    pub restarts: Option<usize>,
    /// Leiden's refinement randomness θ. Default 0.01.
    pub randomness: f64,
    /// Leiden iterations per run (`None`: until stable). Default 2.
    pub iterations: Option<usize>,
    /// Compute even if a kept partition is current. Default false.
    pub recompute: bool,
}

impl Default for CommunityConfig {
    fn default() -> Self {
        let leiden = LeidenConfig::default();
        CommunityConfig {
            algorithm: Algorithm::Leiden,
            resolution: leiden.resolution,
            seed: leiden.seed,
            restarts: None,
            randomness: leiden.randomness,
            iterations: leiden.iterations,
            recompute: false,
        }
    }
}

/// Restarts for a graph of `nodes` insights when none are asked for: 10 up to 5,000
/// insights, then fewer (never below 2) so the work stays near 10 runs of a 5,000-node graph.
///
/// Why: on small graphs single runs differ and the best of 10 reaches the best known
/// modularity (karate, Les Misérables); on large graphs runs differ in the fifth decimal (a
/// 150k-node benchmark: 0.638986 for 1 run, 0.638995 for 10) while time grows linearly.
pub fn default_restarts(nodes: usize) -> usize {
    const NODE_RUNS: usize = 50_000;
    (NODE_RUNS / nodes.max(1)).clamp(2, 10)
}

impl CommunityConfig {
    /// The restarts this config runs on `graph`.
    pub fn restarts_for(&self, graph: &InsightGraph) -> usize {
        self.restarts
            .unwrap_or_else(|| default_restarts(graph.node_count()))
    }

    /// Canonical JSON of the parameters (keys sorted), the key of a kept run.
    pub fn params(&self) -> String {
        let value = match self.algorithm {
            Algorithm::Leiden => serde_json::json!({
                "iterations": self.iterations,
                "randomness": self.randomness,
                "resolution": self.resolution,
                "restarts": self.restarts,
                "seed": self.seed,
            }),
            Algorithm::Louvain => serde_json::json!({
                "resolution": self.resolution,
                "restarts": self.restarts,
                "seed": self.seed,
            }),
        };
        value.to_string()
    }
}

/// One community of a [`Partition`].
#[derive(Debug, Clone, PartialEq)]
pub struct Community {
    /// Stable id.
    pub id: u32,
    pub size: usize,
    /// The few words most distinctive of its insights ("" if they have no words).
    pub label: String,
    /// Insight ids, most central first: by strength inside the community (weighted degree to
    /// members), ties by id.
    pub members: Vec<i64>,
}

/// A partition of the insight graph into communities.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    pub algorithm: Algorithm,
    pub resolution: f64,
    pub seed: u64,
    /// Modularity at `resolution` (networkx's definition).
    pub modularity: f64,
    /// Stable community id per InsightGraph node index.
    pub membership: Vec<u32>,
    /// Largest first, ties by id.
    pub communities: Vec<Community>,
    /// Read back from the store, not recomputed.
    pub reused: bool,
}

/// The kept partition for this graph version and parameters, else compute one, keep it and
/// return it. `Error::EmptyGraph` when there are no insights.
pub fn communities(
    store: &mut Store,
    graph: &InsightGraph,
    config: &CommunityConfig,
) -> Result<Partition> {
    if graph.is_empty() {
        return Err(Error::EmptyGraph);
    }
    let config = &CommunityConfig {
        restarts: Some(config.restarts_for(graph)),
        ..config.clone()
    };
    let params = config.params();
    let version = store.graph_version()?;
    let kept = store.kept_communities(config.algorithm.as_str(), &params)?;
    if let Some(kept) = kept
        .as_ref()
        .filter(|k| k.graph_version == version && !config.recompute)
    {
        if let Some(partition) = from_kept(
            graph,
            kept,
            config.algorithm,
            config.resolution,
            config.seed,
        ) {
            return Ok(partition);
        }
    }

    let clustering = detect(graph, config)?;
    let texts = node_texts(store, graph)?;
    let text_refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let fresh_labels = label_communities(
        &text_refs,
        &clustering.membership,
        clustering.count,
        &LabelConfig::default(),
    );
    let previous = match kept {
        Some(kept) => Some(kept),
        None => store.newest_kept_communities(None)?,
    };
    let (ids, kept_labels) = stable_ids(graph, &clustering, previous.as_ref());
    let membership: Vec<u32> = clustering
        .membership
        .iter()
        .map(|&c| ids[c as usize])
        .collect();
    let labels: HashMap<u32, String> = (0..clustering.count)
        .map(|c| {
            (
                ids[c],
                kept_labels[c]
                    .clone()
                    .unwrap_or_else(|| fresh_labels[c].clone()),
            )
        })
        .collect();
    let partition = build(
        graph,
        config.algorithm,
        config.resolution,
        config.seed,
        membership,
        labels,
        false,
    );

    let memberships: Vec<(i64, u32)> = partition
        .membership
        .iter()
        .enumerate()
        .map(|(u, &c)| (graph.id(u as u32), c))
        .collect();
    let mut rows: Vec<(u32, usize, String)> = partition
        .communities
        .iter()
        .map(|c| (c.id, c.size, c.label.clone()))
        .collect();
    rows.sort_by_key(|r| r.0);
    let summary =
        serde_json::json!({ "count": rows.len(), "modularity": partition.modularity }).to_string();
    store.write_communities(&NewCommunities {
        algorithm: config.algorithm.as_str(),
        params: &params,
        graph_version: version,
        summary: &summary,
        memberships: &memberships,
        communities: &rows,
    })?;
    Ok(partition)
}

/// The newest kept partition for the current graph version, any parameters.
pub fn kept_partition(store: &Store, graph: &InsightGraph) -> Result<Option<Partition>> {
    let Some(kept) = store.newest_kept_communities(Some(store.graph_version()?))? else {
        return Ok(None);
    };
    let Some(algorithm) = Algorithm::from_name(&kept.algorithm) else {
        return Ok(None);
    };
    let params: serde_json::Value = serde_json::from_str(&kept.params).unwrap_or_default();
    let resolution = params["resolution"].as_f64().unwrap_or(1.0);
    let seed = params["seed"].as_u64().unwrap_or(1);
    Ok(from_kept(graph, &kept, algorithm, resolution, seed))
}

/// The partition of a kept run, with its kept ids and labels; `None` if it no longer fits
/// `graph`.
fn from_kept(
    graph: &InsightGraph,
    kept: &KeptCommunities,
    algorithm: Algorithm,
    resolution: f64,
    seed: u64,
) -> Option<Partition> {
    let membership = kept_membership(graph, kept)?;
    let labels = kept
        .communities
        .iter()
        .map(|(id, _, label)| (*id, label.clone()))
        .collect();
    Some(build(
        graph, algorithm, resolution, seed, membership, labels, true,
    ))
}

fn detect(graph: &InsightGraph, config: &CommunityConfig) -> Result<Clustering> {
    match config.algorithm {
        Algorithm::Leiden => leiden(
            graph,
            &LeidenConfig {
                resolution: config.resolution,
                randomness: config.randomness,
                seed: config.seed,
                restarts: config.restarts_for(graph),
                iterations: config.iterations,
            },
        ),
        Algorithm::Louvain => louvain(
            graph,
            &LouvainConfig {
                resolution: config.resolution,
                seed: config.seed,
                restarts: config.restarts_for(graph),
            },
        ),
    }
}

/// The text of every node, by node index.
fn node_texts(store: &Store, graph: &InsightGraph) -> Result<Vec<String>> {
    let mut texts = vec![String::new(); graph.node_count()];
    for (id, text) in store.insight_texts()? {
        if let Some(u) = graph.index_of(id) {
            texts[u as usize] = text;
        }
    }
    Ok(texts)
}

/// The kept community of every node, or `None` if the kept run does not cover the graph.
fn kept_membership(graph: &InsightGraph, kept: &KeptCommunities) -> Option<Vec<u32>> {
    if kept.memberships.len() != graph.node_count() {
        return None;
    }
    let mut membership = vec![0u32; graph.node_count()];
    for &(id, c) in &kept.memberships {
        membership[graph.index_of(id)? as usize] = c;
    }
    Some(membership)
}

/// A stable id for every community of `clustering` (indexed by its dense id), and the label
/// to keep where it continues a previous community.
fn stable_ids(
    graph: &InsightGraph,
    clustering: &Clustering,
    previous: Option<&KeptCommunities>,
) -> (Vec<u32>, Vec<Option<String>>) {
    let count = clustering.count;
    let mut sizes = vec![0usize; count];
    for &c in &clustering.membership {
        sizes[c as usize] += 1;
    }
    // Fresh ids go to the largest communities first (ties: smallest node).
    let mut by_size: Vec<u32> = (0..count as u32).collect();
    by_size.sort_by_key(|&c| std::cmp::Reverse(sizes[c as usize]));

    let mut ids = vec![u32::MAX; count];
    let mut labels = vec![None; count];
    let mut next_id = 0u32;
    if let Some(previous) = previous {
        let old_of = |id: i64| -> Option<u32> {
            let i = previous
                .memberships
                .binary_search_by_key(&id, |m| m.0)
                .ok()?;
            Some(previous.memberships[i].1)
        };
        // (new << 32 | old) per node found in both; sorted, runs are overlaps.
        let mut pairs: Vec<u64> = Vec::new();
        let mut old_sizes: HashMap<u32, usize> = HashMap::new();
        for (u, &c) in clustering.membership.iter().enumerate() {
            if let Some(old) = old_of(graph.id(u as u32)) {
                pairs.push((u64::from(c) << 32) | u64::from(old));
                *old_sizes.entry(old).or_default() += 1;
            }
        }
        pairs.sort_unstable();
        let mut overlaps: Vec<(usize, u32, u32)> = Vec::new();
        for run in pairs.chunk_by(|a, b| a == b) {
            overlaps.push((run.len(), (run[0] >> 32) as u32, run[0] as u32));
        }
        overlaps.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1)));
        let mut old_taken: HashMap<u32, ()> = HashMap::new();
        for (overlap, new, old) in overlaps {
            let continues = 2 * overlap > sizes[new as usize] || 2 * overlap > old_sizes[&old];
            if ids[new as usize] == u32::MAX && !old_taken.contains_key(&old) && continues {
                ids[new as usize] = old;
                old_taken.insert(old, ());
            }
        }
        let old_labels: HashMap<u32, &String> = previous
            .communities
            .iter()
            .map(|(id, _, l)| (*id, l))
            .collect();
        for c in 0..count {
            if ids[c] != u32::MAX {
                labels[c] = old_labels.get(&ids[c]).map(|l| (*l).clone());
            }
        }
        let max_old = previous
            .memberships
            .iter()
            .map(|m| m.1)
            .chain(previous.communities.iter().map(|c| c.0))
            .max();
        next_id = max_old.map_or(0, |m| m + 1);
    }
    for c in by_size {
        if ids[c as usize] == u32::MAX {
            ids[c as usize] = next_id;
            next_id += 1;
        }
    }
    (ids, labels)
}

/// Assemble a partition: community sizes, members by inside strength, order, modularity.
fn build(
    graph: &InsightGraph,
    algorithm: Algorithm,
    resolution: f64,
    seed: u64,
    membership: Vec<u32>,
    mut labels: HashMap<u32, String>,
    reused: bool,
) -> Partition {
    let mut members: HashMap<u32, Vec<(f64, i64)>> = HashMap::new();
    for (u, &c) in membership.iter().enumerate() {
        let u = u as u32;
        let inside: f64 = graph
            .neighbors(u)
            .iter()
            .zip(graph.weights(u))
            .filter(|(v, _)| membership[**v as usize] == c)
            .map(|(_, &w)| w)
            .sum();
        members.entry(c).or_default().push((inside, graph.id(u)));
    }
    let mut communities: Vec<Community> = members
        .into_iter()
        .map(|(id, mut list)| {
            list.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            Community {
                id,
                size: list.len(),
                label: labels.remove(&id).unwrap_or_default(),
                members: list.into_iter().map(|(_, id)| id).collect(),
            }
        })
        .collect();
    communities.sort_by(|a, b| b.size.cmp(&a.size).then(a.id.cmp(&b.id)));
    let modularity = modularity(graph, &membership, resolution);
    Partition {
        algorithm,
        resolution,
        seed,
        modularity,
        membership,
        communities,
        reused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(memberships: Vec<(i64, u32)>, labels: &[(u32, &str)]) -> KeptCommunities {
        KeptCommunities {
            run_id: 1,
            algorithm: "leiden".into(),
            params: "{}".into(),
            graph_version: 1,
            summary: "{}".into(),
            communities: labels
                .iter()
                .map(|(id, l)| (*id, 0, l.to_string()))
                .collect(),
            memberships,
        }
    }

    #[test]
    fn ids_follow_the_members() {
        // Nodes 0..6; old: {0,1,2} = 7 "a", {3,4} = 4 "b", {5} = 9 "c".
        let g = InsightGraph::from_index_edges(7, &[]);
        let previous = kept(
            vec![(0, 7), (1, 7), (2, 7), (3, 4), (4, 4), (5, 9)],
            &[(4, "b"), (7, "a"), (9, "c")],
        );
        // New: {3,4,6} continues 4; {0,1} continues 7; {2,5}: overlap 1 with 7 (taken) and
        // 1 with 9 (a majority of 9's one member) -> continues 9.
        let clustering = Clustering {
            membership: vec![0, 0, 1, 2, 2, 1, 2],
            count: 3,
            modularity: 0.0,
            restart: 0,
        };
        let (ids, labels) = stable_ids(&g, &clustering, Some(&previous));
        assert_eq!(ids, vec![7, 9, 4]);
        assert_eq!(
            labels,
            vec![Some("a".into()), Some("c".into()), Some("b".into())]
        );
        // Without history: largest first.
        let (ids, labels) = stable_ids(&g, &clustering, None);
        assert_eq!(ids, vec![1, 2, 0]);
        assert_eq!(labels, vec![None, None, None]);
    }

    #[test]
    fn new_communities_get_fresh_ids() {
        let g = InsightGraph::from_index_edges(4, &[]);
        let previous = kept(vec![(0, 3), (1, 3)], &[(3, "x")]);
        let clustering = Clustering {
            membership: vec![0, 0, 1, 1],
            count: 2,
            modularity: 0.0,
            restart: 0,
        };
        let (ids, _) = stable_ids(&g, &clustering, Some(&previous));
        assert_eq!(ids, vec![3, 4]);
    }

    #[test]
    fn members_are_ordered_by_inside_strength() {
        // Star 0-1, 0-2 (w 2), 0-3, and 4 alone.
        let g = InsightGraph::from_index_edges(5, &[(0, 1, 1.0), (0, 2, 2.0), (0, 3, 1.0)]);
        let p = build(
            &g,
            Algorithm::Leiden,
            1.0,
            1,
            vec![5, 5, 5, 5, 6],
            HashMap::new(),
            false,
        );
        assert_eq!(p.communities[0].members, vec![0, 2, 1, 3]);
        assert_eq!(p.communities[1].members, vec![4]);
        assert_eq!(Algorithm::from_name("louvain"), Some(Algorithm::Louvain));
        let config = CommunityConfig {
            restarts: Some(10),
            ..CommunityConfig::default()
        };
        assert_eq!(
            config.params(),
            r#"{"iterations":2,"randomness":0.01,"resolution":1.0,"restarts":10,"seed":1}"#
        );
        assert_eq!(default_restarts(34), 10);
        assert_eq!(default_restarts(5_000), 10);
        assert_eq!(default_restarts(12_500), 4);
        assert_eq!(default_restarts(1_000_000), 2);
    }
}
