//! What a deck and a report say about a database, assembled once from the kept analyses so
//! both tell the same story:
//!
//! - what was imported (sources, insights, formats, dates);
//! - the most central insights by PageRank and by betweenness;
//! - the largest themes: name, size, most central insights, distinctive words, and the themes
//!   each is most associated with (association strength, van Eck & Waltman 2009);
//! - bridges: insights joining themes, ranked by participation × betweenness (Guimerà &
//!   Amaral 2005; [`crate::algo::bridges`]);
//! - gaps: pairs of large themes linked far less than chance predicts (K_a K_b / 2m, Newman
//!   2018 §7.7), each phrased as a question, with the insights nearest to each side;
//! - near-duplicates still unmerged (for the report; [`crate::dedupe`]).
//!
//! Every number is the one `central`, `communities` and `bridges` print for the same database:
//! the story reads the same kept runs ([`Reuse::AnyParameters`]).

use super::view::theme_colour;
use crate::algo::bridges::{bridges, gaps};
use crate::algo::centrality::{BetweennessConfig, CentralityConfig, Measure};
use crate::algo::community::quotient::community_links;
use crate::dedupe::{self, DedupeConfig};
use crate::error::Result;
use crate::ids::InsightId;
use crate::results::{self, Analyses, Reuse, Scores};
use crate::store::decks::Imports;
use crate::store::Store;
use serde::Serialize;
use std::collections::HashMap;

/// What a story tells, and how much of it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryConfig {
    /// Insights in each ranking.
    pub top: usize,
    /// Themes told one by one (the largest).
    pub themes: usize,
    /// Central insights told per theme.
    pub per_theme: usize,
    /// Bridges told.
    pub bridges: usize,
    /// Gaps told.
    pub gaps: usize,
}

impl Default for StoryConfig {
    fn default() -> Self {
        StoryConfig {
            top: 10,
            themes: 6,
            per_theme: 5,
            bridges: 10,
            gaps: 3,
        }
    }
}

/// A pair of themes is a gap when it is linked at most this share of what chance predicts.
/// Modularity themes are linked below chance almost by definition, so only "far below" says
/// something.
pub const GAP_RATIO: f64 = 0.5;

/// Betweenness on graphs larger than this is estimated from [`BETWEENNESS_PIVOTS`] pivots
/// (Brandes & Pich 2007) when none is kept: exact betweenness is O(V·E).
pub const EXACT_BETWEENNESS_MAX: usize = 5_000;
pub const BETWEENNESS_PIVOTS: usize = 1_000;

/// Bridges told per theme.
pub const THEME_BRIDGES: usize = 3;
/// Insights a gap lists on each side.
const NEAREST_PER_SIDE: usize = 3;
/// Neighbours told per theme.
const NEIGHBOURS_PER_THEME: usize = 3;
/// Duplicate groups listed (all are counted).
const DUPLICATE_GROUPS: usize = 10;

/// An insight as the story tells it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryInsight {
    pub id: InsightId,
    pub title: String,
    pub text: String,
    /// Sources holding it.
    pub sources: i64,
    /// Its theme's stable id.
    pub theme: u32,
    /// Its score in the measure of the list it is in (PageRank unless said otherwise).
    pub score: f64,
    /// Its rank by that measure, 1 = most central.
    pub rank: usize,
}

/// The most central insights by one measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    pub measure: Measure,
    /// Estimated from sampled pivots.
    pub approximate: bool,
    /// What a reader should know ("approximate: ...").
    pub note: Option<String>,
    pub insights: Vec<StoryInsight>,
}

/// A theme named by id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeRef {
    pub id: u32,
    pub name: String,
    pub size: usize,
}

/// Another theme a theme is linked to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Neighbour {
    pub theme: ThemeRef,
    /// Total weight of the links between the two.
    pub weight: f64,
    /// weight / the weight chance predicts.
    pub association: f64,
}

