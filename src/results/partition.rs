//! Community partitions, kept or computed: [`partition()`] reads a kept partition that fits
//! the request, or detects one ([`CommunityConfig::detect`]), gives its communities stable ids
//! and theme labels, and keeps it.
//!
//! Community ids are stable across re-runs: a new partition is matched to the previous kept
//! one (same parameters if kept, else the newest) by member overlap, greedily, largest overlap
//! first. A new community continues an old one when their overlap holds a majority of either;
//! it then keeps the old id and label. Other communities get fresh ids above every old id and
//! every named theme's id.
//!
//! A theme a person named ([`name_theme`]) shows that name as its label, in every partition,
//! command and export. When a newly computed partition does not keep a named theme whole, what
//! became of it is recorded, and [`name_changes`] reports it: split into others, or gone.

use super::Reuse;
use crate::algo::community::labels::{label_communities, LabelConfig};
use crate::algo::community::modularity::modularity_with;
use crate::algo::community::{Algorithm, Clustering, CommunityConfig};
use crate::error::{Error, Result};
use crate::graph::InsightGraph;
use crate::ids::InsightId;
use crate::store::runs::{CommunityRow, KeptCommunities, NewCommunities};
use crate::store::themes::ThemeName;
use crate::store::Store;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The parameters of a partition, the key of a kept run. Fields are in alphabetical order so
/// the JSON is canonical; Leiden's own parameters are absent for Louvain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartitionParams {
    /// Leiden only: iterations per run (`null`: until stable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iterations: Option<Option<usize>>,
    /// Leiden only: refinement randomness θ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub randomness: Option<f64>,
    pub resolution: f64,
    pub restarts: usize,
    pub seed: u64,
}

impl PartitionParams {
    pub fn of(config: &CommunityConfig) -> PartitionParams {
        match config {
            CommunityConfig::Leiden(c) => PartitionParams {
                iterations: Some(c.iterations),
                randomness: Some(c.randomness),
                resolution: c.resolution,
                restarts: c.restarts,
                seed: c.seed,
            },
            CommunityConfig::Louvain(c) => PartitionParams {
                iterations: None,
                randomness: None,
                resolution: c.resolution,
                restarts: c.restarts,
                seed: c.seed,
            },
        }
    }

    /// Canonical JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plain numbers serialize")
    }
}

/// What is kept beside a partition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartitionSummary {
    pub count: usize,
    pub modularity: f64,
}

/// One community of a [`Partition`].
#[derive(Debug, Clone, PartialEq)]
pub struct Community {
    /// Stable id.
    pub id: u32,
    pub size: usize,
    /// The name a person gave it, else the few phrases most distinctive of its insights (""
    /// if they have no words).
    pub label: String,
    /// Insight ids, most central first: by strength inside the community (weighted degree to
    /// members), ties by id.
    pub members: Vec<InsightId>,
    /// Its place among the [`THEME_COLOURS`] colours of pictures, kept from the theme it
    /// continues (see [`colour_themes`]); `None` beyond them (drawn grey).
    pub colour: Option<usize>,
}

/// How many themes pictures give a colour of their own (the palette of `export::view`).
pub const THEME_COLOURS: usize = 24;

/// A partition of the insight graph into communities.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    pub algorithm: Algorithm,
    pub resolution: f64,
    pub seed: u64,
    /// Runs made; the best was kept.
    pub restarts: usize,
    /// Modularity at `resolution` (networkx's definition).
    pub modularity: f64,
    /// Stable community id per InsightGraph node index.
    pub membership: Vec<u32>,
    /// Largest first, ties by id.
    pub communities: Vec<Community>,
    /// Read back from the store, not recomputed.
    pub reused: bool,
    /// In the store: read back, or computed and written. `false` when the database is
    /// read-only.
    pub kept: bool,
}

