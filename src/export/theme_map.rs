//! The theme map: one circle per theme, for graphs too large to show insight by insight.
//!
//! Each of the largest themes is a circle whose area is its number of insights, labelled
//! with its name and the title of its most central insight; two themes are linked when
//! their insights appear together often against what chance predicts (association strength,
//! [`crate::algo::community::quotient`]), the line's width growing with it. Themes beyond the
//! largest few, and single insights that form no theme, are gathered as "other".
//!
//! Communities are found by maximising modularity, so links between two of them are nearly
//! always below chance (association strength < 1): the map draws each theme's strongest
//! associations, whatever their level, and says how strong in the line's width and hover
//! text.
//!
//! Like [`super::view`], it reads the kept scores and partition (computing and keeping them
//! when there are none), so the map and the insight pictures agree on colours and names.

use super::view::theme_colour;
use crate::algo::centrality::Measure;
use crate::algo::community::quotient::community_links;
use crate::error::{Error, Result};
use crate::ids::InsightId;
use crate::results::Analyses;
use crate::store::Store;

/// Themes drawn when no number is asked for: about what a slide can name legibly.
pub const DEFAULT_MAP_THEMES: usize = 24;

/// Links drawn per theme at most (its strongest by association strength), so a map of many
/// themes stays readable.
pub const LINKS_PER_THEME: usize = 3;

/// What a theme map shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeMapConfig {
    /// Themes drawn (the largest); the rest are "other".
    pub themes: usize,
    /// The centrality that picks each theme's most central insight.
    pub size_by: Measure,
}

impl Default for ThemeMapConfig {
    fn default() -> Self {
        ThemeMapConfig {
            themes: DEFAULT_MAP_THEMES,
            size_by: Measure::PageRank,
        }
    }
}

/// One theme on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapTheme {
    /// Its stable community id.
    pub community: u32,
    pub name: String,
    pub members: usize,
    /// Its most central insight (by [`ThemeMap::size_by`]).
    pub central: InsightId,
    /// That insight's short title.
    pub central_title: String,
    /// That insight's full text (for the hover text).
    pub central_text: String,
    pub colour: &'static str,
}

/// A link between two drawn themes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapLink {
    /// Positions in [`ThemeMap::themes`], `a < b`.
    pub a: usize,
    pub b: usize,
    /// Total weight of the appears-with edges between them.
    pub weight: f64,
    /// weight / the weight chance predicts (van Eck & Waltman 2009).
    pub association: f64,
}

/// Themes and insights not drawn as their own circle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OtherThemes {
    pub themes: usize,
    pub insights: usize,
}

/// The theme map of the whole graph.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeMap {
    /// Largest first.
    pub themes: Vec<MapTheme>,
    /// Each theme's [`LINKS_PER_THEME`] strongest links by association, sorted by `(a, b)`.
    pub links: Vec<MapLink>,
    pub other: Option<OtherThemes>,
    /// Themes (communities of two or more insights) in the whole partition.
    pub theme_count: usize,
    /// Insights in the whole graph.
    pub graph_nodes: usize,
    pub size_by: Measure,
    /// The scores and partition it shows are in the store.
    pub kept: bool,
}

/// Build the theme map: load the graph, reuse (or compute and keep) the partition and the
/// scores, group. O(V + E + L log L) after the analyses, L the linked pairs of communities.
///
/// Errors: [`Error::EmptyGraph`] when the database has no insights, [`Error::InvalidInput`]
/// for `themes == 0`.
pub fn build(store: &mut Store, config: &ThemeMapConfig) -> Result<ThemeMap> {
    if config.themes == 0 {
        return Err(Error::InvalidInput(
            "a theme map needs at least one theme (--top 1 or more)".into(),
        ));
    }
    let analyses = Analyses::load(store, config.size_by)?;
    build_with(store, &analyses, config)
}

