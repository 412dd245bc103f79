//! The part of the graph an export shows: the insights and edges the filters keep, with
//! everything the writers draw (text, source count, scores, community, colour).
//!
//! Selection lives here, in the library, so every format shows the same subgraph:
//!
//! 1. `--min-weight W` drops edges lighter than W (the ego walk below uses only kept edges);
//! 2. `--community K` keeps the members of community K;
//! 3. `--ego ID --radius R` keeps insights at most R kept edges away from insight ID;
//! 4. `--top N` keeps the N highest-scoring insights left (the ego centre always stays);
//! 5. the edges are the kept edges among the kept insights;
//! 6. `--backbone` thins those edges to the ones that carry the picture
//!    ([`crate::algo::backbone`]); pictures denser than [`AUTO_BACKBONE_DEGREE`] get the
//!    disparity filter unless told otherwise.
//!
//! Colours follow each community's rank in the whole partition (largest first), not in the
//! selection, so an insight keeps its colour whatever the filters: highlight by colour,
//! never by a different picture.

use crate::algo::backbone::{Backbone, DEFAULT_ALPHA};
use crate::algo::centrality::Measure;
use crate::error::{Error, Result};
use crate::graph::InsightGraph;
use crate::ids::{InsightId, SourceId};
use crate::results::{self, Analyses, Partition, THEME_COLOURS};
use crate::store::sources::SourceNode;
use crate::store::Store;
use std::collections::{HashMap, VecDeque};

/// The colour of each theme by its rank (largest first), enough for a whole theme map (24
/// themes by default): Okabe & Ito's colour-blind-safe palette ("Color Universal Design",
/// 2008), most distinct first; then darker (40% black) and lighter (45% white) forms of its
/// hues, leaving out forms of black, the light blue (it would pass for sky blue) and the light
/// yellow (too faint on white); then three hues of Paul Tol's "muted" scheme that none of
/// those resemble (indigo, rose, wine) and a lavender. A theme keeps its colour in every picture,
/// slide and page.
#[rustfmt::skip] // one line per ring: Okabe–Ito, darker, lighter, Tol and lavender
pub const PALETTE: [&str; THEME_COLOURS] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#00446B", "#8A5F00", "#005F45", "#7A4964", "#346C8C", "#803800", "#908928",
    "#F1CA73", "#73CAB2", "#E3B5CF", "#A2D6F3", "#E8A673",
    "#332288", "#CC6677", "#882255", "#B8A9DB",
];

/// The colour of themes beyond the palette, and of "other themes" in a legend.
pub const OTHER_COLOUR: &str = "#BBBBBB";

/// Most themes a picture's legend names; the others' insights are "other themes", in grey.
pub const LEGEND_THEMES: usize = 8;

/// The colour of a theme that has place `colour` in the palette
/// ([`Community::colour`](crate::results::Community::colour)), the same in every picture and
/// from run to run; grey without one.
pub fn theme_colour(colour: Option<usize>) -> &'static str {
    colour
        .and_then(|k| PALETTE.get(k))
        .copied()
        .unwrap_or(OTHER_COLOUR)
}

/// Which insights and edges to show. The default shows the 30 most central insights, so a
/// slide stays readable.
#[derive(Debug, Clone, PartialEq)]
pub struct Filters {
    /// Keep the N highest-scoring insights; `None` keeps all.
    pub top: Option<usize>,
    /// Keep only the members of this community.
    pub community: Option<u32>,
    /// Keep insights within `radius` edges of this insight.
    pub ego: Option<Ego>,
    /// Drop edges lighter than this.
    pub min_weight: Option<f64>,
    /// Add the sources of the kept insights (appears-in edges).
    pub with_sources: bool,
    /// With `with_sources`: at most this many, those holding the most kept insights (ties by
    /// id); `None` keeps all (data exports). A picture's 30 insights may sit in thousands of
    /// sources, which no slide can show (and Graphviz takes minutes to place).
    pub max_sources: Option<usize>,
    /// Thin the edges among the kept insights.
    pub backbone: BackboneChoice,
    /// Keep only these insights (sorted; ids not in the graph are ignored): a deck's slide
    /// of chosen insights.
    pub only: Option<Vec<InsightId>>,
}