/// Where [`partition_timed`] spent its time (wall clock), for `communities -v`. A phase not
/// run (the partition was kept) stays zero.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PartitionPhases {
    /// Reading a kept partition, or the kept run to continue ids from.
    pub read_kept: Duration,
    /// Community detection ([`CommunityConfig::detect`]).
    pub algorithm: Duration,
    /// Reading the insight texts from the store, while the algorithm runs: this time is
    /// inside `algorithm`'s, not after it. Zero when a run kept for the graph and parameters
    /// says no theme will be new; read after the algorithm only if one is new all the same.
    pub texts: Duration,
    /// Naming every community from its members' texts; near zero when every theme continues a
    /// kept one and keeps its label.
    pub labels: Duration,
    /// Stable ids, members by inside strength, modularity.
    pub assemble: Duration,
    /// Writing the partition to the store.
    pub write_back: Duration,
}

/// The partition `config` asks for on `graph`: a kept partition when `reuse` allows one, else
/// detected, labelled, written back and returned. [`Error::EmptyGraph`] when there are no
/// insights.
pub fn partition(
    store: &mut Store,
    graph: &InsightGraph,
    config: &CommunityConfig,
    reuse: Reuse,
) -> Result<Partition> {
    partition_timed(store, graph, config, reuse, &mut PartitionPhases::default())
}

/// [`partition()`], recording the time of each phase in `phases`.
pub fn partition_timed(
    store: &mut Store,
    graph: &InsightGraph,
    config: &CommunityConfig,
    reuse: Reuse,
    phases: &mut PartitionPhases,
) -> Result<Partition> {
    let mut clock = Instant::now();
    let mut lap = |phase: &mut Duration| {
        let now = Instant::now();
        *phase += now - clock;
        clock = now;
    };
    if graph.is_empty() {
        return Err(Error::EmptyGraph);
    }
    let version = store.graph_version()?;
    let params = PartitionParams::of(config);
    let params_json = params.to_json();
    let names = store.theme_names()?;
    if reuse == Reuse::AnyParameters {
        if let Some(kept) = store.current_kept_communities(Some(version))? {
            if let Some(p) = from_kept(graph, &kept, &names) {
                lap(&mut phases.read_kept);
                return Ok(p);
            }
        }
    }
    let kept = store.kept_communities(config.algorithm(), &params_json)?;
    if reuse == Reuse::SameParameters {
        if let Some((run_id, p)) = kept
            .as_ref()
            .filter(|k| k.graph_version == version)
            .and_then(|k| Some((k.run_id, from_kept(graph, k, &names)?)))
        {
            // What `communities` gives is what pictures, exports and `bridges` use next.
            super::keep(store, |store| store.make_current(run_id))?;
            lap(&mut phases.read_kept);
            return Ok(p);
        }
    }
    lap(&mut phases.read_kept);

    // The texts are for the labels of new themes. A run kept for this graph with these
    // parameters is the partition about to be computed (the algorithm is deterministic), so
    // every theme will continue one and keep its label: no texts are needed. Otherwise they
    // are read while the algorithm runs, on this thread (the store stays on it), since they
    // do not depend on the partition; reading is one thread's work, and the algorithm leaves
    // a core idle in its serial stretches.
    let texts_needed = kept.as_ref().is_none_or(|k| k.graph_version != version);
    let (clustering, texts) = std::thread::scope(|scope| {
        let detection = scope.spawn(|| {
            let start = Instant::now();
            (config.detect(graph), start.elapsed())
        });
        let start = Instant::now();
        let texts = texts_needed.then(|| read_texts(store, graph)).transpose();
        phases.texts += start.elapsed();
        let (clustering, took) = detection
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        phases.algorithm += took;
        (clustering, texts)
    });
    let (clustering, texts) = (clustering?, texts?);
    // Both phases are already counted, each on its own thread.
    let mut counted = Duration::ZERO;
    lap(&mut counted);
    let previous = match kept {
        Some(kept) => Some(kept),
        None => store.current_kept_communities(None)?,
    };
    lap(&mut phases.read_kept);
    let first_fresh = names.iter().map(|n| n.id + 1).max().unwrap_or(0);
    let (ids, kept_labels) = stable_ids(graph, &clustering, previous.as_ref(), first_fresh);
    // A community that continues a kept one keeps its label, so labels are computed only
    // when some community is new. They are computed for every community then: a theme's
    // name is what sets it apart from all the others (class-based TF-IDF).
    let fresh_labels = if kept_labels.iter().any(Option::is_none) {
        let texts = match texts {
            Some(texts) => texts,
            None => {
                let texts = read_texts(store, graph)?;
                lap(&mut phases.texts);
                texts
            }
        };
        let text_refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        Some(label_communities(
            &text_refs,
            &clustering.membership,
            clustering.count,
            &LabelConfig::default(),
        ))
    } else {
        None
    };
    lap(&mut phases.labels);
    let membership: Vec<u32> = clustering
        .membership
        .iter()
        .map(|&c| ids[c as usize])
        .collect();
    let fates = previous
        .as_ref()
        .map(|p| fates(graph, p, &membership, &names))
        .unwrap_or_default();
    let labels: HashMap<u32, String> = (0..clustering.count)
        .map(|c| {
            (
                ids[c],
                kept_labels[c].clone().unwrap_or_else(|| {
                    fresh_labels.as_ref().expect("computed when one is missing")[c].clone()
                }),
            )
        })
        .collect();
    let mut partition = build(
        graph,
        config.algorithm(),
        &params,
        membership,
        with_names(&labels, &names),
        false,
    );
    let previous_colours = previous.as_ref().map(colours_of).unwrap_or_default();
    colour_themes(&mut partition.communities, &previous_colours);

    let memberships: Vec<(InsightId, u32)> = partition
        .membership
        .iter()
        .enumerate()
        .map(|(u, &c)| (graph.id(u as u32), c))
        .collect();
    let mut rows: Vec<CommunityRow> = partition
        .communities
        .iter()
        .map(|c| CommunityRow {
            id: c.id,
            size: c.size,
            // The automatic label: a person's name lives in its own table and may be cleared.
            label: labels.get(&c.id).cloned().unwrap_or_default(),
            colour: c.colour.map(|k| k as u32),
        })
        .collect();
    rows.sort_by_key(|r| r.id);
    let summary = PartitionSummary {
        count: rows.len(),
        modularity: partition.modularity,
    };
    lap(&mut phases.assemble);
    partition.kept = super::keep(store, |store| {
        store.write_communities(&NewCommunities {
            algorithm: config.algorithm(),
            params: &params_json,
            graph_version: version,
            summary: &serde_json::to_string(&summary).expect("serializable"),
            memberships: &memberships,
            communities: &rows,
        })
    })?;
    if partition.kept && !fates.is_empty() {
        super::keep(store, |store| store.write_theme_fates(&fates))?;
    }
    lap(&mut phases.write_back);
    Ok(partition)
}