/// One of the largest themes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryTheme {
    pub id: u32,
    pub name: String,
    pub size: usize,
    /// Its colour in every picture.
    pub colour: &'static str,
    /// Its most distinctive phrases (the automatic name's parts).
    pub words: Vec<String>,
    /// Its most central insights (PageRank).
    pub central: Vec<StoryInsight>,
    /// The themes it is most associated with, strongest first.
    pub neighbours: Vec<Neighbour>,
    /// Its own best bridges to other themes (at most [`THEME_BRIDGES`]).
    pub bridges: Vec<StoryInsight>,
}

/// An insight joining themes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryBridge {
    pub insight: StoryInsight,
    /// Participation coefficient: 0 when its links stay in its theme.
    pub participation: f64,
    pub betweenness: f64,
    /// participation × betweenness / max betweenness.
    pub score: f64,
    /// The themes its links reach besides its own, most weight first.
    pub joins: Vec<ThemeRef>,
}

/// Two large themes linked far less than chance predicts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryGap {
    pub a: ThemeRef,
    pub b: ThemeRef,
    pub weight: f64,
    pub expected: f64,
    /// weight / expected.
    pub ratio: f64,
    /// "What connects "A" and "B"?"
    pub question: String,
    /// Insights of each side nearest to the other: most weight to it, then most weight
    /// outside their own theme, then most central.
    pub near_a: Vec<StoryInsight>,
    pub near_b: Vec<StoryInsight>,
}

/// Near-duplicates still unmerged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duplicates {
    pub groups: usize,
    /// Insights in them.
    pub insights: usize,
    /// The first groups (by kept id): the kept insight's text and the others'.
    pub listed: Vec<DuplicateGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DuplicateGroup {
    pub keep: InsightId,
    pub similarity: f64,
    pub texts: Vec<String>,
}

/// Counts of the whole database.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Corpus {
    pub sources: i64,
    pub insights: usize,
    pub edges: usize,
    /// Communities of two or more insights.
    pub themes: usize,
    pub modularity: f64,
    pub algorithm: String,
    pub graph_version: i64,
}

/// The story of a database.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Story {
    pub corpus: Corpus,
    pub imports: Imports,
    pub by_pagerank: Ranking,
    pub by_betweenness: Ranking,
    /// The largest themes, largest first.
    pub themes: Vec<StoryTheme>,
    /// Themes and insights beyond those told.
    pub other_themes: usize,
    pub other_insights: usize,
    pub bridges: Vec<StoryBridge>,
    pub gaps: Vec<StoryGap>,
    /// `None` unless the teller looked for them ([`near_duplicates`]).
    pub near_duplicates: Option<Duplicates>,
    /// The analyses it tells are kept in the database.
    #[serde(skip)]
    pub kept: bool,
}

impl Story {
    /// The told theme with stable id `id`.
    pub fn theme(&self, id: u32) -> Option<&StoryTheme> {
        self.themes.iter().find(|t| t.id == id)
    }
}

/// The near-duplicate insights of the database, as a story tells them: how many groups and
/// insights, and the first groups. O(insights) with LSH (see [`dedupe::similar_pairs`]); it
/// reads every text but not the graph, so a teller runs it before loading the graph.
pub fn near_duplicates(store: &Store) -> Result<Duplicates> {
    let groups = dedupe::plan(store, &DedupeConfig::default())?;
    Ok(Duplicates {
        groups: groups.len(),
        insights: groups.iter().map(|g| g.members.len()).sum(),
        listed: groups
            .iter()
            .take(DUPLICATE_GROUPS)
            .map(|g| DuplicateGroup {
                keep: g.keep,
                similarity: g.similarity,
                texts: g.members.iter().map(|m| m.text.clone()).collect(),
            })
            .collect(),
    })
}