/// Whether to thin a view's edges to a backbone.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum BackboneChoice {
    /// Every edge (the default of data exports).
    #[default]
    Off,
    /// The disparity filter when the shown graph is denser than [`AUTO_BACKBONE_DEGREE`]
    /// (the default of pictures).
    Auto,
    /// This backbone.
    On(Backbone),
}

/// Average degree above which a picture's edges are thinned to the disparity backbone by
/// default: beyond about six links per circle a picture is a hairball.
pub const AUTO_BACKBONE_DEGREE: f64 = 6.0;

/// A backbone applied to a view: which, and how many edges it thinned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AppliedBackbone {
    pub backbone: Backbone,
    /// Edges among the shown insights before thinning.
    pub edges_before: usize,
    /// Chosen by [`BackboneChoice::Auto`], not by the user.
    pub automatic: bool,
    /// Edges the automatic backbone kept beyond the filter: the heaviest links of insights
    /// the filter left without any.
    pub heaviest_added: usize,
}

impl std::fmt::Display for AppliedBackbone {
    /// "disparity filter, alpha 0.05", with "and each insight's heaviest link" when the
    /// automatic backbone added those.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.backbone)?;
        if self.heaviest_added > 0 {
            write!(f, ", and each insight's heaviest links")?;
        }
        Ok(())
    }
}

/// The neighbourhood of one insight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ego {
    pub id: InsightId,
    pub radius: u32,
}

/// The default number of insights on a picture.
pub const DEFAULT_TOP: usize = 30;

/// The most sources a picture draws with `--with-sources`.
pub const PICTURE_SOURCES: usize = 40;

impl Default for Filters {
    fn default() -> Self {
        Filters {
            top: Some(DEFAULT_TOP),
            community: None,
            ego: None,
            min_weight: None,
            with_sources: false,
            max_sources: Some(PICTURE_SOURCES),
            backbone: BackboneChoice::Auto,
            only: None,
        }
    }
}

/// What to select and which measure sizes the nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewConfig {
    pub filters: Filters,
    /// The centrality that ranks (`top`) and sizes the insights.
    pub size_by: Measure,
}

impl Default for ViewConfig {
    fn default() -> Self {
        ViewConfig {
            filters: Filters::default(),
            size_by: Measure::PageRank,
        }
    }
}

/// An insight on the picture.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewNode {
    pub id: InsightId,
    pub text: String,
    /// Its short title (a person's, else the automatic one; see [`crate::results::titles`]).
    pub title: String,
    /// How many sources hold it.
    pub sources: i64,
    /// Its score in [`View::size_by`].
    pub score: f64,
    /// Its kept scores, parallel to [`View::measures`].
    pub scores: Vec<f64>,
    pub community: u32,
    /// Index into [`View::themes`].
    pub theme: usize,
}

/// An appears-with edge between two kept insights; `a < b` (insight ids).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewEdge {
    pub a: InsightId,
    pub b: InsightId,
    pub weight: f64,
}

/// A legend entry: one community, or "other" for every community beyond the eight largest.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// `None` for "other".
    pub community: Option<u32>,
    pub label: String,
    pub colour: &'static str,
    /// Kept insights drawn in this colour.
    pub shown: usize,
}

/// Another theme a one-theme picture links to: a stub at the picture's edge.
#[derive(Debug, Clone, PartialEq)]
pub struct Stub {
    pub community: u32,
    pub label: String,
    pub colour: &'static str,
    /// Total weight of the links from the shown insights to it (what ranks the stubs).
    pub weight: f64,
    /// How many links go from the shown insights to it (not from the whole theme: `bridges`
    /// counts those).
    pub edges: usize,
    /// The shown insights with the heaviest links to it, and their weight (at most
    /// [`STUB_MEMBERS`]), heaviest first.
    pub links: Vec<(InsightId, f64)>,
}