/// The partition of a kept run, with its kept ids and labels (a person's name where one is
/// set); `None` if it no longer fits `graph` or its parameters do not read (then it is
/// computed again).
fn from_kept(
    graph: &InsightGraph,
    kept: &KeptCommunities,
    names: &[ThemeName],
) -> Option<Partition> {
    let params: PartitionParams = serde_json::from_str(&kept.params).ok()?;
    let membership = kept_membership(graph, kept)?;
    let labels = kept
        .communities
        .iter()
        .map(|c| (c.id, c.label.clone()))
        .collect();
    let mut partition = build(
        graph,
        kept.algorithm,
        &params,
        membership,
        with_names(&labels, names),
        true,
    );
    let colours = colours_of(kept);
    for c in &mut partition.communities {
        c.colour = colours.get(&c.id).copied();
    }
    Some(partition)
}

/// The colour of each theme of a kept run, by community id: as kept, or for a run kept before
/// colours were (none has one), by size rank, as pictures coloured it then.
fn colours_of(kept: &KeptCommunities) -> HashMap<u32, usize> {
    let stored: HashMap<u32, usize> = kept
        .communities
        .iter()
        .filter_map(|c| Some((c.id, c.colour? as usize)))
        .filter(|&(_, k)| k < THEME_COLOURS)
        .collect();
    if !stored.is_empty() || kept.communities.is_empty() {
        return stored;
    }
    let mut by_rank: Vec<&CommunityRow> = kept.communities.iter().collect();
    by_rank.sort_by(|a, b| b.size.cmp(&a.size).then(a.id.cmp(&b.id)));
    by_rank
        .iter()
        .take(THEME_COLOURS)
        .enumerate()
        .map(|(k, c)| (c.id, k))
        .collect()
}