/// `items` joined by commas, or "none": how a deck and a report list themes and insights.
pub(crate) fn list_or_none(items: impl Iterator<Item = String>) -> String {
    let all: Vec<String> = items.collect();
    if all.is_empty() {
        "none".into()
    } else {
        all.join(", ")
    }
}

/// The gap question of two themes.
pub fn gap_question(a: &str, b: &str) -> String {
    format!("What connects \u{201c}{a}\u{201d} and \u{201c}{b}\u{201d}?")
}

/// Betweenness as the story uses it: the newest kept for this graph, else exact up to
/// [`EXACT_BETWEENNESS_MAX`] insights and estimated beyond (computed and kept).
pub fn betweenness(store: &mut Store, analyses: &Analyses) -> Result<Scores> {
    let n = analyses.graph.node_count();
    let config = BetweennessConfig {
        samples: (n > EXACT_BETWEENNESS_MAX).then_some(BETWEENNESS_PIVOTS),
        ..BetweennessConfig::default()
    };
    results::scores(
        store,
        &analyses.graph,
        &CentralityConfig::Betweenness(config),
        Reuse::AnyParameters,
    )
}

/// Assemble the story of `analyses` (ranked by PageRank). O(V log V + E) besides the
/// betweenness (kept, or computed once) and the near-duplicate search when asked for.
pub fn build(store: &mut Store, analyses: &Analyses, config: &StoryConfig) -> Result<Story> {
    let Analyses {
        graph, partition, ..
    } = analyses;
    let pagerank = &analyses.scores;
    let between = betweenness(store, analyses)?;
    let membership = &partition.membership;

    let theme_info: HashMap<u32, ThemeRef> = partition
        .communities
        .iter()
        .map(|c| {
            (
                c.id,
                ThemeRef {
                    id: c.id,
                    name: c.label.clone(),
                    size: c.size,
                },
            )
        })
        .collect();
    let theme_ref = |id: u32| {
        theme_info.get(&id).cloned().unwrap_or(ThemeRef {
            id,
            name: String::new(),
            size: 0,
        })
    };

    // Every insight the story names, read from the store once.
    let rank_pr = ranks(&pagerank.values);
    let rank_bt = ranks(&between.values);
    let top_pr = top_nodes(&rank_pr, config.top);
    let top_bt = top_nodes(&rank_bt, config.top);
    let all_bridges = bridges(graph, membership, &between.values);
    let bridge_list = &all_bridges[..config.bridges.min(all_bridges.len())];
    let told_themes: Vec<_> = partition
        .communities
        .iter()
        .filter(|c| c.size > 1)
        .take(config.themes)
        .collect();
    let mut central_of: Vec<Vec<u32>> = Vec::new();
    let mut bridges_of: Vec<Vec<u32>> = Vec::new();
    for c in &told_themes {
        let mut members: Vec<u32> = c
            .members
            .iter()
            .filter_map(|&id| graph.index_of(id))
            .collect();
        members.sort_by(|&x, &y| rank_pr[x as usize].cmp(&rank_pr[y as usize]));
        members.truncate(config.per_theme);
        central_of.push(members);
        bridges_of.push(
            all_bridges
                .iter()
                .filter(|b| membership[b.node as usize] == c.id)
                .take(THEME_BRIDGES)
                .map(|b| b.node)
                .collect(),
        );
    }
    // Every insight with a participation above 0 is in the bridge list: read it back rather
    // than compute it again.
    let mut participation = vec![0.0; graph.node_count()];
    for b in &all_bridges {
        participation[b.node as usize] = b.participation;
    }
    let told_ids: Vec<u32> = told_themes.iter().map(|c| c.id).collect();
    let gap_list: Vec<_> = gaps(graph, membership, 2)
        .into_iter()
        .filter(|g| g.ratio <= GAP_RATIO && told_ids.contains(&g.a) && told_ids.contains(&g.b))
        .take(config.gaps)
        .collect();
    let nearest: Vec<(Vec<u32>, Vec<u32>)> = gap_list
        .iter()
        .map(|g| {
            (
                nearest_to(analyses, &participation, g.a, g.b),
                nearest_to(analyses, &participation, g.b, g.a),
            )
        })
        .collect();

    let mut named: Vec<u32> = top_pr
        .iter()
        .chain(&top_bt)
        .chain(bridge_list.iter().map(|b| &b.node))
        .chain(central_of.iter().flatten())
        .chain(bridges_of.iter().flatten())
        .chain(nearest.iter().flat_map(|(a, b)| a.iter().chain(b)))
        .copied()
        .collect();
    named.sort_unstable();
    named.dedup();
    let ids: Vec<InsightId> = named.iter().map(|&u| graph.id(u)).collect();
    let rows: HashMap<InsightId, (String, i64)> = store
        .insight_details(&ids)?
        .into_iter()
        .map(|r| (r.id, (r.text, r.sources)))
        .collect();
    let insight = |u: u32, scores: &[f64], rank: &[usize]| {
        let id = graph.id(u);
        let (text, sources) = rows.get(&id).cloned().unwrap_or_default();
        StoryInsight {
            id,
            title: analyses.titles.get(id).unwrap_or_default().to_string(),
            text,
            sources,
            theme: membership[u as usize],
            score: scores[u as usize],
            rank: rank[u as usize] + 1,
        }
    };
    let by_pr = |u: u32| insight(u, &pagerank.values, &rank_pr);

    let links = community_links(graph, membership);
    let themes: Vec<StoryTheme> = told_themes
        .iter()
        .zip(central_of.iter().zip(&bridges_of))
        .map(|(c, (central, own_bridges))| {
            let mut neighbours: Vec<Neighbour> = links
                .iter()
                .filter(|l| l.a == c.id || l.b == c.id)
                .map(|l| Neighbour {
                    theme: theme_ref(if l.a == c.id { l.b } else { l.a }),
                    weight: l.weight,
                    association: l.association,
                })
                .collect();
            neighbours.sort_by(|x, y| {
                y.association
                    .total_cmp(&x.association)
                    .then(y.weight.total_cmp(&x.weight))
                    .then(x.theme.id.cmp(&y.theme.id))
            });
            neighbours.truncate(NEIGHBOURS_PER_THEME);
            StoryTheme {
                id: c.id,
                name: c.label.clone(),
                size: c.size,
                colour: theme_colour(c.colour),
                words: c
                    .label
                    .split(", ")
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect(),
                central: central.iter().map(|&u| by_pr(u)).collect(),
                neighbours,
                bridges: own_bridges.iter().map(|&u| by_pr(u)).collect(),
            }
        })
        .collect();

    let story_bridges = bridge_list
        .iter()
        .map(|b| StoryBridge {
            insight: by_pr(b.node),
            participation: b.participation,
            betweenness: b.betweenness,
            score: b.score,
            joins: joined_themes(analyses, b.node)
                .into_iter()
                .map(theme_ref)
                .collect(),
        })
        .collect();
    let story_gaps = gap_list
        .iter()
        .zip(&nearest)
        .map(|(g, (near_a, near_b))| {
            let (a, b) = (theme_ref(g.a), theme_ref(g.b));
            StoryGap {
                question: gap_question(&a.name, &b.name),
                a,
                b,
                weight: g.weight,
                expected: g.expected,
                ratio: g.ratio,
                near_a: near_a.iter().map(|&u| by_pr(u)).collect(),
                near_b: near_b.iter().map(|&u| by_pr(u)).collect(),
            }
        })
        .collect();

    let theme_count = partition.communities.iter().filter(|c| c.size > 1).count();
    let told_insights: usize = themes.iter().map(|t| t.size).sum();
    let counts = store.counts()?;
    Ok(Story {
        corpus: Corpus {
            sources: counts.sources,
            insights: graph.node_count(),
            edges: graph.edge_count(),
            themes: theme_count,
            modularity: partition.modularity,
            algorithm: partition.algorithm.as_str().to_string(),
            graph_version: analyses.version,
        },
        imports: store.imports()?,
        by_pagerank: ranking(pagerank, top_pr.iter().map(|&u| by_pr(u)).collect()),
        by_betweenness: ranking(
            &between,
            top_bt
                .iter()
                .map(|&u| insight(u, &between.values, &rank_bt))
                .collect(),
        ),
        other_themes: theme_count - themes.len(),
        other_insights: graph.node_count() - told_insights,
        themes,
        bridges: story_bridges,
        gaps: story_gaps,
        near_duplicates: None,
        kept: analyses.kept() && between.kept,
    })
}