/// [`build`] on analyses already loaded (ranked by `config.size_by`, which they must be).
pub fn build_with(
    store: &mut Store,
    analyses: &Analyses,
    config: &ThemeMapConfig,
) -> Result<ThemeMap> {
    if config.themes == 0 {
        return Err(Error::InvalidInput(
            "a theme map needs at least one theme (--top 1 or more)".into(),
        ));
    }
    let Analyses {
        graph,
        partition,
        scores,
        titles,
        ..
    } = analyses;
    debug_assert_eq!(scores.measure, config.size_by);

    // Communities are sorted largest first; each keeps its own colour, as in pictures.
    let themes_total = partition.communities.iter().filter(|c| c.size > 1).count();
    let mut themes = Vec::new();
    for c in &partition.communities {
        if themes.len() == config.themes || c.size < 2 {
            break;
        }
        let central = c
            .members
            .iter()
            .copied()
            .max_by(|&x, &y| {
                let score = |id| {
                    graph
                        .index_of(id)
                        .map_or(0.0, |u| scores.values[u as usize])
                };
                score(x).total_cmp(&score(y)).then(y.cmp(&x))
            })
            .unwrap_or(InsightId(0));
        themes.push(MapTheme {
            community: c.id,
            name: c.label.clone(),
            members: c.size,
            central,
            central_title: titles.get(central).unwrap_or_default().to_string(),
            central_text: String::new(),
            colour: theme_colour(c.colour),
        });
    }
    let centrals: Vec<InsightId> = themes.iter().map(|t| t.central).collect();
    for (theme, row) in themes.iter_mut().zip(store.insight_details(&centrals)?) {
        theme.central_text = row.text;
    }
    let drawn: usize = themes.iter().map(|t| t.members).sum();
    let other = (drawn < graph.node_count()).then(|| OtherThemes {
        themes: themes_total - themes.len(),
        insights: graph.node_count() - drawn,
    });

    let mut position: Vec<(u32, usize)> = themes
        .iter()
        .enumerate()
        .map(|(i, t)| (t.community, i))
        .collect();
    position.sort_unstable();
    let position_of = |c: u32| {
        position
            .binary_search_by_key(&c, |p| p.0)
            .ok()
            .map(|i| position[i].1)
    };
    let candidates: Vec<MapLink> = community_links(graph, &partition.membership)
        .into_iter()
        .filter_map(|l| {
            let (a, b) = (position_of(l.a)?, position_of(l.b)?);
            Some(MapLink {
                a: a.min(b),
                b: a.max(b),
                weight: l.weight,
                association: l.association,
            })
        })
        .collect();
    let links = strongest_per_theme(candidates, themes.len(), LINKS_PER_THEME);

    Ok(ThemeMap {
        themes,
        links,
        other,
        theme_count: themes_total,
        graph_nodes: graph.node_count(),
        size_by: config.size_by,
        kept: partition.kept && scores.kept,
    })
}

/// The links among each theme's `k` strongest by association (ties by the other theme's
/// rank), sorted by `(a, b)`.
fn strongest_per_theme(links: Vec<MapLink>, themes: usize, k: usize) -> Vec<MapLink> {
    let list: Vec<(u32, u32, f64)> = links
        .iter()
        .map(|l| (l.a as u32, l.b as u32, l.association))
        .collect();
    let keep = crate::algo::backbone::strongest_links(themes, &list, k);
    let mut kept: Vec<MapLink> = links
        .into_iter()
        .zip(keep)
        .filter_map(|(l, k)| k.then_some(l))
        .collect();
    kept.sort_by_key(|l| (l.a, l.b));
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_theme_keeps_its_strongest_links() {
        let link = |a, b, association| MapLink {
            a,
            b,
            weight: 1.0,
            association,
        };
        // Theme 0 is linked to 1, 2, 3 with rising strength; with k = 1 it keeps 0-3, and
        // themes 1 and 2 keep their only links, so all stay; theme 3 keeps 0-3.
        let links = vec![
            link(0, 1, 1.5),
            link(0, 2, 2.0),
            link(0, 3, 3.0),
            link(1, 2, 1.2),
        ];
        let kept = strongest_per_theme(links.clone(), 4, 1);
        let pairs: Vec<(usize, usize)> = kept.iter().map(|l| (l.a, l.b)).collect();
        // 1's strongest is 0-1 (1.5 > 1.2), 2's is 0-2 (2.0 > 1.2): 1-2 goes.
        assert_eq!(pairs, vec![(0, 1), (0, 2), (0, 3)]);
        assert_eq!(strongest_per_theme(links, 4, 3).len(), 4);
    }
}