/// Gives the [`THEME_COLOURS`] largest of `communities` (largest first) a colour each: a theme
/// keeps the colour `previous` gave its id, so this month's pictures can be set beside last
/// month's; the others take the free colours in order, most distinct first (the largest
/// theme of a first run gets colour 0). Smaller themes get none.
///
/// # Complexity
/// * Time complexity: **O(c)** for c communities.
fn colour_themes(communities: &mut [Community], previous: &HashMap<u32, usize>) {
    let top = communities.len().min(THEME_COLOURS);
    let mut taken = [false; THEME_COLOURS];
    for c in communities.iter_mut() {
        c.colour = None;
    }
    for c in &mut communities[..top] {
        if let Some(&k) = previous.get(&c.id) {
            if k < THEME_COLOURS && !taken[k] {
                taken[k] = true;
                c.colour = Some(k);
            }
        }
    }
    let mut free = (0..THEME_COLOURS).filter(|&k| !taken[k]);
    for c in &mut communities[..top] {
        if c.colour.is_none() {
            c.colour = free.next();
        }
    }
}

/// The labels to show: a person's name where one is set, else the automatic label.
fn with_names(labels: &HashMap<u32, String>, names: &[ThemeName]) -> HashMap<u32, String> {
    let mut shown = labels.clone();
    for n in names {
        if let Some(label) = shown.get_mut(&n.id) {
            label.clone_from(&n.name);
        }
    }
    shown
}

/// What became of every named theme of `previous` in a new partition (`membership`: stable
/// id per node): `None` when it continued whole; else the themes now holding a part of its
/// insights still in the graph — at least a quarter of them and at least two — its own id
/// first if it continued. A named theme not in `previous` is left as recorded, unless it is in
/// the new partition (then `None`). O(V) for the V insights of `previous`.
fn fates(
    graph: &InsightGraph,
    previous: &KeptCommunities,
    membership: &[u32],
    names: &[ThemeName],
) -> Vec<(u32, Option<Vec<u32>>)> {
    if names.is_empty() {
        return Vec::new();
    }
    let named: HashMap<u32, usize> = names.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    // Per named theme: (new id, insights of the old theme now in it).
    let mut parts: Vec<HashMap<u32, usize>> = vec![HashMap::new(); names.len()];
    let mut in_previous = vec![false; names.len()];
    for &(id, old) in &previous.memberships {
        let Some(&i) = named.get(&old) else { continue };
        in_previous[i] = true;
        if let Some(u) = graph.index_of(id) {
            *parts[i].entry(membership[u as usize]).or_default() += 1;
        }
    }
    let mut present: Vec<u32> = membership.to_vec();
    present.sort_unstable();
    present.dedup();
    names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let continues = present.binary_search(&n.id).is_ok();
            if !in_previous[i] {
                return continues.then_some((n.id, None));
            }
            let total: usize = parts[i].values().sum();
            let mut others: Vec<u32> = parts[i]
                .iter()
                .filter(|&(&c, &k)| c != n.id && k >= 2 && 4 * k >= total)
                .map(|(&c, _)| c)
                .collect();
            others.sort_unstable();
            let became = match (continues, others.is_empty()) {
                (true, true) => None,
                (true, false) => Some(std::iter::once(n.id).chain(others).collect()),
                (false, _) => Some(others),
            };
            Some((n.id, became))
        })
        .collect()
}

/// What happened to a named theme, as [`name_changes`] reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameChange {
    /// The theme's id.
    pub id: u32,
    /// The person's name for it.
    pub name: String,
    pub change: ChangeKind,
    /// `split`: the themes it split into, its own id first. `gone`: the themes that hold a
    /// part of its insights now (may be empty).
    pub into: Vec<u32>,
}