/// Other themes drawn as stubs on a one-theme picture, and links drawn to each.
pub const STUB_THEMES: usize = 6;
pub const STUB_MEMBERS: usize = 3;

/// The selected subgraph with its attributes, sorted by id: the same input gives the same
/// bytes in every format.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub nodes: Vec<ViewNode>,
    pub edges: Vec<ViewEdge>,
    pub size_by: Measure,
    /// The measures with kept scores (always including `size_by`), in [`Measure::ALL`] order.
    pub measures: Vec<Measure>,
    /// Legend entries of the kept insights: communities largest first, "other" last.
    pub themes: Vec<Theme>,
    /// Sources of the kept insights, when asked for.
    pub sources: Vec<SourceNode>,
    /// (insight id, source id), sorted.
    pub appears_in: Vec<(InsightId, SourceId)>,
    /// Sources of the kept insights before [`Filters::max_sources`] (`sources.len()` when
    /// none were left out).
    pub sources_total: usize,
    /// With `--community K`: the other themes its insights link to most, drawn as labelled
    /// stubs (heaviest first); empty otherwise.
    pub stubs: Vec<Stub>,
    /// Insights in the whole graph.
    pub graph_nodes: usize,
    /// With `--community K`: the insights of theme K.
    pub theme_size: Option<usize>,
    /// Insights the filters other than `--top` kept (the whole graph, a theme's members, an
    /// ego network), of which [`View::nodes`] are the most central.
    pub pool: usize,
    /// The filters that made it.
    pub filters: Filters,
    /// The backbone [`View::edges`] were thinned to, if any.
    pub backbone: Option<AppliedBackbone>,
    /// The scores and communities it shows are in the store (`false`: computed on a
    /// read-only database, not kept).
    pub kept: bool,
}

impl View {
    /// Position of insight `id` in [`View::nodes`].
    pub fn position(&self, id: InsightId) -> Option<usize> {
        self.nodes.binary_search_by_key(&id, |n| n.id).ok()
    }
}

/// Select the subgraph: load the graph, reuse (or compute and keep) the scores and the
/// partition, apply the filters. O(V log V + E) after the analyses.
///
/// Errors: [`Error::EmptyGraph`] when the database has no insights, [`Error::NotFound`] for
/// an unknown `--ego` insight or `--community`, or when the filters keep nothing.
pub fn build(store: &mut Store, config: &ViewConfig) -> Result<View> {
    let analyses = Analyses::load(store, config.size_by)?;
    build_with(store, &analyses, config)
}

/// The view `filters` select from analyses already loaded, ranked and sized by their measure.
pub fn filtered(store: &mut Store, analyses: &Analyses, filters: Filters) -> Result<View> {
    let config = ViewConfig {
        filters,
        size_by: analyses.size_by(),
    };
    build_with(store, analyses, &config)
}