fn ranking(scores: &Scores, insights: Vec<StoryInsight>) -> Ranking {
    Ranking {
        measure: scores.measure,
        approximate: scores.approximate,
        note: scores.note.clone(),
        insights,
    }
}

/// Each node's 0-based rank: score descending, ties by node index (ids grow with indices,
/// so this is `central`'s order).
fn ranks(values: &[f64]) -> Vec<usize> {
    let mut order: Vec<u32> = (0..values.len() as u32).collect();
    order.sort_by(|&x, &y| {
        values[y as usize]
            .total_cmp(&values[x as usize])
            .then(x.cmp(&y))
    });
    let mut rank = vec![0; values.len()];
    for (r, &u) in order.iter().enumerate() {
        rank[u as usize] = r;
    }
    rank
}

/// The `k` best-ranked nodes, best first.
fn top_nodes(rank: &[usize], k: usize) -> Vec<u32> {
    let mut top: Vec<u32> = (0..rank.len() as u32)
        .filter(|&u| rank[u as usize] < k)
        .collect();
    top.sort_by_key(|&u| rank[u as usize]);
    top
}

/// The themes node `u` links to besides its own, most weight first (ties by id).
fn joined_themes(analyses: &Analyses, u: u32) -> Vec<u32> {
    let membership = &analyses.partition.membership;
    let own = membership[u as usize];
    let mut to: HashMap<u32, f64> = HashMap::new();
    for (&v, &w) in analyses
        .graph
        .neighbors(u)
        .iter()
        .zip(analyses.graph.weights(u))
    {
        let c = membership[v as usize];
        if c != own {
            *to.entry(c).or_default() += w;
        }
    }
    let mut joined: Vec<(u32, f64)> = to.into_iter().collect();
    joined.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    joined.into_iter().map(|(c, _)| c).collect()
}