/// How a named theme changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// It continues, but other themes took a large part of its insights.
    Split,
    /// It is not among the themes of the partition.
    Gone,
}

impl std::fmt::Display for NameChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |ids: &[u32]| -> String {
            let ids: Vec<String> = ids.iter().map(u32::to_string).collect();
            match ids.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
                _ => ids.join(""),
            }
        };
        write!(f, "theme {} '{}' ", self.id, self.name)?;
        match (self.change, self.into.is_empty()) {
            (ChangeKind::Split, _) => write!(f, "split into {}", list(&self.into)),
            (ChangeKind::Gone, true) => write!(f, "no longer exists"),
            (ChangeKind::Gone, false) => {
                let themes = if self.into.len() == 1 {
                    "theme"
                } else {
                    "themes"
                };
                write!(
                    f,
                    "no longer exists; its insights are now mostly in {themes} {}",
                    list(&self.into)
                )
            }
        }
    }
}

/// The named themes that `partition` does not show whole: split into others (recorded when
/// the partition was computed), or not among its themes at all. By theme id.
pub fn name_changes(store: &Store, partition: &Partition) -> Result<Vec<NameChange>> {
    let mut present: Vec<u32> = partition.communities.iter().map(|c| c.id).collect();
    present.sort_unstable();
    let exists = |id: u32| present.binary_search(&id).is_ok();
    Ok(store
        .theme_names()?
        .into_iter()
        .filter_map(|n| {
            let became = n.became.unwrap_or_default();
            let (change, into) = if !exists(n.id) {
                (
                    ChangeKind::Gone,
                    became.into_iter().filter(|&c| exists(c)).collect(),
                )
            } else if became.len() >= 2 && became.iter().all(|&c| exists(c)) {
                (ChangeKind::Split, became)
            } else {
                return None;
            };
            Some(NameChange {
                id: n.id,
                name: n.name,
                change,
                into,
            })
        })
        .collect())
}

/// Most characters in a theme name: it has to fit a legend and a table column.
pub const MAX_NAME_CHARS: usize = 60;

/// What [`name_theme`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    /// The theme has this name now (white space collapsed).
    Set(String),
    /// The name it had was removed.
    Cleared(String),
    /// `--clear`, but the theme had no name of its own.
    HadNone,
}

/// Give theme `id` a person's `name`, or with `None` remove its name (the automatic label is
/// shown again). The name stays with the theme through re-runs and imports (stable ids).
/// [`Error::NotFound`] if no kept partition has a theme `id` (and, to clear, it has no name);
/// [`Error::InvalidInput`] for an empty name or one over [`MAX_NAME_CHARS`].
pub fn name_theme(store: &mut Store, id: u32, name: Option<&str>) -> Result<Named> {
    let name = name.map(check_name).transpose()?;
    let known = store.theme_exists(id)?;
    let has_name = store.theme_names()?.iter().any(|n| n.id == id);
    if !known && !has_name {
        return Err(Error::NotFound(format!(
            "no theme {id} in the kept partitions: `netgraph communities` finds the themes and lists their ids"
        )));
    }
    let before = store.set_theme_name(id, name.as_deref())?;
    Ok(match (name, before) {
        (Some(name), _) => Named::Set(name),
        (None, Some(before)) => Named::Cleared(before),
        (None, None) => Named::HadNone,
    })
}

fn check_name(name: &str) -> Result<String> {
    super::check_given_text(name, "theme name", MAX_NAME_CHARS, "a legend", "name")
}