/// [`build`] on analyses already loaded (ranked by `config.size_by`, which they must be).
pub fn build_with(store: &mut Store, analyses: &Analyses, config: &ViewConfig) -> Result<View> {
    let Analyses {
        graph,
        partition,
        scores: size,
        titles,
        version,
    } = analyses;
    debug_assert_eq!(size.measure, config.size_by);
    let mut measures = Vec::new();
    let mut columns: Vec<Vec<f64>> = Vec::new();
    for measure in Measure::ALL {
        if measure == config.size_by {
            measures.push(measure);
            columns.push(size.values.clone());
        } else if let Some(kept) = results::scores::kept(store, graph, measure, *version)? {
            measures.push(measure);
            columns.push(kept.values);
        }
    }

    let filters = &config.filters;
    let keep_edge = |w: f64| filters.min_weight.is_none_or(|min| w >= min);
    let (kept, pool) = select(graph, partition, &size.values, filters, keep_edge)?;

    let texts = kept_texts(store, graph, &kept)?;
    let (themes, theme_of) = themes(partition, &kept);
    let nodes: Vec<ViewNode> = kept
        .iter()
        .zip(texts)
        .map(|(&u, row)| {
            let id = graph.id(u);
            let (text, sources) = (row.text, row.sources);
            let community = partition.membership[u as usize];
            ViewNode {
                id,
                title: titles.get(id).unwrap_or_default().to_string(),
                text,
                sources,
                score: size.values[u as usize],
                scores: columns.iter().map(|c| c[u as usize]).collect(),
                community,
                theme: theme_of(community),
            }
        })
        .collect();

    let mut edges = Vec::new();
    for &u in &kept {
        for (&v, &w) in graph.neighbors(u).iter().zip(graph.weights(u)) {
            if u < v && keep_edge(w) && kept.binary_search(&v).is_ok() {
                edges.push(ViewEdge {
                    a: graph.id(u),
                    b: graph.id(v),
                    weight: w,
                });
            }
        }
    }

    let backbone = thin(&mut edges, &nodes, filters.backbone);
    let stubs = match filters.community {
        Some(_) => stubs(graph, partition, &kept, keep_edge),
        None => Vec::new(),
    };

    let (mut sources, mut appears_in) = if filters.with_sources {
        store.appears_in(&nodes.iter().map(|n| n.id).collect::<Vec<_>>())?
    } else {
        (Vec::new(), Vec::new())
    };
    let sources_total = sources.len();
    if let Some(max) = filters.max_sources {
        keep_top_sources(&mut sources, &mut appears_in, max);
    }

    Ok(View {
        nodes,
        edges,
        size_by: config.size_by,
        measures,
        themes,
        sources,
        appears_in,
        stubs,
        sources_total,
        graph_nodes: graph.node_count(),
        theme_size: filters
            .community
            .and_then(|k| partition.communities.iter().find(|c| c.id == k))
            .map(|c| c.size),
        pool,
        filters: filters.clone(),
        backbone,
        kept: partition.kept && size.kept,
    })
}

/// Apply `choice` to `edges` (between `nodes`); say what was applied.
///
/// The automatic backbone is the disparity filter plus, for every insight the filter would
/// leave without a link, its heaviest links (all of them when they tie): where weights do not
/// tell strong links from weak ones (a clique of equal weights) nothing is significant, and a
/// picture without lines would say less than one with all of them. When that keeps every
/// edge, nothing is thinned and the picture says nothing about a backbone.
fn thin(
    edges: &mut Vec<ViewEdge>,
    nodes: &[ViewNode],
    choice: BackboneChoice,
) -> Option<AppliedBackbone> {
    let automatic = match choice {
        BackboneChoice::Off => return None,
        BackboneChoice::On(_) => false,
        BackboneChoice::Auto => {
            let degree = 2.0 * edges.len() as f64 / nodes.len().max(1) as f64;
            if degree <= AUTO_BACKBONE_DEGREE {
                return None;
            }
            true
        }
    };
    let backbone = match choice {
        BackboneChoice::On(backbone) => backbone,
        _ => Backbone::Disparity {
            alpha: DEFAULT_ALPHA,
        },
    };
    // Nodes are sorted by id, so their positions are dense indices.
    let index = |id: InsightId| nodes.binary_search_by_key(&id, |n| n.id).unwrap_or(0) as u32;
    let list: Vec<(u32, u32, f64)> = edges
        .iter()
        .map(|e| (index(e.a), index(e.b), e.weight))
        .collect();
    let mut keep = backbone.keep(nodes.len(), &list);
    let mut heaviest_added = 0;
    if automatic {
        let mut linked = vec![false; nodes.len()];
        let mut heaviest = vec![0.0f64; nodes.len()];
        for (&(u, v, w), &k) in list.iter().zip(&keep) {
            for x in [u as usize, v as usize] {
                linked[x] |= k;
                heaviest[x] = heaviest[x].max(w);
            }
        }
        for (&(u, v, w), k) in list.iter().zip(keep.iter_mut()) {
            let rescues = |x: u32| !linked[x as usize] && w == heaviest[x as usize];
            if !*k && (rescues(u) || rescues(v)) {
                *k = true;
                heaviest_added += 1;
            }
        }
        if keep.iter().all(|&k| k) {
            return None;
        }
    }
    let edges_before = edges.len();
    let mut flags = keep.into_iter();
    edges.retain(|_| flags.next().unwrap_or(false));
    Some(AppliedBackbone {
        backbone,
        edges_before,
        automatic,
        heaviest_added,
    })
}