/// The members of theme `from` nearest to theme `to`: most link weight to `to`, then most
/// weight outside `from` (participation), then most central; at most [`NEAREST_PER_SIDE`].
/// O(Σ degree of `from`'s members).
fn nearest_to(analyses: &Analyses, participation: &[f64], from: u32, to: u32) -> Vec<u32> {
    let Analyses {
        graph, partition, ..
    } = analyses;
    let Some(community) = partition.communities.iter().find(|c| c.id == from) else {
        return Vec::new();
    };
    let mut scored: Vec<(u32, f64)> = community
        .members
        .iter()
        .filter_map(|&id| graph.index_of(id))
        .map(|u| {
            let toward: f64 = graph
                .neighbors(u)
                .iter()
                .zip(graph.weights(u))
                .filter(|(&v, _)| partition.membership[v as usize] == to)
                .map(|(_, &w)| w)
                .sum();
            (u, toward)
        })
        .collect();
    let score = &analyses.scores.values;
    scored.sort_by(|x, y| {
        y.1.total_cmp(&x.1)
            .then(participation[y.0 as usize].total_cmp(&participation[x.0 as usize]))
            .then(score[y.0 as usize].total_cmp(&score[x.0 as usize]))
            .then(x.0.cmp(&y.0))
    });
    scored.truncate(NEAREST_PER_SIDE);
    scored.into_iter().map(|(u, _)| u).collect()
}