/// The text of every node, by node index; then the page cache they went through is given back.
fn read_texts(store: &Store, graph: &InsightGraph) -> Result<Vec<String>> {
    let mut texts = vec![String::new(); graph.node_count()];
    for (id, text) in store.insight_texts()? {
        if let Some(u) = graph.index_of(id) {
            texts[u as usize] = text;
        }
    }
    store.release_cache()?;
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
/// to keep where it continues a previous community. Fresh ids are at least `first_fresh` (above
/// every named theme's id, so a name never passes to an unrelated theme) and above every id
/// of `previous`.
fn stable_ids(
    graph: &InsightGraph,
    clustering: &Clustering,
    previous: Option<&KeptCommunities>,
    first_fresh: u32,
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
    let mut next_id = first_fresh;
    if let Some(previous) = previous {
        let old_of = |id: InsightId| -> Option<u32> {
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
            .map(|c| (c.id, &c.label))
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
            .chain(previous.communities.iter().map(|c| c.id))
            .max();
        next_id = next_id.max(max_old.map_or(0, |m| m + 1));
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
    params: &PartitionParams,
    membership: Vec<u32>,
    mut labels: HashMap<u32, String>,
    reused: bool,
) -> Partition {
    // Members rank by the weight of their edges inside their community, which the one pass
    // over the edges that modularity takes gives along the way.
    let mut inside = vec![0.0; membership.len()];
    let modularity = modularity_with(graph, &membership, params.resolution, |u, w| {
        inside[u as usize] = w;
    });
    let mut members: HashMap<u32, Vec<(f64, InsightId)>> = HashMap::new();
    for (u, &c) in membership.iter().enumerate() {
        members
            .entry(c)
            .or_default()
            .push((inside[u], graph.id(u as u32)));
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
                colour: None,
            }
        })
        .collect();
    communities.sort_by(|a, b| b.size.cmp(&a.size).then(a.id.cmp(&b.id)));
    Partition {
        algorithm,
        resolution: params.resolution,
        seed: params.seed,
        restarts: params.restarts,
        modularity,
        membership,
        communities,
        reused,
        kept: reused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Communities with these ids, largest first.
    fn ranked(ids: &[u32]) -> Vec<Community> {
        ids.iter()
            .enumerate()
            .map(|(rank, &id)| Community {
                id,
                size: 1000 - rank,
                label: String::new(),
                members: Vec::new(),
                colour: None,
            })
            .collect()
    }

    fn colours(communities: &[Community]) -> Vec<Option<usize>> {
        communities.iter().map(|c| c.colour).collect()
    }

    #[test]
    fn themes_keep_their_colours_and_new_ones_take_the_free_ones() {
        // A first run: colours by rank, none past the palette.
        let mut first = ranked(&(0..30).collect::<Vec<_>>());
        colour_themes(&mut first, &HashMap::new());
        let by_rank: Vec<Option<usize>> =
            (0..30).map(|r| (r < THEME_COLOURS).then_some(r)).collect();
        assert_eq!(colours(&first), by_rank);
        // Next run: new theme 40 is largest, 3 and 1 swap places, and 23 drops below the
        // palette's 24 (25 takes its rank, still outside). Each theme still inside keeps its
        // colour; 40 takes the one free colour, 23's.
        let previous: HashMap<u32, usize> = first
            .iter()
            .filter_map(|c| Some((c.id, c.colour?)))
            .collect();
        let mut order: Vec<u32> = vec![40, 0, 3, 2, 1];
        order.extend(4..23);
        order.extend([25, 23, 24]);
        let mut next = ranked(&order);
        colour_themes(&mut next, &previous);
        let of = |id: u32| next.iter().find(|c| c.id == id).unwrap().colour;
        for id in 0..23 {
            assert_eq!(of(id), Some(id as usize), "theme {id}");
        }
        assert_eq!((of(40), of(25)), (Some(23), None));
        assert_eq!((of(23), of(24)), (None, None));
        // A stored colour out of range or claimed twice is not taken.
        let odd: HashMap<u32, usize> = [(0, 99), (1, 5), (2, 5)].into();
        let mut three = ranked(&[0, 1, 2]);
        colour_themes(&mut three, &odd);
        assert_eq!(colours(&three), [Some(0), Some(5), Some(1)]);
    }

    fn kept(memberships: Vec<(u32, u32)>, labels: &[(u32, &str)]) -> KeptCommunities {
        KeptCommunities {
            run_id: 1,
            algorithm: Algorithm::Leiden,
            params: "{}".into(),
            graph_version: 1,
            summary: "{}".into(),
            communities: labels
                .iter()
                .map(|(id, l)| CommunityRow {
                    id: *id,
                    size: 0,
                    label: l.to_string(),
                    colour: None,
                })
                .collect(),
            memberships: memberships
                .into_iter()
                .map(|(i, c)| (InsightId(i), c))
                .collect(),
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
        let (ids, labels) = stable_ids(&g, &clustering, Some(&previous), 0);
        assert_eq!(ids, vec![7, 9, 4]);
        assert_eq!(
            labels,
            vec![Some("a".into()), Some("c".into()), Some("b".into())]
        );
        // Without history: largest first.
        let (ids, labels) = stable_ids(&g, &clustering, None, 0);
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
        let (ids, _) = stable_ids(&g, &clustering, Some(&previous), 0);
        assert_eq!(ids, vec![3, 4]);
    }

    #[test]
    fn members_are_ordered_by_inside_strength() {
        // Star 0-1, 0-2 (w 2), 0-3, and 4 alone.
        let g = InsightGraph::from_index_edges(5, &[(0, 1, 1.0), (0, 2, 2.0), (0, 3, 1.0)]);
        let leiden = CommunityConfig::for_graph(Algorithm::Leiden, 5);
        let params = PartitionParams::of(&leiden);
        let p = build(
            &g,
            Algorithm::Leiden,
            &params,
            vec![5, 5, 5, 5, 6],
            HashMap::new(),
            false,
        );
        let ids = |v: &[u32]| v.iter().map(|&i| InsightId(i)).collect::<Vec<_>>();
        assert_eq!(p.communities[0].members, ids(&[0, 2, 1, 3]));
        assert_eq!(p.communities[1].members, ids(&[4]));
        assert_eq!(p.restarts, 10);
    }

    #[test]
    fn params_are_canonical_json_and_read_back() {
        let leiden = CommunityConfig::for_graph(Algorithm::Leiden, 5);
        let json = PartitionParams::of(&leiden).to_json();
        let iterations =
            serde_json::to_string(&crate::algo::community::LeidenConfig::default().iterations)
                .unwrap();
        assert_eq!(
            json,
            format!(
                r#"{{"iterations":{iterations},"randomness":0.01,"resolution":1.0,"restarts":10,"seed":1}}"#
            )
        );
        let louvain = CommunityConfig::for_graph(Algorithm::Louvain, 5);
        assert_eq!(
            PartitionParams::of(&louvain).to_json(),
            r#"{"resolution":1.0,"restarts":10,"seed":1}"#
        );
        let back: PartitionParams = serde_json::from_str(&json).unwrap();
        assert_eq!((back.resolution, back.seed, back.restarts), (1.0, 1, 10));
    }

    #[test]
    fn a_partition_is_kept_and_reused_by_parameters() {
        let mut store = Store::open_in_memory().unwrap();
        let g = InsightGraph::from_index_edges(
            6,
            &[
                (0, 1, 1.0),
                (1, 2, 1.0),
                (0, 2, 1.0),
                (3, 4, 1.0),
                (4, 5, 1.0),
                (3, 5, 1.0),
                (2, 3, 1.0),
            ],
        );
        let config = CommunityConfig::for_graph(Algorithm::Leiden, 6);
        let first = partition(&mut store, &g, &config, Reuse::SameParameters).unwrap();
        assert!(!first.reused);
        let again = partition(&mut store, &g, &config, Reuse::SameParameters).unwrap();
        assert!(again.reused);
        assert_eq!(again.membership, first.membership);
        let louvain = CommunityConfig::for_graph(Algorithm::Louvain, 6);
        // Any parameters: the Leiden partition kept for this graph stands in for Louvain.
        let any = partition(&mut store, &g, &louvain, Reuse::AnyParameters).unwrap();
        assert!(any.reused && any.algorithm == Algorithm::Leiden);
        let fresh = partition(&mut store, &g, &louvain, Reuse::Never).unwrap();
        assert!(!fresh.reused && fresh.algorithm == Algorithm::Louvain);
        // Ids follow the members: the same two themes keep the ids Leiden gave them.
        assert_eq!(fresh.membership, first.membership);
    }
}