/// The themes outside a one-theme selection that its insights link to most (see [`Stub`]).
/// O(E_kept + T log T) for the edges leaving the kept insights and T themes they reach.
fn stubs(
    graph: &InsightGraph,
    partition: &Partition,
    kept: &[u32],
    keep_edge: impl Fn(f64) -> bool,
) -> Vec<Stub> {
    use std::collections::BTreeMap;
    // Other theme -> (total weight to it, links to it, weight per shown insight).
    type Toward = (f64, usize, BTreeMap<u32, f64>);
    let mut to: BTreeMap<u32, Toward> = BTreeMap::new();
    for &u in kept {
        let own = partition.membership[u as usize];
        for (&v, &w) in graph.neighbors(u).iter().zip(graph.weights(u)) {
            let other = partition.membership[v as usize];
            if other != own && keep_edge(w) {
                let entry = to.entry(other).or_default();
                entry.0 += w;
                entry.1 += 1;
                *entry.2.entry(u).or_default() += w;
            }
        }
    }
    let mut ranked: Vec<(u32, Toward)> = to.into_iter().collect();
    ranked.sort_by(|a, b| b.1 .0.total_cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    ranked.truncate(STUB_THEMES);
    ranked
        .into_iter()
        .map(|(c, (weight, edges, members))| {
            let theme = partition.communities.iter().find(|x| x.id == c);
            let mut links: Vec<(InsightId, f64)> =
                members.into_iter().map(|(u, w)| (graph.id(u), w)).collect();
            links.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            links.truncate(STUB_MEMBERS);
            Stub {
                community: c,
                label: theme.map_or_else(String::new, |t| t.label.clone()),
                colour: theme_colour(theme.and_then(|t| t.colour)),
                weight,
                edges,
                links,
            }
        })
        .collect()
}

/// Text and source count of the kept insights, in `kept` order: one lookup each for a few
/// (a picture), one scan of every insight when most are kept (a data export).
fn kept_texts(
    store: &Store,
    graph: &InsightGraph,
    kept: &[u32],
) -> Result<Vec<crate::store::insights::InsightRow>> {
    if kept.len() * 8 < graph.node_count() {
        let ids: Vec<InsightId> = kept.iter().map(|&u| graph.id(u)).collect();
        return store.insight_details(&ids);
    }
    // Sorted by id, like `kept` (node indices follow ids).
    let all = store.insights_with_sources()?;
    Ok(kept
        .iter()
        .map(|&u| {
            let id = graph.id(u);
            all.binary_search_by_key(&id, |t| t.id)
                .map(|i| all[i].clone())
                .unwrap_or(crate::store::insights::InsightRow {
                    id,
                    sources: 0,
                    text: String::new(),
                })
        })
        .collect())
}

/// Keep the `max` sources holding the most kept insights (ties by lower id), and only their
/// appears-in edges; both lists stay in their order. O(S log S + A) for S sources and A edges.
fn keep_top_sources(
    sources: &mut Vec<SourceNode>,
    appears_in: &mut Vec<(InsightId, SourceId)>,
    max: usize,
) {
    if sources.len() <= max {
        return;
    }
    let mut holding: HashMap<SourceId, usize> = HashMap::new();
    for &(_, source) in appears_in.iter() {
        *holding.entry(source).or_default() += 1;
    }
    let mut ranked: Vec<SourceId> = sources.iter().map(|s| s.id).collect();
    ranked.sort_by_key(|&id| {
        (
            std::cmp::Reverse(holding.get(&id).copied().unwrap_or(0)),
            id,
        )
    });
    ranked.truncate(max);
    ranked.sort_unstable();
    sources.retain(|s| ranked.binary_search(&s.id).is_ok());
    appears_in.retain(|&(_, source)| ranked.binary_search(&source).is_ok());
}

/// The kept node indices, ascending (= by insight id).
fn select(
    graph: &InsightGraph,
    partition: &Partition,
    score: &[f64],
    filters: &Filters,
    keep_edge: impl Fn(f64) -> bool,
) -> Result<(Vec<u32>, usize)> {
    let n = graph.node_count();
    let mut keep = vec![true; n];
    if let Some(k) = filters.community {
        if !partition.communities.iter().any(|c| c.id == k) {
            let known = partition.communities.len();
            return Err(Error::NotFound(format!(
                "no community {k}: the graph has {known} communities; `netgraph communities` lists them"
            )));
        }
        for (u, keep) in keep.iter_mut().enumerate() {
            *keep &= partition.membership[u] == k;
        }
    }
    if let Some(only) = &filters.only {
        for (u, keep) in keep.iter_mut().enumerate() {
            *keep &= only.binary_search(&graph.id(u as u32)).is_ok();
        }
    }
    let mut centre = None;
    if let Some(ego) = filters.ego {
        let start = graph.index_of(ego.id).ok_or_else(|| {
            Error::NotFound(format!(
                "no insight #{}: `netgraph central` lists insight ids",
                ego.id
            ))
        })?;
        centre = Some(start);
        let within = neighbourhood(graph, start, ego.radius, &keep_edge);
        for (keep, within) in keep.iter_mut().zip(within) {
            *keep &= within;
        }
        keep[start as usize] = true;
    }
    let mut kept: Vec<u32> = (0..n as u32).filter(|&u| keep[u as usize]).collect();
    let pool = kept.len();
    if let Some(top) = filters.top {
        if kept.len() > top {
            // Highest score first, ties by id; the ego centre ranks above everything.
            kept.sort_by(|&x, &y| {
                (Some(y) == centre)
                    .cmp(&(Some(x) == centre))
                    .then(score[y as usize].total_cmp(&score[x as usize]))
                    .then(x.cmp(&y))
            });
            kept.truncate(top);
            kept.sort_unstable();
        }
    }
    if kept.is_empty() {
        return Err(Error::NotFound(
            "no insights match the filters (try a larger --top or a smaller --min-weight)".into(),
        ));
    }
    Ok((kept, pool))
}

/// Nodes at most `radius` kept edges from `start` (breadth-first). O(V + E).
fn neighbourhood(
    graph: &InsightGraph,
    start: u32,
    radius: u32,
    keep_edge: impl Fn(f64) -> bool,
) -> Vec<bool> {
    let mut hops = vec![u32::MAX; graph.node_count()];
    hops[start as usize] = 0;
    let mut queue = VecDeque::from([start]);
    while let Some(u) = queue.pop_front() {
        let next = hops[u as usize] + 1;
        if next > radius {
            continue;
        }
        for (&v, &w) in graph.neighbors(u).iter().zip(graph.weights(u)) {
            if keep_edge(w) && hops[v as usize] == u32::MAX {
                hops[v as usize] = next;
                queue.push_back(v);
            }
        }
    }
    hops.into_iter().map(|h| h != u32::MAX).collect()
}

/// Legend entries for the kept nodes and a map community -> entry: one for each of the
/// [`LEGEND_THEMES`] largest themes among them, in its [`theme_colour`], and one "other themes"
/// for the rest, if any.
fn themes(partition: &Partition, kept: &[u32]) -> (Vec<Theme>, impl Fn(u32) -> usize) {
    // Rank of each community in the whole partition (largest first).
    let mut rank: Vec<(u32, usize)> = partition
        .communities
        .iter()
        .enumerate()
        .map(|(r, c)| (c.id, r))
        .collect();
    rank.sort_unstable();
    let rank_of = move |c: u32| {
        rank.binary_search_by_key(&c, |x| x.0)
            .map_or(usize::MAX, |i| rank[i].1)
    };
    // Kept nodes per rank, ranks ascending; a community missing from the list sorts last.
    let mut shown: Vec<(usize, usize)> = Vec::new();
    {
        let mut ranks: Vec<usize> = kept
            .iter()
            .map(|&u| rank_of(partition.membership[u as usize]))
            .collect();
        ranks.sort_unstable();
        for r in ranks {
            match shown.last_mut() {
                Some((last, count)) if *last == r => *count += 1,
                _ => shown.push((r, 1)),
            }
        }
    }
    let named = shown
        .iter()
        .take_while(|&&(r, _)| r < partition.communities.len())
        .take(LEGEND_THEMES)
        .count();
    let mut themes: Vec<Theme> = shown[..named]
        .iter()
        .map(|&(r, count)| {
            let c = &partition.communities[r];
            Theme {
                community: Some(c.id),
                label: c.label.clone(),
                colour: theme_colour(c.colour),
                shown: count,
            }
        })
        .collect();
    let others: usize = shown[named..].iter().map(|&(_, count)| count).sum();
    if others > 0 {
        themes.push(Theme {
            community: None,
            label: "other themes".into(),
            colour: OTHER_COLOUR,
            shown: others,
        });
    }
    let named_ranks: Vec<usize> = shown[..named].iter().map(|&(r, _)| r).collect();
    (themes, move |c: u32| {
        named_ranks
            .binary_search(&rank_of(c))
            .unwrap_or(named_ranks.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::community::Algorithm;
    use crate::results::Community;

    fn partition(membership: Vec<u32>) -> Partition {
        let mut ids = membership.clone();
        ids.sort_unstable();
        ids.dedup();
        let mut communities: Vec<Community> = ids
            .iter()
            .map(|&c| {
                let members: Vec<InsightId> = membership
                    .iter()
                    .enumerate()
                    .filter(|&(_, &m)| m == c)
                    .map(|(u, _)| InsightId(u as u32))
                    .collect();
                Community {
                    id: c,
                    size: members.len(),
                    label: format!("c{c}"),
                    members,
                    colour: None,
                }
            })
            .collect();
        communities.sort_by(|a, b| b.size.cmp(&a.size).then(a.id.cmp(&b.id)));
        // Coloured by rank, as a first run colours them.
        for (rank, c) in communities.iter_mut().enumerate() {
            c.colour = (rank < THEME_COLOURS).then_some(rank);
        }
        Partition {
            algorithm: Algorithm::Leiden,
            resolution: 1.0,
            seed: 1,
            restarts: 1,
            modularity: 0.0,
            membership,
            communities,
            reused: false,
            kept: false,
        }
    }

    #[test]
    fn ego_walks_only_kept_edges_and_top_keeps_the_centre() {
        // 0 -1- 1 -3- 2 -1- 3
        let g = InsightGraph::from_index_edges(4, &[(0, 1, 1.0), (1, 2, 3.0), (2, 3, 1.0)]);
        let p = partition(vec![0, 0, 1, 1]);
        let score = [0.1, 0.5, 0.9, 0.2];
        let ego = Filters {
            top: None,
            ego: Some(Ego {
                id: InsightId(1),
                radius: 2,
            }),
            ..Filters::default()
        };
        assert_eq!(
            select(&g, &p, &score, &ego, |_| true).unwrap(),
            (vec![0, 1, 2, 3], 4)
        );
        assert_eq!(
            select(&g, &p, &score, &ego, |w| w >= 2.0).unwrap(),
            (vec![1, 2], 2)
        );
        // The pool is what the other filters kept, before --top takes the most central.
        let top = Filters {
            top: Some(1),
            ..ego
        };
        assert_eq!(
            select(&g, &p, &score, &top, |_| true).unwrap(),
            (vec![1], 4)
        );
    }

    #[test]
    fn a_picture_keeps_the_sources_holding_the_most_insights() {
        let source = |id: i64| SourceNode {
            id: SourceId(id),
            title: format!("s{id}"),
            path: String::new(),
        };
        let mut sources: Vec<SourceNode> = (1..=5).map(source).collect();
        // Source 3 holds three insights, 2 and 5 two each, 1 and 4 one each.
        let mut appears_in: Vec<(InsightId, SourceId)> = [
            (1, 1),
            (1, 2),
            (1, 3),
            (1, 5),
            (2, 2),
            (2, 3),
            (2, 5),
            (3, 3),
            (3, 4),
        ]
        .iter()
        .map(|&(i, s)| (InsightId(i), SourceId(s)))
        .collect();
        keep_top_sources(&mut sources, &mut appears_in, 2);
        // 3, then 2 before 5 on the tie (lower id).
        let ids: Vec<i64> = sources.iter().map(|s| s.id.0).collect();
        assert_eq!(ids, [2, 3]);
        assert_eq!(appears_in.len(), 5);
        assert!(appears_in.iter().all(|&(_, s)| s.0 == 2 || s.0 == 3));
        // Under the cap, nothing changes.
        let before = (sources.clone(), appears_in.clone());
        keep_top_sources(&mut sources, &mut appears_in, 2);
        assert_eq!((sources, appears_in), before);
    }

    #[test]
    fn themes_beyond_the_legend_share_grey() {
        let membership: Vec<u32> = (0..10).collect();
        let p = partition(membership);
        let kept: Vec<u32> = (0..10).collect();
        let (themes, theme_of) = themes(&p, &kept);
        assert_eq!(themes.len(), 9);
        assert_eq!(themes[8].colour, OTHER_COLOUR);
        assert_eq!(themes[8].shown, 2);
        assert_eq!(theme_of(9), 8);
        assert_eq!(themes[theme_of(0)].colour, PALETTE[0]);
    }

    /// A picture of smaller themes only (one theme's members, say) names them, each in the
    /// colour it has on the theme map, rather than showing them all as "other themes".
    #[test]
    fn a_smaller_theme_keeps_its_own_colour() {
        let membership: Vec<u32> = (0..30).collect();
        let p = partition(membership);
        let rank_of = |id: u32| p.communities.iter().position(|c| c.id == id).unwrap();
        let kept: Vec<u32> = vec![12, 17];
        let (themes, theme_of) = themes(&p, &kept);
        assert_eq!(themes.len(), 2);
        for u in kept {
            let theme = &themes[theme_of(p.membership[u as usize])];
            assert_eq!(theme.community, Some(p.membership[u as usize]));
            assert_eq!(theme.colour, PALETTE[rank_of(p.membership[u as usize])]);
            assert_ne!(theme.colour, OTHER_COLOUR);
        }
        // Past the palette, a theme is grey but still named.
        let (past, _) = super::themes(&p, &[25]);
        assert_eq!(past.len(), 1);
        assert_eq!(past[0].colour, OTHER_COLOUR);
        assert!(past[0].community.is_some());
    }

    #[test]
    fn palette_colours_are_distinct_and_not_the_other_grey() {
        assert!(PALETTE.len() >= crate::export::theme_map::DEFAULT_MAP_THEMES);
        let mut seen = std::collections::HashSet::new();
        for c in PALETTE {
            assert!(seen.insert(c), "{c} twice");
            assert_ne!(c, OTHER_COLOUR);
        }
    }
}
